// rasmand's log: one line per event, `rasmand[topic]: key=value ...`, on stderr (journald
// picks stderr up when rasmand runs as a service). Secrets are never passed here.
#pragma once

namespace openras::manager {

void set_log_quiet(bool quiet);
[[gnu::format(printf, 2, 3)]] void log_line(const char* topic, const char* fmt, ...);

}  // namespace openras::manager
