// RasHangUp, RasGetConnectStatus, RasEnumConnections, projection, statistics, connection
// notifications and RasGetErrorString.
#include <arpa/inet.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "client/channel.hpp"
#include "client/notify.hpp"
#include "client/request.hpp"
#include "client/struct_sizes.hpp"
#include "client/util.hpp"
#include "client/win32_objects.hpp"
#include "common/ras_errors.hpp"
#include "ipc/messages.hpp"
#include "openras/openras.hpp"
#include "ras.h"

using namespace openras;
using namespace openras::client;

namespace {

// A request naming one connection.
template <typename Body>
DWORD handle_call(ipc::MsgType type, HRASCONN h, Body* body) {
  return request(type, ipc::encode_body(ipc::HandleRequest{to_handle(h)}), body);
}

DWORD fetch_projection(HRASCONN h, RASPROJECTION protocol, ipc::ProjectionReply& reply) {
  ipc::ProjectionRequest req{to_handle(h), static_cast<std::uint32_t>(protocol)};
  return request(ipc::MsgType::GetProjection, ipc::encode_body(req), &reply);
}

DWORD subscribe(HRASCONN h, DWORD flags, int fd) {
  if (!h) return ERROR_INVALID_HANDLE;
  if (flags == 0 || (flags & ~static_cast<DWORD>(0x7F))) return ERROR_INVALID_PARAMETER;
  ipc::SubscribeRequest req;
  req.handle = h == reinterpret_cast<HRASCONN>(INVALID_HANDLE_VALUE) ? 0 : to_handle(h);
  req.flags = flags;
  return request(ipc::MsgType::Subscribe, ipc::encode_body(req), fd);
}

template <typename PppIp>
void fill_ip(PppIp& out, const ipc::ProjectionReply& p) {
  out.dwError = p.projection_error;
  copy_field(out.szIpAddress, p.ip_address);
  if (OPENRAS_HAS_FIELD(PppIp, out.dwSize, szServerIpAddress)) {
    copy_field(out.szServerIpAddress, p.server_ip_address);
  }
  if (OPENRAS_HAS_FIELD(PppIp, out.dwSize, dwServerOptions)) {
    out.dwOptions = 0;
    out.dwServerOptions = 0;
  }
}

DWORD hang_up(HRASCONN h) {
  if (!h) return ERROR_INVALID_HANDLE;
  // Notifications stop at RasHangUp, even those already queued on this thread.
  if (auto n = find_notifier(to_handle(h)); n && n->kind != NotifierKind::Sync) {
    forget_notifier(to_handle(h));
  }
  return handle_call<ipc::DialReply>(ipc::MsgType::HangUp, h, nullptr);
}

template <typename Status>
DWORD get_connect_status(HRASCONN h, Status* status) {
  if (!status) return ERROR_INVALID_PARAMETER;
  if (!size_is_one_of(status->dwSize, kConnStatusSizes<Status>)) return ERROR_INVALID_SIZE;
  if (!h) return ERROR_INVALID_HANDLE;
  ipc::StatusReply reply;
  if (auto error = handle_call(ipc::MsgType::GetStatus, h, &reply)) return error;
  status->rasconnstate = static_cast<RASCONNSTATE>(reply.state);
  status->dwError = reply.error;
  copy_field(status->szDeviceType, reply.device_type);
  copy_field(status->szDeviceName, reply.device_name);
  if (OPENRAS_HAS_FIELD(Status, status->dwSize, szPhoneNumber)) {
    copy_field(status->szPhoneNumber, reply.phone_number);
  }
  if (OPENRAS_HAS_FIELD(Status, status->dwSize, rasconnsubstate)) {
    status->localEndPoint = {};
    status->remoteEndPoint = {};
    status->rasconnsubstate = RASCSS_None;
  }
  return 0;
}

template <typename Conn>
DWORD enum_connections(Conn* conns, LPDWORD cb, LPDWORD count) {
  if (!cb || !count) return ERROR_INVALID_PARAMETER;
  DWORD element = sizeof(Conn);
  if (conns) {
    if (!size_is_one_of(conns->dwSize, kConnSizes<Conn>)) return ERROR_INVALID_SIZE;
    element = conns->dwSize;
  }
  ipc::EnumReply reply;
  if (DWORD error = request(ipc::MsgType::EnumConnections, {}, &reply)) return error;
  DWORD needed = static_cast<DWORD>(reply.connections.size()) * element;
  *count = static_cast<DWORD>(reply.connections.size());
  if (!conns || *cb < needed) {
    *cb = needed;
    if (needed == 0) return 0;
    return ERROR_BUFFER_TOO_SMALL;
  }
  auto* base = reinterpret_cast<BYTE*>(conns);
  for (std::size_t i = 0; i < reply.connections.size(); ++i) {
    const auto& info = reply.connections[i];
    auto* c = reinterpret_cast<Conn*>(base + i * element);
    std::memset(c, 0, element);
    c->dwSize = element;
    c->hrasconn = to_hrasconn(info.handle);
    copy_field(c->szEntryName, info.entry_name);
    if (OPENRAS_HAS_FIELD(Conn, element, szDeviceName)) {
      copy_field(c->szDeviceType, info.device_type);
      copy_field(c->szDeviceName, info.device_name);
    }
    if (OPENRAS_HAS_FIELD(Conn, element, dwSubEntry)) {
      copy_field(c->szPhonebook, info.phonebook);
      c->dwSubEntry = info.subentry;
    }
    if (OPENRAS_HAS_FIELD(Conn, element, luid)) {
      c->dwFlags = RASCF_OwnerKnown | (info.owner_uid == geteuid() ? RASCF_OwnerMatch : 0);
    }
  }
  *cb = needed;
  return 0;
}

// The buffer's size is in characters of its own width.
template <typename Char>
DWORD get_error_string(UINT code, Char* buffer, DWORD chars) {
  if (!buffer) return ERROR_INVALID_PARAMETER;
  auto info = find_error(code);
  if (!info) return ERROR_INVALID_PARAMETER;
  if (chars < text_length<Char>(info->text) + 1) return ERROR_INSUFFICIENT_BUFFER;
  copy_text(buffer, chars, info->text);
  return 0;
}

template <typename PppIp, typename PppLcp>
DWORD get_projection_info(HRASCONN h, RASPROJECTION protocol, LPVOID out, LPDWORD cb) {
  if (!out || !cb) return ERROR_INVALID_PARAMETER;
  DWORD size = *static_cast<DWORD*>(out);
  switch (protocol) {
    case RASP_PppIp:
      if (!size_is_one_of(size, kPppIpSizes<PppIp>)) return ERROR_INVALID_SIZE;
      break;
    case RASP_PppLcp:
      if (!size_is_one_of(size, kPppLcpSizes<PppLcp>)) return ERROR_INVALID_SIZE;
      break;
    case RASP_PppIpv6:
      if (size != sizeof(RASPPPIPV6)) return ERROR_INVALID_SIZE;
      break;
    case RASP_Amb:
    case RASP_PppNbf:
    case RASP_PppIpx:
    case RASP_PppCcp:
    case RASP_Slip:
      return ERROR_PROTOCOL_NOT_CONFIGURED;
    default:
      return ERROR_INVALID_PARAMETER;
  }
  if (*cb < size) {
    *cb = size;
    return ERROR_BUFFER_TOO_SMALL;
  }
  if (!h) return ERROR_INVALID_HANDLE;
  ipc::ProjectionReply p;
  if (DWORD error = fetch_projection(h, protocol, p)) return error;
  if (protocol == RASP_PppIp) {
    fill_ip(*static_cast<PppIp*>(out), p);
  } else if (protocol == RASP_PppLcp) {
    auto* lcp = static_cast<PppLcp*>(out);
    std::memset(reinterpret_cast<BYTE*>(lcp) + sizeof(DWORD), 0, size - sizeof(DWORD));
    if (size == sizeof(PppLcp)) {
      lcp->dwAuthenticationProtocol = p.auth_protocol;
      lcp->dwAuthenticationData = p.auth_data;
      lcp->dwOptions = p.lcp_options;
      lcp->dwServerOptions = p.lcp_server_options;
      copy_field(lcp->szReplyMessage, p.reply_message);
    }
  } else {
    auto* v6 = static_cast<RASPPPIPV6*>(out);
    v6->dwError = p.projection_error;
    for (int i = 0; i < 8; ++i) {
      v6->bLocalInterfaceIdentifier[i] = static_cast<BYTE>(p.local_interface_id >> (56 - 8 * i));
      v6->bPeerInterfaceIdentifier[i] = static_cast<BYTE>(p.peer_interface_id >> (56 - 8 * i));
    }
  }
  *cb = size;
  return 0;
}

}  // namespace

