#include "manager/client_session.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace openras::manager {
namespace {

// A client that stops reading while notifications pile up is dropped past this much.
constexpr std::size_t kMaxQueuedOutput = 4 * 1024 * 1024;
// Descriptors ride only on Subscribe; a client sending more than this is misbehaving.
constexpr std::size_t kMaxPendingFds = 16;

}  // namespace

ClientSession::ClientSession(asio::local::stream_protocol::socket socket, RequestHandler& handler,
                             std::uint64_t id)
    : socket_(std::move(socket)), handler_(handler), id_(id) {
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (getsockopt(socket_.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
    peer_ = {static_cast<std::uint32_t>(cred.pid), cred.uid, cred.gid, {}};
  }
  gid_t groups[256];
  socklen_t groups_len = sizeof(groups);
  if (getsockopt(socket_.native_handle(), SOL_SOCKET, SO_PEERGROUPS, groups, &groups_len) == 0) {
    peer_.groups.assign(groups, groups + groups_len / sizeof(gid_t));
  }
  socket_.non_blocking(true);
}

bool PeerCredentials::in_group(std::uint32_t group) const {
  return gid == group || std::find(groups.begin(), groups.end(), group) != groups.end();
}

ClientSession::~ClientSession() {
  for (int fd : pending_fds_) ::close(fd);
}

void ClientSession::start() {
  wait_readable();
}

void ClientSession::wait_readable() {
  if (closed_) return;
  socket_.async_wait(asio::socket_base::wait_read,
                     [self = shared_from_this()](const std::error_code& ec) {
                       if (ec) {
                         self->close();
                         return;
                       }
                       self->on_readable();
                     });
}

void ClientSession::on_readable() {
  std::byte buf[16384];
  for (;;) {
    iovec iov{buf, sizeof(buf)};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 8)];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t n = ::recvmsg(socket_.native_handle(), &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == EINTR) continue;
      close();
      return;
    }
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
        std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < count; ++i) {
          int fd;
          std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
          pending_fds_.push_back(fd);
        }
      }
    }
    if (n == 0) {
      close();
      return;
    }
    in_.insert(in_.end(), buf, buf + n);
    if (pending_fds_.size() > kMaxPendingFds) {
      ++malformed_;
      close();
      return;
    }
    process_buffer();
    if (closed_) return;
  }
  wait_readable();
}

void ClientSession::process_buffer() {
  std::size_t pos = 0;
  while (!closed_ && in_.size() - pos >= ipc::kHeaderSize) {
    ipc::FrameHeader header = ipc::decode_header(in_.data() + pos);
    if (ipc::check_header(header) != ipc::HeaderCheck::Ok) {
      // A frame we cannot delimit or do not speak: nothing after it can be trusted.
      ++malformed_;
      close();
      return;
    }
    if (in_.size() - pos - ipc::kHeaderSize < header.body_size) break;
    std::span<const std::byte> body(in_.data() + pos + ipc::kHeaderSize, header.body_size);
    handler_.on_request(shared_from_this(), header, body, pending_fds_);
    pos += ipc::kHeaderSize + header.body_size;
    // Descriptors not consumed by that frame belong to nothing: close them.
    for (int fd : pending_fds_) ::close(fd);
    pending_fds_.clear();
  }
  in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(pos));
}

void ClientSession::send(ipc::MsgType type, std::uint32_t request_id,
                         std::span<const std::byte> body) {
  if (closed_) return;
  auto frame = ipc::make_frame(type, request_id, body);
  out_bytes_ += frame.size();
  out_.push_back(std::move(frame));
  if (out_bytes_ > kMaxQueuedOutput) {
    close();
    return;
  }
  write_next();
}

void ClientSession::write_next() {
  if (writing_ || out_.empty() || closed_) return;
  writing_ = true;
  asio::async_write(socket_, asio::buffer(out_.front()),
                    [self = shared_from_this()](const std::error_code& ec, std::size_t) {
                      self->writing_ = false;
                      if (ec) {
                        self->close();
                        return;
                      }
                      self->out_bytes_ -= self->out_.front().size();
                      self->out_.pop_front();
                      self->write_next();
                    });
}

void ClientSession::close() {
  if (closed_) return;
  closed_ = true;
  std::error_code ignored;
  socket_.cancel(ignored);
  socket_.close(ignored);
  handler_.on_session_closed(*this);
}

}  // namespace openras::manager
