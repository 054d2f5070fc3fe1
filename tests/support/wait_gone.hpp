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

// Polls RasGetConnectStatus until the connection reports RASCS_Disconnected, a call fails, or
// `timeout_ms` passes: what the last call returned and the last status it gave.
struct PolledStatus {
  DWORD call = 0;
  RASCONNSTATUSA status{};
};
inline PolledStatus wait_until_disconnected(HRASCONN h, int timeout_ms) {
  PolledStatus out;
  for (int waited = 0; waited <= timeout_ms; waited += 10) {
    out.status = {};
    out.status.dwSize = sizeof(out.status);
    out.call = RasGetConnectStatusA(h, &out.status);
    if (out.call != 0 || out.status.rasconnstate == RASCS_Disconnected) break;
    usleep(10000);
  }
  return out;
}

}  // namespace openras::testing
