#include "host/dns.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/log.hpp"

namespace openras::host {
namespace {

std::string marker(std::uint32_t handle, bool begin) {
  // The trailing '.' keeps conn=1 from matching conn=12.
  return std::string("# OpenRAS ") + (begin ? "begin" : "end") + " conn=" + std::to_string(handle) +
         ".";
}

int run(const std::vector<std::string>& argv) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Rewrites in place: resolv.conf is often a symlink that a rename would replace.
void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

std::string without_block(const std::string& text, std::uint32_t handle) {
  std::string begin = marker(handle, true), end = marker(handle, false);
  auto b = text.find(begin);
  if (b == std::string::npos) return text;
  auto e = text.find(end, b);
  if (e == std::string::npos) return text;
  e += end.size();
  if (e < text.size() && text[e] == '\n') ++e;
  return text.substr(0, b) + text.substr(e);
}

}  // namespace

DnsManager::DnsManager(DnsMode mode, std::string resolv_conf)
    : mode_(mode), resolv_conf_(std::move(resolv_conf)) {}

bool DnsManager::use_resolved() const {
  if (mode_ == DnsMode::Resolved) return true;
  if (mode_ != DnsMode::Auto) return false;
  std::error_code ec;
  return std::filesystem::exists("/run/systemd/resolve/io.systemd.Resolve", ec);
}

void DnsManager::apply(std::uint32_t handle, const std::string& ifname,
                       const std::vector<std::string>& servers, const std::string& suffix,
                       bool default_route) {
  if (mode_ == DnsMode::None || servers.empty()) return;
  if (use_resolved()) {
    std::vector<std::string> argv = {"resolvectl", "dns", ifname};
    argv.insert(argv.end(), servers.begin(), servers.end());
    int rc = run(argv);
    std::vector<std::string> domains = {"resolvectl", "domain", ifname};
    if (!suffix.empty()) domains.push_back(default_route ? suffix : "~" + suffix);
    if (default_route) domains.push_back("~.");
    int domain_rc = domains.size() > 3 ? run(domains) : 0;
    int route_rc = run({"resolvectl", "default-route", ifname, default_route ? "yes" : "no"});
    log_line("dns", "conn=%u %s: resolvectl dns -> %d, domain %s -> %d, default-route -> %d",
             handle, ifname.c_str(), rc, suffix.empty() ? "(none)" : suffix.c_str(), domain_rc,
             route_rc);
    return;
  }
  std::string block = marker(handle, true) + " (" + ifname + ")\n";
  for (const auto& s : servers) block += "nameserver " + s + "\n";
  if (!suffix.empty()) block += "search " + suffix + "\n";
  block += marker(handle, false) + "\n";
  write_file(resolv_conf_, block + without_block(read_file(resolv_conf_), handle));
  log_line("dns", "conn=%u %s: %zu name server(s) added to %s", handle, ifname.c_str(),
           servers.size(), resolv_conf_.c_str());
}

void DnsManager::remove(std::uint32_t handle, const std::string& ifname) {
  if (mode_ == DnsMode::None) return;
  if (use_resolved()) {
    run({"resolvectl", "revert", ifname});  // the link is going away anyway
    return;
  }
  remove_resolv_block(resolv_conf_, handle);
}

void remove_resolv_block(const std::string& resolv_conf, std::uint32_t handle) {
  std::string text = read_file(resolv_conf);
  std::string rest = without_block(text, handle);
  if (rest != text) write_file(resolv_conf, rest);
}

}  // namespace openras::host
