#include "common/log.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>

namespace openras {
namespace {

bool g_quiet = false;
int g_journal_fd = -1;
sockaddr_un g_journal{};

// journald's native protocol: one datagram of KEY=value lines (values here never hold '\n').
bool send_to_journal(const char* topic, const char* message) {
  std::string datagram = std::string("MESSAGE=rasmand[") + topic + "]: " + message +
                         "\nPRIORITY=6\nSYSLOG_IDENTIFIER=rasmand\nOPENRAS_TOPIC=" + topic + "\n";
  // Never wait on the journal: a full queue falls back to stderr for that line.
  return ::sendto(g_journal_fd, datagram.data(), datagram.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                  reinterpret_cast<const sockaddr*>(&g_journal), sizeof(g_journal)) >= 0;
}

}  // namespace

void set_log_quiet(bool quiet) {
  g_quiet = quiet;
}

bool use_journal(const std::string& socket_path) {
  if (socket_path.size() >= sizeof(g_journal.sun_path)) return false;
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  g_journal.sun_family = AF_UNIX;
  std::memcpy(g_journal.sun_path, socket_path.c_str(), socket_path.size() + 1);
  g_journal_fd = fd;
  return true;
}

void log_line(const char* topic, const char* fmt, ...) {
  if (g_quiet) return;
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  if (g_journal_fd >= 0 && send_to_journal(topic, line)) return;
  std::fprintf(stderr, "rasmand[%s]: %s\n", topic, line);
}

}  // namespace openras
