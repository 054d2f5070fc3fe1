// The IKEv1 initiator for L2TP/IPsec (RFC 2409 Main Mode with a pre-shared key, Quick Mode for
// a transport-mode ESP SA protecting udp/1701, RFC 3947 NAT traversal, RFC 3706 DPD),
// sans-I/O: IKE messages and the time in; IKE messages, the next deadline and events out.
// It always announces NAT-T and always has the ESP encapsulated in UDP (its host has no
// kernel ESP), so it speaks to port 4500 from the first message. It answers a Quick Mode the
// server starts (SoftEther starts its own every 2 s until a pair works, and rekeys by itself),
// rekeys the ESP SA before it expires, answers and sends DPD, and deletes both SAs on close.
// The UDP port, the non-ESP marker and the ESP data path are its host's (dial/IpsecCarrier).
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "ike/esp.hpp"
#include "ike/ikev1_keys.hpp"
#include "ike/ikev1_message.hpp"
#include "ppp/types.hpp"

namespace openras::ike::v1 {

struct InitiatorConfig {
  std::string pre_shared_key;
  // Host order. Our address and port as the socket has them (IDii, NAT-OAi, NAT-D), the
  // server's as we send to it (IDcr, NAT-OAr, NAT-D).
  std::uint32_t local_ipv4 = 0, server_ipv4 = 0;
  std::uint16_t local_port = 0, server_port = 4500;
  // Windows' Main Mode groups without MODP-1024, which only an entry that asks gets
  // (OpenRasIkeDhGroups), strongest first.
  std::vector<std::uint16_t> dh_groups{dh::kEcp384, dh::kEcp256, dh::kModp2048};
  std::uint32_t phase1_lifetime_seconds = 28800;  // Windows' Main Mode lifetime
  std::uint32_t phase2_lifetime_seconds = 3600;   // and its Quick Mode one
  Duration retransmit_first = std::chrono::milliseconds(500);
  int transmissions = 6;
  Duration liveness_after = std::chrono::seconds(30);  // quiet before a DPD R-U-THERE
};

namespace event {
struct Phase1Done {};
// An ESP SA pair for udp/1701 (the first, or a newer one that now takes outbound traffic).
struct ChildUp {
  std::shared_ptr<EspSa> esp;
};
// The SA pair with this inbound SPI is gone.
struct ChildDown {
  std::uint32_t spi_in = 0;
};
struct Failed {
  std::uint32_t error = 0;  // Win32
};
struct Closed {};
}  // namespace event
using Event =
    std::variant<event::Phase1Done, event::ChildUp, event::ChildDown, event::Failed, event::Closed>;

// A peer's MODP public value with the leading zeros a sender left out put back.
Bytes padded_public(const KeyExchange& ours, ByteView peer);

class Initiator {
 public:
  Initiator(InitiatorConfig config, ppp::Random& random);
  ~Initiator();

  void start(TimePoint now);
  // One IKE message (after the non-ESP marker).
  void receive(ByteView message, TimePoint now);
  void on_timer(TimePoint now);
  std::optional<TimePoint> next_deadline() const;
  bool poll_message(Bytes& out);
  bool has_output() const { return !out_.empty(); }
  std::optional<Event> poll_event();
  // Deletes the ESP SAs and the ISAKMP SA (when there are any) and ends with Closed.
  void close(TimePoint now);
  // Something genuine arrived (ESP counts): no DPD is due.
  void peer_alive(TimePoint now) { last_heard_ = now; }
  // Starts a new Quick Mode now (the ESP sequence numbers are running out).
  void rekey_soon() { rekey_at_ = TimePoint{}; }

  std::uint64_t icookie() const { return icookie_; }
  // Failed or closed: nothing more will come from it.
  bool finished() const { return phase_ == Phase::Done; }
  // When the ISAKMP SA's agreed lifetime runs out (once Main Mode is done).
  std::optional<TimePoint> phase1_expires() const { return phase1_expires_; }
  bool phase1_done() const { return phase_ == Phase::QuickMode || phase_ == Phase::Established; }
  const Phase1Suite& suite() const { return suite_; }

