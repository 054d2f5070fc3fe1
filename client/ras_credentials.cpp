// Saved credentials: RasSetCredentials / RasGetCredentials and RasSetEntryDialParams /
// RasGetEntryDialParams. rasmand keeps them per user, outside the .pbk; a saved password is
// never handed back, only the placeholder that makes RasDial use it.
#include <cstring>

#include "client/phonebook_access.hpp"
#include "client/request.hpp"
#include "client/struct_sizes.hpp"
#include "client/util.hpp"
#include "ipc/messages.hpp"
#include "ras.h"

using namespace openras;
using namespace openras::client;

namespace {

constexpr std::size_t kCredentialsSize = sizeof(RASCREDENTIALSA);

// The phonebook path an entry resolves to, as RasDial would find it.
DWORD resolve(const char* phonebook, const char* entry, std::string& path) {
  if (!entry || !*entry) return ERROR_INVALID_PARAMETER;
  FoundEntry found;
  if (auto error = find_entry(phonebook, entry, found)) return error;
  path = found.phonebook_path;
  return 0;
}

DWORD call(ipc::MsgType type, ipc::CredentialsRequest& req, ipc::CredentialsReply* reply) {
  auto body = ipc::encode_body(req);
  std::fill(req.password.begin(), req.password.end(), '\0');
  DWORD error = request(type, body, reply);
  std::fill(body.begin(), body.end(), std::byte{0});
  return error;
}

DWORD get_saved(const char* phonebook, const char* entry, ipc::CredentialsReply& reply) {
  ipc::CredentialsRequest req;
  if (auto error = resolve(phonebook, entry, req.phonebook)) return error;
  req.entry = entry;
  return call(ipc::MsgType::GetCredentials, req, &reply);
}

}  // namespace

extern "C" {

DWORD APIENTRY RasSetCredentialsA(LPCSTR phonebook, LPCSTR entry, LPRASCREDENTIALSA creds,
                                  BOOL clear) {
  if (!creds) return ERROR_INVALID_PARAMETER;
  if (creds->dwSize != kCredentialsSize) return ERROR_INVALID_SIZE;
  ipc::CredentialsRequest req;
  if (auto error = resolve(phonebook, entry, req.phonebook)) return error;
  req.entry = entry;
  req.user = field_string(creds->szUserName);
  req.domain = field_string(creds->szDomain);
  req.password = field_string(creds->szPassword);
  if (req.password == OPENRAS_SAVED_PASSWORD) {
    // Writing the placeholder back means "keep the saved password".
    creds->dwMask &= ~static_cast<DWORD>(RASCM_Password);
  }
  req.mask = creds->dwMask & (RASCM_UserName | RASCM_Password | RASCM_Domain);
  req.clear = clear ? 1 : 0;
  return call(ipc::MsgType::SetCredentials, req, nullptr);
}

DWORD APIENTRY RasGetCredentialsA(LPCSTR phonebook, LPCSTR entry, LPRASCREDENTIALSA creds) {
  if (!creds) return ERROR_INVALID_PARAMETER;
  if (creds->dwSize != kCredentialsSize) return ERROR_INVALID_SIZE;
  ipc::CredentialsReply reply;
  if (auto error = get_saved(phonebook, entry, reply)) return error;
  creds->dwMask = reply.mask;
  copy_field(creds->szUserName, reply.user);
  copy_field(creds->szDomain, reply.domain);
  copy_field(creds->szPassword, reply.mask & RASCM_Password ? OPENRAS_SAVED_PASSWORD : "");
  return 0;
}

DWORD APIENTRY RasGetEntryDialParamsA(LPCSTR phonebook, LPRASDIALPARAMSA params,
                                      LPBOOL has_password) {
  if (!params || !has_password) return ERROR_INVALID_PARAMETER;
  if (!size_is_one_of(params->dwSize, kDialParamsSizes)) return ERROR_INVALID_SIZE;
  std::string entry = field_string(params->szEntryName);
  ipc::CredentialsReply reply;
  if (auto error = get_saved(phonebook, entry.c_str(), reply)) return error;
  params->szPhoneNumber[0] = '\0';
  params->szCallbackNumber[0] = '\0';
  copy_field(params->szUserName, reply.user);
  copy_field(params->szDomain, reply.domain);
  copy_field(params->szPassword, reply.mask & RASCM_Password ? OPENRAS_SAVED_PASSWORD : "");
  *has_password = (reply.mask & RASCM_Password) ? TRUE : FALSE;
  return 0;
}

DWORD APIENTRY RasSetEntryDialParamsA(LPCSTR phonebook, LPRASDIALPARAMSA params,
                                      BOOL remove_password) {
  if (!params) return ERROR_INVALID_PARAMETER;
  if (!size_is_one_of(params->dwSize, kDialParamsSizes)) return ERROR_INVALID_SIZE;
  std::string entry = field_string(params->szEntryName);
  RASCREDENTIALSA creds{};
  creds.dwSize = sizeof(creds);
  creds.dwMask = RASCM_UserName | RASCM_Domain | RASCM_Password;
  copy_field(creds.szUserName, field_string(params->szUserName));
  copy_field(creds.szDomain, field_string(params->szDomain));
  copy_field(creds.szPassword, field_string(params->szPassword));
  DWORD error = RasSetCredentialsA(phonebook, entry.c_str(), &creds, FALSE);
  if (!error && remove_password) {
    creds.dwMask = RASCM_Password;
    error = RasSetCredentialsA(phonebook, entry.c_str(), &creds, TRUE);
  }
  explicit_bzero(creds.szPassword, sizeof(creds.szPassword));
  return error;
}

}  // extern "C"
