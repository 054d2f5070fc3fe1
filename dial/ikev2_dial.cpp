#include "dial/ikev2_dial.hpp"

#include <algorithm>
#include <bit>
#include <charconv>

#include "common/ipv4.hpp"
#include "dial/server_address.hpp"
#include "ras.h"
#include "raserror.h"

namespace openras::dial {
namespace {

// What the TUN's packets may be so that ESP in UDP still fits a 1,500-octet path.
constexpr std::uint16_t kIkev2Mtu = 1400;
// Buffers kept between packets each way (a burst's worth): the data path allocates none.
constexpr std::size_t kSpareBuffers = 64;
// Entry values of "CustomAuthKey" and IpSecFlags that choose the IKEv2 authentication.
constexpr std::uint32_t kEapMsChapV2Type = 26;

bool cidr_of_range(std::uint32_t start, std::uint32_t end, std::uint8_t& prefix) {
  const std::uint32_t size = end - start;
  if ((size & (size + 1)) != 0 || (start & size) != 0) return false;  // not 2^n aligned
  prefix = static_cast<std::uint8_t>(32 - std::popcount(size));
  return true;
}

std::uint32_t parse_hex32(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    text.remove_prefix(2);
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 16);
  return ec == std::errc() ? v : 0;
}

}  // namespace

std::vector<std::uint16_t> entry_dh_groups(const phonebook::Entry& entry,
                                           std::vector<std::uint16_t> defaults) {
  auto groups = entry.key("OpenRasIkeDhGroups");
  if (!groups || groups->empty()) return defaults;
  std::vector<std::uint16_t> wanted;
  for (std::size_t at = 0; at <= groups->size();) {
    const std::size_t comma = std::min(groups->find(',', at), groups->size());
    std::uint16_t g = 0;
    auto [p, ec] = std::from_chars(groups->data() + at, groups->data() + comma, g);
    if (ec == std::errc() && p == groups->data() + comma && ike::KeyExchange::supported(g) &&
        std::find(wanted.begin(), wanted.end(), g) == wanted.end()) {
      wanted.push_back(g);
    }
    at = comma + 1;
  }
  return wanted;
}

std::uint32_t ikev2_options2(const phonebook::Entry& entry) {
  // RASEO2 bits without a phonebook key of their own: the client library keeps them in
  // OpenRasOptions2 (hexadecimal).
  auto hex = entry.key("OpenRasOptions2");
  return hex ? parse_hex32(*hex) : 0;
}

bool ikev2_wants_machine_certificate(const phonebook::Entry& entry) {
  return (ikev2_options2(entry) & RASEO2_RequireMachineCertificates) != 0;
}

Ikev2Setup ikev2_setup(const phonebook::Entry& entry, const DialParams& params) {
  Ikev2Setup s;
  std::string server = params.phone_number.empty() ? entry.phone_number : params.phone_number;
  s.port.kind = PortRequest::Kind::Udp;
  std::uint16_t port = kIkeNatTPort;
  if (!split_server(server, kIkeNatTPort, s.port.device, port)) {
    s.error = ERROR_BAD_ADDRESS_SPECIFIED;
    return s;
  }
  s.port.remote_port = port;
  s.port.refused_is_final = true;
  auto& c = s.config;
  c.server_port = port;
  const std::uint32_t options2 = ikev2_options2(entry);
  const bool psk = (options2 & RASEO2_UsePreSharedKeyForIkev2Initiator) != 0;
  if (options2 & RASEO2_RequireMachineCertificates) {
    c.method = ike::InitiatorConfig::Method::Certificate;
    s.signer = ike::Signer::load(params.machine_certificate_pem, params.machine_key_pem);
    if (!s.signer) {
      s.error = ERROR_IPSEC_IKE_NO_CERT;  // no machine certificate with its key
      return s;
    }
    c.signer = s.signer.get();
  } else if (psk) {
    c.method = ike::InitiatorConfig::Method::PreSharedKey;
    c.pre_shared_key = params.credentials.pre_shared_key;
    if (c.pre_shared_key.empty()) {
      s.error = ERROR_IPSEC_IKE_AUTH_FAIL;  // nothing to prove ourselves with
      return s;
    }
  } else {
    if (entry.key_u32("CustomAuthKey", kEapMsChapV2Type) != kEapMsChapV2Type) {
      s.error = ERROR_EAP_METHOD_NOT_INSTALLED;  // only EAP-MSCHAPv2 here
      return s;
    }
    c.method = ike::InitiatorConfig::Method::Eap;
    c.user = params.credentials.user;
    if (!params.credentials.domain.empty()) c.user = params.credentials.domain + "\\" + c.user;
    c.password = params.credentials.password;
  }
  if (auto idi = entry.key("IDi"); idi && !idi->empty()) c.local_id = *idi;
  if (auto idr = entry.key("IDr"); idr && !idr->empty()) c.remote_id = *idr;
  c.server_name = s.port.device;
  c.skip_name_eku = entry.key_u32("DisableIKENameEkuCheck", 0) != 0;
  c.fragmentation = entry.key_u32("Disable_IKEv2_Fragmentation", 0) == 0;
  c.mobike = entry.key_u32("DisableMobility", 0) == 0;
  c.transmissions = static_cast<int>(
      std::clamp<std::uint32_t>(entry.key_u32("OpenRasIkeTransmissions", 6), 1, 12));
  c.dh_groups = entry_dh_groups(entry, c.dh_groups);
  if (c.dh_groups.empty()) {
    s.error = ERROR_IPSEC_IKE_POLICY_MATCH;  // nothing we could offer
    return s;
  }
  c.child_rekey_after = std::chrono::seconds(
      std::clamp<std::uint32_t>(entry.key_u32("OpenRasIkeChildRekeySeconds", 3600), 2, 86400));
  c.ike_rekey_after = std::chrono::seconds(
      std::clamp<std::uint32_t>(entry.key_u32("OpenRasIkeRekeySeconds", 28800), 2, 86400 * 7));
  c.liveness_after = std::chrono::seconds(
      std::clamp<std::uint32_t>(entry.key_u32("OpenRasIkeLivenessSeconds", 30), 5, 3600));
  // The CA a server's certificate must chain to: the system store, or one the entry names.
  s.verifier = ike::make_openssl_verifier(entry.key("OpenRasIkeCaFile").value_or(""));
  c.verifier = s.verifier.get();
  return s;
}

