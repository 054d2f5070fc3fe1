// What every VPN end-to-end suite does around its peer: rasmand in the client namespace on a
// private socket with file DNS, a phonebook of VPN entries, synchronous dials that must fail
// with a given code and leave nothing behind, HTTP fetched through the tunnel, the async
// notifications recorded (RasDialFunc1).
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "../peers/netns_pair.hpp"
#include "../support/process.hpp"
#include "../support/wait_gone.hpp"
#include "client/channel.hpp"
#include "ras.h"

namespace openras::testing {

// The last notification each asynchronous dial delivered.
inline std::map<HRASCONN, std::pair<RASCONNSTATE, DWORD>>& last_notifications() {
  static std::map<HRASCONN, std::pair<RASCONNSTATE, DWORD>> last;
  return last;
}
inline void WINAPI record_notification(HRASCONN h, UINT, RASCONNSTATE state, DWORD error, DWORD) {
  last_notifications()[h] = {state, error};
}

class VpnDialFixture : public ::testing::Test {
 protected:
  // Call from SetUp once the peer's namespaces exist.
  void start_rasmand(const std::string& client_netns, const std::vector<std::string>& extra = {}) {
    client_ns_ = client_netns;
    char tmpl[] = "/tmp/openras-vpn-e2e-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    resolv_ = dir_ + "/resolv.conf";
    std::ofstream(resolv_) << "nameserver 192.0.2.53\n";
    // Name lookups in the client namespace stay on its loopback (nothing answers there).
    std::ofstream("/etc/netns/" + client_ns_ + "/resolv.conf")
        << "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n";
    socket_ = dir_ + "/rasmand.sock";
    setenv("OPENRAS_SOCKET", socket_.c_str(), 1);
    setenv("OPENRAS_NO_SPAWN", "1", 1);
    std::vector<std::string> options = {"--log", "stderr"};
    options.insert(options.end(), extra.begin(), extra.end());
    daemon_ = spawn_rasmand_in_netns(client_ns_, OPENRAS_RASMAND_PATH, socket_, resolv_, dir_,
                                     dir_ + "/rasmand.log", options);
    for (int i = 0; i < 500 && !std::filesystem::exists(socket_); ++i) usleep(2000);
  }

