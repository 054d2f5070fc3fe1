// One request to rasmand on this thread's channel. Like every blocking RAS call it also
// delivers the thread's pending notifications.
#pragma once

#include <span>
#include <vector>

#include "client/channel.hpp"
#include "client/notify.hpp"
#include "ipc/messages.hpp"
#include "ras.h"

namespace openras::client {

// The reply's Win32 error; on success the reply body is decoded into `reply` when given.
template <typename Reply>
DWORD request(ipc::MsgType type, std::span<const std::byte> body, Reply* reply, int pass_fd = -1) {
  std::uint32_t error = 0;
  Channel* channel = Channel::for_this_thread(error);
  if (!channel) return error;
  std::vector<std::byte> payload;
  error = channel->call(type, body, &payload, pass_fd);
  dispatch_pending();
  if (error || !reply) return error;
  ipc::Reader r(payload);
  return reply->decode(r) ? 0 : ERROR_UNKNOWN;
}

// A request whose reply carries nothing but the error.
inline DWORD request(ipc::MsgType type, std::span<const std::byte> body, int pass_fd = -1) {
  return request<ipc::DialReply>(type, body, nullptr, pass_fd);
}

}  // namespace openras::client
