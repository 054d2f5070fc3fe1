// The real L2TP servers from Debian, each in the server namespace of a NetnsPair, with the
// HTTP responder behind them on 192.168.40.1:8080 (see ../shared/peers.md):
// - SoftEther VPN Server's raw L2TP: hub TEST, user alice/secret, SecureNAT handing out
//   192.168.30.10. Its configuration is built once per test process with vpncmd and restored
//   before every start, and the server is restarted per test (its two-tunnel bug).
// - l2tpns, authenticating through a FreeRADIUS of our own on the server's loopback.
// Needs root. The servers daemonize: they are stopped by the PIDs found in our namespace.
#pragma once

#include <sys/types.h>

#include <string>

#include "netns_pair.hpp"

namespace openras::testing {

class L2tpServerPeer {
 public:
  virtual ~L2tpServerPeer();
  L2tpServerPeer(const L2tpServerPeer&) = delete;
  L2tpServerPeer& operator=(const L2tpServerPeer&) = delete;

  bool ready() const { return ready_; }
  const std::string& client_netns() const { return net_.client_netns(); }
  const std::string& server_netns() const { return net_.server_netns(); }
  const std::string& dir() const { return net_.dir(); }
  static constexpr const char* kHttpUrl = "http://192.168.40.1:8080/";
  // Stops every process left in the server namespace but the HTTP responder: SIGTERM, then
  // SIGKILL after `grace_ms`.
  void stop_namespace_processes(int grace_ms = 2000);

 protected:
  explicit L2tpServerPeer(const std::string& tag);
  bool wait_for_udp_listener(int port, int timeout_ms);

  NetnsPair net_;
  pid_t http_pid_ = -1;
  bool ready_ = false;
};

class SoftEtherPeer final : public L2tpServerPeer {
 public:
  static bool available(std::string* why = nullptr);
  SoftEtherPeer();
  ~SoftEtherPeer() override;
  // Starts the server from the saved configuration; true once UDP 1701 listens.
  bool start();
  // True once its IPsec side (UDP 500 and 4500, pre-shared key "vpn") listens too.
  bool wait_for_ipsec() {
    return wait_for_udp_listener(500, 10000) && wait_for_udp_listener(4500, 10000);
  }
  static constexpr const char* kPsk = "vpn";
  void stop();
  // vpncmd against the running server's hub TEST.
  std::string vpncmd(const std::string& command);
  static constexpr const char* kAddress = "192.168.30.10";  // what SecureNAT hands out
};

class L2tpnsPeer final : public L2tpServerPeer {
 public:
  static bool available(std::string* why = nullptr);
  // `l2tp_secret` empty: no tunnel authentication.
  explicit L2tpnsPeer(const std::string& l2tp_secret = "");
  ~L2tpnsPeer() override;
  std::string log() const;
  static constexpr const char* kPoolPrefix = "10.10.10.";  // its default /etc/l2tpns/ip_pool

 private:
  pid_t radius_pid_ = -1;
  pid_t l2tpns_pid_ = -1;
};

}  // namespace openras::testing
