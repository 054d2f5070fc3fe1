#include "ppp/session.hpp"

#include "raserror.h"

namespace openras::ppp {

const char* auth_method_name(AuthMethod m) {
  switch (m) {
    case AuthMethod::None:
      return "none";
    case AuthMethod::Pap:
      return "PAP";
    case AuthMethod::ChapMd5:
      return "CHAP-MD5";
    case AuthMethod::MsChapV2:
      return "MS-CHAPv2";
    case AuthMethod::EapMsChapV2:
      return "EAP-MSCHAPv2";
  }
  return "?";
}

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::Dead:
      return "Dead";
    case Phase::Establish:
      return "Establish";
    case Phase::Authenticate:
      return "Authenticate";
    case Phase::Network:
      return "Network";
    case Phase::Running:
      return "Running";
    case Phase::Terminate:
      return "Terminate";
  }
  return "?";
}

Session::Session(SessionConfig config, Random& random)
    : config_(std::move(config)),
      random_(random),
      lcp_(config_, negotiated_, random_, *this, outbox_),
      ipcp_(config_, negotiated_, *this, outbox_),
      ipv6cp_(config_, negotiated_, random_, *this, outbox_),
      auth_client_(config_, negotiated_, random_, outbox_),
      auth_server_(config_, negotiated_, random_, outbox_) {
  if (!config_.ipv4) ipcp_done_ = true;
  if (!config_.ipv6 || (config_.server && !config_.server_settings.ipv6)) ipv6cp_done_ = true;
}

FsmState Session::lcp_state() const {
  return lcp_.fsm().state();
}
FsmState Session::ipcp_state() const {
  return ipcp_.fsm().state();
}
FsmState Session::ipv6cp_state() const {
  return ipv6cp_.fsm().state();
}

void Session::set_phase(Phase p) {
  phase_ = p;
}

void Session::open(TimePoint now) {
  now_ = now;
  set_phase(Phase::Establish);
  lcp_.fsm().open(now);
  lcp_.fsm().up(now);
}

void Session::close(TimePoint now) {
  now_ = now;
  if (finished_) return;
  set_phase(Phase::Terminate);
  lcp_.fsm().close(now, "User request");
}

void Session::lower_down(TimePoint now) {
  now_ = now;
  lcp_.fsm().down();
  if (!finished_) {
    finished_ = true;
    set_phase(Phase::Dead);
    emit(Event::Kind::Finished, pending_error_ ? pending_error_ : ERROR_PORT_DISCONNECTED);
  }
}

void Session::fail(std::uint32_t error, TimePoint now) {
  if (!pending_error_) pending_error_ = error;
  set_phase(Phase::Terminate);
  lcp_.fsm().close(now, "Failed");
}

void Session::feed(ByteView frame, TimePoint now) {
  now_ = now;
  if (observer_) observer_(false, frame);
  std::size_t pos = 0;
  if (frame.size() >= 2 && frame[0] == 0xFF && frame[1] == 0x03) pos = 2;
  if (frame.size() - pos < 1) {
    ++counters_.malformed;
    return;
  }
  std::uint16_t protocol;
  if (frame[pos] & 1) {  // a compressed (one-octet) protocol field
    protocol = frame[pos];
    pos += 1;
  } else {
    if (frame.size() - pos < 2) {
      ++counters_.malformed;
      return;
    }
    protocol = get16(frame.data() + pos);
    pos += 2;
    if (!(protocol & 1)) {  // RFC 1661: the protocol field's low octet is odd
      ++counters_.malformed;
      return;
    }
  }
  ++counters_.frames_in;
  counters_.bytes_in += frame.size();
  last_heard_ = now;
  dispatch(protocol, frame.subspan(pos), now);
}

