// What every authentication engine (PAP, CHAP, EAP; client and server) works with: the
// session's configuration and negotiated values, its randomness, and the queue its packets
// leave by.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "ppp/fsm.hpp"
#include "ppp/types.hpp"

namespace openras::ppp {

// The name the tiny server gives in its CHAP and EAP-MSCHAPv2 challenges.
inline constexpr std::string_view kAuthenticatorName = "openras";

struct AuthContext {
  const SessionConfig& config;
  Negotiated& negotiated;
  Random& random;
  std::deque<OutPacket>& outbox;

  // The server role's account for `user`, if it has one.
  std::optional<std::string> password_of(const std::string& user) const {
    auto it = config.server_settings.accounts.find(user);
    if (it == config.server_settings.accounts.end()) return std::nullopt;
    return it->second;
  }
};

// The code, identifier and length every PAP, CHAP and EAP packet starts with, checked:
// nullopt when it is too short or its length runs past the packet.
struct ControlHeader {
  std::uint8_t code;
  std::uint8_t id;
  ByteView data;  // after the header, cut to the length
};
inline std::optional<ControlHeader> parse_control_header(ByteView packet) {
  if (packet.size() < 4) return std::nullopt;
  std::uint16_t len = get16(packet.data() + 2);
  if (len < 4 || len > packet.size()) return std::nullopt;
  return ControlHeader{packet[0], packet[1], packet.subspan(4, len - 4u)};
}

// A CHAP Challenge value and the authenticator's name (RFC 1994 4.1): value size, value,
// name. MS-CHAPv2 carries the same inside CHAP and inside EAP type 26.
inline Bytes challenge_data(ByteView value) {
  Bytes data;
  data.reserve(1 + value.size() + kAuthenticatorName.size());
  data.push_back(static_cast<std::uint8_t>(value.size()));
  data.insert(data.end(), value.begin(), value.end());
  data.insert(data.end(), kAuthenticatorName.begin(), kAuthenticatorName.end());
  return data;
}

}  // namespace openras::ppp
