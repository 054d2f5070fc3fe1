// Talking to rasmand below librasapi, as a hostile or broken client would: raw frames, with or
// without a descriptor, and the error code of the reply.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "ipc/messages.hpp"

namespace openras::testing {

inline int raw_connect(const std::string& socket_path) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path.c_str(), sizeof(addr.sun_path) - 1);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

inline void send_bytes(int fd, const std::vector<std::byte>& bytes) {
  [[maybe_unused]] auto n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
}

// A frame with one descriptor riding along, as a client sends Subscribe.
inline bool send_with_fd(int sock, const std::vector<std::byte>& frame, int fd) {
  iovec iov{const_cast<std::byte*>(frame.data()), frame.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
  return sendmsg(sock, &msg, MSG_NOSIGNAL) == static_cast<ssize_t>(frame.size());
}

// Reads one reply frame's error code; -1 when the daemon closed the socket instead.
inline long read_reply_error(int fd) {
  std::byte header[ipc::kHeaderSize];
  if (recv(fd, header, sizeof(header), MSG_WAITALL) != static_cast<ssize_t>(sizeof(header))) {
    return -1;
  }
  auto h = ipc::decode_header(header);
  std::vector<std::byte> body(h.body_size);
  if (recv(fd, body.data(), body.size(), MSG_WAITALL) != static_cast<ssize_t>(body.size())) {
    return -1;
  }
  ipc::Reader r(body);
  std::uint32_t error = 0;
  return r.u32(error) ? static_cast<long>(error) : -1;
}

}  // namespace openras::testing
