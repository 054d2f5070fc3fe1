// Where rasmand listens. Order: $OPENRAS_SOCKET; root: /run/openras/rasmand.sock;
// other users: $XDG_RUNTIME_DIR/openras/rasmand.sock, else /tmp/openras-<uid>/rasmand.sock.
#pragma once

#include <string>

namespace openras {

std::string default_socket_path();
std::string system_socket_path();

}  // namespace openras
