#include "ipc/messages.hpp"

namespace openras::ipc {

void DialRequest::encode(Writer& w) const {
  for (const auto* s : {&entry_name, &phonebook, &entry_text, &phone_number, &callback_number,
                        &user, &password, &domain}) {
    w.str(*s);
  }
  w.u32(subentry);
  w.u32(options);
}

bool DialRequest::decode(Reader& r) {
  for (auto* s : {&entry_name, &phonebook, &entry_text, &phone_number, &callback_number, &user,
                  &password, &domain}) {
    if (!r.str(*s)) return false;
  }
  return r.u32(subentry) && r.u32(options);
}

void ResumeRequest::encode(Writer& w) const {
  w.u32(handle);
  for (const auto* s : {&user, &password, &domain, &callback_number}) w.str(*s);
}

bool ResumeRequest::decode(Reader& r) {
  if (!r.u32(handle)) return false;
  for (auto* s : {&user, &password, &domain, &callback_number}) {
    if (!r.str(*s)) return false;
  }
  return true;
}

void HandleRequest::encode(Writer& w) const {
  w.u32(handle);
}
bool HandleRequest::decode(Reader& r) {
  return r.u32(handle);
}

void ProjectionRequest::encode(Writer& w) const {
  w.u32(handle);
  w.u32(protocol);
}
bool ProjectionRequest::decode(Reader& r) {
  return r.u32(handle) && r.u32(protocol);
}

void SubscribeRequest::encode(Writer& w) const {
  w.u32(handle);
  w.u32(flags);
}
bool SubscribeRequest::decode(Reader& r) {
  return r.u32(handle) && r.u32(flags);
}

void CredentialsRequest::encode(Writer& w) const {
  for (const auto* s : {&phonebook, &entry, &user, &password, &domain, &eap_user_data}) w.str(*s);
  w.u32(mask);
  w.u32(clear);
}

bool CredentialsRequest::decode(Reader& r) {
  for (auto* s : {&phonebook, &entry, &user, &password, &domain, &eap_user_data}) {
    if (!r.str(*s)) return false;
  }
  return r.u32(mask) && r.u32(clear);
}

void CredentialsReply::encode(Writer& w) const {
  w.str(user);
  w.str(domain);
  w.str(eap_user_data);
  w.u32(mask);
}

bool CredentialsReply::decode(Reader& r) {
  return r.str(user) && r.str(domain) && r.str(eap_user_data) && r.u32(mask);
}

void DialReply::encode(Writer& w) const {
  w.u32(handle);
}
bool DialReply::decode(Reader& r) {
  return r.u32(handle);
}

void StatusReply::encode(Writer& w) const {
  w.u32(state);
  w.u32(error);
  w.str(device_type);
  w.str(device_name);
  w.str(phone_number);
  w.u32(redial_error);
  w.u32(redial_next_attempt);
  w.u32(redial_attempts);
  w.u32(redial_in_ms);
}

bool StatusReply::decode(Reader& r) {
  return r.u32(state) && r.u32(error) && r.str(device_type) && r.str(device_name) &&
         r.str(phone_number) && r.u32(redial_error) && r.u32(redial_next_attempt) &&
         r.u32(redial_attempts) && r.u32(redial_in_ms);
}

void ConnectionInfo::encode(Writer& w) const {
  w.u32(handle);
  w.str(entry_name);
  w.str(device_type);
  w.str(device_name);
  w.str(phonebook);
  w.u32(subentry);
  w.u32(owner_uid);
}

bool ConnectionInfo::decode(Reader& r) {
  return r.u32(handle) && r.str(entry_name) && r.str(device_type) && r.str(device_name) &&
         r.str(phonebook) && r.u32(subentry) && r.u32(owner_uid);
}

void EnumReply::encode(Writer& w) const {
  w.u32(static_cast<std::uint32_t>(connections.size()));
  for (const auto& c : connections) c.encode(w);
}

bool EnumReply::decode(Reader& r) {
  std::uint32_t n = 0;
  if (!r.u32(n) || n > 4096) return false;
  connections.resize(n);
  for (auto& c : connections) {
    if (!c.decode(r)) return false;
  }
  return true;
}

void ProjectionReply::encode(Writer& w) const {
  w.u32(projection_error);
  w.str(ip_address);
  w.str(server_ip_address);
  w.str(dns1);
  w.str(dns2);
  w.u64(local_interface_id);
  w.u64(peer_interface_id);
  w.u32(auth_protocol);
  w.u32(auth_data);
  w.u32(lcp_options);
  w.u32(lcp_server_options);
  w.str(reply_message);
  for (auto v : {link_type, ikev2_auth, eap_type, ikev2_flags, encryption_method}) w.u32(v);
}

bool ProjectionReply::decode(Reader& r) {
  return r.u32(projection_error) && r.str(ip_address) && r.str(server_ip_address) && r.str(dns1) &&
         r.str(dns2) && r.u64(local_interface_id) && r.u64(peer_interface_id) &&
         r.u32(auth_protocol) && r.u32(auth_data) && r.u32(lcp_options) &&
         r.u32(lcp_server_options) && r.str(reply_message) && r.u32(link_type) &&
         r.u32(ikev2_auth) && r.u32(eap_type) && r.u32(ikev2_flags) && r.u32(encryption_method);
}

void StatisticsReply::encode(Writer& w) const {
  for (auto v : {bytes_sent, bytes_received, frames_sent, frames_received}) w.u64(v);
  for (auto v : {crc_errors, timeout_errors, alignment_errors, hardware_overruns, framing_errors,
                 buffer_overruns, bps, duration_ms}) {
    w.u32(v);
  }
}

bool StatisticsReply::decode(Reader& r) {
  for (auto* v : {&bytes_sent, &bytes_received, &frames_sent, &frames_received}) {
    if (!r.u64(*v)) return false;
  }
  for (auto* v : {&crc_errors, &timeout_errors, &alignment_errors, &hardware_overruns,
                  &framing_errors, &buffer_overruns, &bps, &duration_ms}) {
    if (!r.u32(*v)) return false;
  }
  return true;
}

void StateEvent::encode(Writer& w) const {
  w.u32(handle);
  w.u32(state);
  w.u32(error);
  w.u32(extended_error);
  w.u32(subentry);
  w.u64(stamp_ns);
}

bool StateEvent::decode(Reader& r) {
  return r.u32(handle) && r.u32(state) && r.u32(error) && r.u32(extended_error) &&
         r.u32(subentry) && r.u64(stamp_ns);
}

}  // namespace openras::ipc
