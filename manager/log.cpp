#include "manager/log.hpp"

#include <cstdarg>
#include <cstdio>

namespace openras::manager {
namespace {
bool g_quiet = false;
}

void set_log_quiet(bool quiet) {
  g_quiet = quiet;
}

void log_line(const char* topic, const char* fmt, ...) {
  if (g_quiet) return;
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  std::fprintf(stderr, "rasmand[%s]: %s\n", topic, line);
}

}  // namespace openras::manager
