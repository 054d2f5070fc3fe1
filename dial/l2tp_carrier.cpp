#include "dial/l2tp_carrier.hpp"

#include "dial/server_address.hpp"
#include "raserror.h"

namespace openras::dial {
namespace {

using ClientState = link::l2tp::Client::State;

// IP, UDP and the L2TP data header out of a 1500-octet path, with room for an IPsec layer
// later; SoftEther accepts 1400.
constexpr std::uint16_t kL2tpMru = 1400;
// IpSecFlags bit: authenticate the IPsec layer with a pre-shared key.
constexpr std::uint32_t kIpSecPresharedKey = 0x1;

std::uint16_t random_nonzero16(ppp::Random& random) {
  std::uint16_t v = 0;
  while (v == 0) random.fill(reinterpret_cast<std::uint8_t*>(&v), sizeof v);
  return v;
}

bool wants_ipsec(const phonebook::Entry& entry) {
  if (entry.key_u32("IpSecFlags", 0) & kIpSecPresharedKey) return true;
  return entry.data_encryption == phonebook::kDataEncryptionRequire ||
         entry.data_encryption == phonebook::kDataEncryptionRequireMax;
}

}  // namespace

L2tpSetup l2tp_setup(const phonebook::Entry& entry, const DialParams& params, ppp::Random& random) {
  L2tpSetup s;
  if (wants_ipsec(entry)) {
    // IPsec with a pre-shared key; an entry that would authenticate IPsec with certificates,
    // or has no key saved, has no policy here, and never falls back to L2TP in clear.
    const bool psk = (entry.key_u32("IpSecFlags", 0) & kIpSecPresharedKey) != 0;
    if (!psk || params.credentials.pre_shared_key.empty()) {
      s.error = ERROR_OAKLEY_NO_POLICY;
      return s;
    }
    s.ipsec = true;
  }
  std::string server = params.phone_number.empty() ? entry.phone_number : params.phone_number;
  s.port.kind = PortRequest::Kind::Udp;
  if (!split_server(server, link::l2tp::kDefaultPort, s.port.device, s.port.remote_port)) {
    s.error = ERROR_BAD_ADDRESS_SPECIFIED;
    return s;
  }
  auto& c = s.client;
  if (auto secret = entry.key("OpenRasL2tpSecret")) c.secret = *secret;
  c.tunnel_id = random_nonzero16(random);
  c.session_id = random_nonzero16(random);
  random.fill(reinterpret_cast<std::uint8_t*>(&c.call_serial), sizeof c.call_serial);
  random.fill(c.challenge.data(), c.challenge.size());
  c.hello_interval = std::chrono::seconds(entry.key_u32("OpenRasL2tpHelloSeconds", 60));
  c.reliable.max_retransmissions = static_cast<int>(entry.key_u32("OpenRasL2tpRetransmissions", 5));
  return s;
}

L2tpCarrier::L2tpCarrier(PortRequest port, link::l2tp::ClientConfig config)
    : port_(std::move(port)), client_(std::move(config)) {}

void L2tpCarrier::configure(ppp::SessionConfig& config) const {
  config.framed = false;  // whole frames in data messages: no ACCM, PFC or ACFC
  config.mru = kL2tpMru;
}

void L2tpCarrier::start(const PortInfo& info, TimePoint now) {
  (void)info;
  client_.start(now);
}

void L2tpCarrier::feed_line(std::span<const std::uint8_t> octets, TimePoint now) {
  client_.feed(octets, now);
  ppp::Bytes frame;
  while (client_.poll_frame(frame)) session_->feed(frame, now);
}

bool L2tpCarrier::poll_line(ppp::LineBytes& out) {
  ppp::Bytes frame;
  while (session_->poll_transmit(frame)) client_.send_frame(frame);
  return client_.poll_transmit(out);  // one datagram a call
}

Carrier::Status L2tpCarrier::status() const {
  switch (client_.state()) {
    case ClientState::Idle:
    case ClientState::WaitTunnel:
    case ClientState::WaitSession:
      return Status::Connecting;
    case ClientState::Established:
    case ClientState::Closing:
      return Status::Ready;
    case ClientState::Closed:
      return Status::Closed;
    case ClientState::Failed:
      return Status::Failed;
  }
  return Status::Failed;
}

void L2tpCarrier::close(bool hang_up, TimePoint now) {
  (void)hang_up;  // either way CDN and StopCCN free the server's state at once
  client_.disconnect(now);
}

std::uint32_t L2tpCarrier::line_lost_error() const {
  return ERROR_VPN_DISCONNECT;
}

void L2tpCarrier::set_trace(std::function<void(const std::string&)> trace) {
  client_.set_observer([trace](bool sent, const link::l2tp::ControlMessage& m) {
    trace(std::string(sent ? "tx " : "rx ") + "L2TP " + link::l2tp::message_type_name(m.type));
  });
}

}  // namespace openras::dial
