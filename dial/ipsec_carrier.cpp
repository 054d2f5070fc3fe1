#include "dial/ipsec_carrier.hpp"

#include <algorithm>

#include "dial/ikev2_dial.hpp"
#include "dial/server_address.hpp"
#include "ike/wire.hpp"
#include "raserror.h"

namespace openras::dial {
namespace {

using ike::wire::get16;
using ike::wire::get32;
using ike::wire::set16;

constexpr std::uint16_t kL2tpPort = 1701;
constexpr std::uint8_t kUdp = 17;
constexpr std::size_t kUdpHeader = 8;
// The L2TP call's StopCCN/CDN get this long to go through ESP before the SAs are deleted.
constexpr Duration kCloseLimit = std::chrono::seconds(3);
// PPP's MRU under ESP: IP, UDP and ESP (8 + IV 16 + padding up to 17 + ICV 12) outside,
// UDP, L2TP and PPP inside a 1,500-octet path.
constexpr std::uint16_t kIpsecMru = 1360;

// A new Main Mode at 90% of the ISAKMP SA's lifetime.
TimePoint renewal_time(const ike::v1::Initiator& ike) {
  const TimePoint expires = *ike.phase1_expires();
  return expires - std::chrono::duration_cast<Duration>(
                       std::chrono::seconds(ike.suite().lifetime_seconds) / 10);
}

}  // namespace

IpsecSetup ipsec_setup(const phonebook::Entry& entry, const DialParams& params,
                       const PortRequest& l2tp_port) {
  IpsecSetup s;
  s.port = l2tp_port;
  s.port.remote_port = kIkeNatTPort;
  s.port.refused_is_final = true;
  auto& c = s.config;
  c.pre_shared_key = params.credentials.pre_shared_key;
  c.server_port = kIkeNatTPort;
  c.dh_groups = entry_dh_groups(entry, c.dh_groups);
  if (c.dh_groups.empty()) {
    s.error = ERROR_OAKLEY_ATTRIB_FAIL;  // nothing we could offer
    return s;
  }
  c.transmissions = static_cast<int>(
      std::clamp<std::uint32_t>(entry.key_u32("OpenRasIkeTransmissions", 6), 1, 12));
  c.phase2_lifetime_seconds =
      std::clamp<std::uint32_t>(entry.key_u32("OpenRasIkeChildRekeySeconds", 3600), 2, 86400);
  c.phase1_lifetime_seconds =
      std::clamp<std::uint32_t>(entry.key_u32("OpenRasIkeRekeySeconds", 28800), 20, 86400 * 7);
  c.liveness_after = std::chrono::seconds(
      std::clamp<std::uint32_t>(entry.key_u32("OpenRasIkeLivenessSeconds", 30), 5, 3600));
  return s;
}

IpsecCarrier::IpsecCarrier(PortRequest port, ike::v1::InitiatorConfig config,
                           std::unique_ptr<L2tpCarrier> inner, std::unique_ptr<ppp::Random> random)
    : port_(std::move(port)),
      config_(std::move(config)),
      inner_(std::move(inner)),
      random_(std::move(random)) {}

IpsecCarrier::~IpsecCarrier() = default;

void IpsecCarrier::configure(ppp::SessionConfig& config) const {
  inner_->configure(config);
  config.mru = std::min(config.mru, kIpsecMru);
}

void IpsecCarrier::start(const PortInfo& info, TimePoint now) {
  info_ = info;
  config_.local_ipv4 = info.local_ipv4;
  config_.local_port = info.local_port;
  config_.server_ipv4 = info.remote_ipv4;
  config_.server_port = info.remote_port ? info.remote_port : kIkeNatTPort;
  ike_ = std::make_unique<ike::v1::Initiator>(config_, *random_);
  ike_->start(now);
  take_events(now);
}

void IpsecCarrier::feed_line(std::span<const std::uint8_t> octets, TimePoint now) {
  if (!ike_) return;
  if (NatKeepalive::is_keepalive(octets)) return;
  if (octets.size() >= 4 && get32(octets.data()) == 0) {
    // After the non-ESP marker: IKE, for the ISAKMP SA its initiator cookie names.
    if (trace_) trace_("rx IKEv1 " + ike::v1::describe(octets.subspan(4)));
    const bool old = retiring_ && octets.size() >= 12 &&
                     ike::wire::get64(octets.data() + 4) == retiring_->icookie();
    (old ? *retiring_ : *ike_).receive(octets.subspan(4), now);
  } else if (octets.size() >= 8) {
    open_esp(octets, now);
  }
  take_events(now);
}

void IpsecCarrier::open_esp(std::span<const std::uint8_t> packet, TimePoint now) {
  const std::uint32_t spi = get32(packet.data());
  for (auto& sa : sas_) {
    if (sa->spi_in() != spi) continue;
    opened_.assign(packet.begin(), packet.end());
    auto r = sa->open(opened_);
    if (r.verdict != ike::EspSa::Verdict::Ok) return;
    ike_->peer_alive(now);
    // Transport mode: a UDP header, then L2TP. Anything else under this SA is not ours.
    if (r.next_header != kUdp || r.inner.size() < kUdpHeader) return;
    const std::uint16_t length = get16(r.inner.data() + 4);
    if (get16(r.inner.data() + 2) != kL2tpPort || length < kUdpHeader || length > r.inner.size()) {
      return;
    }
    if (inner_started_) inner_->feed_line(r.inner.subspan(kUdpHeader, length - kUdpHeader), now);
    return;
  }
}

bool IpsecCarrier::seal_l2tp(const ppp::LineBytes& datagram, ppp::LineBytes& out) {
  ike::EspSa& sa = *sas_.back();
  // The UDP header L2TP would have had: 1701 both ways, no checksum (allowed for IPv4 UDP, and
  // what NAT-OA would make the receiver recompute anyway).
  std::uint8_t udp[kUdpHeader + 2048];
  if (datagram.size() > sizeof udp - kUdpHeader) return false;
  set16(udp, kL2tpPort);
  set16(udp + 2, kL2tpPort);
  set16(udp + 4, static_cast<std::uint16_t>(datagram.size() + kUdpHeader));
  set16(udp + 6, 0);
  std::copy(datagram.begin(), datagram.end(), udp + kUdpHeader);
  out.resize(sa.sealed_size(datagram.size() + kUdpHeader));
  const std::size_t n = sa.seal({udp, datagram.size() + kUdpHeader}, kUdp, out.data());
  if (n == 0) {
    ike_->rekey_soon();  // the sequence numbers ran out
    return false;
  }
  out.resize(n);
  if (sa.sent() == 0x80000000u) ike_->rekey_soon();
  return true;
}

bool IpsecCarrier::poll_line(ppp::LineBytes& out) {
  if (!ike_) return false;
  ike::Bytes message;
  if (ike_->poll_message(message) || (retiring_ && retiring_->poll_message(message))) {
    if (trace_) trace_("tx IKEv1 " + ike::v1::describe(message));
    out.assign(4, 0);  // the non-ESP marker
    out.insert(out.end(), message.begin(), message.end());
    keepalive_.sent();
    return true;
  }
  if (keepalive_wanted_) {
    keepalive_wanted_ = false;
    out.assign(1, NatKeepalive::kOctet);
    return true;
  }
  // L2TP leaves only inside ESP: without an SA its datagrams wait in the engine.
  while (inner_started_ && !sas_.empty()) {
    inner_datagram_.clear();
    if (!inner_->poll_line(inner_datagram_)) break;
    if (seal_l2tp(inner_datagram_, out)) {
      keepalive_.sent();
      return true;
    }
  }
  return false;
}

void IpsecCarrier::on_timer(TimePoint now) {
  if (!ike_) return;
  ike_->on_timer(now);
  if (retiring_) retiring_->on_timer(now);
  if (inner_started_) inner_->on_timer(now);
  renew_phase1(now);
  if (keepalive_.due(now)) {
    // Nothing went out for a while: keep the server's NAT mapping of us warm.
    keepalive_wanted_ = keepalive_.take(now) && !sas_.empty() && !ike_done_;
  }
  if (closing_ && !ike_done_ && close_deadline_ && now >= *close_deadline_) {
    close_deadline_.reset();
    ike_->close(now);
  }
  take_events(now);
}

std::optional<TimePoint> IpsecCarrier::next_deadline() const {
  if (!ike_) return std::nullopt;
  std::optional<TimePoint> best = ike_->next_deadline();
  auto take = [&](std::optional<TimePoint> t) {
    if (t && (!best || *t < *best)) best = t;
  };
  if (retiring_) take(retiring_->next_deadline());
  if (!retiring_ && !closing_ && !ike_done_ && !renewal_refused_ && ike_->phase1_expires()) {
    take(renewal_time(*ike_));
  }
  if (inner_started_) take(inner_->next_deadline());
  take(keepalive_.deadline());
  if (closing_ && !ike_done_) take(close_deadline_);
  // Closed once the Deletes have gone out: come back at once to say so.
  if (closing_ && ike_done_ && !ike_->has_output()) take(TimePoint{});
  return best;
}

void IpsecCarrier::renew_phase1(TimePoint now) {
  if (retiring_ || closing_ || ike_done_ || renewal_refused_ || !ike_->phase1_expires() ||
      now < renewal_time(*ike_)) {
    return;
  }
  if (trace_) trace_("IPsec: a new Main Mode before the ISAKMP SA expires");
  for (const auto& sa : sas_) retiring_spis_.push_back(sa->spi_in());
  retiring_ = std::move(ike_);
  ike_ = std::make_unique<ike::v1::Initiator>(config_, *random_);
  ike_->start(now);
}

void IpsecCarrier::take_retiring_events(TimePoint now) {
  (void)now;
  bool gone = false;
  while (auto e = retiring_->poll_event()) {
    if (auto* down = std::get_if<ike::v1::event::ChildDown>(&*e)) {
      std::erase_if(sas_, [&](const auto& sa) { return sa->spi_in() == down->spi_in; });
    } else if (auto* up = std::get_if<ike::v1::event::ChildUp>(&*e)) {
      // A last pair the server made under the old SA: it goes with it.
      retiring_spis_.push_back(up->esp->spi_in());
      sas_.insert(sas_.begin(), std::move(up->esp));
    } else if (std::holds_alternative<ike::v1::event::Failed>(*e) ||
               std::holds_alternative<ike::v1::event::Closed>(*e)) {
      gone = true;  // its end is not the call's: the new SA carries it
    }
  }
  if (gone && !retiring_->has_output()) {
    std::erase_if(sas_, [&](const auto& sa) {
      return std::find(retiring_spis_.begin(), retiring_spis_.end(), sa->spi_in()) !=
             retiring_spis_.end();
    });
    retiring_spis_.clear();
    retiring_.reset();
  }
}

void IpsecCarrier::take_events(TimePoint now) {
  if (retiring_) take_retiring_events(now);
  while (auto e = ike_->poll_event()) {
    if (auto* up = std::get_if<ike::v1::event::ChildUp>(&*e)) {
      if (trace_) trace_("IPsec SA up, inbound SPI " + std::to_string(up->esp->spi_in()));
      sas_.push_back(std::move(up->esp));
      // The new ISAKMP SA has its pair: the old one and its SAs are deleted.
      if (retiring_) {
        retiring_->close(now);
        take_retiring_events(now);
      }
      keepalive_.start(now);
      if (!inner_started_ && !closing_) {
        inner_started_ = true;
        inner_->start(info_, now);
      }
    } else if (auto* down = std::get_if<ike::v1::event::ChildDown>(&*e)) {
      std::erase_if(sas_, [&](const auto& sa) { return sa->spi_in() == down->spi_in; });
    } else if (auto* failed = std::get_if<ike::v1::event::Failed>(&*e);
               failed && retiring_ && !retiring_->finished() && !closing_) {
      // The new Main Mode failed: the old ISAKMP SA carries on until it ends by itself.
      if (trace_) trace_("IPsec: the new Main Mode failed; the old SA stays");
      ike_ = std::move(retiring_);
      retiring_spis_.clear();
      renewal_refused_ = true;
    } else if (auto* failed = std::get_if<ike::v1::event::Failed>(&*e)) {
      ike_done_ = true;
      ike_error_ = failed->error;
      sas_.clear();
    } else if (std::holds_alternative<ike::v1::event::Closed>(*e)) {
      ike_done_ = true;
      sas_.clear();
    }
  }
  // Hanging up: once the L2TP call has ended (or had its time), delete the SAs.
  if (closing_ && !ike_done_) {
    const auto inner = inner_started_ ? inner_->status() : Status::Closed;
    if (inner == Status::Closed || inner == Status::Failed) {
      ike_->close(now);
      take_events(now);
    }
  }
  // An initiator that had already ended says nothing more when closed.
  if (closing_ && !ike_done_ && ike_->finished()) ike_done_ = true;
}

Carrier::Status IpsecCarrier::status() const {
  if (closing_) {
    if (!ike_done_ || (ike_ && ike_->has_output())) return Status::Connecting;
    return ike_error_ ? Status::Failed : Status::Closed;
  }
  if (ike_done_) return Status::Failed;
  if (!inner_started_) return Status::Connecting;
  return inner_->status();
}

std::uint32_t IpsecCarrier::error() const {
  if (ike_error_) return ike_error_;
  return inner_started_ ? inner_->error() : ERROR_OAKLEY_GENERAL_PROCESSING;
}

void IpsecCarrier::close(bool hang_up, TimePoint now) {
  if (closing_) return;
  closing_ = true;
  close_deadline_ = now + kCloseLimit;
  if (inner_started_) inner_->close(hang_up, now);
  if (ike_) {
    take_events(now);
  } else {
    ike_done_ = true;
  }
}

void IpsecCarrier::set_trace(std::function<void(const std::string&)> trace) {
  trace_ = trace;
  inner_->set_trace(std::move(trace));
}

}  // namespace openras::dial
