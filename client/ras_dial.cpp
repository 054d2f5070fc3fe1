// RasDial (asynchronous with any of the four notifier types, or synchronous) and the pump.
#include "client/channel.hpp"
#include "client/notify.hpp"
#include "client/phonebook_access.hpp"
#include "client/struct_sizes.hpp"
#include "client/util.hpp"
#include "ipc/messages.hpp"
#include "ras.h"

using namespace openras;
using namespace openras::client;

namespace {

bool valid_notifier_type(DWORD type) {
  return type == 0 || type == 1 || type == 2 || type == RASNOTIFIER_HWND;
}

template <typename P>
Notifier make_notifier(const P& params, DWORD type, LPVOID target) {
  Notifier n;
  if (!target) return n;  // synchronous
  n.kind = static_cast<NotifierKind>(type);
  n.target = target;
  if (params.dwSize >= kDialParamsWithCallbackId<P>) {
    n.callback_id = params.dwCallbackId;
    n.subentry = params.dwSubEntry;
  }
  return n;
}

template <typename P>
DWORD resume_dial(Channel& channel, HRASCONN h, const P& params, DWORD type,
                  LPVOID notifier) {
  ipc::ResumeRequest req;
  req.handle = to_handle(h);
  req.user = field_string(params.szUserName);
  req.password = field_string(params.szPassword);
  req.domain = field_string(params.szDomain);
  req.callback_number = field_string(params.szCallbackNumber);
  // The same notifier as the first call, per the Win32 contract; re-register it so the next
  // states reach it.
  register_notifier(req.handle, make_notifier(params, type, notifier));
  DWORD error = channel.call(ipc::MsgType::Resume, ipc::encode_body(req));
  if (error) return error;
  return notifier ? 0 : wait_for_final(req.handle);
}

// RasDialA and RasDialW: P is RASDIALPARAMSA or RASDIALPARAMSW.
template <typename P, typename Char>
DWORD dial(LPRASDIALEXTENSIONS ext, const Char* phonebook_arg, P* params, DWORD notifier_type,
           LPVOID notifier, LPHRASCONN out_handle) {
  if (!params || !out_handle) return ERROR_INVALID_PARAMETER;
  if (!size_is_one_of(params->dwSize, kDialParamsSizes<P>)) return ERROR_INVALID_SIZE;
  TextArg phonebook_text = text_arg(phonebook_arg);
  if (!phonebook_text.ok) return ERROR_INVALID_PARAMETER;
  const char* phonebook = phonebook_text.c_str();
  if (ext && !size_is_one_of(ext->dwSize, kDialExtensionsSizes)) return ERROR_INVALID_SIZE;
  if (notifier && !valid_notifier_type(notifier_type)) return ERROR_INVALID_PARAMETER;

  DWORD options = ext ? ext->dwfOptions : 0;
  // Paused states need someone to hear them; a synchronous dial reports them as errors.
  if (!notifier) options &= ~static_cast<DWORD>(RDEOPT_PausedStates);

  std::uint32_t error = 0;
  Channel* channel = Channel::for_this_thread(error);
  if (!channel) return error;
  if (*out_handle) return resume_dial(*channel, *out_handle, *params, notifier_type, notifier);

  ipc::DialRequest req;
  req.entry_name = field_string(params->szEntryName);
  req.phone_number = field_string(params->szPhoneNumber);
  req.callback_number = field_string(params->szCallbackNumber);
  req.user = field_string(params->szUserName);
  req.password = field_string(params->szPassword);
  req.domain = field_string(params->szDomain);
  req.subentry = params->dwSize >= kDialParamsWithCallbackId<P> ? params->dwSubEntry : 0;
  req.options = options;
  if (!req.entry_name.empty()) {
    FoundEntry found;
    if (auto err = find_entry(phonebook, req.entry_name, found)) return err;
    req.phonebook = found.phonebook_path;
    req.entry_text = std::move(found.text);
  } else if (req.phone_number.empty()) {
    return ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  }

  std::vector<std::byte> payload;
  error = channel->call(ipc::MsgType::Dial, ipc::encode_body(req), &payload);
  std::fill(req.password.begin(), req.password.end(), '\0');
  if (error) return error;
  ipc::DialReply reply;
  ipc::Reader r(payload);
  if (!reply.decode(r)) return ERROR_UNKNOWN;
  *out_handle = to_hrasconn(reply.handle);
  register_notifier(reply.handle, make_notifier(*params, notifier_type, notifier));
  if (notifier) return 0;
  error = wait_for_final(reply.handle);
  forget_notifier(reply.handle);
  return error;
}

}  // namespace

extern "C" {

DWORD APIENTRY RasDialA(LPRASDIALEXTENSIONS ext, LPCSTR phonebook, LPRASDIALPARAMSA params,
                        DWORD notifier_type, LPVOID notifier, LPHRASCONN out_handle) {
  return dial(ext, phonebook, params, notifier_type, notifier, out_handle);
}

DWORD APIENTRY RasDialW(LPRASDIALEXTENSIONS ext, LPCWSTR phonebook, LPRASDIALPARAMSW params,
                        DWORD notifier_type, LPVOID notifier, LPHRASCONN out_handle) {
  return dial(ext, phonebook, params, notifier_type, notifier, out_handle);
}

DWORD APIENTRY RasDispatchNotifications(DWORD timeout_ms) {
  Channel* channel = Channel::current();
  if (!channel) return 0;
  pump_once(timeout_ms == 0xFFFFFFFFu ? -1 : static_cast<int>(timeout_ms));
  return 0;
}

int APIENTRY RasGetNotificationFd(void) {
  std::uint32_t error = 0;
  Channel* channel = Channel::for_this_thread(error);
  return channel ? channel->fd() : -1;
}

}  // extern "C"