  void stop_rasmand() {
    client::reset_this_thread_channel();
    if (daemon_ > 0) {
      kill(daemon_, SIGTERM);
      waitpid(daemon_, nullptr, 0);
      daemon_ = -1;
    }
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  // SIGKILL, as a crash would end it, then a new instance on the same socket and state.
  void kill_and_restart_rasmand(const std::vector<std::string>& extra = {}) {
    client::reset_this_thread_channel();
    kill(daemon_, SIGKILL);
    waitpid(daemon_, nullptr, 0);
    std::filesystem::remove(socket_);
    std::vector<std::string> options = {"--log", "stderr"};
    options.insert(options.end(), extra.begin(), extra.end());
    daemon_ = spawn_rasmand_in_netns(client_ns_, OPENRAS_RASMAND_PATH, socket_, resolv_, dir_,
                                     dir_ + "/rasmand-restarted.log", options);
    for (int i = 0; i < 500 && !std::filesystem::exists(socket_); ++i) usleep(2000);
  }

  // A phonebook with entry `name` of the given VpnStrategy/Device dialing `server`.
  std::string phonebook(const std::string& name, const std::string& strategy_and_device,
                        const std::string& server, const std::string& extra = "") {
    std::string path = dir_ + "/vpn.pbk";
    std::ofstream out(path, std::ios::app);
    // Entry keys before MEDIA=, which opens the device's block.
    out << "[" << name << "]\r\nEncoding=1\r\nType=2\r\n"
        << extra << strategy_and_device << "DEVICE=vpn\r\nPhoneNumber=" << server << "\r\n";
    return path;
  }

  // Dialing as alice (the user every test peer knows).
 public:
  static RASDIALPARAMSA params(const char* entry, const char* password = "secret",
                               const char* user = "alice") {
    RASDIALPARAMSA p{};
    p.dwSize = sizeof(p);
    std::snprintf(p.szEntryName, sizeof(p.szEntryName), "%s", entry);
    std::snprintf(p.szUserName, sizeof(p.szUserName), "%s", user);
    std::snprintf(p.szPassword, sizeof(p.szPassword), "%s", password);
    return p;
  }

 protected:
  // Dials synchronously and expects `error`; whatever the result, nothing may be left behind.
  // The entry's pre-shared key, saved as RasSetCredentials(RASCM_PreSharedKey) saves it.
  static void save_psk(const std::string& pbk, const char* name, const char* key) {
    RASCREDENTIALSA c{};
    c.dwSize = sizeof c;
    c.dwMask = RASCM_PreSharedKey;
    std::snprintf(c.szPassword, sizeof c.szPassword, "%s", key);
    ASSERT_EQ(RasSetCredentialsA(pbk.c_str(), name, &c, FALSE), 0u);
  }
  void expect_dial_fails(const std::string& pbk, const char* entry, DWORD error,
                         const char* password = "secret") {
    auto p = params(entry, password);
    HRASCONN h = nullptr;
    EXPECT_EQ(RasDialA(nullptr, pbk.c_str(), &p, 0, nullptr, &h), error) << rasmand_log();
    if (h) {
      RASCONNSTATUSA st{};
      st.dwSize = sizeof(st);
      if (RasGetConnectStatusA(h, &st) == 0) {
        EXPECT_EQ(st.dwError, error);
      }
      EXPECT_EQ(RasHangUpA(h), 0u) << rasmand_log();
      EXPECT_TRUE(wait_until_gone(h));
    }
    EXPECT_TRUE(interface_gone(entry)) << links();
  }

  // Megabytes of random data up through the tunnel to the server's side and back down,
  // compared octet for octet (the TUN offloads cut and merge TCP segments on the way).
  void expect_bulk_data_intact(const std::string& server_ns) {
    const std::string src = dir_ + "/bulk.src", up = dir_ + "/bulk.up", down = dir_ + "/bulk.down";
    capture("head -c 12000000 /dev/urandom > " + src);
    auto wait_exit = [](pid_t& pid) {
      int status = 0;
      for (int i = 0; i < 3000 && waitpid(pid, &status, WNOHANG) == 0; ++i) usleep(10000);
      testing::stop_process(pid);
    };
    const std::string at = std::string(NetnsPair::kBehindServer);
    pid_t sink = testing::spawn({"ip", "netns", "exec", server_ns, "socat", "-u",
                                 "TCP-LISTEN:9100,reuseaddr,bind=" + at, "CREATE:" + up});
    pid_t source = testing::spawn({"ip", "netns", "exec", server_ns, "socat", "-u", "OPEN:" + src,
                                   "TCP-LISTEN:9101,reuseaddr,bind=" + at});
    usleep(300000);
    run_in_netns(client_ns_, "socat -u OPEN:" + src + " TCP:" + at + ":9100");
    wait_exit(sink);
    run_in_netns(client_ns_, "socat -u TCP:" + at + ":9101 CREATE:" + down);
    wait_exit(source);
    const std::string original = slurp(src);
    ASSERT_EQ(original.size(), 12000000u);
    EXPECT_TRUE(slurp(up) == original) << "upward: " << slurp(up).size() << " octets arrived";
    EXPECT_TRUE(slurp(down) == original) << "downward: " << slurp(down).size() << " octets arrived";
  }

  std::string rasmand_log() const { return slurp(dir_ + "/rasmand.log"); }
  std::string links() const { return run_in_netns(client_ns_, "ip -o link show"); }
  bool interface_gone(const std::string& name) const {
    return links().find(" " + name + ":") == std::string::npos;
  }
  // An HTTP GET to the responder behind the server. The request side stays open until the
  // answer is in: SoftEther's SecureNAT drops a connection whose client half-closes before the
  // server has answered.
  std::string fetch() const {
    return run_in_netns(client_ns_,
                        "timeout 10 bash -c 'exec 3<>/dev/tcp/192.168.40.1/8080; "
                        "printf \"GET / HTTP/1.0\\r\\n\\r\\n\" >&3; cat <&3'");
  }

  std::string client_ns_, dir_, socket_, resolv_;
  pid_t daemon_ = -1;
};

}  // namespace openras::testing