extern "C" {

DWORD APIENTRY RasHangUpA(HRASCONN h) {
  return hang_up(h);
}
DWORD APIENTRY RasHangUpW(HRASCONN h) {
  return hang_up(h);
}
DWORD APIENTRY RasGetConnectStatusA(HRASCONN h, LPRASCONNSTATUSA status) {
  return get_connect_status(h, status);
}
DWORD APIENTRY RasGetConnectStatusW(HRASCONN h, LPRASCONNSTATUSW status) {
  return get_connect_status(h, status);
}
DWORD APIENTRY RasEnumConnectionsA(LPRASCONNA conns, LPDWORD cb, LPDWORD count) {
  return enum_connections(conns, cb, count);
}
DWORD APIENTRY RasEnumConnectionsW(LPRASCONNW conns, LPDWORD cb, LPDWORD count) {
  return enum_connections(conns, cb, count);
}
DWORD APIENTRY RasGetErrorStringA(UINT code, LPSTR buffer, DWORD chars) {
  return get_error_string(code, buffer, chars);
}
DWORD APIENTRY RasGetErrorStringW(UINT code, LPWSTR buffer, DWORD chars) {
  return get_error_string(code, buffer, chars);
}
DWORD APIENTRY RasGetProjectionInfoA(HRASCONN h, RASPROJECTION protocol, LPVOID out, LPDWORD cb) {
  return get_projection_info<RASPPPIPA, RASPPPLCPA>(h, protocol, out, cb);
}
DWORD APIENTRY RasGetProjectionInfoW(HRASCONN h, RASPROJECTION protocol, LPVOID out, LPDWORD cb) {
  return get_projection_info<RASPPPIPW, RASPPPLCPW>(h, protocol, out, cb);
}

DWORD APIENTRY RasGetProjectionInfoEx(HRASCONN h, PRAS_PROJECTION_INFO info, LPDWORD size) {
  if (!size) return ERROR_INVALID_PARAMETER;
  if (!info || *size < sizeof(RAS_PROJECTION_INFO)) {
    *size = sizeof(RAS_PROJECTION_INFO);
    return ERROR_BUFFER_TOO_SMALL;
  }
  // Read the caller's version as the DWORD it is: any value may arrive, not just the enum's.
  DWORD raw_version = 0;
  std::memcpy(&raw_version, &info->version, sizeof(raw_version));
  if (raw_version < RASAPIVERSION_500 || raw_version > RASAPIVERSION_601) {
    return ERROR_INVALID_PARAMETER;
  }
  if (!h) return ERROR_INVALID_HANDLE;
  ipc::ProjectionReply p;  // the LCP projection carries every field this structure needs
  if (DWORD error = fetch_projection(h, RASP_PppLcp, p)) return error;
  std::memset(info, 0, sizeof(*info));
  info->version = static_cast<RASAPIVERSION>(raw_version);
  auto put_ipv4 = [](RASIPV4ADDR& out, const std::string& text) {
    in_addr a{};
    if (inet_pton(AF_INET, text.c_str(), &a) == 1) std::memcpy(&out, &a, 4);
    return a.s_addr != 0;
  };
  if (p.link_type == PROJECTION_INFO_TYPE_IKEv2) {
    info->type = PROJECTION_INFO_TYPE_IKEv2;
    RASIKEV2_PROJECTION_INFO& ike = info->ikev2;
    if (!put_ipv4(ike.ipv4Address, p.ip_address)) {
      ike.dwIPv4NegotiationError = ERROR_PROTOCOL_NOT_CONFIGURED;
    }
    put_ipv4(ike.ipv4ServerAddress, p.server_ip_address);
    ike.dwIPv6NegotiationError = ERROR_PROTOCOL_NOT_CONFIGURED;  // IPv4 only so far
    ike.dwAuthenticationProtocol = p.ikev2_auth;
    ike.dwEapTypeId = p.eap_type;
    ike.dwFlags = p.ikev2_flags;
    ike.dwEncryptionMethod = p.encryption_method;
    *size = sizeof(RAS_PROJECTION_INFO);
    return 0;
  }
  info->type = PROJECTION_INFO_TYPE_PPP;
  RASPPP_PROJECTION_INFO& ppp = info->ppp;
  if (!put_ipv4(ppp.ipv4Address, p.ip_address))
    ppp.dwIPv4NegotiationError = ERROR_PROTOCOL_NOT_CONFIGURED;
  put_ipv4(ppp.ipv4ServerAddress, p.server_ip_address);
  if (p.local_interface_id == 0) {
    ppp.dwIPv6NegotiationError = ERROR_PROTOCOL_NOT_CONFIGURED;
  } else {
    for (int i = 0; i < 8; ++i) {
      ppp.bInterfaceIdentifier[i] = static_cast<BYTE>(p.local_interface_id >> (56 - 8 * i));
      ppp.bServerInterfaceIdentifier[i] = static_cast<BYTE>(p.peer_interface_id >> (56 - 8 * i));
    }
  }
  ppp.dwAuthenticationProtocol = p.auth_protocol;
  ppp.dwAuthenticationData = p.auth_data;
  ppp.dwLcpOptions = p.lcp_options;
  ppp.dwLcpServerOptions = p.lcp_server_options;
  ppp.dwCcpError = ERROR_PROTOCOL_NOT_CONFIGURED;  // no compression is negotiated
  *size = sizeof(RAS_PROJECTION_INFO);
  return 0;
}

DWORD APIENTRY RasGetConnectionStatistics(HRASCONN h, RAS_STATS* stats) {
  if (!stats) return ERROR_INVALID_PARAMETER;
  if (stats->dwSize != sizeof(RAS_STATS)) return ERROR_INVALID_SIZE;
  if (!h) return ERROR_INVALID_HANDLE;
  ipc::StatisticsReply s;
  if (auto error = handle_call(ipc::MsgType::GetStatistics, h, &s)) return error;
  stats->dwBytesXmited = static_cast<DWORD>(s.bytes_sent);
  stats->dwBytesRcved = static_cast<DWORD>(s.bytes_received);
  stats->dwFramesXmited = static_cast<DWORD>(s.frames_sent);
  stats->dwFramesRcved = static_cast<DWORD>(s.frames_received);
  stats->dwCrcErr = s.crc_errors;
  stats->dwTimeoutErr = s.timeout_errors;
  stats->dwAlignmentErr = s.alignment_errors;
  stats->dwHardwareOverrunErr = s.hardware_overruns;
  stats->dwFramingErr = s.framing_errors;
  stats->dwBufferOverrunErr = s.buffer_overruns;
  stats->dwCompressionRatioIn = 0;
  stats->dwCompressionRatioOut = 0;
  stats->dwBps = s.bps;
  stats->dwConnectDuration = s.duration_ms;
  return 0;
}

DWORD APIENTRY RasClearConnectionStatistics(HRASCONN h) {
  if (!h) return ERROR_INVALID_HANDLE;
  return handle_call<ipc::DialReply>(ipc::MsgType::ClearStatistics, h, nullptr);
}

DWORD APIENTRY RasConnectionNotificationA(HRASCONN h, HANDLE event, DWORD flags) {
  auto* e = as_event(event);
  if (!e) return ERROR_INVALID_HANDLE;
  return subscribe(h, flags, e->fd);
}
DWORD APIENTRY RasConnectionNotificationW(HRASCONN h, HANDLE event, DWORD flags) {
  return RasConnectionNotificationA(h, event, flags);
}

// OpenRAS connections have one link (no multilink): subentry 1 is the connection itself.
DWORD APIENTRY RasGetSubEntryHandleA(HRASCONN h, DWORD subentry, LPHRASCONN out) {
  if (!out) return ERROR_INVALID_PARAMETER;
  if (!h) return ERROR_INVALID_HANDLE;
  RASCONNSTATUSA status{};
  status.dwSize = sizeof(status);
  if (DWORD error = RasGetConnectStatusA(h, &status)) return error;
  if (subentry != 1) return ERROR_NO_MORE_ITEMS;
  *out = h;
  return 0;
}
DWORD APIENTRY RasGetSubEntryHandleW(HRASCONN h, DWORD subentry, LPHRASCONN out) {
  return RasGetSubEntryHandleA(h, subentry, out);
}
DWORD APIENTRY RasGetLinkStatistics(HRASCONN h, DWORD subentry, RAS_STATS* stats) {
  if (!stats) return ERROR_INVALID_PARAMETER;
  if (subentry != 1) return ERROR_INVALID_PARAMETER;
  return RasGetConnectionStatistics(h, stats);
}
DWORD APIENTRY RasClearLinkStatistics(HRASCONN h, DWORD subentry) {
  if (subentry != 1) return ERROR_INVALID_PARAMETER;
  return RasClearConnectionStatistics(h);
}
// MOBIKE moves exist only for IKEv2 connections, which are not built yet: every connection
// here is PPP-based, and Windows answers a PPP connection's update request this way.
DWORD APIENTRY RasUpdateConnection(HRASCONN h, LPRASUPDATECONN update) {
  if (!update) return ERROR_INVALID_PARAMETER;
  if (update->dwSize != sizeof(RASUPDATECONN)) return ERROR_INVALID_SIZE;
  if (!h) return ERROR_INVALID_HANDLE;
  RASCONNSTATUSA status{};
  status.dwSize = sizeof(status);
  if (DWORD error = RasGetConnectStatusA(h, &status)) return error;
  return ERROR_CANNOT_INITIATE_MOBIKE_UPDATE;
}
// An EAP method with a user interface: OpenRAS's EAP (EAP-MSCHAPv2) never asks for one.
DWORD APIENTRY RasInvokeEapUI(HRASCONN h, DWORD, LPRASDIALEXTENSIONS, HWND) {
  if (!h) return ERROR_INVALID_HANDLE;
  return ERROR_INVALID_FUNCTION_FOR_ENTRY;
}
// The P-CSCF of an IMS (cellular) connection: there are no IMS connections here.
DWORD APIENTRY RasGetPCscf(LPWSTR out) {
  if (!out) return ERROR_INVALID_PARAMETER;
  return ERROR_NO_CONNECTION;
}

DWORD APIENTRY RasConnectionNotificationFd(HRASCONN h, DWORD flags, int* out_fd) {
  if (!out_fd) return ERROR_INVALID_PARAMETER;
  int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0) return ERROR_NOT_ENOUGH_MEMORY;
  if (auto error = subscribe(h, flags, fd)) {
    ::close(fd);
    return error;
  }
  *out_fd = fd;
  return 0;
}

}  // extern "C"

// The C++ API's window on a dial between attempts (include/openras/openras.hpp).
std::optional<openras::RedialStatus> openras::redial_status(HRASCONN h) {
  if (!h) return std::nullopt;
  ipc::StatusReply reply;
  if (handle_call(ipc::MsgType::GetStatus, h, &reply) || reply.redial_next_attempt == 0) {
    return std::nullopt;
  }
  return RedialStatus{reply.redial_error, reply.redial_next_attempt, reply.redial_attempts,
                      std::chrono::milliseconds(reply.redial_in_ms)};
}
