// Starting rasmand on demand when no daemon answers on the socket (as Windows starts the
// RasMan service on first use). $OPENRAS_NO_SPAWN=1 turns it off; $OPENRAS_RASMAND names the
// binary, else it is found beside librasapi (../bin/rasmand), then in the usual sbin paths.
#pragma once

#include <string>

namespace openras::client {

bool spawn_daemon(const std::string& socket_path);

}  // namespace openras::client