 private:
  enum class Phase { Idle, MainMode, QuickMode, Established, Done };
  enum class Step { Mm1, Mm3, Mm5, Quick, Dpd };
  struct Pending {
    Step step = Step::Mm1;
    std::uint32_t message_id = 0;
    Bytes message;
    int sent = 0;
    TimePoint next;
  };
  // A Quick Mode in flight, ours or the server's.
  struct QuickMode {
    std::uint32_t message_id = 0;
    bool ours = true;
    std::uint32_t spi_in = 0;
    Bytes nonce_i, nonce_r;
    std::unique_ptr<KeyExchange> ke;  // PFS
    Bytes shared_secret;
    std::optional<EspTransforms> transforms;
    std::uint32_t peer_spi = 0;
    std::uint32_t lifetime = 0;
    Bytes last_sent;      // our QM3 (ours) or QM2 (the server's), sent again on a repeat
    Bytes last_received;  // the server's QM2 or QM1 as it came, to know a repeat
    TimePoint started;
    bool done = false;  // installed; kept a while to answer repeats
  };

  // Main Mode (ikev1_initiator.cpp).
  void send_mm1(TimePoint now);
  void on_mm2(const Header& h, const std::vector<Payload>& chain, TimePoint now);
  void on_mm4(const std::vector<Payload>& chain, TimePoint now);
  void on_mm6(const std::vector<Payload>& chain, TimePoint now);
  Bytes nat_d(std::uint32_t ipv4, std::uint16_t port) const;
  // What phase 1's keys and hashes are made of (views into this initiator's members).
  Phase1Inputs phase1_inputs() const;
  void receive_clear(const Header& h, ByteView message, TimePoint now);
  void receive_encrypted(const Header& h, ByteView message, TimePoint now);
  // Quick Mode (ikev1_quick_mode.cpp).
  void start_quick_mode(TimePoint now);
  void on_quick(const Header& h, const std::vector<Payload>& chain, ByteView body, Bytes next_iv,
                TimePoint now);
  void on_qm2(QuickMode& qm, const std::vector<Payload>& chain, ByteView after_hash, TimePoint now);
  void answer_qm1(const Header& h, const std::vector<Payload>& chain, ByteView after_hash,
                  TimePoint now);
  void on_qm3(QuickMode& qm, const std::vector<Payload>& chain, TimePoint now);
  void install(QuickMode& qm, TimePoint now);
  // HASH(1) and HASH(2): prf(SKEYID_a, M-ID | parts).
  Bytes quick_hash(std::uint32_t message_id, std::initializer_list<ByteView> parts) const;
  Bytes hash3(const QuickMode& qm) const;
  std::vector<Proposal> esp_offer(std::uint32_t spi_in) const;
  // Informational (ikev1_informational.cpp).
  void on_informational(const Header& h, const std::vector<Payload>& chain, ByteView after_hash,
                        TimePoint now);
  // An informational message with one payload, sealed under its own message ID.
  Bytes informational(std::uint32_t message_id, std::uint8_t type, const Bytes& body);
  void delete_all(TimePoint now);
  void expire_sas(TimePoint now);

  // Shared plumbing.
  Header header(std::uint8_t exchange, std::uint32_t message_id) const;
  // An encrypted message: `hash` in its HASH payload first, then the chain `rest`.
  Bytes protected_message(std::uint8_t exchange, std::uint32_t message_id, const Bytes& hash,
                          const ChainBuilder& rest);
  void request(Step step, std::uint32_t message_id, Bytes message, TimePoint now);
  void transmit(Pending& p, TimePoint now);
  void fail(std::uint32_t error);
  std::uint32_t random_message_id();

  InitiatorConfig config_;
  ppp::Random& random_;
  Phase phase_ = Phase::Idle;
  std::uint64_t icookie_ = 0, rcookie_ = 0;
  Bytes cookie_octets_i_, cookie_octets_r_;  // the cookies as the hashes take them
  Phase1Suite suite_;
  Bytes sa_body_;  // our MM1 SA payload body (HASH_I and HASH_R cover it)
  std::vector<Proposal> offer_;
  bool peer_dpd_ = false;
  std::unique_ptr<KeyExchange> ke_;
  Bytes nonce_i_, nonce_r_, peer_public_, shared_secret_;
  Bytes id_body_;  // our IDii
  std::optional<Phase1Keys> keys_;
  std::unique_ptr<MessageCipher> cipher_;
  std::optional<Pending> pending_;
  std::deque<Bytes> out_;
  std::deque<Event> events_;
  std::vector<QuickMode> quick_;
  // Installed SA pairs, newest last.
  struct Installed {
    std::uint32_t spi_in = 0, spi_out = 0;
    TimePoint expires;
  };
  std::vector<Installed> installed_;
  std::optional<TimePoint> rekey_at_;
  TimePoint last_heard_{};
  std::uint32_t dpd_sequence_ = 0;
  std::optional<TimePoint> phase1_expires_;
};

}  // namespace openras::ike::v1
