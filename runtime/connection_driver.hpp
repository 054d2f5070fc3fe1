// One connection's driver: its dial machine, timer, port (tty, TLS, UDP), TUN and data-path
// buffers, on one loop of the DriverPool for its whole life. It does the connection's I/O and
// tells the control plane what the machine asks for through a DriverObserver; the control
// plane reaches it only by posting to its loop (commands, and queries it answers there).
#pragma once

#include <array>
#include <asio.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dial/dial_machine.hpp"
#include "host/hooks.hpp"
#include "host/tun_offload.hpp"
#include "ipc/messages.hpp"
#include "transport/line_port.hpp"
#include "transport/serial_port.hpp"

namespace openras::runtime {

// What a driver tells the control plane, in the order it happens. Called on the driver's loop;
// an implementation must not block (rasmand's posts each call to its control loop).
class DriverObserver {
 public:
  virtual ~DriverObserver() = default;
  // The dial entered a state (or failed in it).
  virtual void on_state(std::uint32_t handle, const dial::DialEvent& event) = 0;
  // The machine is projected: configure this network, then answer with interface_up() and
  // network_ready(), or network_ready(error). `remote_ipv4` is where the port's packets go.
  virtual void on_network_wanted(std::uint32_t handle, const dial::NetworkRequest& request,
                                 std::uint32_t remote_ipv4, const host::HookInfo& base) = 0;
  // The driver let go of its interface: close `fd` off every loop, then interface_closed().
  virtual void on_interface_released(std::uint32_t handle, int fd, const host::HookInfo& down) = 0;
  // The port is let go: what was kept on the host for it (a route to the server) may go.
  virtual void on_port_released(std::uint32_t handle) = 0;
  // Hung up and released: the driver is gone and its handle with it.
  virtual void on_driver_gone(std::uint32_t handle) = 0;
};

struct DriverSetup {
  std::uint32_t handle = 0;
  std::unique_ptr<dial::DialMachine> machine;
  std::string entry_name;        // logs and hooks
  transport::PortCaller caller;  // whose rights open a tty
  const transport::TlsSettings* tls = nullptr;
};

class ConnectionDriver : public std::enable_shared_from_this<ConnectionDriver> {
 public:
  // `retire` runs (on the loop) once the driver is gone, to forget it.
  ConnectionDriver(asio::io_context& loop, DriverSetup setup, DriverObserver& observer,
                   std::function<void()> retire);
  ~ConnectionDriver();
  ConnectionDriver(const ConnectionDriver&) = delete;
  ConnectionDriver& operator=(const ConnectionDriver&) = delete;

  // ---- Commands from the control plane (on the loop). ----
  void start();
  void hang_up();
  // A paused dial goes on; the answer (0 or a Win32 code) is given to `answer` before any
  // state the resumed dial enters, so the client hears the reply first.
  void resume(const dial::Credentials& credentials,
              const std::function<void(std::uint32_t)>& answer);
  // The interface the control plane made for on_network_wanted (the driver owns `fd` now).
  void interface_up(int fd, bool vnet_header, const std::string& ifname,
                    const dial::NetworkRequest& applied);
  // The network is configured (name servers set, ip-up started), or could not be.
  void network_ready(std::uint32_t error);
  // The interface given to on_interface_released is gone.
  void interface_closed();

  // ---- Queries (on the loop). ----
  std::optional<dial::RedialStatus> redial_status() const;
  std::optional<dial::Projection> projection() const { return machine_->projection(); }
  ipc::StatisticsReply statistics() const;
  void clear_statistics();

 private:
  void pump();
  void arm_timer();
  void publish(const dial::DialEvent& event);
  host::HookInfo hook_info() const;
  // Port and interface I/O (driver_io.cpp).
  void open_port(const dial::PortRequest& request);
  void port_ready(std::unique_ptr<transport::LinePort> port, const dial::PortInfo& info,
                  std::uint32_t error, const std::string& device, const char* kind);
  void read_port();
  void take_waiting_datagrams(std::array<std::uint8_t, 65536>& buffer, TimePoint now);
  void write_port();
  void close_port();
  void want_network(const dial::NetworkRequest& request);
  void read_tun();
  void deliver_tun_read(dial::DialMachine& data, std::size_t got);
  void write_tun();
  void flush_output();
  void close_tun();
  void release_io();

  asio::io_context& loop_;
  DriverObserver& observer_;
  std::function<void()> retire_;
  const std::uint32_t handle_;
  const std::string entry_name_;
  const transport::PortCaller caller_;
  const transport::TlsSettings* tls_;
  std::unique_ptr<dial::DialMachine> machine_;
  asio::steady_timer timer_;
  std::optional<TimePoint> timer_deadline_;  // what `timer_` waits for, if anything
  bool hung_up_ = false;
  bool port_released_ = false;  // the machine's PortReleased, until it asks for a port again
  bool finished_ = false;       // the machine's Finished: gone once the interface is
  bool gone_ = false;
  bool connected_once_ = false;
  TimePoint connected_at_{};
  dial::LinkStatistics statistics_baseline_;
  TimePoint statistics_since_{};

  // The port, once the machine asks for it.
  std::shared_ptr<transport::LinePort> port_;
  std::shared_ptr<transport::PortOpening> opening_;  // a network port being opened
  std::uint32_t remote_ipv4_ = 0;                    // the port's far end (server or proxy)
  // A datagram port's writes, one datagram each.
  std::deque<ppp::LineBytes> port_out_;
  std::vector<ppp::LineBytes> spare_datagrams_;  // sent datagrams' buffers, to fill again
  std::vector<std::uint8_t> packet_buffer_;      // a packet from the machine to the TUN
  // A stream port's octets: what the machine appends while the write before is in flight, and
  // that write's buffer. Both keep their capacity, so a burst neither allocates nor regrows.
  ppp::LineBytes port_pending_;
  std::shared_ptr<ppp::LineBytes> port_sending_;
  bool port_writing_ = false;
  // What one read of the port delivers: for TLS, as many records as have arrived, so that a
  // download burst is one pump (measured: 250-259 -> 261-274 MB/s, 1 SSTP call, 16 -> 64 KB).
  // Shared with the read in flight, which may complete after the driver is gone. Made when the
  // port opens and let go with it: a failed dial kept until RasHangUp holds no 64 KB.
  using PortBuffer = std::array<std::uint8_t, 65536>;
  std::shared_ptr<PortBuffer> port_buffer_;

  // The interface, once the control plane made it.
  bool network_asked_ = false;  // on_network_wanted sent for this attempt
  std::unique_ptr<asio::posix::stream_descriptor> tun_;
  std::string ifname_;
  std::optional<dial::NetworkRequest> network_;  // what the interface was configured with
  // The TUN being closed off the loops: events wait behind it, and so does a redial's
  // network, so that whoever hears the link ended finds its interface gone.
  bool tun_closing_ = false;
  std::vector<dial::DialEvent> held_events_;
  std::optional<dial::NetworkRequest> deferred_network_;
  std::deque<std::vector<std::uint8_t>> tun_out_;
  bool tun_writing_ = false;
  // A read from the TUN: with the virtio-net header, a super-packet of up to 64 KB.
  bool tun_vnet_ = false;
  ppp::LineBytes tun_buffer_;  // not zero-filled: pages are touched only as packets arrive
  std::vector<std::uint8_t> tun_segment_;  // one segment of a super-packet, as it is cut
  std::uint64_t tun_malformed_ = 0;
  host::offload::Coalescer tun_coalescer_;  // received segments merged for the TUN
};

}  // namespace openras::runtime
