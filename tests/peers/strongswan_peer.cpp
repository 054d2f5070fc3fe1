#include "strongswan_peer.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../support/process.hpp"

namespace openras::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCharon = "/usr/lib/ipsec/charon";

// The certificates, made once per test process with strongSwan's pki (about a second).
std::string make_pki() {
  char tmpl[] = "/tmp/openras-ike-pki-XXXXXX";
  if (!mkdtemp(tmpl)) return {};
  const std::string d = tmpl;
  const std::string script =
      "set -e; cd " + d +
      "; pki --gen --type rsa --size 2048 --outform pem > ca.key"
      "; pki --self --ca --lifetime 3650 --in ca.key --type rsa --dn 'C=XX, O=Test, CN=OpenRAS "
      "Test IKE CA' --outform pem > ca.pem"
      "; pki --gen --type rsa --size 2048 --outform pem > server.key"
      "; pki --pub --in server.key --type rsa | pki --issue --lifetime 1825 --cacert ca.pem "
      "--cakey ca.key --dn 'C=XX, O=Test, CN=" +
      std::string(NetnsPair::kHost) + "' --san " + NetnsPair::kHost + " --san " +
      NetnsPair::kServerAddress +
      " --flag serverAuth --flag ikeIntermediate --outform pem > server.pem"
      "; pki --gen --type rsa --size 2048 --outform pem > client.key"
      "; pki --pub --in client.key --type rsa | pki --issue --lifetime 1825 --cacert ca.pem "
      "--cakey ca.key --dn 'C=XX, O=Test, CN=laptop.openras.test' --san laptop.openras.test "
      "--flag clientAuth --outform pem > client.pem"
      "; pki --gen --type ecdsa --size 256 --outform pem > client-ec.key"
      "; pki --pub --in client-ec.key --type ecdsa | pki --issue --lifetime 1825 --cacert ca.pem "
      "--cakey ca.key --dn 'C=XX, O=Test, CN=tablet.openras.test' --san tablet.openras.test "
      "--flag clientAuth --outform pem > client-ec.pem"
      "; pki --gen --type rsa --size 2048 --outform pem > other-ca.key"
      "; pki --self --ca --lifetime 3650 --in other-ca.key --type rsa --dn 'C=XX, O=Other, "
      "CN=Unrelated CA' --outform pem > other-ca.pem";
  std::ofstream(d + "/mk.sh") << script << "\n";
  if (quiet("sh " + d + "/mk.sh") != 0) return {};
  return d;
}

std::string strongswan_conf(const std::string& d) {
  return "charon {\n"
         "  load_modular = no\n"
         "  load = random nonce openssl kdf pem pkcs1 x509 revocation constraints pubkey "
         "kernel-libipsec kernel-netlink socket-default vici eap-identity eap-mschapv2\n"
         "  threads = 16\n"
         "  install_virtual_ip = yes\n"
         "  plugins {\n"
         "    vici { socket = unix://" +
         d +
         "/charon.vici }\n"
         "    kernel-libipsec { allow_peer_ts = no }\n"
         "    openssl { load_legacy = yes }\n"
         "  }\n"
         "  syslog { daemon { default = -1 } }\n"
         "  filelog {\n"
         "    srv {\n"
         "      path = " +
         d +
         "/charon.log\n"
         "      time_format = %H:%M:%S\n"
         "      ike_name = yes\n"
         "      append = no\n"
         "      flush_line = yes\n"
         "      default = 1\n"
         "      ike = 2\n"
         "      cfg = 2\n"
         "      knl = 1\n"
         "      esp = 1\n"
         "    }\n"
         "  }\n"
         "}\n"
         "swanctl { load = pem pkcs1 x509 revocation constraints pubkey openssl random }\n";
}

// charon's settings in `d`, logging to `d`/charon.log (`tag` names the log section).
std::string charon_conf(const std::string& d, const std::string& tag) {
  std::string c = strongswan_conf(d);
  const std::string from = "    srv {";
  c.replace(c.find(from), from.size(), "    " + tag + " {");
  return c;
}

