#include "host/host_journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/log.hpp"

namespace openras::host {
namespace {

// Compaction once the file holds this many more lines than there are live records.
constexpr std::size_t kSlack = 256;

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    auto tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

std::uint32_t number(const std::string& text) {
  return static_cast<std::uint32_t>(std::strtoul(text.c_str(), nullptr, 10));
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::string current_boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

HostJournal::~HostJournal() {
  if (fd_ >= 0) ::close(fd_);
}

// Lines: "boot <id>", "+route <dest> <ifindex> <gateway>", "-route <dest>",
// "+resolv <handle> <path>", "-resolv <handle>", "+up <handle> <hook fields...>", "-up <handle>".
void HostJournal::apply_line(const std::string& line, std::map<std::string, std::string>& live) {
  auto fields = split_tabs(line);
  if (fields.size() < 2) return;
  const std::string& kind = fields[0];
  if (kind == "boot") {
    live["boot"] = line;
  } else if (kind.size() > 1 && (kind[0] == '+' || kind[0] == '-')) {
    std::string key = kind.substr(1) + "\t" + fields[1];
    if (kind[0] == '+') {
      live[key] = line;
    } else {
      live.erase(key);
    }
  }
}

Leftovers HostJournal::leftovers_from(const std::map<std::string, std::string>& live,
                                      bool same_boot) {
  Leftovers left;
  left.same_boot = same_boot;
  for (const auto& [key, line] : live) {
    auto f = split_tabs(line);
    if (f[0] == "+route" && f.size() == 4) {
      left.routes.push_back({number(f[1]), {number(f[2]), number(f[3]), false}});
    } else if (f[0] == "+resolv" && f.size() == 3) {
      left.resolv_blocks.push_back({number(f[1]), f[2]});
    } else if (f[0] == "+up" && f.size() == 9) {
      HookInfo info;
      info.ifname = f[2];
      info.device = f[3];
      info.speed = number(f[4]);
      info.local = f[5];
      info.remote = f[6];
      info.link_name = f[7];
      info.dns1 = f[8];
      left.links_up.push_back(info);
    }
  }
  return left;
}

bool HostJournal::open(const std::string& path, Leftovers& left) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    log_line("journal", "cannot open %s: %s", path.c_str(), std::strerror(errno));
    return false;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    log_line("journal", "%s is another rasmand's: no crash recovery for this one", path.c_str());
    ::close(fd);
    return false;
  }
  std::map<std::string, std::string> previous;
  {
    std::ifstream in(path);
    std::string line;
    // A line cut short by the crash has no newline: getline still returns it, and a
    // malformed line is ignored by apply_line and leftovers_from.
    while (std::getline(in, line)) apply_line(line, previous);
  }
  std::string boot = current_boot_id();
  bool same_boot = false;
  if (auto it = previous.find("boot"); it != previous.end()) {
    auto f = split_tabs(it->second);
    same_boot = f.size() == 2 && !boot.empty() && f[1] == boot;
  }
  left = leftovers_from(previous, same_boot);
  path_ = path;
  fd_ = fd;
  live_.clear();
  live_["boot"] = "boot\t" + boot;
  compact();
  return true;
}

void HostJournal::record(const std::string& key, const std::string& line) {
  std::lock_guard lock(mutex_);
  if (fd_ < 0) return;
  std::string text;
  if (line.empty()) {
    if (!live_.erase(key)) return;
    text = "-" + key + "\n";
  } else {
    live_[key] = line;
    text = line + "\n";
  }
  if (!write_all(fd_, text)) log_line("journal", "cannot write %s", path_.c_str());
  if (++appended_ > live_.size() + kSlack) compact();
}

void HostJournal::compact() {
  std::string text;
  for (const auto& [key, line] : live_) text += line + "\n";
  // The descriptor keeps the lock, so the file is rewritten in place (O_APPEND is not set:
  // write at 0 and cut the rest).
  if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0 || !write_all(fd_, text)) {
    log_line("journal", "cannot rewrite %s", path_.c_str());
  }
  appended_ = 0;
}

void HostJournal::route_added(std::uint32_t destination, const netlink::Path& via) {
  record("route\t" + std::to_string(destination), "+route\t" + std::to_string(destination) + "\t" +
                                                      std::to_string(via.ifindex) + "\t" +
                                                      std::to_string(via.gateway));
}

void HostJournal::route_removed(std::uint32_t destination) {
  record("route\t" + std::to_string(destination), "");
}

void HostJournal::resolv_block_added(std::uint32_t handle, const std::string& resolv_conf) {
  record("resolv\t" + std::to_string(handle),
         "+resolv\t" + std::to_string(handle) + "\t" + resolv_conf);
}

void HostJournal::resolv_block_removed(std::uint32_t handle) {
  record("resolv\t" + std::to_string(handle), "");
}

void HostJournal::link_up(std::uint32_t handle, const HookInfo& info) {
  record("up\t" + std::to_string(handle),
         "+up\t" + std::to_string(handle) + "\t" + info.ifname + "\t" + info.device + "\t" +
             std::to_string(info.speed) + "\t" + info.local + "\t" + info.remote + "\t" +
             info.link_name + "\t" + info.dns1);
}

void HostJournal::link_down(std::uint32_t handle) {
  record("up\t" + std::to_string(handle), "");
}

}  // namespace openras::host
