// Saved credentials: RasSetCredentials / RasGetCredentials (user, password, domain and the
// IPsec pre-shared key), RasSetEntryDialParams / RasGetEntryDialParams, the per-user EAP data
// (RasGet/SetEapUserData) and RasGetEapUserIdentity. rasmand keeps them per user, outside the
// .pbk; a saved password or key is never handed back, only the placeholder that makes RasDial
// use it.
#include <cstring>
#include <cstdlib>

#include "client/phonebook_access.hpp"
#include "client/request.hpp"
#include "client/struct_sizes.hpp"
#include "client/util.hpp"
#include "ipc/messages.hpp"
#include "phonebook/pbk_file.hpp"
#include "ras.h"

using namespace openras;
using namespace openras::client;

namespace {

// The phonebook path an entry resolves to, as RasDial would find it.
DWORD resolve(const TextArg& phonebook, const TextArg& entry, std::string& path) {
  if (!phonebook.ok || !entry.ok || !entry.present || entry.value.empty()) {
    return ERROR_INVALID_PARAMETER;
  }
  FoundEntry found;
  if (auto error = find_entry(phonebook.c_str(), entry.value, found)) return error;
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

DWORD get_saved(const TextArg& phonebook, const TextArg& entry, ipc::CredentialsReply& reply) {
  ipc::CredentialsRequest req;
  if (auto error = resolve(phonebook, entry, req.phonebook)) return error;
  req.entry = entry.value;
  return call(ipc::MsgType::GetCredentials, req, &reply);
}

constexpr DWORD kServerKeys = RASCM_ServerPreSharedKey | RASCM_DDMPreSharedKey;

template <typename Creds>
DWORD set_credentials(const TextArg& phonebook, const TextArg& entry, Creds* creds, BOOL clear) {
  if (!creds) return ERROR_INVALID_PARAMETER;
  if (creds->dwSize != sizeof(Creds)) return ERROR_INVALID_SIZE;
  // The server-side keys belong to a Routing and Remote Access server, which OpenRAS is not;
  // and one call carries one secret in szPassword: a password or a pre-shared key.
  if (creds->dwMask & kServerKeys) return ERROR_INVALID_PARAMETER;
  if ((creds->dwMask & RASCM_PreSharedKey) && (creds->dwMask & RASCM_Password)) {
    return ERROR_INVALID_PARAMETER;
  }
  ipc::CredentialsRequest req;
  if (auto error = resolve(phonebook, entry, req.phonebook)) return error;
  req.entry = entry.value;
  req.user = field_string(creds->szUserName);
  req.domain = field_string(creds->szDomain);
  req.password = field_string(creds->szPassword);
  DWORD mask = creds->dwMask;
  if (req.password == OPENRAS_SAVED_PASSWORD) {
    // Writing the placeholder back means "keep the saved secret".
    mask &= ~static_cast<DWORD>(RASCM_Password | RASCM_PreSharedKey);
  }
  req.mask = mask & (RASCM_UserName | RASCM_Password | RASCM_Domain | RASCM_PreSharedKey);
  req.clear = clear ? 1 : 0;
  return call(ipc::MsgType::SetCredentials, req, nullptr);
}

template <typename Creds>
DWORD get_credentials(const TextArg& phonebook, const TextArg& entry, Creds* creds) {
  if (!creds) return ERROR_INVALID_PARAMETER;
  if (creds->dwSize != sizeof(Creds)) return ERROR_INVALID_SIZE;
  if (creds->dwMask & kServerKeys) return ERROR_INVALID_PARAMETER;
  const bool wants_key = creds->dwMask & RASCM_PreSharedKey;
  ipc::CredentialsReply reply;
  if (auto error = get_saved(phonebook, entry, reply)) return error;
  if (wants_key) {
    // Asked for the key: say whether one is saved; the key itself never leaves rasmand.
    creds->dwMask = reply.mask & RASCM_PreSharedKey;
    copy_field(creds->szUserName, "");
    copy_field(creds->szDomain, "");
    copy_field(creds->szPassword, creds->dwMask ? OPENRAS_SAVED_PASSWORD : "");
    return 0;
  }
  creds->dwMask = reply.mask & (RASCM_UserName | RASCM_Password | RASCM_Domain);
  copy_field(creds->szUserName, reply.user);
  copy_field(creds->szDomain, reply.domain);
  copy_field(creds->szPassword, reply.mask & RASCM_Password ? OPENRAS_SAVED_PASSWORD : "");
  return 0;
}

template <typename Params>
DWORD get_entry_dial_params(const TextArg& phonebook, Params* params, LPBOOL has_password) {
  if (!params || !has_password) return ERROR_INVALID_PARAMETER;
  if (!size_is_one_of(params->dwSize, kDialParamsSizes<Params>)) return ERROR_INVALID_SIZE;
  TextArg entry = text_arg(field_string(params->szEntryName).c_str());
  ipc::CredentialsReply reply;
  if (auto error = get_saved(phonebook, entry, reply)) return error;
  copy_field(params->szPhoneNumber, "");
  copy_field(params->szCallbackNumber, "");
  copy_field(params->szUserName, reply.user);
  copy_field(params->szDomain, reply.domain);
  copy_field(params->szPassword, reply.mask & RASCM_Password ? OPENRAS_SAVED_PASSWORD : "");
  *has_password = (reply.mask & RASCM_Password) ? TRUE : FALSE;
  return 0;
}

template <typename Params>
DWORD set_entry_dial_params(const TextArg& phonebook, Params* params, BOOL remove_password) {
  if (!params) return ERROR_INVALID_PARAMETER;
  if (!size_is_one_of(params->dwSize, kDialParamsSizes<Params>)) return ERROR_INVALID_SIZE;
  TextArg entry = text_arg(field_string(params->szEntryName).c_str());
  ipc::CredentialsRequest req;
  if (auto error = resolve(phonebook, entry, req.phonebook)) return error;
  req.entry = entry.value;
  req.user = field_string(params->szUserName);
  req.domain = field_string(params->szDomain);
  req.password = field_string(params->szPassword);
  req.mask = RASCM_UserName | RASCM_Domain;
  if (req.password != OPENRAS_SAVED_PASSWORD) req.mask |= RASCM_Password;
  std::string book = req.phonebook;
  DWORD error = call(ipc::MsgType::SetCredentials, req, nullptr);
  if (!error && remove_password) {
    ipc::CredentialsRequest forget;
    forget.phonebook = book;
    forget.entry = entry.value;
    forget.mask = RASCM_Password;
    forget.clear = 1;
    error = call(ipc::MsgType::SetCredentials, forget, nullptr);
  }
  return error;
}

DWORD set_eap_user_data(HANDLE token, const TextArg& phonebook, const TextArg& entry,
                        const BYTE* data, DWORD size) {
  // hToken names another user's logon session on Windows; here a caller is who it is.
  if (token) return ERROR_INVALID_HANDLE;
  if (size && !data) return ERROR_INVALID_PARAMETER;
  if (size > ipc::kMaxEapUserData) return ERROR_INVALID_PARAMETER;
  ipc::CredentialsRequest req;
  if (auto error = resolve(phonebook, entry, req.phonebook)) return error;
  req.entry = entry.value;
  req.eap_user_data.assign(reinterpret_cast<const char*>(data), size);
  req.mask = ipc::kCredentialsEapUserData;
  req.clear = size == 0 ? 1 : 0;
  return call(ipc::MsgType::SetCredentials, req, nullptr);
}

DWORD get_eap_user_data(HANDLE token, const TextArg& phonebook, const TextArg& entry, BYTE* data,
                        DWORD* size) {
  if (token) return ERROR_INVALID_HANDLE;
  if (!size) return ERROR_INVALID_PARAMETER;
  ipc::CredentialsReply reply;
  if (auto error = get_saved(phonebook, entry, reply)) return error;
  const auto needed = static_cast<DWORD>(reply.eap_user_data.size());
  if (!data || *size < needed) {
    *size = needed;
    return needed == 0 ? 0 : ERROR_BUFFER_TOO_SMALL;
  }
  std::memcpy(data, reply.eap_user_data.data(), needed);
  *size = needed;
  return 0;
}

// RasGetEapUserIdentity: the identity an EAP entry will present, from what is saved for it.
// OpenRAS's EAP method (EAP-MSCHAPv2) needs a user name and password, so with nothing saved
// the caller must ask the user: ERROR_INTERACTIVE_MODE, as Windows says with
// RASEAPF_NonInteractive.
template <typename Identity, typename Char>
DWORD get_eap_user_identity(const Char* phonebook_arg, const Char* entry_arg, DWORD flags,
                            Identity** out) {
  if (!out) return ERROR_INVALID_PARAMETER;
  *out = nullptr;
  TextArg phonebook = text_arg(phonebook_arg), entry = text_arg(entry_arg);
  if (!phonebook.ok || !entry.ok || !entry.present) return ERROR_INVALID_PARAMETER;
  phonebook::PbkFile file;
  if (auto error = read_entry(phonebook.c_str(), entry.value, file)) return error;
  auto restrictions = file.get(entry.value, "AuthRestrictions");
  const bool uses_eap = restrictions && (std::strtoul(restrictions->c_str(), nullptr, 10) & 0x80);
  if (!uses_eap) return ERROR_INVALID_FUNCTION_FOR_ENTRY;
  ipc::CredentialsReply reply;
  if (auto error = get_saved(phonebook, entry, reply)) return error;
  if (reply.user.empty() || !(reply.mask & RASCM_Password)) {
    (void)flags;  // interactive or not, there is no UI to show here
    return ERROR_INTERACTIVE_MODE;
  }
  std::string identity = reply.domain.empty() ? reply.user : reply.domain + "\\" + reply.user;
  auto* result = static_cast<Identity*>(std::calloc(1, sizeof(Identity)));
  if (!result) return ERROR_NOT_ENOUGH_MEMORY;
  copy_field(result->szUserName, identity);
  result->dwSizeofEapInfo = 0;
  *out = result;
  return 0;
}

}  // namespace

extern "C" {

DWORD APIENTRY RasSetCredentialsA(LPCSTR phonebook, LPCSTR entry, LPRASCREDENTIALSA creds,
                                  BOOL clear) {
  return set_credentials(text_arg(phonebook), text_arg(entry), creds, clear);
}
DWORD APIENTRY RasSetCredentialsW(LPCWSTR phonebook, LPCWSTR entry, LPRASCREDENTIALSW creds,
                                  BOOL clear) {
  return set_credentials(text_arg(phonebook), text_arg(entry), creds, clear);
}
DWORD APIENTRY RasGetCredentialsA(LPCSTR phonebook, LPCSTR entry, LPRASCREDENTIALSA creds) {
  return get_credentials(text_arg(phonebook), text_arg(entry), creds);
}
DWORD APIENTRY RasGetCredentialsW(LPCWSTR phonebook, LPCWSTR entry, LPRASCREDENTIALSW creds) {
  return get_credentials(text_arg(phonebook), text_arg(entry), creds);
}
DWORD APIENTRY RasGetEntryDialParamsA(LPCSTR phonebook, LPRASDIALPARAMSA params,
                                      LPBOOL has_password) {
  return get_entry_dial_params(text_arg(phonebook), params, has_password);
}
DWORD APIENTRY RasGetEntryDialParamsW(LPCWSTR phonebook, LPRASDIALPARAMSW params,
                                      LPBOOL has_password) {
  return get_entry_dial_params(text_arg(phonebook), params, has_password);
}
DWORD APIENTRY RasSetEntryDialParamsA(LPCSTR phonebook, LPRASDIALPARAMSA params,
                                      BOOL remove_password) {
  return set_entry_dial_params(text_arg(phonebook), params, remove_password);
}
DWORD APIENTRY RasSetEntryDialParamsW(LPCWSTR phonebook, LPRASDIALPARAMSW params,
                                      BOOL remove_password) {
  return set_entry_dial_params(text_arg(phonebook), params, remove_password);
}
DWORD APIENTRY RasSetEapUserDataA(HANDLE token, LPCSTR phonebook, LPCSTR entry, BYTE* data,
                                  DWORD size) {
  return set_eap_user_data(token, text_arg(phonebook), text_arg(entry), data, size);
}
DWORD APIENTRY RasSetEapUserDataW(HANDLE token, LPCWSTR phonebook, LPCWSTR entry, BYTE* data,
                                  DWORD size) {
  return set_eap_user_data(token, text_arg(phonebook), text_arg(entry), data, size);
}
DWORD APIENTRY RasGetEapUserDataA(HANDLE token, LPCSTR phonebook, LPCSTR entry, BYTE* data,
                                  DWORD* size) {
  return get_eap_user_data(token, text_arg(phonebook), text_arg(entry), data, size);
}
DWORD APIENTRY RasGetEapUserDataW(HANDLE token, LPCWSTR phonebook, LPCWSTR entry, BYTE* data,
                                  DWORD* size) {
  return get_eap_user_data(token, text_arg(phonebook), text_arg(entry), data, size);
}
DWORD APIENTRY RasGetEapUserIdentityA(LPCSTR phonebook, LPCSTR entry, DWORD flags, HWND,
                                      LPRASEAPUSERIDENTITYA* out) {
  return get_eap_user_identity(phonebook, entry, flags, out);
}
DWORD APIENTRY RasGetEapUserIdentityW(LPCWSTR phonebook, LPCWSTR entry, DWORD flags, HWND,
                                      LPRASEAPUSERIDENTITYW* out) {
  return get_eap_user_identity(phonebook, entry, flags, out);
}
VOID APIENTRY RasFreeEapUserIdentityA(LPRASEAPUSERIDENTITYA identity) {
  std::free(identity);
}
VOID APIENTRY RasFreeEapUserIdentityW(LPRASEAPUSERIDENTITYW identity) {
  std::free(identity);
}

}  // extern "C"
