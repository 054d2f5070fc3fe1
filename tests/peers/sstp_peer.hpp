// Our SSTP server (openras-sstp-server) in a network namespace of its own, reached from a
// client namespace over a veth pair: client 10.201.0.1, server 10.201.0.2, which the client
// namespace's /etc/hosts (ip netns exec binds /etc/netns/NAME/hosts) calls vpn.openras.test.
// Behind the server, in its namespace, a tiny HTTP server on 192.168.40.1:8080 answers
// through each call's TUN interface. Certificates come from a throw-away CA made with the
// openssl command. Needs root.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace openras::testing {

struct TestCertificates {
  std::string dir;
  std::string ca;           // the CA that rasmand trusts (SSL_CERT_FILE)
  std::string server_cert;  // signed by it, for vpn.openras.test and 10.201.0.2
  std::string server_key;
  std::string untrusted_cert;   // self-signed, same names
  std::string wrong_name_cert;  // signed by the CA, for other.openras.test only
  std::string server_sha256;    // hex of the SHA-256 of server_cert (DER)
};

// Made once per process.
const TestCertificates& test_certificates();

class SstpPeer {
 public:
  static bool available(std::string* why = nullptr);
  SstpPeer();
  ~SstpPeer();
  SstpPeer(const SstpPeer&) = delete;
  SstpPeer& operator=(const SstpPeer&) = delete;

  bool ready() const { return ready_; }
  const std::string& client_netns() const { return client_ns_; }
  const std::string& server_netns() const { return server_ns_; }
  // Starts (or restarts) the server with these extra options; the certificate by default is
  // the CA-signed one. True once it listens.
  bool start_server(const std::vector<std::string>& extra = {}, const std::string& cert = "");
  void stop_server();
  std::string server_log() const;
  static constexpr const char* kHost = "vpn.openras.test";
  static constexpr const char* kHttpUrl = "http://192.168.40.1:8080/";

 private:
  std::string dir_, client_ns_, server_ns_, hosts_dir_;
  pid_t server_pid_ = -1;
  pid_t http_pid_ = -1;
  bool ready_ = false;
};

std::string run_in_netns(const std::string& ns, const std::string& command);

}  // namespace openras::testing