void Session::dispatch(std::uint16_t protocol, ByteView info, TimePoint now) {
  if (finished_) return;
  switch (protocol) {
    case kProtoLcp:
      lcp_.fsm().receive(info, now);
      return;
    case kProtoPap:
    case kProtoChap:
    case kProtoEap:
      if (phase_ != Phase::Authenticate && phase_ != Phase::Network && phase_ != Phase::Running)
        return;
      if (config_.server) {
        auth_server_.receive(protocol, info, now);
      } else {
        auth_client_.receive(protocol, info, now);
      }
      check_auth(now);
      return;
    case kProtoIpcp:
      if (phase_ == Phase::Authenticate && !config_.server &&
          auth_client_.take_network_as_success()) {
        check_auth(now);  // l2tpns never re-acks a PAP request it has accepted
      }
      if (phase_ != Phase::Network && phase_ != Phase::Running) return;
      if (config_.ipv4) {
        ipcp_.fsm().receive(info, now);
      } else {
        lcp_.send_protocol_reject(protocol, info);
      }
      return;
    case kProtoIpv6cp:
      if (phase_ == Phase::Authenticate && !config_.server &&
          auth_client_.take_network_as_success()) {
        check_auth(now);
      }
      if (phase_ != Phase::Network && phase_ != Phase::Running) return;
      if (config_.ipv6) {
        ipv6cp_.note_heard();
        ipv6cp_.fsm().receive(info, now);
      } else {
        lcp_.send_protocol_reject(protocol, info);
      }
      return;
    case kProtoIp:
    case kProtoIpv6:
      if ((protocol == kProtoIp && negotiated_.ipv4_up) ||
          (protocol == kProtoIpv6 && negotiated_.ipv6_up)) {
        data_in_.push_back({protocol, Bytes(info.begin(), info.end())});
      }
      return;
    default:
      // CCP, VJ, multilink, anything else: tell the peer we do not speak it.
      ++counters_.unknown_protocols;
      if (lcp_.fsm().state() == FsmState::Opened) lcp_.send_protocol_reject(protocol, info);
      return;
  }
}

void Session::layer_up(std::uint16_t protocol) {
  switch (protocol) {
    case kProtoLcp: {
      emit(Event::Kind::LinkEstablished);
      if (config_.echo_interval.count() > 0) echo_deadline_ = now_ + config_.echo_interval;
      AuthMethod method = negotiated_.auth;
      if (config_.server) {
        bool required = !config_.server_settings.require.empty();
        if (required && method == AuthMethod::None) {
          fail(ERROR_AUTHENTICATION_FAILURE, now_);  // the client refused every method we offer
          return;
        }
        if (required) {
          set_phase(Phase::Authenticate);
          auth_server_.start(method, now_);
          return;
        }
        start_network(now_);
        return;
      }
      if (method == AuthMethod::None) {
        start_network(now_);
        return;
      }
      set_phase(Phase::Authenticate);
      emit(Event::Kind::AuthStarted);
      auth_client_.start(method, now_);
      check_auth(now_);
      return;
    }
    case kProtoIpcp:
      negotiated_.ipv4_up = true;
      if (!config_.server && negotiated_.ip == 0) {
        fail(ERROR_PPP_NO_ADDRESS_ASSIGNED, now_);
        return;
      }
      ipcp_done_ = true;
      maybe_network_up();
      return;
    case kProtoIpv6cp:
      negotiated_.ipv6_up = true;
      ipv6cp_done_ = true;
      if (network_up_) {
        emit(Event::Kind::Ipv6Up);
      } else {
        maybe_network_up();
      }
      return;
    default:
      return;
  }
}

void Session::layer_down(std::uint16_t protocol) {
  if (protocol == kProtoLcp) {
    phase_at_down_ = phase_;
    ipcp_.fsm().down();
    ipv6cp_.fsm().down();
    negotiated_.ipv4_up = negotiated_.ipv6_up = false;
    echo_deadline_.reset();
    if (phase_ != Phase::Terminate) set_phase(Phase::Establish);
  } else if (protocol == kProtoIpcp) {
    negotiated_.ipv4_up = false;
  } else if (protocol == kProtoIpv6cp) {
    negotiated_.ipv6_up = false;
  }
}

void Session::ncp_done(std::uint16_t protocol) {
  if (protocol == kProtoIpcp) ipcp_done_ = true;
  if (protocol == kProtoIpv6cp) ipv6cp_done_ = true;
  // An NCP renegotiating (the peer sent a new Configure-Request after it was up, as a peer
  // whose Ack was lost does) is down for the moment, not done: only when none can come up is
  // the connection without protocols.
  auto negotiating = [](FsmState state) {
    return state == FsmState::ReqSent || state == FsmState::AckRcvd || state == FsmState::AckSent ||
           state == FsmState::Opened;
  };
  const bool any_alive = negotiating(ipcp_.fsm().state()) || negotiating(ipv6cp_.fsm().state());
  if (!negotiated_.ipv4_up && !negotiated_.ipv6_up && ipcp_done_ && ipv6cp_done_ && !any_alive) {
    fail(protocol == kProtoIpcp && !config_.ipv6 ? ERROR_PPP_CP_REJECTED
                                                 : ERROR_PPP_NO_PROTOCOLS_CONFIGURED,
         now_);
    return;
  }
  maybe_network_up();
}

