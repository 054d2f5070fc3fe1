// The dial machine: one phonebook entry + link + PPP, seen from the manager as a sans-I/O
// engine that emits RASCONNSTATE transitions and Win32 error codes. The manager feeds it time
// (and, for real links, bytes) and delivers what it emits; it never touches a socket.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "dial/port_and_network.hpp"
#include "phonebook/entry.hpp"
#include "ppp/bytes.hpp"

namespace openras::dial {

struct DialEvent {
  std::uint32_t state = 0;  // RASCONNSTATE the dial is entering
  std::uint32_t error = 0;  // non-zero: the dial failed (or the link dropped) in this state
  std::uint32_t extended_error = 0;
};

// The port is free, and the interface of this attempt may go (after a failure, a drop or a
// hang-up). A redial opens its own port afterwards.
struct PortReleased {};
// After hang_up(): everything is let go and the machine will ask for nothing more.
struct Finished {};

// What a machine tells its host, one item at a time and in the order it happened: the states
// it enters, the port to open, the network to configure once projected, and its releases.
using DialOutput = std::variant<DialEvent, PortRequest, NetworkRequest, PortReleased, Finished>;

struct Credentials {
  std::string user;
  std::string password;
  std::string domain;
  std::string callback_number;
  // RASCM_PreSharedKey, for an entry whose IKE authenticates with it (never from the .pbk).
  std::string pre_shared_key;
};

struct DialParams {
  Credentials credentials;
  std::string phone_number;   // overrides the entry's number when not empty
  std::uint32_t options = 0;  // RDEOPT_*
  std::uint32_t attempt = 0;  // 0 for the first dial, then each redial
  // Receives one line per frame when the manager runs with --verbose; empty otherwise.
  std::function<void(const std::string&)> trace;
  // The machine's own certificate (PEM chain) and key, for an IKEv2 entry that authenticates
  // with it (RASEO2_RequireMachineCertificates); read by the manager from its store.
  std::string machine_certificate_pem;
  std::string machine_key_pem;
};

struct Projection {
  std::string ip_address;
  std::string server_ip_address;
  std::string dns1;
  std::string dns2;
  std::uint64_t local_interface_id = 0;
  std::uint64_t peer_interface_id = 0;
  bool ipv6 = false;
  std::uint32_t auth_protocol = 0;  // RASLCPAP_*
  std::uint32_t auth_data = 0;      // RASLCPAD_*
  std::uint32_t lcp_options = 0;
  std::uint32_t lcp_server_options = 0;
  // An IKEv2 link (RasGetProjectionInfoEx's RASIKEV2_PROJECTION_INFO) instead of PPP.
  bool ikev2 = false;
  std::uint32_t ikev2_auth = 0;         // RASIKEv2_AUTH_*
  std::uint32_t eap_type = 0;           // 26 for EAP-MSCHAPv2
  std::uint32_t ikev2_flags = 0;        // RASIKEv2_FLAGS_*
  std::uint32_t encryption_method = 0;  // IPSEC_CIPHER_TYPE: 3 AES-128, 4 AES-192, 5 AES-256
};

struct LinkStatistics {
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t frames_sent = 0;
  std::uint64_t frames_received = 0;
  std::uint32_t crc_errors = 0;
  std::uint32_t timeout_errors = 0;
  std::uint32_t framing_errors = 0;
  std::uint32_t bps = 0;
};

// Between two attempts of a dial that redials (RedialAttempts / RedialSeconds): what made the
// last attempt fail, which attempt comes next (2 is the first redial) of how many, and when.
struct RedialStatus {
  std::uint32_t last_error = 0;
  std::uint32_t next_attempt = 0;
  std::uint32_t attempts = 0;
  Duration starts_in{};
};

class DialMachine {
 public:
  virtual ~DialMachine() = default;

  virtual void start(TimePoint now) = 0;
  virtual void on_timer(TimePoint now) = 0;
  virtual std::optional<TimePoint> next_deadline() const = 0;
  // The next thing the machine asks of its host (see DialOutput); drained after every call.
  virtual std::optional<DialOutput> poll_output() = 0;

  // ---- What the host reports back, for machines with a real link. ----
  // The port of a PortRequest is open, or could not be opened.
  virtual void port_opened(const PortInfo& info, TimePoint now) {
    (void)info;
    (void)now;
  }
  virtual void port_failed(std::uint32_t error, TimePoint now) {
    (void)error;
    (void)now;
  }
  virtual void feed_line(std::span<const std::uint8_t> octets, TimePoint now) {
    (void)octets;
    (void)now;
  }
  // Appends octets for the port (see Carrier::poll_line).
  virtual bool poll_line(ppp::LineBytes& out) {
    (void)out;
    return false;
  }
  virtual void line_closed(TimePoint now) { (void)now; }
  // The network of a NetworkRequest is configured (0), or could not be.
  virtual void network_ready(std::uint32_t error, TimePoint now) {
    (void)error;
    (void)now;
  }
  // Data path: an IP packet from the interface, and packets for it.
  // The machine that carries the data of the current attempt: a wrapper (RedialingDial)
  // hands out the attempt it wraps, so octets and packets cross one virtual call, not two.
  // Valid until the next call on this machine other than the data path's own.
  virtual DialMachine& data_path() { return *this; }
  virtual bool send_packet(std::span<const std::uint8_t> packet) {
    (void)packet;
    return false;
  }
  virtual bool poll_packet(std::vector<std::uint8_t>& out) {
    (void)out;
    return false;
  }

  // Begin teardown from any state; Finished follows once everything is let go.
  virtual void hang_up(TimePoint now) = 0;

  // Continue from a paused state (RDEOPT_PausedStates) with what the user supplied.
  // Returns a Win32 error when the dial is not paused.
  virtual std::uint32_t resume(const Credentials& credentials, TimePoint now) = 0;

  virtual std::optional<Projection> projection() const = 0;
  virtual LinkStatistics statistics() const = 0;
  // Set only while a redial is pending (a machine that never redials has none).
  virtual std::optional<RedialStatus> redial_status(TimePoint now) const {
    (void)now;
    return std::nullopt;
  }
  virtual std::string device_type() const = 0;
  virtual std::string device_name() const = 0;
};

struct MachineOrError {
  std::unique_ptr<DialMachine> machine;
  std::uint32_t error = 0;
};

// Chooses the link from the entry. Unknown or unsupported device types give the Win32 code
// Windows gives for them.
MachineOrError make_dial_machine(const phonebook::Entry& entry, const DialParams& params);

}  // namespace openras::dial
