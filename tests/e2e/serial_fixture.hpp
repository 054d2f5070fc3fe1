// The serial end-to-end fixture: rasmand in a network namespace of its own, a private socket,
// resolv.conf and state directory, and a phonebook entry "Slirp" on a given port.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../peers/slirp_peer.hpp"
#include "../support/process.hpp"
#include "client/channel.hpp"
#include "ras.h"

namespace openras::testing {

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class SerialE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!SlirpPeer::available(&why)) GTEST_SKIP() << why;
    static std::atomic<int> counter{0};
    char tmpl[] = "/tmp/openras-e2e-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    netns_ = "openras-e2e-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
    ASSERT_EQ(std::system(("ip netns add " + netns_).c_str()), 0);
    std::system(("ip netns exec " + netns_ + " ip link set lo up").c_str());
    resolv_ = dir_ + "/resolv.conf";
    std::ofstream(resolv_) << "nameserver 192.0.2.53\n";
    socket_ = dir_ + "/rasmand.sock";
    setenv("OPENRAS_SOCKET", socket_.c_str(), 1);
    setenv("OPENRAS_NO_SPAWN", "1", 1);
    start_daemon({"--quiet"}, "/dev/null");
  }

  // rasmand in the client namespace, with these extra options and its stderr in `log`.
  void start_daemon(const std::vector<std::string>& extra, const std::string& log) {
    if (daemon_ > 0) {
      kill(daemon_, SIGTERM);
      waitpid(daemon_, nullptr, 0);
      client::reset_this_thread_channel();
      std::filesystem::remove(socket_);
    }
    daemon_ =
        spawn_rasmand_in_netns(netns_, OPENRAS_RASMAND_PATH, socket_, resolv_, dir_, log, extra);
    for (int i = 0; i < 500 && !std::filesystem::exists(socket_); ++i) usleep(2000);
  }

  void TearDown() override {
    client::reset_this_thread_channel();
    if (daemon_ > 0) {
      kill(daemon_, SIGTERM);
      waitpid(daemon_, nullptr, 0);
    }
    if (!netns_.empty()) std::system(("ip netns del " + netns_ + " 2>/dev/null").c_str());
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  std::string phonebook_with(const std::string& port, const std::string& device_type = "serial",
                             const std::string& extra = "") {
    std::string path = dir_ + "/e2e.pbk";
    std::ofstream(path) << "[Slirp]\r\nEncoding=1\r\nType=3\r\n"
                        << extra << "MEDIA=serial\r\nPort=" << port
                        << "\r\nDevice=slirp\r\nDEVICE=" << device_type
                        << "\r\nPhoneNumber=5551234\r\n";
    return path;
  }

  static RASDIALPARAMSA params() {
    RASDIALPARAMSA p{};
    p.dwSize = sizeof(p);
    std::snprintf(p.szEntryName, sizeof(p.szEntryName), "Slirp");
    return p;
  }

  std::string links() const { return run_in_netns(netns_, "ip -o link show"); }
  std::string routes() const { return run_in_netns(netns_, "ip route show"); }
  bool interface_gone() const { return links().find("Slirp") == std::string::npos; }

  std::string dir_, netns_, socket_, resolv_;
  pid_t daemon_ = -1;
};

}  // namespace openras::testing
