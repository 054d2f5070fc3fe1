#include "link/l2tp_client.hpp"

#include "raserror.h"

namespace openras::link::l2tp {
namespace {

constexpr std::uint16_t kProtocolVersion1 = 0x0100;  // version 1, revision 0
constexpr std::uint32_t kFramingSync = 1;
constexpr std::uint32_t kFramingAsync = 2;
constexpr auto kClosingLimit = std::chrono::seconds(3);

// StopCCN and CDN result codes (sections 4.4.2).
constexpr std::uint16_t kStopGeneralRequest = 1;
constexpr std::uint16_t kStopGeneralError = 2;
constexpr std::uint16_t kStopNotAuthorized = 4;
constexpr std::uint16_t kCdnAdministrative = 3;
constexpr std::uint16_t kCdnTemporaryLack = 4;
constexpr std::uint16_t kErrorUnknownMandatoryAvp = 8;
constexpr std::uint16_t kErrorBadValue = 3;

}  // namespace

std::uint32_t error_for_peer_close(std::uint16_t message_type, const ResultCode& result,
                                   bool established) {
  if (established) return ERROR_REMOTE_DISCONNECTION;
  if (message_type == kCdn && result.result == kCdnTemporaryLack) return ERROR_CONGESTION;
  if (message_type == kStopCcn && result.result == kStopNotAuthorized) return ERROR_VPN_BAD_PSK;
  return ERROR_VPN_REFUSED;
}

Client::Client(ClientConfig config) : config_(std::move(config)), control_(config_.reliable) {}

Bytes Client::begin(std::uint16_t type) const {
  Bytes avps;
  put_avp16(avps, kAvpMessageType, type);
  return avps;
}

void Client::send(std::uint16_t session_id, Bytes avps, TimePoint now) {
  if (observer_) {
    if (auto m = parse_control(avps, config_.secret)) observer_(true, *m);
  }
  control_.send(peer_tunnel_, session_id, avps, now);
  if (hello_deadline_) hello_deadline_ = now + config_.hello_interval;
}

void Client::start(TimePoint now) {
  state_ = State::WaitTunnel;
  setup_deadline_ = now + config_.setup_timeout;
  Bytes avps = begin(kSccrq);
  put_avp16(avps, kAvpProtocolVersion, kProtocolVersion1);
  put_avp_text(avps, kAvpHostName, config_.host_name);
  put_avp32(avps, kAvpFramingCapabilities, kFramingSync | kFramingAsync);
  put_avp16(avps, kAvpAssignedTunnelId, config_.tunnel_id);
  put_avp16(avps, kAvpReceiveWindowSize, config_.reliable.receive_window);
  put_avp_text(avps, kAvpVendorName, "OpenRAS", false);
  if (!config_.secret.empty()) put_avp(avps, kAvpChallenge, config_.challenge);
  send(0, std::move(avps), now);
}

void Client::feed(ByteView datagram, TimePoint now) {
  auto h = parse_header(datagram);
  if (!h || h->tunnel_id != config_.tunnel_id) {
    ++malformed_;
    return;
  }
  ByteView payload = payload_of(datagram, *h);
  if (!h->control) {
    if (h->session_id == config_.session_id && state_ == State::Established && !payload.empty()) {
      frames_in_.emplace_back(payload.begin(), payload.end());
    } else {
      ++malformed_;
    }
    return;
  }
  // A message that does not parse is not acknowledged: the peer's retransmission may be whole.
  if (!payload.empty() && !parse_control(payload, config_.secret)) {
    ++malformed_;
    return;
  }
  std::vector<Bytes> in_order;
  control_.receive(*h, payload, in_order, now);
  for (const Bytes& body : in_order) {
    auto m = parse_control(body, config_.secret);
    if (!m) continue;
    if (observer_) observer_(false, *m);
    handle(*m, now);
  }
  control_.flush_ack();
  if (state_ == State::Closing && control_.all_acked()) finish(0);
}

void Client::handle(const ControlMessage& m, TimePoint now) {
  if (state_ == State::Closed || state_ == State::Failed) return;
  if (hello_deadline_) hello_deadline_ = now + config_.hello_interval;
  if (m.unknown_mandatory()) {
    stop_tunnel(kStopGeneralError, kErrorUnknownMandatoryAvp, ERROR_UNRECOGNIZED_RESPONSE, now);
    return;
  }
  switch (m.type) {
    case kSccrp:
      if (state_ == State::WaitTunnel) on_sccrp(m, now);
      break;
    case kIcrp:
      if (state_ == State::WaitSession) on_icrp(m, now);
      break;
    case kStopCcn:
      if (state_ == State::Closing) {
        finish(0);  // both ends stopping at once
      } else {
        peer_closed(m, true, now);
      }
      break;
    case kCdn:
      if (state_ != State::Closing &&
          (m.u16(kAvpAssignedSessionId) == peer_session_ || peer_session_ == 0)) {
        peer_closed(m, false, now);
      }
      break;
    default:
      break;  // HELLO, SLI, WEN: the acknowledgement is all they need
  }
}

void Client::on_sccrp(const ControlMessage& m, TimePoint now) {
  auto tunnel = m.u16(kAvpAssignedTunnelId);
  if (!tunnel || *tunnel == 0 || !m.u16(kAvpProtocolVersion)) {
    finish(ERROR_UNRECOGNIZED_RESPONSE);
    return;
  }
  peer_tunnel_ = *tunnel;
  control_.set_peer_tunnel(peer_tunnel_);
  if (auto window = m.u16(kAvpReceiveWindowSize)) control_.set_peer_window(*window);
  if (!config_.secret.empty()) {
    // Section 5.1.1: a LAC that sent a Challenge accepts only a server that answers it.
    auto expected = challenge_response(kSccrp, config_.secret, config_.challenge);
    const Avp* response = m.find(kAvpChallengeResponse);
    if (!response || !std::equal(response->value.begin(), response->value.end(), expected.begin(),
                                 expected.end())) {
      stop_tunnel(kStopNotAuthorized, 0, ERROR_UNABLE_TO_AUTHENTICATE_SERVER, now);
      return;
    }
  }
  Bytes scccn = begin(kScccn);
  if (const Avp* challenge = m.find(kAvpChallenge)) {
    if (config_.secret.empty()) {
      stop_tunnel(kStopNotAuthorized, 0, ERROR_VPN_BAD_PSK, now);  // no secret to answer with
      return;
    }
    put_avp(scccn, kAvpChallengeResponse,
            challenge_response(kScccn, config_.secret, challenge->value));
  }
  send(0, std::move(scccn), now);
  Bytes icrq = begin(kIcrq);
  put_avp16(icrq, kAvpAssignedSessionId, config_.session_id);
  put_avp32(icrq, kAvpCallSerialNumber, config_.call_serial);
  send(0, std::move(icrq), now);
  state_ = State::WaitSession;
}

void Client::on_icrp(const ControlMessage& m, TimePoint now) {
  auto session = m.u16(kAvpAssignedSessionId);
  if (!session || *session == 0) {
    stop_tunnel(kStopGeneralError, kErrorBadValue, ERROR_UNRECOGNIZED_RESPONSE, now);
    return;
  }
  peer_session_ = *session;
  Bytes iccn = begin(kIccn);
  put_avp32(iccn, kAvpTxConnectSpeed, config_.connect_speed);
  put_avp32(iccn, kAvpFramingType, kFramingSync);
  send(peer_session_, std::move(iccn), now);
  state_ = State::Established;
  setup_deadline_.reset();
  hello_deadline_ = now + config_.hello_interval;
}

void Client::peer_closed(const ControlMessage& m, bool whole_tunnel, TimePoint now) {
  peer_result_ = result_code(m).value_or(ResultCode{});
  std::uint32_t error = error_for_peer_close(m.type, peer_result_, state_ == State::Established);
  if (!whole_tunnel) {
    // Our one call is gone, so the tunnel goes with it: StopCCN, sent before we let go.
    send_stop_ccn(kStopGeneralRequest, 0, now);
  }
  finish(error);
}

void Client::stop_tunnel(std::uint16_t result, std::uint16_t error, std::uint32_t win32,
                         TimePoint now) {
  if (peer_tunnel_ == 0) {
    finish(win32);  // no tunnel at the peer to stop yet
    return;
  }
  send_stop_ccn(result, error, now);
  finish(win32);
}

void Client::send_stop_ccn(std::uint16_t result, std::uint16_t error, TimePoint now) {
  Bytes stop = begin(kStopCcn);
  put_avp16(stop, kAvpAssignedTunnelId, config_.tunnel_id);
  put_avp(stop, kAvpResultCode, result_code_value(result, error));
  send(0, std::move(stop), now);
}

void Client::finish(std::uint32_t error) {
  state_ = error ? State::Failed : State::Closed;
  error_ = error;
  setup_deadline_.reset();
  hello_deadline_.reset();
  closing_deadline_.reset();
  data_out_.clear();
}

void Client::disconnect(TimePoint now) {
  switch (state_) {
    case State::Idle:
    case State::WaitTunnel:
      if (peer_tunnel_ == 0) {
        finish(0);
        return;
      }
      break;
    case State::Closing:
    case State::Closed:
    case State::Failed:
      return;
    default:
      break;
  }
  if (peer_session_ != 0) {
    Bytes cdn = begin(kCdn);
    put_avp(cdn, kAvpResultCode, result_code_value(kCdnAdministrative));
    put_avp16(cdn, kAvpAssignedSessionId, config_.session_id);
    send(peer_session_, std::move(cdn), now);
  }
  send_stop_ccn(kStopGeneralRequest, 0, now);
  state_ = State::Closing;
  setup_deadline_.reset();
  hello_deadline_.reset();
  closing_deadline_ = now + kClosingLimit;
}

bool Client::poll_transmit(ppp::LineBytes& out) {
  Bytes control;  // a handful a tunnel: copied; data messages are queued as line octets
  if (control_.poll_transmit(control)) {
    out.assign(control.begin(), control.end());
    return true;
  }
  if (data_out_.empty()) return false;
  out = std::move(data_out_.front());
  data_out_.pop_front();
  return true;
}

bool Client::poll_transmit(Bytes& out) {
  ppp::LineBytes line;
  if (!poll_transmit(line)) return false;
  out.assign(line.begin(), line.end());
  return true;
}

void Client::on_timer(TimePoint now) {
  if (state_ == State::Closed || state_ == State::Failed || state_ == State::Idle) return;
  if (!control_.on_timer(now)) {
    // Every retransmission went unanswered.
    if (state_ == State::Closing) {
      finish(0);
    } else {
      finish(state_ == State::Established ? ERROR_VPN_DISCONNECT : ERROR_VPN_TIMEOUT);
    }
    return;
  }
  if (setup_deadline_ && now >= *setup_deadline_) {
    stop_tunnel(kStopGeneralError, 0, ERROR_VPN_TIMEOUT, now);
    return;
  }
  if (closing_deadline_ && now >= *closing_deadline_) {
    finish(0);
    return;
  }
  if (hello_deadline_ && now >= *hello_deadline_) {
    if (control_.all_acked()) send(0, begin(kHello), now);
    hello_deadline_ = now + config_.hello_interval;
  }
}

std::optional<TimePoint> Client::next_deadline() const {
  if (state_ == State::Closed || state_ == State::Failed) return std::nullopt;
  std::optional<TimePoint> best = control_.next_deadline();
  for (const auto& t : {setup_deadline_, hello_deadline_, closing_deadline_}) {
    if (t && (!best || *t < *best)) best = t;
  }
  return best;
}

bool Client::poll_frame(Bytes& frame) {
  if (frames_in_.empty()) return false;
  frame = std::move(frames_in_.front());
  frames_in_.pop_front();
  return true;
}

bool Client::send_frame(ByteView frame) {
  if (state_ != State::Established) return false;
  data_out_.push_back(data_message<ppp::LineBytes>(peer_tunnel_, peer_session_, frame));
  return true;
}

}  // namespace openras::link::l2tp
