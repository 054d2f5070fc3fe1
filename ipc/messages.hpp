// The bodies of rasmand IPC messages. encode() appends to a Writer; decode() reads from a
// Reader and returns false on any truncation or oversized field (the caller answers with an
// error reply or closes the socket).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ipc/wire.hpp"

namespace openras::ipc {

struct DialRequest {
  std::string entry_name;
  std::string phonebook;   // the path the client read the entry from (informational)
  std::string entry_text;  // the entry's .pbk section, as text
  std::string phone_number;
  std::string callback_number;
  std::string user;
  std::string password;
  std::string domain;
  std::uint32_t subentry = 0;
  std::uint32_t options = 0;  // RDEOPT_*
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

struct ResumeRequest {
  std::uint32_t handle = 0;
  std::string user;
  std::string password;
  std::string domain;
  std::string callback_number;
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

struct HandleRequest {  // HangUp, GetStatus, GetStatistics, ClearStatistics
  std::uint32_t handle = 0;
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

struct ProjectionRequest {
  std::uint32_t handle = 0;
  std::uint32_t protocol = 0;  // RASPROJECTION
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

struct SubscribeRequest {
  std::uint32_t handle = 0;  // 0: every connection
  std::uint32_t flags = 0;   // RASCN_*
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

// RASCM_* bits, and OpenRAS's own for the per-user EAP data (RasSetEapUserData), which lives
// beside the credentials.
inline constexpr std::uint32_t kCredentialsEapUserData = 0x80000000u;
inline constexpr std::size_t kMaxEapUserData = 16 * 1024;

struct CredentialsRequest {  // SetCredentials / GetCredentials
  std::string phonebook;
  std::string entry;
  std::string user;
  std::string password;  // the password, or with RASCM_PreSharedKey the pre-shared key
  std::string domain;
  std::string eap_user_data;  // with kCredentialsEapUserData
  std::uint32_t mask = 0;     // RASCM_*
  std::uint32_t clear = 0;
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

struct CredentialsReply {
  std::string user;
  std::string domain;
  std::string eap_user_data;
  std::uint32_t mask = 0;  // which fields are saved
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

struct DialReply {
  std::uint32_t handle = 0;
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

struct StatusReply {
  std::uint32_t state = 0;
  std::uint32_t error = 0;
  std::string device_type;
  std::string device_name;
  std::string phone_number;
  // A redial pending (next_attempt 0: none): the error that ended the last attempt, the next
  // attempt's number of how many, and the milliseconds until it starts.
  std::uint32_t redial_error = 0;
  std::uint32_t redial_next_attempt = 0;
  std::uint32_t redial_attempts = 0;
  std::uint32_t redial_in_ms = 0;
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

struct ConnectionInfo {
  std::uint32_t handle = 0;
  std::string entry_name;
  std::string device_type;
  std::string device_name;
  std::string phonebook;
  std::uint32_t subentry = 0;
  std::uint32_t owner_uid = 0;
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

struct EnumReply {
  std::vector<ConnectionInfo> connections;
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

struct ProjectionReply {
  std::uint32_t projection_error = 0;  // the dwError field of the projection structure
  std::string ip_address;
  std::string server_ip_address;
  std::string dns1;
  std::string dns2;
  std::uint64_t local_interface_id = 0;
  std::uint64_t peer_interface_id = 0;
  std::uint32_t auth_protocol = 0;
  std::uint32_t auth_data = 0;
  std::uint32_t lcp_options = 0;
  std::uint32_t lcp_server_options = 0;
  std::string reply_message;
  // IKEv2 links (link_type 2); PPP links leave these 0.
  std::uint32_t link_type = 0;
  std::uint32_t ikev2_auth = 0;
  std::uint32_t eap_type = 0;
  std::uint32_t ikev2_flags = 0;
  std::uint32_t encryption_method = 0;
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

struct StatisticsReply {
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t frames_sent = 0;
  std::uint64_t frames_received = 0;
  std::uint32_t crc_errors = 0;
  std::uint32_t timeout_errors = 0;
  std::uint32_t alignment_errors = 0;
  std::uint32_t hardware_overruns = 0;
  std::uint32_t framing_errors = 0;
  std::uint32_t buffer_overruns = 0;
  std::uint32_t bps = 0;
  std::uint32_t duration_ms = 0;
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

struct StateEvent {
  std::uint32_t handle = 0;
  std::uint32_t state = 0;
  std::uint32_t error = 0;
  std::uint32_t extended_error = 0;
  std::uint32_t subentry = 0;
  std::uint64_t stamp_ns = 0;  // CLOCK_MONOTONIC when rasmand made the state change
  void encode(Writer& w) const;
  bool decode(Reader& r);
};

// Encode any message with a leading error code (Reply) or alone.
template <typename Body>
std::vector<std::byte> encode_body(const Body& body) {
  Writer w;
  body.encode(w);
  return w.take();
}

template <typename Body>
std::vector<std::byte> encode_reply(std::uint32_t error, const Body* body) {
  Writer w;
  w.u32(error);
  if (body) body->encode(w);
  return w.take();
}

}  // namespace openras::ipc