Ikev2Dial::Ikev2Dial(const phonebook::Entry& entry, const DialParams& params, Ikev2Setup setup,
                     std::unique_ptr<ppp::Random> random)
    : random_(std::move(random)), setup_(std::move(setup)) {
  trace_ = params.trace;
  device_name_ = entry.device_name.empty() ? "WAN Miniport (IKEv2)" : entry.device_name;
  network_.default_route = entry.remote_default_gateway;
  network_.dns_suffix = entry.dns_suffix;
  network_.mtu = kIkev2Mtu;
  network_.routes = entry_ipv4_routes(entry);
  plumb_ts_routes_ = entry.key_u32("PlumbIKEv2TSAsRoutes", 0) != 0;
  network_.interface_name = valid_interface_name(entry.name) ? entry.name : "";
}

Ikev2Dial::~Ikev2Dial() = default;

void Ikev2Dial::emit(std::uint32_t state, std::uint32_t error) {
  outputs_.state(state, error);
}

void Ikev2Dial::release() {
  // What is queued still leaves (an answer to the server's Delete, our own Delete).
  if (!outputs_.released()) children_.clear();
  outputs_.release();
}

void Ikev2Dial::fail(std::uint32_t error) {
  if (phase_ == Phase::Done) return;
  const bool was_connected = phase_ == Phase::Connected;
  phase_ = Phase::Done;
  outputs_.failure(error, was_connected);
  release();
}

void Ikev2Dial::start(TimePoint now) {
  (void)now;
  if (phase_ != Phase::Idle) return;
  phase_ = Phase::OpeningPort;
  emit(RASCS_OpenPort);
  outputs_.push(setup_.port);
}

void Ikev2Dial::port_opened(const PortInfo& info, TimePoint now) {
  if (phase_ != Phase::OpeningPort) return;
  emit(RASCS_PortOpened);
  emit(RASCS_ConnectDevice);
  phase_ = Phase::Negotiating;
  setup_.config.server_ipv4 = info.remote_ipv4;
  server_ipv4_ = info.remote_ipv4;
  method_ = setup_.config.method;
  mobike_ = setup_.config.mobike;
  ike_ = std::make_unique<ike::Initiator>(std::move(setup_.config), *random_);
  ike_->start(now);
  pump(now);
}

void Ikev2Dial::port_failed(std::uint32_t error, TimePoint now) {
  (void)now;
  fail(error);
}

