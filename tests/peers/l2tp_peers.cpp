#include "l2tp_peers.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "../support/process.hpp"

namespace openras::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSoftEther = "/usr/libexec/softether/vpnserver/vpnserver";
constexpr const char* kSoftEtherState = "/var/lib/softether";
constexpr const char* kAdminPassword = "openras-admin";

std::set<pid_t> namespace_pids(const std::string& ns) {
  std::set<pid_t> pids;
  std::istringstream in(capture("ip netns pids " + ns));
  for (pid_t p; in >> p;) pids.insert(p);
  return pids;
}

// Daemons that fork away from their starter become our children, so they can be reaped.
void adopt_daemons() {
  static bool done = [] { return prctl(PR_SET_CHILD_SUBREAPER, 1) == 0; }();
  (void)done;
}

bool gone(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == pid) return true;
  return kill(pid, 0) != 0;
}

void replace_first(std::string& text, const std::string& anchor, const std::string& from,
                   const std::string& to) {
  std::size_t at = text.find(anchor);
  if (at == std::string::npos) return;
  std::size_t pos = text.find(from, at);
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
}

// SoftEther runs in a session of its own (setsid): signals it sends its process group, on
// stop for one, must not reach the test runner.
// Configures an empty SoftEther once (peers.md: vpncmd from empty, 2-3.5 s), then keeps the
// saved configuration, with DDNS and NAT traversal off (file-only settings), for every start.
// The result is kept in /tmp, named after the server binary, for the next test process (ctest
// runs each test in its own): configuring from empty costs seconds.
std::string softether_template() {
  static const std::string path = [] {
    std::error_code ec;
    auto stamp = fs::last_write_time(kSoftEther, ec).time_since_epoch().count();
    std::string out = "/tmp/openras-softether-" + std::to_string(fs::file_size(kSoftEther, ec)) +
                      "-" + std::to_string(stamp) + ".config";
    if (slurp(out).find("bool L2TP_Raw true") != std::string::npos) return out;
    for (const char* d : {"/var/lib/softether", "/run/softether", "/var/log/softether"}) {
      fs::create_directories(d);
    }
    fs::remove(std::string(kSoftEtherState) + "/vpn_server.config", ec);
    NetnsPair net("setpl");
    if (!net.ready()) return std::string();
    const std::string exec = "setsid --wait ip netns exec " + net.server_netns() + " ";
    quiet("cd / && " + exec + kSoftEther + " start");
    bool admin = false;
    for (int i = 0; i < 100 && !admin; ++i) {
      admin = capture(exec + "ss -tln").find(":5555 ") != std::string::npos;
      if (!admin) usleep(50000);
    }
    std::string batch = net.dir() + "/setup.vpncmd";
    std::ofstream(batch) << "KeepDisable\nVpnAzureSetEnable no\nListenerDelete 992\n"
                            "ListenerDelete 1194\nProtoOptionsSet OpenVPN /NAME:Enabled "
                            "/VALUE:false\nPortsUDPSet 0\nHubCreate TEST /PASSWORD:x\nHub TEST\n"
                            "UserCreate alice /GROUP:none /REALNAME:none /NOTE:none\n"
                            "UserPasswordSet alice /PASSWORD:secret\nSecureNatEnable\n"
                            "IPsecEnable /L2TP:yes /L2TPRAW:yes /ETHERIP:no /PSK:vpn "
                            "/DEFAULTHUB:TEST\n";
    const std::string vpncmd = "timeout 20 " + exec + "vpncmd 127.0.0.1:5555 /SERVER ";
    bool ok = admin &&
              quiet(vpncmd + "/CMD ServerPasswordSet " + kAdminPassword + " </dev/null") == 0 &&
              quiet(vpncmd + "/PASSWORD:" + kAdminPassword + " /IN:" + batch + " </dev/null") == 0;
    quiet(exec + kSoftEther + " stop");
    for (pid_t p : namespace_pids(net.server_netns())) kill(p, SIGKILL);
    if (!ok) return std::string();
    std::string config = slurp(std::string(kSoftEtherState) + "/vpn_server.config");
    replace_first(config, "declare DDnsClient", "bool Disabled false", "bool Disabled true");
    replace_first(config, "DisableNatTraversal", "false", "true");
    // SecureNAT in user mode (real sockets): its raw-IP and kernel modes depend on timing and
    // on the host's routes, which made fetches through it come and go.
    for (const char* key :
         {"bool DisableIpRawModeSecureNAT ", "bool DisableKernelModeSecureNAT "}) {
      for (std::size_t at = config.find(key); at != std::string::npos; at = config.find(key, at)) {
        at += std::strlen(key);
        if (config.compare(at, 5, "false") == 0) config.replace(at, 5, "true");
      }
    }
    std::ofstream(out) << config;
    return config.find("bool L2TP_Raw true") != std::string::npos ? out : std::string();
  }();
  return path;
}

}  // namespace

L2tpServerPeer::L2tpServerPeer(const std::string& tag) : net_(tag) {
  adopt_daemons();
  if (!net_.ready()) return;
  http_pid_ = spawn_http_responder(net_.server_netns(), NetnsPair::kBehindServer, 8080, net_.dir(),
                                   "hello through l2tp\r\n");
  ready_ = true;
}

L2tpServerPeer::~L2tpServerPeer() {
  stop_namespace_processes();
  stop_process(http_pid_);
}

void L2tpServerPeer::stop_namespace_processes(int grace_ms) {
  std::set<pid_t> pids = namespace_pids(net_.server_netns());
  pids.erase(http_pid_);
  for (pid_t p : pids) kill(p, SIGTERM);
  for (int waited = 0; waited < grace_ms && !pids.empty(); waited += 10) {
    std::erase_if(pids, gone);
    usleep(10000);
  }
  for (pid_t p : pids) {
    kill(p, SIGKILL);
    waitpid(p, nullptr, 0);
  }
}

