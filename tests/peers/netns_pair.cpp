#include "netns_pair.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace openras::testing {

int quiet(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str());
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

NetnsPair::NetnsPair(const std::string& tag) {
  static std::atomic<int> counter{0};
  std::string tmpl_text = "/tmp/openras-" + tag + "-XXXXXX";
  std::vector<char> tmpl(tmpl_text.begin(), tmpl_text.end());
  tmpl.push_back('\0');
  if (!mkdtemp(tmpl.data())) return;
  dir_ = tmpl.data();
  std::string id = std::to_string(getpid()) + "-" + std::to_string(counter++);
  client_ns_ = "openras-" + tag + "c-" + id;
  server_ns_ = "openras-" + tag + "s-" + id;
  if (quiet("ip netns add " + client_ns_) != 0 || quiet("ip netns add " + server_ns_) != 0) return;
  bool ok = quiet("ip link add v0 netns " + client_ns_ + " type veth peer name v0 netns " +
                  server_ns_) == 0;
  for (auto [ns, addr] : {std::pair{client_ns_, std::string(kClientAddress) + "/24"},
                          {server_ns_, std::string(kServerAddress) + "/24"}}) {
    ok = ok && quiet("ip netns exec " + ns + " ip link set lo up") == 0 &&
         quiet("ip netns exec " + ns + " ip addr add " + addr + " dev v0") == 0 &&
         quiet("ip netns exec " + ns + " ip link set v0 up") == 0;
  }
  hosts_dir_ = "/etc/netns/" + client_ns_;
  std::filesystem::create_directories(hosts_dir_);
  std::ofstream(hosts_dir_ + "/hosts") << "127.0.0.1 localhost\n"
                                       << kServerAddress << " " << kHost << "\n";
  ok = ok &&
       quiet("ip netns exec " + server_ns_ + " ip addr add " + kBehindServer + "/32 dev lo") == 0;
  ready_ = ok;
}

NetnsPair::~NetnsPair() {
  for (const auto& ns : {client_ns_, server_ns_}) {
    if (!ns.empty()) quiet("ip netns del " + ns);
  }
  std::error_code ec;
  if (!hosts_dir_.empty()) std::filesystem::remove_all(hosts_dir_, ec);
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

}  // namespace openras::testing
