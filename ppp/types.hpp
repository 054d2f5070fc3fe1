// What a PPP session is configured with, what it negotiated, and the events it emits.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "ppp/bytes.hpp"
#include "ppp/fsm.hpp"

namespace openras::ppp {

constexpr std::uint16_t kProtoIp = 0x0021;
constexpr std::uint16_t kProtoIpv6 = 0x0057;
constexpr std::uint16_t kProtoIpcp = 0x8021;
constexpr std::uint16_t kProtoIpv6cp = 0x8057;
constexpr std::uint16_t kProtoCcp = 0x80FD;
constexpr std::uint16_t kProtoLcp = 0xC021;
constexpr std::uint16_t kProtoPap = 0xC023;
constexpr std::uint16_t kProtoChap = 0xC223;
constexpr std::uint16_t kProtoEap = 0xC227;

constexpr std::uint8_t kChapMd5 = 5;
constexpr std::uint8_t kChapMsV2 = 0x81;

enum class AuthMethod : std::uint8_t { None, Pap, ChapMd5, MsChapV2, EapMsChapV2 };
const char* auth_method_name(AuthMethod m);

// Which methods the client accepts (from the phonebook entry's AuthRestrictions). EAP only
// when the entry names it: Windows offers EAP or the password protocols, and a server that
// offers EAP first (SoftEther: EAP-TLS) falls back to MS-CHAPv2 on a Nak.
struct AuthPolicy {
  bool pap = true;
  bool chap_md5 = true;
  bool mschapv2 = true;
  bool eap_mschapv2 = false;
  bool allows(AuthMethod m) const {
    return (m == AuthMethod::Pap && pap) || (m == AuthMethod::ChapMd5 && chap_md5) ||
           (m == AuthMethod::MsChapV2 && mschapv2) ||
           (m == AuthMethod::EapMsChapV2 && eap_mschapv2);
  }
};

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::uint8_t* out, std::size_t n) = 0;
  std::uint32_t u32() {
    std::uint8_t b[4];
    fill(b, 4);
    return get32(b);
  }
};

// The tiny server role, for back-to-back tests and the project's own SSTP test server.
struct ServerSettings {
  std::vector<AuthMethod> require;  // offered in this order; empty: no authentication
  std::map<std::string, std::string> accounts;
  std::uint32_t local_ip = 0;
  std::uint32_t assign_ip = 0;
  std::uint32_t dns1 = 0;
  std::uint32_t dns2 = 0;
  bool reject_magic = false;  // as SoftEther does
  bool ipv6 = true;
};

struct SessionConfig {
  bool server = false;
  bool framed = true;  // an HDLC link: negotiate ACCM, PFC and ACFC
  std::uint16_t mru = 1500;
  AuthPolicy allowed;
  std::string user;
  std::string password;
  bool ipv4 = true;
  bool ipv6 = true;
  bool want_dns = true;
  std::uint32_t peer_address_hint = 0x0A404040;  // 10.64.64.64, for a server that asks for one
  bool paused_retry = false;  // RDEOPT_PausedStates: a retryable failure pauses for new creds
  Duration echo_interval{0};  // 0: no LCP echo keepalive
  int echo_max_failures = 5;
  FsmConfig fsm;
  Duration auth_timeout = std::chrono::seconds(3);
  int auth_max_requests = 10;
  int loopback_limit = 5;  // consecutive magic-number collisions before we call it a loop
  ServerSettings server_settings;
};

struct Negotiated {
  std::uint16_t peer_mru = 1500;
  std::uint32_t tx_accm = 0xffffffff;
  std::uint32_t rx_accm = 0xffffffff;
  bool tx_pfc = false;
  bool tx_acfc = false;
  std::uint32_t our_magic = 0;
  std::uint32_t peer_magic = 0;
  AuthMethod auth = AuthMethod::None;  // what the peer asked us to do (server: what we did)
  std::string auth_message;            // the server's text (PAP message, CHAP M=...)
  std::uint32_t ip = 0;                // host order
  std::uint32_t peer_ip = 0;
  std::uint32_t dns1 = 0;
  std::uint32_t dns2 = 0;
  bool ipv4_up = false;
  std::uint64_t our_interface_id = 0;
  std::uint64_t peer_interface_id = 0;
  bool ipv6_up = false;
  std::optional<std::array<std::uint8_t, 16>> mppe_master_key;  // MS-CHAPv2, EAP-MSCHAPv2
  std::string peer_user;                                        // server role: who authenticated
};

enum class Phase { Dead, Establish, Authenticate, Network, Running, Terminate };
const char* phase_name(Phase p);

struct Event {
  enum class Kind {
    LinkEstablished,  // LCP opened
    AuthStarted,
    AuthSucceeded,
    AuthRetry,       // paused: resume_authentication() with new credentials
    NetworkStarted,  // NCPs negotiating
    NetworkUp,       // at least one NCP opened; traffic can flow
    Ipv6Up,          // IPV6CP opened after NetworkUp
    Finished,        // the link is down; `error` says why (0: we closed it)
  };
  Kind kind;
  std::uint32_t error = 0;
};

struct Counters {
  std::uint64_t frames_in = 0;
  std::uint64_t frames_out = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::uint64_t malformed = 0;
  std::uint64_t unknown_protocols = 0;
};

}  // namespace openras::ppp