bool L2tpServerPeer::wait_for_udp_listener(int port, int timeout_ms) {
  const std::string needle = ":" + std::to_string(port) + " ";
  for (int waited = 0; waited < timeout_ms; waited += 20) {
    if (run_in_netns(net_.server_netns(), "ss -uln").find(needle) != std::string::npos) {
      return true;
    }
    usleep(20000);
  }
  return false;
}

// ---- SoftEther ----

bool SoftEtherPeer::available(std::string* why) {
  auto fail = [&](const char* reason) {
    if (why) *why = reason;
    return false;
  };
  if (geteuid() != 0) return fail("needs root for network namespaces");
  if (!fs::exists(kSoftEther)) return fail("softether-vpnserver is not installed");
  if (quiet("command -v vpncmd") != 0) return fail("softether-vpncmd is not installed");
  if (quiet("command -v socat") != 0) return fail("socat is not installed");
  if (softether_template().empty()) return fail("could not configure SoftEther with vpncmd");
  return true;
}

SoftEtherPeer::SoftEtherPeer() : L2tpServerPeer("se") {}

SoftEtherPeer::~SoftEtherPeer() {
  stop();
}

bool SoftEtherPeer::start() {
  stop();
  fs::copy_file(softether_template(), std::string(kSoftEtherState) + "/vpn_server.config",
                fs::copy_options::overwrite_existing);
  quiet("cd / && setsid --wait ip netns exec " + server_netns() + " " + kSoftEther + " start");
  return wait_for_udp_listener(1701, 10000);
}

void SoftEtherPeer::stop() {
  stop_namespace_processes();
}

std::string SoftEtherPeer::vpncmd(const std::string& command) {
  return capture("timeout 20 ip netns exec " + server_netns() +
                 " vpncmd 127.0.0.1:5555 /SERVER /PASSWORD:" + kAdminPassword +
                 " /ADMINHUB:TEST /CMD " + command + " </dev/null");
}

// ---- l2tpns + FreeRADIUS ----

bool L2tpnsPeer::available(std::string* why) {
  auto fail = [&](const char* reason) {
    if (why) *why = reason;
    return false;
  };
  if (geteuid() != 0) return fail("needs root for network namespaces");
  if (quiet("command -v l2tpns") != 0) return fail("l2tpns is not installed");
  if (quiet("command -v freeradius") != 0) return fail("freeradius is not installed");
  if (!fs::exists("/dev/net/tun")) return fail("no /dev/net/tun");
  return true;
}

L2tpnsPeer::L2tpnsPeer(const std::string& l2tp_secret) : L2tpServerPeer("ns") {
  if (!ready_) return;
  ready_ = false;
  const std::string d = dir() + "/";
  // A private raddb: the Debian one with user alice, running as root in our namespace.
  std::error_code ec;
  fs::copy("/etc/freeradius/3.0", d + "raddb",
           fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  if (ec) return;
  quiet("sed -i 's/^\\s*user = freerad/#/; s/^\\s*group = freerad/#/' " + d + "raddb/radiusd.conf");
  {
    // alice, and bench1..bench8: l2tpns lets one user have one session at a time.
    std::ofstream users(d + "raddb/mods-config/files/authorize");
    users << "alice Cleartext-Password := \"secret\"\n";
    for (int i = 1; i <= 8; ++i) users << "bench" << i << " Cleartext-Password := \"secret\"\n";
  }
  // Each in a session of its own (setsid execs in place, so the PID stays ours): what they
  // signal their process group on exit must not reach the test runner.
  radius_pid_ = spawn({"setsid", "ip", "netns", "exec", server_netns(), "freeradius", "-f", "-d",
                       d + "raddb", "-l", d + "radius.log"});
  if (!wait_for_udp_listener(1812, 10000)) return;
  std::ofstream config(d + "startup-config");
  config << "set debug 3\nset log_file \"" << d << "l2tpns.log\"\nset pid_file \"" << d
         << "l2tpns.pid\"\nset bind_address " << NetnsPair::kServerAddress << "\nset iftun_address "
         << NetnsPair::kServerAddress << "\nset primary_dns " << NetnsPair::kBehindServer
         << "\nset primary_radius 127.0.0.1\nset radius_secret \"testing123\"\n"
            "set radius_accounting no\nset radius_authtypes \"pap, chap\"\n"
            "set cluster_interface lo\nset cluster_hb_timeout 10\n"
            "set cli_bind_address 127.0.0.1\nset ppp_keepalive yes\n";
  if (!l2tp_secret.empty()) config << "set l2tp_secret \"" << l2tp_secret << "\"\n";
  config.close();
  l2tpns_pid_ =
      spawn({"setsid", "ip", "netns", "exec", server_netns(), "l2tpns", "-c", d + "startup-config"},
            d + "l2tpns.stdout", d + "l2tpns.stdout");
  // It ignores packets until it has elected itself cluster master (peers.md: ~3 s).
  for (int waited = 0; waited < 15000; waited += 50) {
    if (log().find("declaring myself the master") != std::string::npos) {
      ready_ = true;
      return;
    }
    usleep(50000);
  }
}

L2tpnsPeer::~L2tpnsPeer() {
  stop_process(l2tpns_pid_);
  stop_process(radius_pid_);
}

std::string L2tpnsPeer::log() const {
  return slurp(dir() + "/l2tpns.log");
}

}  // namespace openras::testing
