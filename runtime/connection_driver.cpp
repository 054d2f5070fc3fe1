// A driver's life: start, the pump that carries what the machine asks for and emits, its
// timer, hang-up, and the answers to the control plane's queries. Its I/O is driver_io.cpp.
#include "runtime/connection_driver.hpp"

#include "common/ipv4.hpp"
#include "common/log.hpp"
#include "common/ras_errors.hpp"
#include "common/ras_states.hpp"
#include "ras.h"

namespace openras::runtime {

ConnectionDriver::ConnectionDriver(asio::io_context& loop, DriverSetup setup,
                                   DriverObserver& observer, std::function<void()> retire)
    : loop_(loop),
      observer_(observer),
      retire_(std::move(retire)),
      handle_(setup.handle),
      entry_name_(std::move(setup.entry_name)),
      caller_(std::move(setup.caller)),
      tls_(setup.tls),
      machine_(std::move(setup.machine)),
      timer_(loop) {}

ConnectionDriver::~ConnectionDriver() {
  // Left on a loop that stopped (daemon exit): what is still open closes here.
  if (opening_) opening_->cancel();
  if (port_) port_->close();
}

void ConnectionDriver::start() {
  machine_->start(Clock::now());
  pump();
}

void ConnectionDriver::hang_up() {
  if (hung_up_) return;
  hung_up_ = true;
  machine_->hang_up(Clock::now());
  pump();
}

void ConnectionDriver::resume(const dial::Credentials& credentials,
                              const std::function<void(std::uint32_t)>& answer) {
  if (hung_up_) {
    answer(ERROR_INVALID_HANDLE);
    return;
  }
  std::uint32_t error = machine_->resume(credentials, Clock::now());
  answer(error);
  if (!error) pump();
}

void ConnectionDriver::pump() {
  if (gone_) return;
  // Handling an output can make the machine emit more (a tty opens at once, so PortOpened
  // and ConnectDevice follow); they are taken in the same pass, in order.
  while (auto out = machine_->poll_output()) {
    if (auto* ev = std::get_if<dial::DialEvent>(&*out)) {
      if (hung_up_) continue;
      // The link ended: its interface goes first (off the loops), and whoever hears of the end
      // finds the interface gone. Events wait behind a closing interface, in order.
      const bool link_ended = ev->error != 0 || ev->state == RASCS_Disconnected;
      if (link_ended && tun_) close_tun();
      if (tun_closing_) {
        held_events_.push_back(*ev);
      } else {
        publish(*ev);
      }
    } else if (auto* port = std::get_if<dial::PortRequest>(&*out)) {
      port_released_ = false;
      open_port(*port);
    } else if (auto* network = std::get_if<dial::NetworkRequest>(&*out)) {
      if (!network_asked_ && !hung_up_) want_network(*network);
    } else if (std::holds_alternative<dial::PortReleased>(*out)) {
      port_released_ = true;  // let go below, once what the port still has to send is queued
    } else if (std::holds_alternative<dial::Finished>(*out)) {
      finished_ = true;
    }
  }
  flush_output();
  if (port_released_) release_io();
  if (finished_ && !tun_closing_) {
    gone_ = true;
    timer_.cancel();
    observer_.on_driver_gone(handle_);
    retire_();
    return;
  }
  arm_timer();
}

void ConnectionDriver::publish(const dial::DialEvent& ev) {
  if (ev.state == RASCS_Connected && ev.error == 0) {
    connected_once_ = true;
    connected_at_ = statistics_since_ = Clock::now();
  }
  observer_.on_state(handle_, ev);
}

void ConnectionDriver::arm_timer() {
  auto deadline = machine_->next_deadline();
  // Every packet pumps the connection: re-arming an unchanged deadline would cost a cancel
  // and a new wait each time.
  if (deadline == timer_deadline_) return;
  timer_deadline_ = deadline;
  if (!deadline) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(*deadline);
  timer_.async_wait([weak = weak_from_this()](const std::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    self->timer_deadline_.reset();
    self->machine_->on_timer(Clock::now());
    self->pump();
  });
}

void ConnectionDriver::interface_closed() {
  tun_closing_ = false;
  if (tun_malformed_) {
    log_line("net", "conn=%u %s: %llu TUN reads could not be cut and were dropped", handle_,
             ifname_.c_str(), static_cast<unsigned long long>(tun_malformed_));
  }
  auto held = std::move(held_events_);
  held_events_.clear();
  for (const auto& ev : held) {
    if (!hung_up_) publish(ev);
  }
  // A redial asked for its network while the old interface was going.
  if (auto deferred = std::move(deferred_network_)) {
    deferred_network_.reset();
    if (!hung_up_) want_network(*deferred);
  }
  pump();
}

host::HookInfo ConnectionDriver::hook_info() const {
  host::HookInfo info;
  info.ifname = ifname_;
  info.device = machine_->device_name();
  info.link_name = entry_name_;
  if (network_) {
    info.local = ipv4_string(network_->ip);
    info.remote = ipv4_string(network_->peer_ip);
    info.dns1 = ipv4_string(network_->dns1);
    info.dns2 = ipv4_string(network_->dns2);
  }
  auto stats = machine_->statistics();
  info.speed = stats.bps;
  info.bytes_sent = stats.bytes_sent;
  info.bytes_received = stats.bytes_received;
  if (connected_once_) {
    info.connect_seconds = static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - connected_at_).count());
  }
  return info;
}

std::optional<dial::RedialStatus> ConnectionDriver::redial_status() const {
  return machine_->redial_status(Clock::now());
}

ipc::StatisticsReply ConnectionDriver::statistics() const {
  auto s = machine_->statistics();
  const auto& b = statistics_baseline_;
  ipc::StatisticsReply reply;
  reply.bytes_sent = s.bytes_sent - b.bytes_sent;
  reply.bytes_received = s.bytes_received - b.bytes_received;
  reply.frames_sent = s.frames_sent - b.frames_sent;
  reply.frames_received = s.frames_received - b.frames_received;
  reply.crc_errors = s.crc_errors - b.crc_errors;
  reply.timeout_errors = s.timeout_errors - b.timeout_errors;
  reply.framing_errors = s.framing_errors - b.framing_errors;
  reply.bps = s.bps;
  if (connected_once_) {
    auto since = std::max(connected_at_, statistics_since_);
    reply.duration_ms = static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count());
  }
  return reply;
}

void ConnectionDriver::clear_statistics() {
  statistics_baseline_ = machine_->statistics();
  statistics_since_ = Clock::now();
}

}  // namespace openras::runtime
