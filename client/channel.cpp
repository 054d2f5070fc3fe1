#include "client/channel.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "client/daemon_socket.hpp"
#include "client/daemon_spawn.hpp"
#include "client/notify.hpp"
#include "common/paths.hpp"
#include "raserror.h"

namespace openras::client {
namespace {

thread_local std::unique_ptr<Channel> t_channel;

// A daemon that does not answer a request in this time is treated as gone (frozen, or out of
// descriptors): the call fails instead of hanging its caller. Every request is answered at
// once when the daemon is well, a dial included (it reports its progress later).
int reply_timeout_ms() {
  static const int value = [] {
    const char* env = std::getenv("OPENRAS_REPLY_TIMEOUT_MS");
    int ms = env ? std::atoi(env) : 0;
    return ms > 0 ? ms : 30'000;
  }();
  return value;
}

// Waits for `events` on fd until `deadline`; false on timeout.
bool wait_for(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return true;  // let the read or write report the error
  }
}

}  // namespace

Channel* Channel::current() {
  return t_channel.get();
}

Channel* Channel::existing() {
  return t_channel && !t_channel->broken() ? t_channel.get() : nullptr;
}

Channel* Channel::for_this_thread(std::uint32_t& error) {
  if (t_channel && !t_channel->broken()) return t_channel.get();
  std::string path = default_socket_path();
  DaemonSocket socket = connect_daemon_socket(path);
  if (socket.fd < 0 && socket.absent && spawn_daemon(path)) {
    for (int i = 0; i < 500 && socket.fd < 0 && socket.error != ERROR_ACCESS_DENIED; ++i) {
      ::usleep(10 * 1000);
      socket = connect_daemon_socket(path);
    }
  }
  if (socket.fd < 0) {
    error = socket.error ? socket.error : ERROR_RASMAN_CANNOT_INITIALIZE;
    return nullptr;
  }
  int fd = socket.fd;
  // A broken channel's queued events are still delivered by the new one's owner thread.
  auto fresh = std::make_unique<Channel>(fd);
  if (t_channel) {
    note_channel_lost(t_channel->queue_);
    fresh->queue_ = std::move(t_channel->queue_);
  }
  t_channel = std::move(fresh);
  return t_channel.get();
}

void reset_this_thread_channel() {
  t_channel.reset();
}

Channel::Channel(int fd) : fd_(fd) {}

Channel::~Channel() {
  if (fd_ >= 0) ::close(fd_);
}

bool Channel::send_all(std::span<const std::byte> frame, int pass_fd) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(reply_timeout_ms());
  std::size_t sent = 0;
  while (sent < frame.size()) {
    iovec iov{const_cast<std::byte*>(frame.data() + sent), frame.size() - sent};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    if (pass_fd >= 0 && sent == 0) {
      msg.msg_control = control;
      msg.msg_controllen = sizeof(control);
      cmsghdr* c = CMSG_FIRSTHDR(&msg);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
    }
    ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_for(fd_, POLLOUT, deadline)) continue;
      broken_ = true;
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::uint32_t Channel::call(ipc::MsgType type, std::span<const std::byte> body,
                            std::vector<std::byte>* reply_payload, int pass_fd) {
  if (broken_) return ERROR_RASMAN_SERVICE_STOPPED;
  if (body.size() > ipc::kMaxBodySize) return ERROR_INVALID_PARAMETER;
  std::uint32_t id = next_request_++;
  if (next_request_ == 0) next_request_ = 1;
  if (!send_all(ipc::make_frame(type, id, body), pass_fd)) return ERROR_RASMAN_SERVICE_STOPPED;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(reply_timeout_ms());
  for (;;) {
    for (auto it = replies_.begin(); it != replies_.end(); ++it) {
      if (it->first != id) continue;
      ipc::Reader r(it->second);
      std::uint32_t error = 0;
      if (!r.u32(error)) error = ERROR_UNKNOWN;
      if (reply_payload) {
        reply_payload->assign(it->second.begin() + 4, it->second.end());
      }
      replies_.erase(it);
      return error;
    }
    if (!wait_for(fd_, POLLIN, deadline)) {
      broken_ = true;  // a late reply would answer the wrong request
      return ERROR_RASMAN_CANNOT_INITIALIZE;
    }
    if (!read_some(false)) return ERROR_RASMAN_SERVICE_STOPPED;
  }
}

bool Channel::wait_and_read(int timeout_ms) {
  if (broken_) return false;
  pollfd p{fd_, POLLIN, 0};
  int n;
  do {
    n = ::poll(&p, 1, timeout_ms);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return false;
  return read_some(false);
}

void Channel::read_available() {
  if (!broken_) read_some(false);
}

bool Channel::read_some(bool block) {
  std::byte buf[8192];
  bool got = false;
  for (;;) {
    ssize_t n = ::recv(fd_, buf, sizeof(buf), (block && !got) ? 0 : MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      broken_ = true;
      break;
    }
    if (n == 0) {
      broken_ = true;
      break;
    }
    got = true;
    in_.insert(in_.end(), buf, buf + n);
    // A short read drained the socket; asking again would only return EAGAIN.
    if (static_cast<std::size_t>(n) < sizeof(buf)) break;
  }
  parse_frames();
  return got || !broken_;
}

void Channel::parse_frames() {
  std::size_t pos = 0;
  while (in_.size() - pos >= ipc::kHeaderSize) {
    auto header = ipc::decode_header(in_.data() + pos);
    if (ipc::check_header(header) != ipc::HeaderCheck::Ok) {
      broken_ = true;
      break;
    }
    if (in_.size() - pos - ipc::kHeaderSize < header.body_size) break;
    std::span<const std::byte> body(in_.data() + pos + ipc::kHeaderSize, header.body_size);
    ipc::Reader r(body);
    if (header.type == ipc::MsgType::Reply) {
      replies_.emplace_back(header.request_id, std::vector<std::byte>(body.begin(), body.end()));
    } else if (header.type == ipc::MsgType::StateEvent) {
      Incoming in;
      if (in.event.decode(r)) queue_.push_back(in);
    } else if (header.type == ipc::MsgType::DialDetached) {
      Incoming in;
      in.type = ipc::MsgType::DialDetached;
      ipc::HandleRequest h;
      if (h.decode(r)) {
        in.event.handle = h.handle;
        queue_.push_back(in);
      }
    }
    pos += ipc::kHeaderSize + header.body_size;
  }
  in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(pos));
}

}  // namespace openras::client
