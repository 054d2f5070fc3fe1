// The objects behind win32 shim handles that the RAS functions need to see.
#pragma once

#include <cstdint>

#include "win32/windows.h"

namespace openras::client {

struct Win32Event {
  std::uint32_t magic = 0;
  int fd = -1;  // eventfd: readable while signalled
  bool manual_reset = false;
};

Win32Event* as_event(HANDLE h);

}  // namespace openras::client
