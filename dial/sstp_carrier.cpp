#include "dial/sstp_carrier.hpp"

#include <cstdio>

#include "dial/server_address.hpp"
#include "raserror.h"

namespace openras::dial {
namespace {

using ClientState = link::sstp::Client::State;

std::optional<std::vector<std::uint8_t>> parse_hex32(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c == ':' || c == ' ') continue;  // "AB:CD:..." as certificate tools print it
    digits.push_back(c);
  }
  if (digits.size() != 64) return std::nullopt;
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < 64; i += 2) {
    unsigned v = 0;
    if (std::sscanf(digits.c_str() + i, "%2x", &v) != 1) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(v));
  }
  return out;
}

std::string guid_text(ppp::Random& random) {
  std::uint8_t b[16];
  random.fill(b, sizeof b);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

}  // namespace

SstpSetup sstp_setup(const phonebook::Entry& entry, const DialParams& params, ppp::Random& random) {
  SstpSetup s;
  std::string server = params.phone_number.empty() ? entry.phone_number : params.phone_number;
  s.port.kind = PortRequest::Kind::Tls;
  if (!split_server(server, 443, s.port.device, s.port.remote_port)) {
    s.error = ERROR_BAD_ADDRESS_SPECIFIED;
    return s;
  }
  if (auto pin = entry.key("OpenRasCertificateSha256"); pin && !pin->empty()) {
    auto bytes = parse_hex32(*pin);
    if (!bytes) {
      s.error = ERROR_CORRUPT_PHONEBOOK;
      return s;
    }
    s.port.pinned_sha256 = std::move(*bytes);
  }
  s.port.insecure_no_verify = entry.key_u32("OpenRasInsecureSkipCertificateCheck", 0) != 0;
  if (auto proxy = entry.key("OpenRasProxy")) s.port.proxy = *proxy;
  s.client.host = s.port.device;
  s.client.correlation_id = guid_text(random);
  s.client.hello_interval = std::chrono::seconds(entry.key_u32("OpenRasSstpHelloSeconds", 60));
  s.client.negotiation_timeout =
      std::chrono::seconds(entry.key_u32("OpenRasSstpNegotiationSeconds", 60));
  return s;
}

SstpCarrier::SstpCarrier(PortRequest port, link::sstp::ClientConfig config)
    : port_(std::move(port)), client_(std::move(config)) {}

void SstpCarrier::configure(ppp::SessionConfig& config) const {
  config.framed = false;  // whole frames in data packets: no ACCM, PFC or ACFC
}

void SstpCarrier::start(const PortInfo& info, TimePoint now) {
  client_.start(info.peer_certificate, now);
}

void SstpCarrier::ppp_started(TimePoint now) {
  ppp_started_ = true;
  deliver_frames(now);
}

void SstpCarrier::feed_line(std::span<const std::uint8_t> octets, TimePoint now) {
  client_.feed(octets, now);
  if (ppp_started_) deliver_frames(now);
}

void SstpCarrier::deliver_frames(TimePoint now) {
  ppp::Bytes frame;
  while (client_.poll_frame(frame)) session_->feed(frame, now);
}

bool SstpCarrier::poll_line(ppp::LineBytes& out) {
  const std::size_t before = out.size();
  // What the client queued (control messages) first, then PPP's frames after them.
  ppp::Bytes packet;
  while (client_.poll_transmit(packet)) out.insert(out.end(), packet.begin(), packet.end());
  while (session_->poll_transmit(frame_)) client_.append_frame(frame_, out);
  return out.size() > before;
}

Carrier::Status SstpCarrier::status() const {
  switch (client_.state()) {
    case ClientState::Idle:
    case ClientState::HttpSent:
    case ClientState::RequestSent:
      return Status::Connecting;
    case ClientState::Negotiating:
    case ClientState::Connected:
    case ClientState::Disconnecting:
      return Status::Ready;
    case ClientState::Closed:
      return Status::Closed;
    case ClientState::Failed:
      return Status::Failed;
  }
  return Status::Failed;
}

void SstpCarrier::authenticated(const ppp::Negotiated& negotiated, TimePoint now) {
  std::optional<std::array<std::uint8_t, 16>> key;
  // EAP-MSCHAPv2's MSK starts with the same 32 octets as MS-CHAPv2's HLAK ([MS-CHAP], EAP keys:
  // MasterReceiveKey | MasterSendKey from the server's side), so both bind the same way.
  if (negotiated.auth == ppp::AuthMethod::MsChapV2 ||
      negotiated.auth == ppp::AuthMethod::EapMsChapV2) {
    key = negotiated.mppe_master_key;
  }
  client_.authenticated(key, now);
}

void SstpCarrier::close(bool hang_up, TimePoint now) {
  (void)hang_up;  // either way the call is disconnected, so the server frees it at once
  client_.disconnect(now);
}

std::uint32_t SstpCarrier::line_lost_error() const {
  return ERROR_VPN_DISCONNECT;
}

void SstpCarrier::set_trace(std::function<void(const std::string&)> trace) {
  client_.set_observer([trace](bool sent, const link::sstp::ControlMessage& m) {
    trace(std::string(sent ? "tx " : "rx ") + "SSTP " + link::sstp::message_type_name(m.type));
  });
}

}  // namespace openras::dial
