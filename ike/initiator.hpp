// The IKEv2 initiator (RFC 7296), sans-I/O: IKE messages and the time in; IKE messages, the
// next deadline and events out. It sets up one IKE SA and its CHILD_SA with EAP-MSCHAPv2
// (the server proved by its certificate) or a pre-shared key, asks for an address and name
// servers, answers the server's INFORMATIONAL and CREATE_CHILD_SA requests (liveness, MOBIKE
// updates, deletes, CHILD_SA rekeys), checks liveness itself and deletes the SA on close.
// The UDP port, the non-ESP marker and the ESP data path are its host's (dial/Ikev2Dial).
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "ike/auth.hpp"
#include "ike/esp.hpp"
#include "ike/message.hpp"
#include "ike/sk_payload.hpp"
#include "ppp/eap.hpp"
#include "ppp/types.hpp"

namespace openras::ike {

struct InitiatorConfig {
  enum class Method { Eap, PreSharedKey, Certificate };
  Method method = Method::Eap;
  std::string pre_shared_key;
  std::string user;  // EAP
  std::string password;
  std::string local_id;            // IDi; empty: the user name (EAP) or "openras" (PSK)
  std::uint8_t local_id_type = 0;  // 0: RFC822 with an '@', IPv4 for an address, else FQDN
  std::string remote_id;           // IDr to send (FQDN); empty: none
  std::string server_name;         // what the server's certificate must name
  bool skip_name_eku = false;      // RASEO2_DisableIKENameEkuCheck
  const CertificateVerifier* verifier = nullptr;  // required for EAP and certificates
  const Signer* signer = nullptr;                 // our certificate and key (Certificate)
  // In the order strongSwan prefers them, so that the first KE is usually taken.
  std::vector<std::uint16_t> dh_groups{dh::kCurve25519, dh::kEcp256, dh::kEcp384, dh::kModp2048};
  bool fragmentation = true;
  std::size_t fragment_limit = 1248;  // a 1,280-octet path less IP, UDP and the marker
  bool mobike = true;
  std::uint32_t server_ipv4 = 0;  // host order, for NAT detection
  std::uint16_t server_port = 4500;
  Duration retransmit_first = std::chrono::milliseconds(500);
  int transmissions = 6;  // of one request before the peer counts as gone
  Duration liveness_after = std::chrono::seconds(30);  // quiet that starts a liveness check
  // Our own rekeys (the server's are answered whenever they come): a CHILD_SA after an hour,
  // as Windows' quick-mode lifetime, the IKE SA after eight hours, as Windows' main mode.
  Duration child_rekey_after = std::chrono::hours(1);
  Duration ike_rekey_after = std::chrono::hours(8);
};

struct NetworkConfig {
  std::uint32_t ip = 0;  // host order
  std::vector<std::uint32_t> dns;
  std::string dns_domain;
  std::vector<TrafficSelector> remote_ts;
};

namespace event {
struct SaInitDone {};
struct Authenticated {};
struct Established {
  NetworkConfig network;
};
// A CHILD_SA to carry data (the first, or a rekeyed one that now takes outbound traffic).
struct ChildUp {
  std::shared_ptr<EspSa> esp;
};
// The CHILD_SA with this inbound SPI is gone (deleted after a rekey).
struct ChildDown {
  std::uint32_t spi_in = 0;
};
struct Failed {
  std::uint32_t error = 0;  // Win32
};
struct Closed {};
}  // namespace event
using Event = std::variant<event::SaInitDone, event::Authenticated, event::Established,
                           event::ChildUp, event::ChildDown, event::Failed, event::Closed>;

class Initiator {
 public:
  Initiator(InitiatorConfig config, ppp::Random& random);
  ~Initiator();

  void start(TimePoint now);
  // One IKE message (after the non-ESP marker).
  void receive(ByteView message, TimePoint now);
  void on_timer(TimePoint now);
  std::optional<TimePoint> next_deadline() const;
  // The next IKE message to send.
  bool poll_message(Bytes& out);
  std::optional<Event> poll_event();
  // Deletes the IKE SA (when there is one) and ends with Closed.
  void close(TimePoint now);
  // Something arrived from the peer (ESP counts): no liveness check is due.
  void peer_alive(TimePoint now) { last_heard_ = now; }

  bool established() const { return phase_ == Phase::Established; }
  // Rekeys the CHILD_SA now (its sequence numbers are running out).
  void rekey_child_soon() { child_rekey_at_ = TimePoint{}; }
  const std::string& server_message() const { return server_message_; }

 private:
  enum class Phase { Idle, SaInit, Auth, Established, Closing, Done };
  enum class Step {
    SaInit,
    AuthFirst,
    Eap,
    EapAuth,
    Liveness,
    Delete,
    Informational,
    ChildRekey,
    ChildDelete,
    IkeRekey
  };
  struct Pending {
    std::uint32_t message_id = 0;
    Step step = Step::SaInit;
    std::vector<Bytes> datagrams;
    int sent = 0;
    TimePoint next;
  };