std::string connection(const std::string& name, const std::string& local_auth,
                       const std::string& remote_auth, const CharonOptions& o) {
  std::string c = "  " + name +
                  " {\n    version = 2\n    local_addrs = " + NetnsPair::kServerAddress +
                  "\n    pools = pool4\n";
  c += "    proposals = " +
       (o.ike_proposals.empty() ? std::string("default, aes256-aes128-3des-sha256-sha1-modp1024")
                                : o.ike_proposals) +
       "\n";
  if (!o.ike_lifetime.empty()) {
    c += "    rekey_time = " + o.ike_lifetime + "\n    over_time = 60s\n    rand_time = 0\n";
  }
  c += "    local {\n" + local_auth + "      id = " + NetnsPair::kHost + "\n    }\n";
  c += "    remote {\n" + remote_auth + "    }\n";
  c += "    children {\n      net {\n        local_ts = 0.0.0.0/0\n"
       "        esp_proposals = aes128gcm16-aes192gcm16-aes256gcm16, default, 3des-sha1\n";
  if (!o.child_lifetime.empty()) {
    c += "        rekey_time = " + o.child_lifetime +
         "\n        life_time = 60s\n        rand_time = 0\n";
  }
  c += o.extra_children;
  c += "      }\n    }\n  }\n";
  return c;
}

std::string swanctl_conf(const CharonOptions& o) {
  std::string s = "connections {\n";
  s += connection("eap", "      auth = pubkey\n      certs = server.pem\n",
                  "      auth = eap-mschapv2\n      eap_id = %any\n", o);
  s += connection("psk", "      auth = psk\n", "      auth = psk\n      id = %any\n", o);
  s += connection("cert", "      auth = pubkey\n      certs = server.pem\n",
                  "      auth = pubkey\n      cacerts = ca.pem\n      id = %any\n", o);
  s += "}\npools {\n  pool4 {\n    addrs = 10.99.0.0/24\n    dns = 10.98.0.53, 10.98.0.54\n  }\n}\n"
       "secrets {\n  eap-alice {\n    id = alice\n    secret = secret\n  }\n"
       "  ike-any {\n    secret = " +
       std::string(StrongSwanPeer::kPsk) +
       "\n  }\n"
       "  private-server {\n    file = server.key\n  }\n}\n";
  return s;
}

void make_swanctl_dirs(const std::string& d) {
  for (const char* sub :
       {"run", "swanctl/x509ca", "swanctl/x509", "swanctl/private", "swanctl/x509ocsp",
        "swanctl/x509aa", "swanctl/x509ac", "swanctl/x509crl", "swanctl/pubkey", "swanctl/rsa",
        "swanctl/ecdsa", "swanctl/bliss", "swanctl/pkcs8", "swanctl/pkcs12"}) {
    fs::create_directories(d + "/" + sub);
  }
}

// charon in `ns` with `d`/strongswan.conf and a private /run (its pidfile is /run/charon.pid,
// whatever it is told), then swanctl --load-all from `d`/swanctl. Its PID, or -1.
pid_t start_charon(const std::string& ns, const std::string& d) {
  pid_t pid =
      spawn({"ip", "netns", "exec", ns, "sh", "-c",
             "mount --bind " + d + "/run /run && rm -f /run/charon.pid && STRONGSWAN_CONF=" + d +
                 "/strongswan.conf exec " + kCharon},
            d + "/charon.out", d + "/charon.out");
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    up = fs::exists(d + "/charon.vici") &&
         quiet("STRONGSWAN_CONF=" + d + "/strongswan.conf timeout 2 swanctl --stats --uri unix://" +
               d + "/charon.vici") == 0;
    if (!up) usleep(50000);
  }
  if (up && quiet("SWANCTL_DIR=" + d + "/swanctl STRONGSWAN_CONF=" + d +
                  "/strongswan.conf timeout 10 swanctl --load-all --noprompt --uri unix://" + d +
                  "/charon.vici") == 0) {
    return pid;
  }
  stop_process(pid);
  return -1;
}

}  // namespace

StrongSwanClient::StrongSwanClient(const std::string& client_netns, const std::string& dir)
    : ns_(client_netns), dir_(dir) {}

StrongSwanClient::~StrongSwanClient() {
  stop();
}

bool StrongSwanClient::start() {
  make_swanctl_dirs(dir_);
  std::ofstream(dir_ + "/strongswan.conf") << charon_conf(dir_, "cli");
  std::ofstream(dir_ + "/swanctl/swanctl.conf")
      << "connections {\n  c-psk {\n    version = 2\n    remote_addrs = "
      << NetnsPair::kServerAddress
      << "\n    vips = 0.0.0.0\n    local {\n      auth = psk\n      id = "
         "sw-client@example.test\n    }\n    remote {\n      auth = psk\n      id = "
      << NetnsPair::kHost
      << "\n    }\n    children {\n      c-psk {\n        remote_ts = " << NetnsPair::kBehindServer
      << "/32\n        esp_proposals = aes128gcm16\n      }\n    }\n  }\n}\n"
         "secrets {\n  ike-any {\n    secret = "
      << StrongSwanPeer::kPsk << "\n  }\n}\n";
  pid_ = start_charon(ns_, dir_);
  return pid_ > 0;
}

