// rasmand's log: one line per event, `rasmand[topic]: key=value ...`, sent to journald with
// structured fields (OPENRAS_TOPIC) when it runs, else to stderr. Secrets are never passed here.
#pragma once

#include <string>

namespace openras {

void set_log_quiet(bool quiet);
// Send log lines as journald native datagrams to this socket (falls back to stderr on error).
bool use_journal(const std::string& socket_path);
[[gnu::format(printf, 2, 3)]] void log_line(const char* topic, const char* fmt, ...);

}  // namespace openras
