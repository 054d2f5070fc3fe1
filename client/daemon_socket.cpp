#include "client/daemon_socket.hpp"

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "raserror.h"

namespace openras::client {
namespace {

// A daemon whose backlog stays full this long is not going to answer.
constexpr int kConnectPatienceMs = 10'000;

bool owned_by_us_or_root(const struct stat& st) {
  return st.st_uid == 0 || st.st_uid == ::geteuid();
}

bool trustworthy_socket_file(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode) && owned_by_us_or_root(st);
}

bool trustworthy_peer(int fd) {
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
  return cred.uid == 0 || cred.uid == ::geteuid();
}

// A non-blocking connect: a full backlog (a frozen or saturated daemon) gives EAGAIN at once
// instead of blocking the caller for as long as the daemon likes.
int connect_with_patience(const sockaddr_un& addr) {
  for (int waited = 0;; waited += 10) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0) {
      int flags = 0;  // the channel's own reads and writes block (with their own limits)
      ::ioctl(fd, FIONBIO, &flags);
      return fd;
    }
    int err = errno;
    ::close(fd);
    if (err != EAGAIN || waited >= kConnectPatienceMs) {
      errno = err;
      return -1;
    }
    ::usleep(10 * 1000);
  }
}

}  // namespace

bool trustworthy_socket_directory(const std::string& dir) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || !owned_by_us_or_root(st)) {
    return false;
  }
  return (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

DaemonSocket connect_daemon_socket(const std::string& path) {
  DaemonSocket out;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    out.error = ERROR_RASMAN_CANNOT_INITIALIZE;
    return out;
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  std::string dir = std::filesystem::path(path).parent_path().string();
  for (const std::string& step : {dir, path}) {
    struct stat st {};
    if (::lstat(step.c_str(), &st) != 0) {
      out.absent = errno == ENOENT;
      out.error = ERROR_RASMAN_CANNOT_INITIALIZE;
      return out;
    }
    if (step == dir ? !trustworthy_socket_directory(dir) : !trustworthy_socket_file(path)) {
      out.error = ERROR_ACCESS_DENIED;
      return out;
    }
  }
  int fd = connect_with_patience(addr);
  if (fd < 0) {
    out.absent = errno == ECONNREFUSED || errno == ENOENT;
    out.error = ERROR_RASMAN_CANNOT_INITIALIZE;
    return out;
  }
  if (!trustworthy_peer(fd)) {
    ::close(fd);
    out.error = ERROR_ACCESS_DENIED;
    return out;
  }
  out.fd = fd;
  return out;
}

}  // namespace openras::client
