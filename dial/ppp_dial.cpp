#include "dial/ppp_dial.hpp"

#include <sys/random.h>

#include "common/ipv4.hpp"
#include "ppp/trace.hpp"
#include "ppp/types.hpp"
#include "ras.h"
#include "raserror.h"

namespace openras::dial {
namespace {

// How long a hang-up waits for the peer to acknowledge LCP Terminate before letting go.
constexpr auto kTeardownLimit = std::chrono::seconds(3);

class KernelRandom final : public ppp::Random {
 public:
  void fill(std::uint8_t* out, std::size_t n) override {
    while (n > 0) {
      ssize_t got = getrandom(out, n, 0);
      if (got <= 0) continue;
      out += got;
      n -= static_cast<std::size_t>(got);
    }
  }
};

constexpr std::uint32_t kEapMsChapV2Type = 26;

ppp::SessionConfig session_config(const phonebook::Entry& entry, const DialParams& params,
                                  const Carrier& carrier) {
  ppp::SessionConfig c;
  c.user = params.credentials.user;
  if (!params.credentials.domain.empty()) {
    c.user = params.credentials.domain + "\\" + params.credentials.user;
  }
  c.password = params.credentials.password;
  if (entry.auth_restrictions != 0) {
    c.allowed.pap = entry.auth_restrictions & phonebook::kAuthPap;
    c.allowed.chap_md5 = entry.auth_restrictions & phonebook::kAuthMd5Chap;
    c.allowed.mschapv2 = entry.auth_restrictions & phonebook::kAuthMsChapV2;
    // EAP with the one EAP method here: CustomAuthKey names it (26), or nothing does.
    c.allowed.eap_mschapv2 = (entry.auth_restrictions & phonebook::kAuthEap) &&
                             entry.key_u32("CustomAuthKey", kEapMsChapV2Type) == kEapMsChapV2Type;
  }
  std::uint32_t excluded = entry.key_u32("ExcludedProtocols", 0);
  c.ipv4 = !(excluded & 0x4);
  c.ipv6 = !(excluded & 0x8);
  c.paused_retry = params.options & RDEOPT_PausedStates;
  // A dead link is found within interval x (failures + 1): 40 s by default, where users
  // expect well under a minute (pppd has no default; NetworkManager's 30 x 5 took 3 minutes).
  c.echo_interval = std::chrono::seconds(entry.key_u32("OpenRasLcpEchoSeconds", 10));
  c.echo_max_failures = static_cast<int>(entry.key_u32("OpenRasLcpEchoFailures", 3));
  carrier.configure(c);
  return c;
}

}  // namespace

std::unique_ptr<ppp::Random> system_random() {
  return std::make_unique<KernelRandom>();
}

PppDial::PppDial(const phonebook::Entry& entry, const DialParams& params,
                 std::unique_ptr<ppp::Random> random, std::unique_ptr<Carrier> carrier)
    : random_(std::move(random)),
      carrier_(std::move(carrier)),
      session_(session_config(entry, params, *carrier_), *random_),
      port_(carrier_->port()),
      params_(params) {
  carrier_->attach(session_);
  if (params.trace) {
    session_.set_frame_observer([trace = params.trace](bool sent, ppp::ByteView frame) {
      trace(std::string(sent ? "tx " : "rx ") + ppp::describe_frame(frame));
    });
    carrier_->set_trace(params.trace);
  }
  device_name_ = entry.device_name.empty() ? port_.device : entry.device_name;
  if (entry.idle_disconnect_seconds > 0) {
    idle_quarter_ = std::chrono::milliseconds(entry.idle_disconnect_seconds * 250);
  }
  network_.default_route = entry.remote_default_gateway;
  network_.dns_suffix = entry.dns_suffix;
  network_.routes = entry_ipv4_routes(entry);
  network_.interface_name = valid_interface_name(entry.name) ? entry.name : "";
}

void PppDial::emit(std::uint32_t state, std::uint32_t error) {
  outputs_.state(state, error);
}

void PppDial::release() {
  outputs_.release();
}

void PppDial::fail(std::uint32_t error, TimePoint now) {
  if (phase_ == Phase::Done) return;
  bool was_connected = phase_ == Phase::Connected;
  phase_ = Phase::Done;
  outputs_.failure(error, was_connected);
  if (!session_finished_ && session_.phase() != ppp::Phase::Dead) {
    session_.close(now);  // LCP Terminate; the port is let go once it is done
    teardown_deadline_ = now + kTeardownLimit;
  } else {
    session_finished_ = true;
  }
}

void PppDial::start(TimePoint now) {
  (void)now;
  phase_ = Phase::OpeningPort;
  emit(RASCS_OpenPort);
  outputs_.push(port_);
}

void PppDial::port_opened(const PortInfo& info, TimePoint now) {
  port_open_ = true;
  emit(RASCS_PortOpened);
  emit(RASCS_ConnectDevice);
  phase_ = Phase::Dialing;
  carrier_->start(info, now);
  pump(now);
}

void PppDial::device_connected(TimePoint now) {
  emit(RASCS_DeviceConnected);
  emit(RASCS_AllDevicesConnected);
  phase_ = Phase::Ppp;
  session_.open(now);
  carrier_->ppp_started(now);
}

void PppDial::port_failed(std::uint32_t error, TimePoint now) {
  fail(error, now);
  release();  // nothing was opened
}

void PppDial::feed_line(std::span<const std::uint8_t> octets, TimePoint now) {
  carrier_->feed_line(octets, now);
  pump(now);
}

std::uint32_t PppDial::lost_carrier_error(std::uint32_t carrier_error) const {
  // PPP's own reason came first: a server that sends an MS-CHAP Failure and hangs up in the
  // same breath has refused the credentials, whatever the call's end says.
  if (std::uint32_t own = session_.closing_error()) return own;
  // A server that ends the call while it holds our credentials has refused them: l2tpns
  // sends CDN on a RADIUS reject, with no PAP or CHAP failure first.
  if (carrier_error == ERROR_REMOTE_DISCONNECTION && session_.phase() == ppp::Phase::Authenticate) {
    return ERROR_AUTHENTICATION_FAILURE;
  }
  return carrier_error;
}

void PppDial::check_carrier(TimePoint now) {
  auto status = carrier_->status();
  if (phase_ == Phase::Dialing && status == Carrier::Status::Ready) device_connected(now);
  if (status == Carrier::Status::Failed && phase_ != Phase::Done && !hanging_up_) {
    std::uint32_t error = lost_carrier_error(carrier_->error());
    if (session_.phase() != ppp::Phase::Dead) session_.lower_down(now);
    fail(error, now);
  }
}

void PppDial::pump(TimePoint now) {
  check_carrier(now);
  pump_session(now);
  // PPP is down after a hang-up or a failure: end the carrier's call, then let go of the port.
  if (session_finished_ && (hanging_up_ || phase_ == Phase::Done) && !carrier_closing_) {
    carrier_closing_ = true;
    carrier_->close(hanging_up_, now);
    if (!teardown_deadline_) teardown_deadline_ = now + kTeardownLimit;
  }
  auto status = carrier_->status();
  if (carrier_closing_ &&
      (status == Carrier::Status::Closed || status == Carrier::Status::Failed)) {
    release();
  }
}

void PppDial::pump_session(TimePoint now) {
  while (auto e = session_.poll_event()) {
    using Kind = ppp::Event::Kind;
    switch (e->kind) {
      case Kind::LinkEstablished:
        emit(RASCS_Authenticate);
        break;
      case Kind::AuthStarted:
        break;
      case Kind::AuthSucceeded:
        emit(RASCS_AuthNotify);
        emit(RASCS_Authenticated);
        authenticated_emitted_ = true;
        carrier_->authenticated(session_.negotiated(), now);
        break;
      case Kind::AuthRetry:
        emit(RASCS_RetryAuthentication);
        break;
      case Kind::NetworkStarted:
        if (!authenticated_emitted_) {
          emit(RASCS_Authenticated);
          authenticated_emitted_ = true;
          carrier_->authenticated(session_.negotiated(), now);
        }
        emit(RASCS_AuthProject);
        break;
      case Kind::NetworkUp: {
        const auto& n = session_.negotiated();
        network_.ip = n.ip;
        network_.peer_ip = n.peer_ip;
        network_.dns1 = n.dns1;
        network_.dns2 = n.dns2;
        // Within what the medium carries whole (our MRU), which packets out must respect too.
        network_.mtu = std::min<std::uint16_t>({n.peer_mru, session_.config().mru, 1500});
        phase_ = Phase::WaitingForNetwork;
        emit(RASCS_Projected);
        outputs_.push(network_);
        break;
      }
      case Kind::Ipv6Up:
        break;
      case Kind::Finished:
        session_finished_ = true;
        if (hanging_up_) break;
        fail(e->error ? e->error : static_cast<std::uint32_t>(ERROR_DISCONNECTION), now);
        break;
    }
  }
}

void PppDial::on_timer(TimePoint now) {
  carrier_->on_timer(now);
  session_.on_timer(now);
  pump(now);
  if (teardown_deadline_ && now >= *teardown_deadline_) release();
  if (idle_check_ && now >= *idle_check_ && phase_ == Phase::Connected) {
    quiet_quarters_ = active_since_check_ ? 0 : quiet_quarters_ + 1;
    active_since_check_ = false;
    if (quiet_quarters_ >= 4) {
      idle_check_.reset();
      fail(ERROR_IDLE_TIMEOUT, now);
      pump(now);
    } else {
      idle_check_ = now + *idle_quarter_;
    }
  }
}

std::optional<TimePoint> PppDial::next_deadline() const {
  std::optional<TimePoint> best = session_.next_deadline();
  auto consider = [&](std::optional<TimePoint> t) {
    if (t && (!best || *t < *best)) best = t;
  };
  consider(carrier_->next_deadline());
  consider(teardown_deadline_);
  if (phase_ == Phase::Connected) consider(idle_check_);
  return outputs_.released() ? std::nullopt : best;
}

std::optional<DialOutput> PppDial::poll_output() {
  return outputs_.poll();
}

void PppDial::hang_up(TimePoint now) {
  if (hanging_up_) return;
  hanging_up_ = true;
  outputs_.hung_up();
  if (!port_open_ || outputs_.released()) {
    release();
    return;
  }
  teardown_deadline_ = now + kTeardownLimit;
  if (session_.phase() != ppp::Phase::Dead && !session_finished_) {
    session_.close(now);
  } else {
    session_finished_ = true;
  }
  pump(now);
}

void PppDial::line_closed(TimePoint now) {
  port_open_ = false;
  session_.lower_down(now);
  session_finished_ = true;
  if (!hanging_up_) fail(lost_carrier_error(carrier_->line_lost_error()), now);
  release();
  pump_session(now);
}

bool PppDial::poll_line(ppp::LineBytes& out) {
  return carrier_->poll_line(out);
}

std::uint32_t PppDial::resume(const Credentials& credentials, TimePoint now) {
  if (outputs_.last_state() != RASCS_RetryAuthentication) return ERROR_INVALID_AUTH_STATE;
  std::string user = credentials.user;
  if (!credentials.domain.empty() && !user.empty()) user = credentials.domain + "\\" + user;
  session_.resume_authentication(user, credentials.password, now);
  emit(RASCS_Authenticate);
  pump_session(now);
  return 0;
}

void PppDial::network_ready(std::uint32_t error, TimePoint now) {
  if (phase_ != Phase::WaitingForNetwork) return;
  if (error) {
    fail(error, now);
    return;
  }
  phase_ = Phase::Connected;
  emit(RASCS_Connected);
  if (idle_quarter_) idle_check_ = now + *idle_quarter_;
}

bool PppDial::send_packet(std::span<const std::uint8_t> packet) {
  if (phase_ != Phase::Connected || packet.empty()) return false;
  std::uint8_t version = packet[0] >> 4;
  active_since_check_ = true;
  return session_.send_packet(version == 6 ? ppp::kProtoIpv6 : ppp::kProtoIp, packet);
}

bool PppDial::poll_packet(std::vector<std::uint8_t>& out) {
  auto p = session_.poll_packet();
  if (!p) return false;
  active_since_check_ = true;
  out = std::move(p->data);
  return true;
}

std::optional<Projection> PppDial::projection() const {
  if (phase_ != Phase::WaitingForNetwork && phase_ != Phase::Connected) return std::nullopt;
  const auto& n = session_.negotiated();
  Projection p;
  p.ip_address = ipv4_string(n.ip);
  p.server_ip_address = ipv4_string(n.peer_ip);
  p.dns1 = ipv4_string(n.dns1);
  p.dns2 = ipv4_string(n.dns2);
  p.ipv6 = n.ipv6_up;
  if (n.ipv6_up) {
    p.local_interface_id = n.our_interface_id;
    p.peer_interface_id = n.peer_interface_id;
  }
  switch (n.auth) {
    case ppp::AuthMethod::Pap:
      p.auth_protocol = RASLCPAP_PAP;
      break;
    case ppp::AuthMethod::ChapMd5:
      p.auth_protocol = RASLCPAP_CHAP;
      p.auth_data = RASLCPAD_CHAP_MD5;
      break;
    case ppp::AuthMethod::MsChapV2:
      p.auth_protocol = RASLCPAP_CHAP;
      p.auth_data = RASLCPAD_CHAP_MSV2;
      break;
    case ppp::AuthMethod::EapMsChapV2:
      p.auth_protocol = RASLCPAP_EAP;
      break;
    case ppp::AuthMethod::None:
      break;
  }
  p.lcp_options = (n.tx_pfc ? RASLCPO_PFC : 0) | (n.tx_acfc ? RASLCPO_ACFC : 0);
  return p;
}

LinkStatistics PppDial::statistics() const {
  const auto& c = session_.counters();
  LinkStatistics s;
  s.bytes_sent = c.bytes_out;
  s.bytes_received = c.bytes_in;
  s.frames_sent = c.frames_out;
  s.frames_received = c.frames_in;
  carrier_->add_statistics(s);
  return s;
}

}  // namespace openras::dial
