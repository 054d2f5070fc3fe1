#include "manager/server.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/log.hpp"

namespace openras::manager {

Server::Server(asio::io_context& io, ConnectionManager& manager)
    : io_(io),
      manager_(manager),
      acceptor_(io),
      accept_pause_(io),
      spare_fd_(::open("/dev/null", O_RDONLY | O_CLOEXEC)) {}

Server::~Server() {
  stop();
  if (lock_fd_ >= 0) ::close(lock_fd_);
  if (spare_fd_ >= 0) ::close(spare_fd_);
}

Server::Start Server::listen(const std::string& socket_path) {
  namespace fs = std::filesystem;
  socket_path_ = socket_path;
  fs::path dir = fs::path(socket_path).parent_path();
  std::error_code ec;
  if (!dir.empty() && !fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    // The system directory is world-readable so every user reaches the socket (each request
    // is then checked against SO_PEERCRED); a per-user directory stays private.
    ::chmod(dir.c_str(), geteuid() == 0 && dir == "/run/openras" ? 0755 : 0700);
  }
  // A directory someone else made (or can write to) could swap the socket under us: clients
  // would refuse it anyway (client/daemon_socket.hpp), so refuse to serve there.
  struct stat st {};
  if (!dir.empty() && (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) ||
                       st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)) {
    log_line("server", "refusing %s: not a directory of this user, or writable by others",
             dir.c_str());
    return Start::Failed;
  }
  std::string lock_path = socket_path + ".lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) {
    log_line("server", "cannot open %s: %s", lock_path.c_str(), std::strerror(errno));
    return Start::Failed;
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) return Start::AlreadyRunning;
  // The lock file names the serving daemon, for administrators and tests.
  std::string pid = std::to_string(getpid()) + "\n";
  if (::ftruncate(lock_fd_, 0) == 0) {
    [[maybe_unused]] auto n = ::pwrite(lock_fd_, pid.data(), pid.size(), 0);
  }
  // Bind and listen under a temporary name, then rename: the socket path appears only once
  // it accepts connections, so nobody who sees it gets ECONNREFUSED.
  std::string staging = socket_path + ".new";
  ::unlink(staging.c_str());
  asio::local::stream_protocol::endpoint endpoint(staging);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) ::chmod(staging.c_str(), geteuid() == 0 ? 0666 : 0600);
  // We hold the lock, so a socket file already at the path is stale.
  if (!ec && ::rename(staging.c_str(), socket_path.c_str()) != 0) {
    ec = std::error_code(errno, std::generic_category());
  }
  if (ec) {
    log_line("server", "cannot listen on %s: %s", socket_path.c_str(), ec.message().c_str());
    ::unlink(staging.c_str());
    return Start::Failed;
  }
  accept_next();
  return Start::Listening;
}

Server::Start Server::adopt(int fd) {
  std::error_code ec;
  acceptor_.assign(asio::local::stream_protocol(), fd, ec);
  if (ec) {
    log_line("server", "cannot use the activated socket: %s", ec.message().c_str());
    return Start::Failed;
  }
  accept_next();
  return Start::Listening;
}

void Server::stop() {
  if (!acceptor_.is_open()) return;
  std::error_code ec;
  acceptor_.close(ec);
  if (!socket_path_.empty()) ::unlink(socket_path_.c_str());  // an activated socket is systemd's
}

void Server::accept_next() {
  acceptor_.async_accept([this](const std::error_code& ec,
                                asio::local::stream_protocol::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec == asio::error::no_descriptors || ec.value() == ENFILE) {
      shed_and_pause();
      return;
    }
    if (ec) {
      accept_next();
      return;
    }
    auto session = std::make_shared<ClientSession>(std::move(socket), manager_, next_session_id_++);
    // Refused: the session is dropped unstarted, and its socket closes with it.
    if (manager_.session_opened(*session)) session->start();
    accept_next();
  });
}

void Server::shed_and_pause() {
  log_line("server", "out of descriptors: refusing a client");
  if (spare_fd_ >= 0) {
    ::close(spare_fd_);
    int shed = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
    if (shed >= 0) ::close(shed);
    spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  }
  accept_pause_.expires_after(std::chrono::milliseconds(100));
  accept_pause_.async_wait([this](const std::error_code& ec) {
    if (!ec && acceptor_.is_open()) accept_next();
  });
}

}  // namespace openras::manager
