#include "common/paths.hpp"

#include <unistd.h>

#include <cstdlib>

namespace openras {

std::string system_socket_path() {
  return "/run/openras/rasmand.sock";
}

std::string default_socket_path() {
  if (const char* env = std::getenv("OPENRAS_SOCKET"); env && *env) return env;
  if (geteuid() == 0) return system_socket_path();
  if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg && *xdg) {
    return std::string(xdg) + "/openras/rasmand.sock";
  }
  return "/tmp/openras-" + std::to_string(geteuid()) + "/rasmand.sock";
}

}  // namespace openras
