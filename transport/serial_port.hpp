// Opening a tty for a dial: raw 8N1 at the entry's speed, exclusive, non-blocking. The daemon
// runs as root, so it opens a port only for a caller who could open it themselves (read and
// write by the device's owner, group and other bits, as the kernel would judge that caller),
// and it puts the line settings back when it lets the port go.
#pragma once

#include <termios.h>

#include <cstdint>
#include <vector>

#include "dial/dial_machine.hpp"

namespace openras::transport {

// Who asks for the port.
struct PortCaller {
  std::uint32_t uid = 0;
  std::vector<std::uint32_t> gids;  // primary and supplementary
};

struct OpenedPort {
  int fd = -1;
  std::uint32_t error = 0;  // a Win32 code when fd < 0
  termios saved{};          // the line settings before the dial changed them
};

OpenedPort open_serial_port(const dial::PortRequest& request, const PortCaller& caller);
// Lower DTR (a modem hangs up on it), restore the saved line settings, then close.
void close_serial_port(int fd, const termios& saved);

}  // namespace openras::transport