void Session::layer_finished(std::uint16_t protocol, FinishReason reason) {
  if (protocol != kProtoLcp) {
    ncp_done(protocol);
    return;
  }
  if (finished_) return;
  finished_ = true;
  std::uint32_t error = pending_error_;
  if (!error) {
    switch (reason) {
      case FinishReason::Closed:
        error = 0;  // we hung up
        break;
      case FinishReason::Timeout:
        error = ERROR_PPP_TIMEOUT;
        break;
      case FinishReason::PeerTerminated: {
        // A server that ends LCP while we authenticate, or after we turned down its
        // authentication protocol, is refusing us (SoftEther and slirp send no failure
        // message): Windows reports that as 691.
        Phase where = phase_at_down_ != Phase::Dead ? phase_at_down_ : phase_;
        if (where == Phase::Authenticate || (!network_up_ && lcp_.refused_peer_auth())) {
          error = ERROR_AUTHENTICATION_FAILURE;
        } else if (where == Phase::Network || where == Phase::Running) {
          error = ERROR_REMOTE_DISCONNECTION;
        } else {
          error = ERROR_PPP_LCP_TERMINATED;
        }
        break;
      }
      case FinishReason::NotConverging:
        error = ERROR_PPP_NOT_CONVERGING;
        break;
      case FinishReason::Rejected:
        error = ERROR_PPP_INVALID_PACKET;
        break;
      case FinishReason::None:
        break;
    }
  }
  set_phase(Phase::Dead);
  echo_deadline_.reset();
  emit(Event::Kind::Finished, error);
}

void Session::loopback_detected() {
  fail(ERROR_PPP_LOOPBACK_DETECTED, now_);
}

void Session::protocol_rejected(std::uint16_t protocol) {
  if (protocol == kProtoIpcp) {
    ipcp_.fsm().close(now_);
    ipcp_done_ = true;
    ncp_done(kProtoIpcp);
  } else if (protocol == kProtoIpv6cp) {
    ipv6cp_.fsm().close(now_);  // the peer has no IPv6: stop asking
    ipv6cp_done_ = true;
    ncp_done(kProtoIpv6cp);
  } else if (protocol == kProtoLcp) {
    fail(ERROR_PPP_INVALID_PACKET, now_);
  }
}

void Session::echo_reply_received() {
  echo_outstanding_ = 0;
}

void Session::check_auth(TimePoint now) {
  AuthStatus status = config_.server ? auth_server_.status() : auth_client_.status();
  switch (status) {
    case AuthStatus::Succeeded:
      if (phase_ == Phase::Authenticate) {
        emit(Event::Kind::AuthSucceeded);
        start_network(now);
      }
      break;
    case AuthStatus::Failed:
      fail(config_.server ? ERROR_AUTHENTICATION_FAILURE : auth_client_.error(), now);
      break;
    case AuthStatus::Paused:
      if (!events_.empty() && events_.back().kind == Event::Kind::AuthRetry) break;
      emit(Event::Kind::AuthRetry, auth_client_.error());
      break;
    default:
      break;
  }
}

void Session::resume_authentication(const std::string& user, const std::string& password,
                                    TimePoint now) {
  now_ = now;
  auth_client_.resume(user, password, now);
}

void Session::start_network(TimePoint now) {
  set_phase(Phase::Network);
  emit(Event::Kind::NetworkStarted);
  if (config_.ipv4) {
    ipcp_.fsm().open(now);
    ipcp_.fsm().up(now);
  }
  if (!ipv6cp_done_) {
    ipv6cp_.fsm().open(now);
    ipv6cp_.fsm().up(now);
  }
}

void Session::maybe_network_up() {
  if (network_up_ || phase_ != Phase::Network) return;
  if (!negotiated_.ipv4_up && !negotiated_.ipv6_up) return;
  // Wait for IPV6CP only while the peer is actually negotiating it; a peer that has said
  // nothing about IPv6 (slirp drops IPV6CP) must not hold the connection back.
  bool ipv6_pending = !ipv6cp_done_ && ipv6cp_.heard_from_peer();
  bool ipv4_pending = !ipcp_done_;
  if (ipv6_pending || ipv4_pending) return;
  network_up_ = true;
  set_phase(Phase::Running);
  emit(Event::Kind::NetworkUp);
}

