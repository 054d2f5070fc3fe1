// ip-up / ip-down hooks in the manner of pppd: every executable in <dir>/ip-up.d (or
// ip-down.d) runs, in name order, with pppd's environment (IFNAME, IPLOCAL, IPREMOTE, DNS1,
// DNS2, SPEED, LINKNAME, and for ip-down CONNECT_TIME, BYTES_SENT, BYTES_RCVD) and pppd's
// arguments (interface, tty, speed, local, remote, ipparam), so existing pppd scripts work.
// They run detached: a slow script never holds up the connection manager.
#pragma once

#include <cstdint>
#include <string>

namespace openras::host {

struct HookInfo {
  std::string ifname;
  std::string device;
  std::string local;
  std::string remote;
  std::string dns1;
  std::string dns2;
  std::string link_name;  // the entry name
  std::uint32_t speed = 0;
  std::uint32_t connect_seconds = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
};

// `which` is "ip-up" or "ip-down". Returns how many scripts were started.
int run_hooks(const std::string& hooks_dir, const char* which, const HookInfo& info);

}  // namespace openras::host
