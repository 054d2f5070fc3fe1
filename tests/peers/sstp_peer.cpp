#include "sstp_peer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/process.hpp"
#include "netns_pair.hpp"

#ifndef OPENRAS_SSTP_SERVER_PATH
#define OPENRAS_SSTP_SERVER_PATH "openras-sstp-server"
#endif

namespace openras::testing {
namespace {

TestCertificates make_certificates() {
  TestCertificates c;
  char tmpl[] = "/tmp/openras-certs-XXXXXX";
  if (!mkdtemp(tmpl)) return c;
  c.dir = tmpl;
  const std::string d = c.dir + "/";
  std::ofstream(d + "server.cnf") << "[v3]\nsubjectAltName=DNS:vpn.openras.test,IP:10.201.0.2\n"
                                     "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
  std::ofstream(d + "other.cnf") << "[v3]\nsubjectAltName=DNS:other.openras.test\n"
                                    "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
  const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  bool ok = quiet("openssl req -x509" + ec + " -keyout " + d + "ca.key -out " + d +
                  "ca.pem -days 3 -subj '/CN=OpenRAS Test CA'") == 0 &&
            quiet("openssl req" + ec + " -keyout " + d + "server.key -out " + d +
                  "server.csr -subj '/CN=vpn.openras.test'") == 0 &&
            quiet("openssl x509 -req -in " + d + "server.csr -CA " + d + "ca.pem -CAkey " + d +
                  "ca.key -CAcreateserial -out " + d + "server.pem -days 3 -extfile " + d +
                  "server.cnf -extensions v3") == 0 &&
            quiet("openssl x509 -req -in " + d + "server.csr -CA " + d + "ca.pem -CAkey " + d +
                  "ca.key -CAcreateserial -out " + d + "other.pem -days 3 -extfile " + d +
                  "other.cnf -extensions v3") == 0 &&
            quiet("openssl req -x509 -key " + d + "server.key -out " + d +
                  "untrusted.pem -days 3 -subj '/CN=vpn.openras.test' -addext "
                  "'subjectAltName=DNS:vpn.openras.test,IP:10.201.0.2'") == 0 &&
            quiet("openssl x509 -in " + d + "server.pem -outform DER | sha256sum | cut -c1-64 > " +
                  d + "server.sha256") == 0;
  if (!ok) return c;
  c.ca = d + "ca.pem";
  c.server_cert = d + "server.pem";
  c.server_key = d + "server.key";
  c.untrusted_cert = d + "untrusted.pem";
  c.wrong_name_cert = d + "other.pem";
  c.server_sha256 = slurp(d + "server.sha256").substr(0, 64);
  return c;
}

}  // namespace

const TestCertificates& test_certificates() {
  static const TestCertificates certs = make_certificates();
  return certs;
}

bool SstpPeer::available(std::string* why) {
  auto fail = [&](const char* reason) {
    if (why) *why = reason;
    return false;
  };
  if (geteuid() != 0) return fail("needs root for network namespaces");
  if (quiet("command -v openssl") != 0) return fail("the openssl command is not installed");
  if (quiet("command -v socat") != 0) return fail("socat is not installed");
  if (test_certificates().ca.empty()) return fail("could not make test certificates");
  return true;
}

SstpPeer::SstpPeer() : net_("sstp") {
  if (!net_.ready()) return;
  // The HTTP server behind the SSTP server, on the address the server's TUNs carry.
  http_pid_ = spawn_http_responder(net_.server_netns(), NetnsPair::kBehindServer, 8080, net_.dir(),
                                   "hello through sstp\r\n");
  ready_ = true;
}

SstpPeer::~SstpPeer() {
  stop_server();
  stop_process(http_pid_);
}

bool SstpPeer::start_server(const std::vector<std::string>& extra, const std::string& cert) {
  stop_server();
  const auto& certs = test_certificates();
  std::string ready = net_.dir() + "/server.ready";
  std::filesystem::remove(ready);
  std::vector<std::string> args = {"ip",
                                   "netns",
                                   "exec",
                                   net_.server_netns(),
                                   OPENRAS_SSTP_SERVER_PATH,
                                   "--listen",
                                   "0.0.0.0:443",
                                   "--cert",
                                   cert.empty() ? certs.server_cert : cert,
                                   "--key",
                                   certs.server_key,
                                   "--user",
                                   "alice:secret",
                                   "--ready-file",
                                   ready};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string log = net_.dir() + "/server.log";
  server_pid_ = spawn(args, log, log, O_APPEND);
  for (int i = 0; i < 500; ++i) {
    if (std::filesystem::exists(ready)) return true;
    usleep(2000);
  }
  return false;
}

void SstpPeer::stop_server() {
  if (server_pid_ > 0) kill(server_pid_, SIGCONT);  // a frozen server ends like a running one
  stop_process(server_pid_);
}

void SstpPeer::freeze_server() {
  if (server_pid_ > 0) kill(server_pid_, SIGSTOP);
}

std::string SstpPeer::server_log() const {
  return slurp(net_.dir() + "/server.log");
}

}  // namespace openras::testing
