// strongSwan 5.9.8 (charon with kernel-libipsec: IKEv2 and ESP-in-UDP in userspace) as the
// IKEv2 responder in the server namespace of a NetnsPair, from Debian's packages, set up as
// ../shared/peers-ipsec.md records: a test CA and a server certificate naming
// vpn.openras.test and 10.201.0.2; connections "eap" (server certificate + EAP-MSCHAPv2,
// alice/secret) and "psk" (key "vpnpsk" both ways); addresses from 10.99.0.0/24 and name
// servers 10.98.0.53/.54; the HTTP responder behind it on 192.168.40.1:8080. Needs root.
#pragma once

#include <sys/types.h>

#include <string>

#include "netns_pair.hpp"

namespace openras::testing {

struct CharonOptions {
  std::string child_lifetime;  // e.g. "8s": CHILD_SA rekeys under traffic
  std::string ike_lifetime;    // e.g. "4s": IKE SA rekeys
  std::string extra_children;  // more swanctl "children" settings, one per line
  std::string ike_proposals;   // replaces the IKE proposals ("" keeps the recipe's)
};

class StrongSwanPeer {
 public:
  static bool available(std::string* why = nullptr);
  StrongSwanPeer();
  ~StrongSwanPeer();
  StrongSwanPeer(const StrongSwanPeer&) = delete;
  StrongSwanPeer& operator=(const StrongSwanPeer&) = delete;

  bool ready() const { return ready_; }
  // Starts charon and loads the configuration; true once it answers on vici.
  bool start(const CharonOptions& options = {});
  void stop();
  void freeze();  // SIGSTOP: a server that has gone silent
  void kill_hard();
  // swanctl against the running charon ("--list-sas", ...).
  std::string swanctl(const std::string& args) const;
  std::string log() const;

  const std::string& client_netns() const { return net_.client_netns(); }
  const std::string& server_netns() const { return net_.server_netns(); }
  const std::string& dir() const { return net_.dir(); }
  // The CA that issued the server's certificate (for rasmand's "system" store).
  std::string ca_file() const { return pki_dir() + "/ca.pem"; }
  // A client certificate and key the CA issued (CN and DNS name laptop.openras.test).
  std::string client_cert_file() const { return pki_dir() + "/client.pem"; }
  std::string client_key_file() const { return pki_dir() + "/client.key"; }
  // The same with an ECDSA P-256 key (CN tablet.openras.test).
  std::string ecdsa_cert_file() const { return pki_dir() + "/client-ec.pem"; }
  std::string ecdsa_key_file() const { return pki_dir() + "/client-ec.key"; }
  // A CA that issued nothing here.
  std::string other_ca_file() const { return pki_dir() + "/other-ca.pem"; }

  static constexpr const char* kHttpUrl = "http://192.168.40.1:8080/";
  static constexpr const char* kPsk = "vpnpsk";

 private:
  static std::string pki_dir();
  NetnsPair net_;
  pid_t http_pid_ = -1;
  pid_t charon_pid_ = -1;
  bool ready_ = false;
};

// strongSwan's own userspace client (a second charon with kernel-libipsec) in a client
// namespace: the client a Linux user would pick instead, for the benchmark. It dials the
// peer's "psk" connection with `remote_ts` = the service address behind the server only.
class StrongSwanClient {
 public:
  StrongSwanClient(const std::string& client_netns, const std::string& dir);
  ~StrongSwanClient();
  bool start();    // charon up and the connection loaded
  bool connect();  // swanctl --initiate: true once the CHILD_SA is up
  void stop();
  pid_t pid() const { return pid_; }
  std::string log() const;

 private:
  std::string ns_, dir_;
  pid_t pid_ = -1;
};

}  // namespace openras::testing
