// The documented way to know a hang-up has finished: poll RasGetConnectStatus until the handle
// is gone. True once it is, false after 5 s.
#pragma once

#include <unistd.h>

#include "ras.h"

namespace openras::testing {

inline bool wait_until_gone(HRASCONN h) {
  for (int i = 0; i < 500; ++i) {
    RASCONNSTATUSA st{};
    st.dwSize = sizeof(st);
    if (RasGetConnectStatusA(h, &st) == ERROR_INVALID_HANDLE) return true;
    usleep(10000);
  }
  return false;
}

}  // namespace openras::testing
