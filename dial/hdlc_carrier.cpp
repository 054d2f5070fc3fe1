#include "dial/hdlc_carrier.hpp"

#include "raserror.h"

namespace openras::dial {

using ModemStatus = link::ModemDialer::Status;

HdlcCarrier::HdlcCarrier(const phonebook::Entry& entry, const DialParams& params, bool modem) {
  port_.kind = PortRequest::Kind::Tty;
  port_.device = entry.port;
  port_.speed = entry.key_u32("PreferredBps", 115200);
  port_.hardware_flow = entry.key_u32("PreferredHwFlow", 0) != 0;
  if (!modem) return;
  link::ModemConfig mc;
  mc.number = params.phone_number.empty() ? entry.phone_number : params.phone_number;
  mc.pulse = entry.key_u32("OpenRasPulseDial", 0) != 0;  // ATDP; tone (ATDT) otherwise
  if (auto init = entry.key("OpenRasModemInit"); init && !init->empty()) {
    mc.init = {"ATZ", *init};
  }
  mc.connect_timeout = std::chrono::seconds(entry.key_u32("OpenRasModemConnectSeconds", 60));
  modem_.emplace(std::move(mc));
}

void HdlcCarrier::attach(ppp::Session& session) {
  link_ = std::make_unique<ppp::HdlcLink>(session);
}

void HdlcCarrier::start(const PortInfo& info, TimePoint now) {
  (void)info;
  if (modem_) modem_->start(now);
}

void HdlcCarrier::ppp_started(TimePoint now) {
  if (after_connect_.empty()) return;
  std::vector<std::uint8_t> rest;
  rest.swap(after_connect_);
  link_->feed_line(rest, now);
}

Carrier::Status HdlcCarrier::status() const {
  if (error_) return Status::Failed;
  if (closed_) return Status::Closed;
  if (!modem_) return Status::Ready;
  switch (modem_->status()) {
    case ModemStatus::Connected:
      return Status::Ready;
    case ModemStatus::Failed:
      return closing_ ? Status::Closed : Status::Failed;
    case ModemStatus::HungUp:
      return Status::Closed;
    case ModemStatus::HangingUp:
      return Status::Ready;  // still draining; the session is already down
    default:
      return Status::Connecting;
  }
}

void HdlcCarrier::feed_line(std::span<const std::uint8_t> octets, TimePoint now) {
  if (modem_ && modem_->status() != ModemStatus::Connected) {
    bool was_dialing = modem_->status() != ModemStatus::HangingUp;
    modem_->feed(octets.data(), octets.size(), now);
    if (was_dialing && modem_->status() == ModemStatus::Connected) {
      after_connect_ = modem_->take_after_connect();
    } else if (!closing_ && modem_->status() == ModemStatus::Failed) {
      error_ = modem_->error();
    }
    return;
  }
  link_->feed_line(octets, now);
  // A modem prints its result codes as text between frames once the call is up.
  if (modem_ && link::is_carrier_lost_text(link_->partial().data(), link_->partial().size())) {
    error_ = ERROR_NO_CARRIER;
  }
}

bool HdlcCarrier::poll_line(ppp::LineBytes& out) {
  if (modem_ && modem_->status() != ModemStatus::Connected) {
    std::vector<std::uint8_t> command;
    if (!modem_->poll_transmit(command)) return false;
    out.insert(out.end(), command.begin(), command.end());
    return true;
  }
  bool any = false;
  while (link_->poll_line(out)) any = true;
  return any;
}

void HdlcCarrier::on_timer(TimePoint now) {
  if (!modem_) return;
  modem_->on_timer(now);
  if (!closing_ && modem_->status() == ModemStatus::Failed) error_ = modem_->error();
}

std::optional<TimePoint> HdlcCarrier::next_deadline() const {
  return modem_ ? modem_->next_deadline() : std::nullopt;
}

void HdlcCarrier::close(bool hang_up, TimePoint now) {
  if (closing_) return;
  closing_ = true;
  // A failed dial lets go of the line at once (closing the port drops DTR); RasHangUp on a
  // modem goes back to command mode and hangs the call up first.
  if (!modem_ || !hang_up) {
    closed_ = true;
    return;
  }
  modem_->hang_up(now);
}

std::uint32_t HdlcCarrier::line_lost_error() const {
  return ERROR_PORT_DISCONNECTED;
}

void HdlcCarrier::add_statistics(LinkStatistics& s) const {
  const auto& h = link_->stats();
  s.crc_errors = static_cast<std::uint32_t>(h.fcs_errors);
  s.framing_errors = static_cast<std::uint32_t>(h.runts + h.aborts);
  s.bps = modem_ && modem_->connect_speed() ? modem_->connect_speed() : port_.speed;
}

}  // namespace openras::dial
