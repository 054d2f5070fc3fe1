// Connecting to rasmand's socket without trusting the wrong daemon. A per-user socket lives in
// a directory anyone could have created first (/tmp/openras-<uid>): a user who did, and
// listened there, would receive our dial parameters, password included. So the directory and
// the socket must belong to this user or root and be writable by nobody else, and the process
// that answers must run as root or as this user (SO_PEERCRED), before a byte is sent.
#pragma once

#include <cstdint>
#include <string>

namespace openras::client {

struct DaemonSocket {
  int fd = -1;
  std::uint32_t error = 0;  // when fd < 0: ERROR_ACCESS_DENIED (untrusted), else a failure code
  bool absent = false;      // nothing listens there: spawning a daemon may help
};

DaemonSocket connect_daemon_socket(const std::string& path);

// Whether a directory may hold the socket: a directory (not a link) of this user or root,
// writable by nobody else.
bool trustworthy_socket_directory(const std::string& dir);

}  // namespace openras::client
