// Opening a tty for a dial: raw 8N1 at the entry's speed, exclusive, non-blocking.
#pragma once

#include <cstdint>

#include "dial/dial_machine.hpp"

namespace openras::manager {

struct OpenedPort {
  int fd = -1;
  std::uint32_t error = 0;  // a Win32 code when fd < 0
};

OpenedPort open_serial_port(const dial::PortRequest& request);
// Lower DTR (a modem hangs up on it), then close.
void close_serial_port(int fd);

}  // namespace openras::manager