  void send_sa_init(TimePoint now);
  void on_sa_init_response(ByteView message, TimePoint now);
  void send_auth_first(TimePoint now);
  void on_auth_response(const SkCodec::Opened& m, TimePoint now);
  void on_eap(ByteView eap, TimePoint now);
  // The server's certificate chain and its AUTH signature over `octets`; fails the dial if not.
  bool verify_server(const SkCodec::Opened& m, const Bytes& octets);
  Bytes eap_msk() const;
  // The server is proved: report it, take the CHILD_SA, start the rekey timers.
  void authenticated(const PayloadChain& chain, TimePoint now);
  void send_eap_auth(TimePoint now);
  bool take_child(const PayloadChain& chain);
  void on_request(const SkCodec::Opened& m, TimePoint now);
  void answer_informational(const SkCodec::Opened& m, TimePoint now);
  void answer_create_child(const SkCodec::Opened& m, TimePoint now);
  void answer_ike_rekey(const SkCodec::Opened& m, const std::vector<Proposal>& offer);
  // Rekeys of our own (initiator_rekey.cpp).
  void start_due_rekeys(TimePoint now);
  void on_child_rekeyed(const SkCodec::Opened& m, TimePoint now);
  void on_child_deleted(const SkCodec::Opened& m);
  void on_ike_rekeyed(const SkCodec::Opened& m, TimePoint now);
  void rekeys_from(TimePoint now);
  void adopt_ike_sa(std::uint64_t spi_i, std::uint64_t spi_r, bool original_initiator,
                    std::optional<IkeSaKeys> keys, std::unique_ptr<SkCodec> codec);
  void on_retired(ByteView message, const Header& h);
  void respond(std::uint32_t message_id, std::uint8_t exchange, const ChainBuilder& inner);
  // The I flag is the original initiator's: after the server rekeys the IKE SA, it is the
  // new SA's original initiator (RFC 7296 2.18).
  std::uint8_t own_flags() const { return original_initiator_ ? flag::kInitiator : 0; }
  void request(Step step, std::uint8_t exchange, const ChainBuilder& inner, TimePoint now);
  void transmit(Pending& p, TimePoint now);
  void fail(std::uint32_t error);
  void finish_close();
  Bytes id_payload() const;
  std::optional<std::uint32_t> error_notify(const PayloadChain& chain) const;

  InitiatorConfig config_;
  ppp::Random& random_;
  Phase phase_ = Phase::Idle;
  std::uint64_t spi_i_ = 0, spi_r_ = 0;
  bool original_initiator_ = true;
  // The IKE SA a server-started rekey replaced, kept to answer what still comes on it (its
  // Delete, a repeat of the rekey request).
  struct RetiredSa {
    std::uint64_t spi_i = 0, spi_r = 0;
    bool original_initiator = true;
    std::unique_ptr<SkCodec> codec;
    std::uint32_t peer_next_id = 0;
    std::vector<Bytes> last_response;
  };
  std::optional<RetiredSa> retired_;
  Bytes nonce_i_, nonce_r_;
  std::unique_ptr<KeyExchange> ke_;
  std::uint16_t group_ = 0;
  Bytes cookie_;
  int restarts_ = 0;
  Bytes message1_, message2_;
  std::optional<IkeSaKeys> keys_;
  std::unique_ptr<SkCodec> codec_;
  bool peer_fragments_ = false;
  std::uint32_t next_id_ = 0;       // our next request's message ID
  std::uint32_t peer_next_id_ = 0;  // the peer's next request's message ID
  std::vector<Bytes> last_response_;
  std::optional<Pending> pending_;
  struct Queued {
    Step step;
    std::uint8_t exchange;
    ChainBuilder inner;
  };
  std::deque<Queued> queued_;  // requests waiting for the window (one at a time)
  std::deque<Bytes> out_;
  std::deque<Event> events_;
  std::uint32_t child_spi_in_ = 0;
  std::vector<std::uint32_t> child_spis_in_;  // every live CHILD_SA's inbound SPI
  std::vector<std::uint32_t> child_spis_out_;
  // EAP (inside IKE_AUTH).
  ppp::SessionConfig eap_config_;
  ppp::Negotiated eap_negotiated_;
  std::deque<ppp::OutPacket> eap_out_;
  std::unique_ptr<ppp::EapPeer> eap_;
  bool server_verified_ = false;
  Bytes idr_body_;  // the server's ID payload body, for its AUTH
  std::string server_message_;
  TimePoint last_heard_{};
  std::optional<TimePoint> close_deadline_;
  std::optional<TimePoint> orphaned_since_;  // the last CHILD_SA went at this time
  std::optional<TimePoint> child_rekey_at_, ike_rekey_at_;
  // What a rekey of ours is waiting for: the new CHILD_SA's SPI and our nonce; the IKE SA's
  // SPI, nonce and key exchange; the CHILD_SA being replaced.
  std::uint32_t rekey_spi_in_ = 0, replaced_spi_in_ = 0;
  std::uint64_t rekey_ike_spi_ = 0;
  Bytes rekey_nonce_;
  std::unique_ptr<KeyExchange> rekey_ke_;
};

}  // namespace openras::ike
