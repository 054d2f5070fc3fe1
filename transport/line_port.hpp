// The port under a connection, as the manager's event loop sees it: a tty, a TLS stream (SSTP)
// or a connected UDP socket (L2TP). Reads deliver what arrived (a datagram for UDP); a write
// sends the whole buffer. Opening a network port is asynchronous (resolve, connect, proxy,
// handshake, certificate checks) and ends in a PortInfo or a Win32 error.
#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <system_error>

#include "dial/dial_machine.hpp"
#include "ppp/bytes.hpp"

namespace openras::transport {

class LinePort {
 public:
  using Handler = std::function<void(const std::error_code&, std::size_t)>;
  virtual ~LinePort() = default;
  virtual void async_read(asio::mutable_buffer buffer, Handler handler) = 0;
  virtual void async_write(asio::const_buffer buffer, Handler handler) = 0;
  // A datagram socket takes several writes at once (each is one datagram); a stream does not.
  virtual bool concurrent_writes() const { return false; }
  // A datagram port sends what is queued, many datagrams a system call (sendmmsg), taking them
  // off `queue` into `spent` (their buffers, to be filled again: no allocation a datagram);
  // what the socket cannot take now stays, and `retry` runs once it can. False: this port has
  // no such path (use async_write).
  virtual bool send_queued(std::deque<ppp::LineBytes>& queue, std::vector<ppp::LineBytes>& spent,
                           std::function<void()> retry) {
    (void)queue;
    (void)spent;
    (void)retry;
    return false;
  }
  // A datagram port: the datagrams already waiting, taken without waiting and many a system
  // call (recvmmsg), each into its own `slot`-octet part of `buffer`; their lengths go to
  // `lengths` (0 for one longer than a slot, which is dropped). Returns how many were taken
  // (0: none waiting, or no such path).
  virtual std::size_t receive_waiting(std::span<std::uint8_t> buffer, std::size_t slot,
                                      std::span<std::size_t> lengths) {
    (void)buffer;
    (void)slot;
    (void)lengths;
    return 0;
  }
  // Cancels what is pending (handlers run with operation_aborted) and closes.
  virtual void close() = 0;
};

struct PortCaller;

// A tty opened for a dial (raw, the entry's speed) if `caller` could open it; nullptr and a
// Win32 code when it fails.
std::unique_ptr<LinePort> open_tty_port(asio::io_context& io, const dial::PortRequest& request,
                                        const PortCaller& caller, std::uint32_t& error);

// An asynchronous network open in progress; cancel() abandons it (its callback never runs).
class PortOpening {
 public:
  virtual ~PortOpening() = default;
  virtual void cancel() = 0;
};

using PortOpened =
    std::function<void(std::unique_ptr<LinePort> port, dial::PortInfo info, std::uint32_t error)>;

struct TlsSettings {
  asio::ssl::context* context = nullptr;  // the system trust store, peer verification on
  std::string default_proxy;              // from https_proxy: "host:port", or ""
  Duration timeout = std::chrono::seconds(20);
};

std::shared_ptr<PortOpening> open_tls_port(asio::io_context& io, const TlsSettings& settings,
                                           const dial::PortRequest& request, PortOpened done);

// A connected UDP socket to the server (L2TP), once its name is resolved.
std::shared_ptr<PortOpening> open_udp_port(asio::io_context& io, const dial::PortRequest& request,
                                           PortOpened done);

// "http://host:port/" or "host:port" from an https_proxy value; "" when it names none.
std::string proxy_from_environment_value(const char* value);

}  // namespace openras::transport
