// What carries PPP between the port and the session: HDLC framing on a serial line (with a
// Hayes modem dialog in front when the entry is a modem), SSTP over TLS, L2TP over UDP. A
// carrier is sans-I/O like the engines it wraps; PppDial drives one and turns its progress
// into RASCONNSTATE transitions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dial/dial_machine.hpp"
#include "ppp/session.hpp"

namespace openras::dial {

class Carrier {
 public:
  enum class Status {
    Connecting,  // the device's own dialog (AT commands, HTTPS + Call Connect, tunnel setup)
    Ready,       // PPP may run
    Failed,      // error() says why
    Closed,      // ended cleanly after close()
  };
  virtual ~Carrier() = default;

  virtual PortRequest port() const = 0;
  // Adjusts what PPP negotiates on this medium (framing, MRU).
  virtual void configure(ppp::SessionConfig& config) const { (void)config; }
  // The session this carrier feeds, for its whole life (called once, before start()).
  virtual void attach(ppp::Session& session) = 0;
  // The port is open: start the device's dialog.
  virtual void start(const PortInfo& info, TimePoint now) = 0;
  // PPP has been opened on a Ready carrier: octets the carrier held back belong to it now.
  virtual void ppp_started(TimePoint now) { (void)now; }
  virtual void feed_line(std::span<const std::uint8_t> octets, TimePoint now) = 0;
  // Appends octets for the port to `out` (a datagram port: one datagram, into an empty `out`);
  // false when there was nothing to append.
  virtual bool poll_line(ppp::LineBytes& out) = 0;
  virtual void on_timer(TimePoint now) = 0;
  virtual std::optional<TimePoint> next_deadline() const = 0;
  virtual Status status() const = 0;
  virtual std::uint32_t error() const = 0;
  // PPP authenticated (SSTP binds its call to the keys here).
  virtual void authenticated(const ppp::Negotiated& negotiated, TimePoint now) {
    (void)negotiated;
    (void)now;
  }
  // End the device's call: `hang_up` for RasHangUp, false when the dial failed.
  virtual void close(bool hang_up, TimePoint now) = 0;
  // The error when the port itself goes away under the carrier.
  virtual std::uint32_t line_lost_error() const = 0;
  virtual std::string device_type() const = 0;
  virtual void add_statistics(LinkStatistics& s) const { (void)s; }
  // Packet-trace lines of the carrier's own messages (SSTP control messages), for --verbose.
  virtual void set_trace(std::function<void(const std::string&)> trace) { (void)trace; }
};

}  // namespace openras::dial