void Session::on_timer(TimePoint now) {
  now_ = now;
  lcp_.fsm().on_timer(now);
  ipcp_.fsm().on_timer(now);
  ipv6cp_.fsm().on_timer(now);
  if (config_.server) {
    auth_server_.on_timer(now);
  } else {
    auth_client_.on_timer(now);
  }
  if (phase_ == Phase::Authenticate) check_auth(now);
  if (echo_deadline_ && now >= *echo_deadline_ && lcp_.fsm().state() == FsmState::Opened) {
    if (last_heard_ && now - *last_heard_ < config_.echo_interval) {
      // The peer spoke within the interval (data, or echoes of its own): it is alive, and
      // asking would only cost both ends, thousands of idle calls over (as pppd's
      // lcp-echo-adaptive). A dead peer says nothing, so the count below still runs out.
      echo_outstanding_ = 0;
      echo_deadline_ = *last_heard_ + config_.echo_interval;
    } else if (echo_outstanding_ >= config_.echo_max_failures) {
      // The peer stopped answering: a Terminate-Request as a courtesy, then down at once;
      // waiting out the terminate retransmissions of a dead peer only delays the report.
      fail(ERROR_LINK_FAILURE, now);
      echo_deadline_.reset();
      lower_down(now);
    } else {
      ++echo_outstanding_;
      lcp_.send_echo_request();
      echo_deadline_ = now + config_.echo_interval;
    }
  }
  // IPV6CP gave up while IPv4 is up: the connection goes on with IPv4.
  if (!network_up_ && phase_ == Phase::Network) maybe_network_up();
}

std::optional<TimePoint> Session::next_deadline() const {
  std::optional<TimePoint> best;
  auto consider = [&](std::optional<TimePoint> t) {
    if (t && (!best || *t < *best)) best = t;
  };
  consider(lcp_.fsm().deadline());
  consider(ipcp_.fsm().deadline());
  consider(ipv6cp_.fsm().deadline());
  consider(config_.server ? auth_server_.deadline() : auth_client_.deadline());
  consider(echo_deadline_);
  return best;
}

void Session::put_frame_header(Bytes& frame, std::uint16_t protocol) const {
  // LCP always goes out uncompressed (RFC 1661 6.5, 6.6).
  bool lcp = protocol == kProtoLcp;
  if (lcp || !negotiated_.tx_acfc) {
    frame.push_back(0xFF);
    frame.push_back(0x03);
  }
  if (!lcp && negotiated_.tx_pfc && protocol < 0x100) {
    frame.push_back(static_cast<std::uint8_t>(protocol));
  } else {
    put16(frame, protocol);
  }
}

bool Session::poll_transmit(Bytes& frame) {
  if (!outbox_.empty()) {
    frame.clear();
    put_frame_header(frame, outbox_.front().protocol);
    const Bytes& body = outbox_.front().packet;
    frame.insert(frame.end(), body.begin(), body.end());
    outbox_.pop_front();
  } else if (!data_out_.empty()) {
    frame = std::move(data_out_.front());  // framed when it was queued
    data_out_.pop_front();
  } else {
    return false;
  }
  if (observer_) observer_(true, frame);
  ++counters_.frames_out;
  counters_.bytes_out += frame.size();
  return true;
}

std::optional<Event> Session::poll_event() {
  if (events_.empty()) return std::nullopt;
  Event e = events_.front();
  events_.pop_front();
  return e;
}

bool Session::send_packet(std::uint16_t protocol, ByteView packet) {
  bool up = (protocol == kProtoIp && negotiated_.ipv4_up) ||
            (protocol == kProtoIpv6 && negotiated_.ipv6_up);
  if (!up || packet.size() > negotiated_.peer_mru) return false;
  // Framed now, so that sending it moves it instead of copying it again.
  Bytes frame;
  frame.reserve(packet.size() + 4);
  put_frame_header(frame, protocol);
  frame.insert(frame.end(), packet.begin(), packet.end());
  data_out_.push_back(std::move(frame));
  return true;
}

std::optional<ReceivedPacket> Session::poll_packet() {
  if (data_in_.empty()) return std::nullopt;
  ReceivedPacket p = std::move(data_in_.front());
  data_in_.pop_front();
  return p;
}

}  // namespace openras::ppp
