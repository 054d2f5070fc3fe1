// What rasmand changed on the host and has not undone yet, kept in its state directory so
// that an instance that died (SIGKILL, a crash) has it undone by the next one: host routes to
// VPN servers, resolv.conf blocks, and links whose ip-down scripts never ran. Interfaces need
// no record: the kernel removes a TUN when its descriptor closes.
//
// Each change is recorded before it is made (a record of something that then failed is
// harmless to undo). Records are appended, one line each, fields separated by tabs (names
// carry no control characters, the daemon refuses them); the file is rewritten with only the
// live records when it has grown well past them. No fsync: the records must survive the
// process, not the machine, and a reboot is detected by the kernel's boot id (routes and
// hooks belong to the boot that made them; resolv.conf blocks outlive it).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "host/hooks.hpp"
#include "host/netlink.hpp"

namespace openras::host {

struct Leftovers {
  struct Route {
    std::uint32_t destination = 0;
    netlink::Path via;
  };
  struct ResolvBlock {
    std::uint32_t handle = 0;
    std::string resolv_conf;
  };
  bool same_boot = false;
  std::vector<Route> routes;
  std::vector<ResolvBlock> resolv_blocks;
  std::vector<HookInfo> links_up;  // ip-up ran, ip-down did not
};

class HostJournal {
 public:
  HostJournal() = default;  // records nothing (no state directory)
  ~HostJournal();
  HostJournal(const HostJournal&) = delete;
  HostJournal& operator=(const HostJournal&) = delete;

  // Takes the journal at `path` (locked: one daemon per journal) and returns what the previous
  // instance left, then starts afresh. False when another live daemon holds it: this one then
  // records nothing.
  bool open(const std::string& path, Leftovers& left);

  void route_added(std::uint32_t destination, const netlink::Path& via);
  void route_removed(std::uint32_t destination);
  void resolv_block_added(std::uint32_t handle, const std::string& resolv_conf);
  void resolv_block_removed(std::uint32_t handle);
  void link_up(std::uint32_t handle, const HookInfo& info);
  void link_down(std::uint32_t handle);

  // Parsing, for open() and the tests: applies one line to the live records.
  static void apply_line(const std::string& line, std::map<std::string, std::string>& live);
  static Leftovers leftovers_from(const std::map<std::string, std::string>& live, bool same_boot);

 private:
  void record(const std::string& key, const std::string& line);  // "" line: removed
  void compact();

  std::mutex mutex_;  // the loop records routes, the host thread DNS and links
  std::string path_;
  int fd_ = -1;
  std::map<std::string, std::string> live_;  // key -> its add line
  std::size_t appended_ = 0;
};

// The kernel's id of this boot, "" where it cannot be read.
std::string current_boot_id();

}  // namespace openras::host
