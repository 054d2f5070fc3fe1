// SetCredentials and GetCredentials: what a client may store in rasmand's credential store and
// read back (never a password or a pre-shared key, only that one is saved).
#include "common/log.hpp"
#include "manager/connection_manager.hpp"
#include "manager/replies.hpp"
#include "ras.h"

namespace openras::manager {

ConnectionManager::Reply ConnectionManager::handle_set_credentials(const ClientSession& session,
                                                                   ipc::Reader& r) {
  ipc::CredentialsRequest req;
  bool ok = req.decode(r) && r.at_end() && !req.entry.empty();
  SavedCredentials fields;
  fields.user = req.user;
  fields.domain = req.domain;
  // One secret travels in `password`: the pre-shared key when the mask says so (as Windows
  // reads szPassword), never both.
  if (req.mask & RASCM_PreSharedKey) {
    fields.pre_shared_key = req.password;
    ok = ok && !(req.mask & RASCM_Password);
  } else {
    fields.password = req.password;
  }
  fields.eap_user_data = req.eap_user_data;
  // Field limits in UTF-8 octets: a W caller's 256 characters may take four octets each.
  constexpr std::size_t kMaxText = 4 * (PWLEN + 1);
  ok = ok && req.user.size() <= kMaxText && req.domain.size() <= kMaxText &&
       req.password.size() <= kMaxText && req.eap_user_data.size() <= ipc::kMaxEapUserData;
  wipe(req.password);
  if (!ok) return fail(ERROR_INVALID_PARAMETER);
  if (std::uint32_t error = credentials_.save(session.peer().uid, req.phonebook, req.entry, fields,
                                              req.mask, req.clear != 0)) {
    return fail(error);
  }
  log_line("credentials", "uid=%u saved for \"%s\" (fields 0x%x%s)", session.peer().uid,
           req.entry.c_str(), req.mask, req.clear ? ", cleared" : "");
  return done();
}

ConnectionManager::Reply ConnectionManager::handle_get_credentials(const ClientSession& session,
                                                                   ipc::Reader& r) {
  ipc::CredentialsRequest req;
  if (!req.decode(r) || !r.at_end() || req.entry.empty()) return fail(ERROR_INVALID_PARAMETER);
  wipe(req.password);
  ipc::CredentialsReply reply;
  if (auto saved = credentials_.load(session.peer().uid, req.phonebook, req.entry)) {
    reply.user = saved->user;
    reply.domain = saved->domain;
    reply.mask =
        (saved->user.empty() ? 0 : RASCM_UserName) | (saved->domain.empty() ? 0 : RASCM_Domain) |
        (saved->password ? RASCM_Password : 0) | (saved->pre_shared_key ? RASCM_PreSharedKey : 0) |
        (saved->eap_user_data.empty() ? 0 : ipc::kCredentialsEapUserData);
    reply.eap_user_data = saved->eap_user_data;
  }
  return ok(reply);
}

}  // namespace openras::manager