bool StrongSwanClient::connect() {
  return quiet("STRONGSWAN_CONF=" + dir_ +
               "/strongswan.conf timeout 20 swanctl --initiate --child "
               "c-psk --uri unix://" +
               dir_ + "/charon.vici") == 0;
}

void StrongSwanClient::stop() {
  if (pid_ > 0) stop_process(pid_);
}

std::string StrongSwanClient::log() const {
  return slurp(dir_ + "/charon.log");
}

std::string StrongSwanPeer::pki_dir() {
  static const std::string dir = make_pki();
  return dir;
}

bool StrongSwanPeer::available(std::string* why) {
  auto fail = [&](const char* reason) {
    if (why) *why = reason;
    return false;
  };
  if (geteuid() != 0) return fail("needs root for network namespaces");
  if (access(kCharon, X_OK) != 0) return fail("strongSwan's charon is not installed");
  if (quiet("command -v swanctl") != 0 || quiet("command -v pki") != 0) {
    return fail("swanctl or pki is not installed");
  }
  if (quiet("command -v socat") != 0) return fail("socat is not installed");
  if (pki_dir().empty()) return fail("could not make the test certificates");
  return true;
}

StrongSwanPeer::StrongSwanPeer() : net_("ike") {
  if (!net_.ready()) return;
  http_pid_ = spawn_http_responder(net_.server_netns(), NetnsPair::kBehindServer, 8080, net_.dir(),
                                   "hello through ikev2\r\n");
  ready_ = true;
}

StrongSwanPeer::~StrongSwanPeer() {
  stop();
  stop_process(http_pid_);
}

bool StrongSwanPeer::start(const CharonOptions& options) {
  stop();
  const std::string d = net_.dir() + "/charon";
  make_swanctl_dirs(d);
  const std::string pki = pki_dir();
  std::error_code ec;
  fs::copy_file(pki + "/ca.pem", d + "/swanctl/x509ca/ca.pem", fs::copy_options::overwrite_existing,
                ec);
  fs::copy_file(pki + "/server.pem", d + "/swanctl/x509/server.pem",
                fs::copy_options::overwrite_existing, ec);
  fs::copy_file(pki + "/server.key", d + "/swanctl/private/server.key",
                fs::copy_options::overwrite_existing, ec);
  fs::permissions(d + "/swanctl/private/server.key", fs::perms::owner_read | fs::perms::owner_write,
                  ec);
  std::ofstream(d + "/strongswan.conf") << charon_conf(d, "srv");
  std::ofstream(d + "/swanctl/swanctl.conf") << swanctl_conf(options);
  fs::remove(d + "/charon.vici", ec);
  charon_pid_ = start_charon(net_.server_netns(), d);
  return charon_pid_ > 0;
}

void StrongSwanPeer::stop() {
  if (charon_pid_ <= 0) return;
  kill(charon_pid_, SIGCONT);
  kill(charon_pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 50; ++i) {
    if (waitpid(charon_pid_, &status, WNOHANG) == charon_pid_) {
      charon_pid_ = -1;
      return;
    }
    usleep(100000);
  }
  kill(charon_pid_, SIGKILL);
  waitpid(charon_pid_, &status, 0);
  charon_pid_ = -1;
}

void StrongSwanPeer::freeze() {
  if (charon_pid_ > 0) kill(charon_pid_, SIGSTOP);
}

void StrongSwanPeer::kill_hard() {
  if (charon_pid_ <= 0) return;
  kill(charon_pid_, SIGKILL);
  waitpid(charon_pid_, nullptr, 0);
  charon_pid_ = -1;
  // kernel-libipsec's TUN goes with the process.
}

std::string StrongSwanPeer::swanctl(const std::string& args) const {
  const std::string d = net_.dir() + "/charon";
  return capture("STRONGSWAN_CONF=" + d + "/strongswan.conf timeout 5 swanctl " + args +
                 " --uri unix://" + d + "/charon.vici 2>&1");
}

std::string StrongSwanPeer::log() const {
  return slurp(net_.dir() + "/charon/charon.log");
}

}  // namespace openras::testing
