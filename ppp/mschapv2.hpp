// MS-CHAPv2 (RFC 2759) and the MPPE master keys it yields (RFC 3079 section 3), which SSTP's
// crypto binding needs. MD4, SHA-1 and DES come from nettle (OpenSSL 3 keeps MD4 and DES in
// its legacy provider).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ppp/bytes.hpp"

namespace openras::ppp::mschap {

using Hash16 = std::array<std::uint8_t, 16>;
using Challenge16 = std::array<std::uint8_t, 16>;
using NtResponse = std::array<std::uint8_t, 24>;

Hash16 nt_password_hash(std::string_view password);  // MD4 of the UTF-16LE password
Hash16 hash_nt_password_hash(const Hash16& hash);
std::array<std::uint8_t, 8> challenge_hash(const Challenge16& peer_challenge,
                                           const Challenge16& authenticator_challenge,
                                           std::string_view user_name);
NtResponse challenge_response(const std::array<std::uint8_t, 8>& challenge, const Hash16& hash);
NtResponse generate_nt_response(const Challenge16& authenticator_challenge,
                                const Challenge16& peer_challenge, std::string_view user_name,
                                std::string_view password);
// "S=" followed by 40 upper-case hex digits.
std::string authenticator_response(std::string_view password, const NtResponse& nt_response,
                                   const Challenge16& peer_challenge,
                                   const Challenge16& authenticator_challenge,
                                   std::string_view user_name);

Hash16 master_key(const Hash16& password_hash_hash, const NtResponse& nt_response);
// RFC 3079 GetAsymmetricStartKey with a 16-octet session key.
Hash16 asymmetric_start_key(const Hash16& master, bool is_send, bool is_server);

// The fields of a Failure message: "E=691 R=1 C=<32 hex> V=3 M=<text>".
struct Failure {
  std::uint32_t error = 691;
  bool retry = false;
  std::optional<Challenge16> challenge;
  std::string message;
};
Failure parse_failure(std::string_view text);
// The Win32 error for a Failure's E= code: the known ones as they are, anything else 691.
std::uint32_t failure_win32_error(std::uint32_t e);

// Upper-case hex, as MS-CHAPv2 messages spell octets.
std::string hex_upper(const std::uint8_t* p, std::size_t n);

// The user name MS-CHAPv2 hashes: the part after a "DOMAIN\" prefix.
std::string_view hashed_user_name(std::string_view user);

// The client's half of one exchange, as CHAP and EAP-MSCHAPv2 carry it alike: the 49-octet
// Response value for a challenge, then the check of the server's "S=" proof.
class ClientExchange {
 public:
  // Peer challenge, 8 zero octets, NT-Response, flags 0.
  Bytes respond(const Challenge16& authenticator_challenge, const Challenge16& peer_challenge,
                std::string_view user, std::string_view password);
  // The server knows the password (RFC 2759 section 8.8): its message starts with the right
  // "S=" value.
  bool server_proved(std::string_view message, std::string_view user,
                     std::string_view password) const;
  Hash16 master_key(std::string_view password) const;

 private:
  Challenge16 authenticator_challenge_{};
  Challenge16 peer_challenge_{};
  NtResponse nt_response_{};
};

// The server's judgement of a 49-octet Response value from `name`, whose password is
// `password` (none: an unknown user): the Success ("S=... M=Welcome") or Failure
// ("E=691 R=0 C=... V=3 M=Access denied") message, and the master key on success.
struct ServerVerdict {
  bool ok = false;
  std::string message;
  std::optional<Hash16> master_key;
};
ServerVerdict judge_response(const Challenge16& challenge, ByteView value, std::string_view name,
                             const std::optional<std::string>& password);

}  // namespace openras::ppp::mschap
