// Our SSTP server (openras-sstp-server) in the server namespace of a NetnsPair. Behind it, in
// its namespace, a tiny HTTP server on 192.168.40.1:8080 answers through each call's TUN
// interface. Certificates come from a throw-away CA made with the
// openssl command. Needs root.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "../support/process.hpp"
#include "netns_pair.hpp"

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
  const std::string& client_netns() const { return net_.client_netns(); }
  const std::string& server_netns() const { return net_.server_netns(); }
  // Starts (or restarts) the server with these extra options; the certificate by default is
  // the CA-signed one. True once it listens.
  bool start_server(const std::vector<std::string>& extra = {}, const std::string& cert = "");
  void stop_server();
  // The server stops answering (its TCP connections stay open): a frozen or blackholed peer.
  void freeze_server();
  std::string server_log() const;
  static constexpr const char* kHost = NetnsPair::kHost;
  static constexpr const char* kHttpUrl = "http://192.168.40.1:8080/";

 private:
  NetnsPair net_;
  pid_t server_pid_ = -1;
  pid_t http_pid_ = -1;
  bool ready_ = false;
};

}  // namespace openras::testing