void Ikev2Dial::feed_line(std::span<const std::uint8_t> octets, TimePoint now) {
  if (!ike_ || outputs_.released()) return;
  if (NatKeepalive::is_keepalive(octets)) return;
  if (octets.size() >= 4 && octets[0] == 0 && octets[1] == 0 && octets[2] == 0 && octets[3] == 0) {
    if (trace_) trace_("rx " + ike::describe_message(octets.subspan(4)));
    ike_->receive(octets.subspan(4), now);  // IKE after the non-ESP marker
    pump(now);
    return;
  }
  if (octets.size() < 8) return;
  const std::uint32_t spi =
      static_cast<std::uint32_t>(octets[0]) << 24 | octets[1] << 16 | octets[2] << 8 | octets[3];
  for (auto& child : children_) {
    if (child->spi_in() != spi) continue;
    // Opened in place: the driver's read buffer is ours until we return.
    std::span<std::uint8_t> packet(const_cast<std::uint8_t*>(octets.data()), octets.size());
    auto opened = child->open(packet);
    if (opened.verdict != ike::EspSa::Verdict::Ok) return;
    ike_->peer_alive(now);
    if (phase_ != Phase::Connected || opened.inner.empty()) return;  // 59: a dummy packet
    if (opened.next_header != 4 && opened.next_header != 41) return;
    std::vector<std::uint8_t> inner;
    if (!spare_in_.empty()) {
      inner = std::move(spare_in_.back());
      spare_in_.pop_back();
    }
    inner.assign(opened.inner.begin(), opened.inner.end());
    packets_in_.push_back(std::move(inner));
    stats_.bytes_received += opened.inner.size();
    ++stats_.frames_received;
    return;
  }
}

bool Ikev2Dial::poll_line(ppp::LineBytes& out) {
  if (datagrams_.empty()) return false;
  // The buffer the host hands us is kept for a datagram to come.
  out.swap(datagrams_.front());
  if (datagrams_.front().capacity() && spare_out_.size() < kSpareBuffers) {
    spare_out_.push_back(std::move(datagrams_.front()));
  }
  datagrams_.pop_front();
  return true;
}

void Ikev2Dial::line_closed(TimePoint now) {
  (void)now;
  if (hanging_up_) {
    release();
    return;
  }
  // Before the server's first answer, an ICMP "port unreachable": nothing speaks IKE there.
  fail(outputs_.last_state() == RASCS_ConnectDevice ? ERROR_VPN_REFUSED : ERROR_PORT_DISCONNECTED);
}

bool Ikev2Dial::send_packet(std::span<const std::uint8_t> packet) {
  if (phase_ != Phase::Connected || children_.empty() || packet.empty()) return false;
  const std::uint8_t version = packet[0] >> 4;
  ike::EspSa& sa = *children_.back();
  ppp::LineBytes datagram;
  if (!spare_out_.empty()) {
    datagram = std::move(spare_out_.back());
    spare_out_.pop_back();
  }
  datagram.resize(sa.sealed_size(packet.size()));
  const std::size_t n = sa.seal(packet, version == 6 ? 41 : 4, datagram.data());
  if (n == 0) return false;
  datagram.resize(n);
  datagrams_.push_back(std::move(datagram));
  // Half the 32-bit sequence numbers used (no ESN): a new CHILD_SA long before they run out.
  if (sa.sent() == 0x80000000u) ike_->rekey_child_soon();
  keepalive_.sent();
  stats_.bytes_sent += packet.size();
  ++stats_.frames_sent;
  return true;
}

bool Ikev2Dial::poll_packet(std::vector<std::uint8_t>& out) {
  if (packets_in_.empty()) return false;
  out.swap(packets_in_.front());
  if (packets_in_.front().capacity() && spare_in_.size() < kSpareBuffers) {
    packets_in_.front().clear();
    spare_in_.push_back(std::move(packets_in_.front()));
  }
  packets_in_.pop_front();
  return true;
}

void Ikev2Dial::on_established(const ike::NetworkConfig& network) {
  config_ = network;
  network_.ip = network.ip;
  network_.dns1 = network.dns.size() > 0 ? network.dns[0] : 0;
  network_.dns2 = network.dns.size() > 1 ? network.dns[1] : 0;
  if (network_.dns_suffix.empty() && phonebook::is_dns_name(network.dns_domain)) {
    network_.dns_suffix = network.dns_domain;
  }
  if (plumb_ts_routes_) {
    for (const auto& ts : network.remote_ts) {
      std::uint8_t prefix = 0;
      if (ts.start == 0 && ts.end == 0xffffffff) continue;  // the default route is the entry's
      if (cidr_of_range(ts.start, ts.end, prefix)) network_.routes.push_back({ts.start, prefix, 1});
    }
  }
  phase_ = Phase::WaitingForNetwork;
  emit(RASCS_Projected);
  outputs_.push(network_);
}

