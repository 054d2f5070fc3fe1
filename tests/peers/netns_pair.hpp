// Two fresh network namespaces joined by a veth pair, for a dialer and a server: client
// 10.201.0.1, server 10.201.0.2, which the client namespace's /etc/hosts (ip netns exec binds
// /etc/netns/NAME/hosts) calls vpn.openras.test. Behind the server, on its loopback, an
// address for the HTTP responder that tests fetch through the tunnel. Needs root.
#pragma once

#include <string>

namespace openras::testing {

class NetnsPair {
 public:
  // `tag` names the namespaces and the scratch directory ("sstp" -> openras-sstp-c-PID-N).
  explicit NetnsPair(const std::string& tag);
  ~NetnsPair();
  NetnsPair(const NetnsPair&) = delete;
  NetnsPair& operator=(const NetnsPair&) = delete;

  bool ready() const { return ready_; }
  const std::string& client_netns() const { return client_ns_; }
  const std::string& server_netns() const { return server_ns_; }
  const std::string& dir() const { return dir_; }

  static constexpr const char* kHost = "vpn.openras.test";
  static constexpr const char* kClientAddress = "10.201.0.1";
  static constexpr const char* kServerAddress = "10.201.0.2";
  static constexpr const char* kBehindServer = "192.168.40.1";  // on the server's lo

 private:
  std::string dir_, client_ns_, server_ns_, hosts_dir_;
  bool ready_ = false;
};

// Runs a shell command with its output discarded; its exit status.
int quiet(const std::string& command);
std::string slurp(const std::string& path);

}  // namespace openras::testing