void Ikev2Dial::pump(TimePoint now) {
  if (!ike_) return;
  ike::Bytes message;
  while (ike_->poll_message(message)) {
    if (trace_) trace_("tx " + ike::describe_message(message));
    ppp::LineBytes datagram(4 + message.size(), 0);
    std::copy(message.begin(), message.end(), datagram.begin() + 4);
    datagrams_.push_back(std::move(datagram));
    keepalive_.sent();
  }
  while (auto e = ike_->poll_event()) {
    std::visit(
        [&](auto&& ev) {
          using T = std::decay_t<decltype(ev)>;
          if constexpr (std::is_same_v<T, ike::event::SaInitDone>) {
            emit(RASCS_DeviceConnected);
            emit(RASCS_AllDevicesConnected);
            emit(RASCS_Authenticate);
          } else if constexpr (std::is_same_v<T, ike::event::Authenticated>) {
            emit(RASCS_Authenticated);
          } else if constexpr (std::is_same_v<T, ike::event::Established>) {
            if (phase_ == Phase::Negotiating) on_established(ev.network);
          } else if constexpr (std::is_same_v<T, ike::event::ChildUp>) {
            children_.push_back(ev.esp);
          } else if constexpr (std::is_same_v<T, ike::event::ChildDown>) {
            std::erase_if(children_, [&](const auto& c) { return c->spi_in() == ev.spi_in; });
          } else if constexpr (std::is_same_v<T, ike::event::Failed>) {
            if (hanging_up_) {
              release();
            } else {
              fail(ev.error);
            }
          } else if constexpr (std::is_same_v<T, ike::event::Closed>) {
            release();
          }
        },
        *e);
  }
  if (phase_ == Phase::Connected) keepalive_.start(now);
}

void Ikev2Dial::on_timer(TimePoint now) {
  if (ike_) ike_->on_timer(now);
  if (phase_ == Phase::Connected && keepalive_.due(now) && keepalive_.take(now)) {
    datagrams_.push_back(ppp::LineBytes(1, NatKeepalive::kOctet));
  }
  pump(now);
}

std::optional<TimePoint> Ikev2Dial::next_deadline() const {
  if (outputs_.released()) return std::nullopt;
  std::optional<TimePoint> best = ike_ ? ike_->next_deadline() : std::nullopt;
  auto keepalive = keepalive_.deadline();
  if (keepalive && phase_ == Phase::Connected && (!best || *keepalive < *best)) best = keepalive;
  return best;
}

std::optional<DialOutput> Ikev2Dial::poll_output() {
  return outputs_.poll();
}

void Ikev2Dial::hang_up(TimePoint now) {
  if (hanging_up_) return;
  hanging_up_ = true;
  outputs_.hung_up();
  if (!ike_ || outputs_.released() || phase_ == Phase::Done) {
    release();
    return;
  }
  phase_ = Phase::Closing;
  ike_->close(now);  // a Delete for an established SA, answered or timed out; else at once
  pump(now);
}

std::uint32_t Ikev2Dial::resume(const Credentials& credentials, TimePoint now) {
  (void)credentials;
  (void)now;
  return ERROR_INVALID_AUTH_STATE;
}

void Ikev2Dial::network_ready(std::uint32_t error, TimePoint now) {
  if (phase_ != Phase::WaitingForNetwork) return;
  if (error) {
    fail(error);
    return;
  }
  phase_ = Phase::Connected;
  emit(RASCS_Connected);
  pump(now);
}

std::optional<Projection> Ikev2Dial::projection() const {
  if (phase_ != Phase::WaitingForNetwork && phase_ != Phase::Connected) return std::nullopt;
  Projection p;
  p.ip_address = ipv4_string(config_.ip);
  p.server_ip_address = ipv4_string(server_ipv4_);
  p.dns1 = ipv4_string(network_.dns1);
  p.dns2 = ipv4_string(network_.dns2);
  p.ikev2 = true;
  const bool eap = method_ == ike::InitiatorConfig::Method::Eap;
  p.ikev2_auth = eap ? RASIKEv2_AUTH_EAP
                 : method_ == ike::InitiatorConfig::Method::Certificate
                     ? RASIKEv2_AUTH_MACHINECERTIFICATES
                     : RASIKEv2_AUTH_PSK;
  p.eap_type = eap ? kEapMsChapV2Type : 0;
  // We always encapsulate, as a client behind a NAT does (see Initiator::send_sa_init).
  p.ikev2_flags = RASIKEv2_FLAGS_BEHIND_NAT | (mobike_ ? RASIKEv2_FLAGS_MOBIKESUPPORTED : 0);
  if (!children_.empty())
    p.encryption_method = 3u + (children_.back()->transforms().key_bits - 128) / 64;
  return p;
}

LinkStatistics Ikev2Dial::statistics() const {
  return stats_;
}

}  // namespace openras::dial
