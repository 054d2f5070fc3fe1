#include "ppp/fsm.hpp"

namespace openras::ppp {

const char* fsm_state_name(FsmState s) {
  switch (s) {
    case FsmState::Initial:
      return "Initial";
    case FsmState::Starting:
      return "Starting";
    case FsmState::Closed:
      return "Closed";
    case FsmState::Stopped:
      return "Stopped";
    case FsmState::Closing:
      return "Closing";
    case FsmState::Stopping:
      return "Stopping";
    case FsmState::ReqSent:
      return "Req-Sent";
    case FsmState::AckRcvd:
      return "Ack-Rcvd";
    case FsmState::AckSent:
      return "Ack-Sent";
    case FsmState::Opened:
      return "Opened";
  }
  return "?";
}

Verdict settle_request(bool well_formed, ByteView options, Bytes& rejects, Bytes& naks,
                       Bytes& reply) {
  if (!well_formed) {
    reply.assign(options.begin(), options.end());
    return Verdict::Reject;
  }
  if (!rejects.empty()) {
    reply = std::move(rejects);
    return Verdict::Reject;
  }
  if (!naks.empty()) {
    reply = std::move(naks);
    return Verdict::Nak;
  }
  return Verdict::Ack;
}

Fsm::Fsm(std::uint16_t protocol, FsmProtocol& handler, std::deque<OutPacket>& outbox,
         FsmConfig config)
    : protocol_(protocol), handler_(handler), outbox_(outbox), config_(config) {}

void Fsm::send(std::uint8_t code, std::uint8_t id, ByteView data) {
  OutPacket out{protocol_, {}};
  out.packet.reserve(4 + data.size());
  out.packet.push_back(code);
  out.packet.push_back(id);
  put16(out.packet, static_cast<std::uint16_t>(4 + data.size()));
  out.packet.insert(out.packet.end(), data.begin(), data.end());
  outbox_.push_back(std::move(out));
}

void Fsm::init_restart(int count, TimePoint now) {
  restart_count_ = count;
  deadline_ = now + config_.restart_timer;
}

void Fsm::zero_restart(TimePoint now) {
  restart_count_ = 0;
  deadline_ = now + config_.restart_timer;
}

void Fsm::send_configure_request(TimePoint now, bool retransmission) {
  Bytes request = handler_.build_request();
  // RFC 1661 5.1: a retransmission of unchanged options may keep its Identifier, so a slow
  // peer's Ack of the first copy still counts (a new Identifier made it be thrown away, and
  // the dial waited another restart period).
  if (!retransmission || request != last_request_) request_id_ = next_id();
  last_request_ = std::move(request);
  request_answered_ = false;
  send(kConfigureRequest, request_id_, last_request_);
  --restart_count_;
  deadline_ = now + config_.restart_timer;
}

void Fsm::send_terminate_request(TimePoint now) {
  Bytes reason(terminate_reason_.begin(), terminate_reason_.end());
  send(kTerminateRequest, next_id(), reason);
  --restart_count_;
  deadline_ = now + config_.restart_timer;
}

void Fsm::finish(FinishReason reason) {
  deadline_.reset();
  handler_.this_layer_finished(reason);
}

void Fsm::up(TimePoint now) {
  switch (state_) {
    case FsmState::Initial:
      set_state(FsmState::Closed);
      break;
    case FsmState::Starting:
      failure_count_ = 0;
      init_restart(config_.max_configure, now);
      send_configure_request(now);
      set_state(FsmState::ReqSent);
      break;
    default:
      break;
  }
}

void Fsm::down() {
  switch (state_) {
    case FsmState::Closed:
    case FsmState::Closing:
      set_state(FsmState::Initial);
      break;
    case FsmState::Stopped:
      handler_.this_layer_started();
      set_state(FsmState::Starting);
      break;
    case FsmState::Stopping:
    case FsmState::ReqSent:
    case FsmState::AckRcvd:
    case FsmState::AckSent:
      set_state(FsmState::Starting);
      break;
    case FsmState::Opened:
      handler_.this_layer_down();
      set_state(FsmState::Starting);
      break;
    default:
      break;
  }
  deadline_.reset();
}

void Fsm::open(TimePoint now) {
  switch (state_) {
    case FsmState::Initial:
      handler_.this_layer_started();
      set_state(FsmState::Starting);
      break;
    case FsmState::Closed:
      failure_count_ = 0;
      init_restart(config_.max_configure, now);
      send_configure_request(now);
      set_state(FsmState::ReqSent);
      break;
    case FsmState::Closing:
      set_state(FsmState::Stopping);
      break;
    default:
      break;
  }
}

void Fsm::close(TimePoint now, std::string reason) {
  terminate_reason_ = std::move(reason);
  switch (state_) {
    case FsmState::Starting:
      set_state(FsmState::Initial);
      finish(FinishReason::Closed);
      break;
    case FsmState::Stopped:
      set_state(FsmState::Closed);
      break;
    case FsmState::Stopping:
      set_state(FsmState::Closing);
      break;
    case FsmState::Opened:
      handler_.this_layer_down();
      [[fallthrough]];
    case FsmState::ReqSent:
    case FsmState::AckRcvd:
    case FsmState::AckSent:
      init_restart(config_.max_terminate, now);
      send_terminate_request(now);
      set_state(FsmState::Closing);
      break;
    default:
      break;
  }
}

void Fsm::on_timer(TimePoint now) {
  if (!deadline_ || now < *deadline_) return;
  deadline_.reset();
  const bool more = restart_count_ > 0;
  switch (state_) {
    case FsmState::Closing:
    case FsmState::Stopping:
      if (more) {
        send_terminate_request(now);
      } else {
        bool closing = state_ == FsmState::Closing;
        set_state(closing ? FsmState::Closed : FsmState::Stopped);
        finish(closing ? FinishReason::Closed : FinishReason::PeerTerminated);
      }
      break;
    case FsmState::ReqSent:
    case FsmState::AckRcvd:
    case FsmState::AckSent:
      if (more) {
        // In AckRcvd the last request was answered: the next one is new, not a retransmission.
        send_configure_request(now, state_ != FsmState::AckRcvd);
        if (state_ == FsmState::AckRcvd) set_state(FsmState::ReqSent);
      } else {
        set_state(FsmState::Stopped);
        finish(FinishReason::Timeout);
      }
      break;
    default:
      break;
  }
}

void Fsm::receive(ByteView packet, TimePoint now) {
  if (packet.size() < 4) {
    ++malformed_;
    return;
  }
  std::uint8_t code = packet[0];
  std::uint8_t id = packet[1];
  std::uint16_t length = get16(packet.data() + 2);
  if (length < 4 || length > packet.size()) {
    ++malformed_;
    return;
  }
  ByteView data = packet.subspan(4, length - 4u);  // octets past Length are padding
  if (state_ == FsmState::Initial || state_ == FsmState::Starting) return;
  switch (code) {
    case kConfigureRequest:
      on_configure_request(id, data, now);
      break;
    case kConfigureAck:
      on_configure_ack(id, data, now);
      break;
    case kConfigureNak:
    case kConfigureReject:
      on_configure_nak_or_reject(code, id, data, now);
      break;
    case kTerminateRequest:
      on_terminate_request(id, now);
      break;
    case kTerminateAck:
      on_terminate_ack(now);
      break;
    case kCodeReject:
      on_code_reject(data, now);
      break;
    default:
      if (!handler_.on_extended_code(code, id, data)) {
        // RUC: Code-Reject with as much of the packet as fits.
        send(kCodeReject, next_id(), packet.subspan(0, length));
      }
      break;
  }
}

void Fsm::on_configure_request(std::uint8_t id, ByteView options, TimePoint now) {
  if (state_ == FsmState::Closed || state_ == FsmState::Closing || state_ == FsmState::Stopping) {
    if (state_ == FsmState::Closed) send(kTerminateAck, id, {});
    return;
  }
  Bytes reply;
  Verdict verdict = handler_.check_request(options, reply);
  if (state_ == FsmState::Closing || state_ == FsmState::Closed) {
    return;  // judging the request made the protocol close the layer (a looped-back line)
  }
  if (verdict == Verdict::Nak && ++failure_count_ >= config_.max_failure) {
    // Past Max-Failure a Nak becomes a Reject so negotiation converges (RFC 1661 4.6).
    verdict = Verdict::Reject;
  }
  if (state_ == FsmState::Opened) {
    handler_.this_layer_down();
    init_restart(config_.max_configure, now);
    send_configure_request(now);
  } else if (state_ == FsmState::Stopped) {
    init_restart(config_.max_configure, now);
    send_configure_request(now);
  }
  switch (verdict) {
    case Verdict::Ack:
      send(kConfigureAck, id, options);
      if (state_ == FsmState::AckRcvd) {
        set_state(FsmState::Opened);
        deadline_.reset();
        handler_.this_layer_up();
      } else {
        set_state(FsmState::AckSent);
      }
      break;
    case Verdict::Nak:
    case Verdict::Reject:
      send(verdict == Verdict::Nak ? kConfigureNak : kConfigureReject, id, reply);
      if (state_ != FsmState::AckRcvd) set_state(FsmState::ReqSent);
      break;
  }
}

void Fsm::on_configure_ack(std::uint8_t id, ByteView options, TimePoint now) {
  // A second answer to the same request (the peer answered both copies of a retransmission
  // that kept its Identifier) is a duplicate, not news: as pppd, toss it.
  if (id != request_id_ || request_answered_ || !handler_.on_ack(options)) {
    ++malformed_;  // not the answer to our outstanding request: silently discarded
    return;
  }
  request_answered_ = true;
  switch (state_) {
    case FsmState::Closed:
    case FsmState::Stopped:
      send(kTerminateAck, id, {});
      break;
    case FsmState::ReqSent:
      // irc; the timer keeps running until the peer's own request arrives.
      restart_count_ = config_.max_configure;
      set_state(FsmState::AckRcvd);
      break;
    case FsmState::AckRcvd:
      send_configure_request(now);  // crossed connection
      set_state(FsmState::ReqSent);
      break;
    case FsmState::AckSent:
      restart_count_ = config_.max_configure;
      deadline_.reset();
      set_state(FsmState::Opened);
      handler_.this_layer_up();
      break;
    case FsmState::Opened:
      handler_.this_layer_down();
      send_configure_request(now);
      set_state(FsmState::ReqSent);
      break;
    default:
      break;
  }
}

void Fsm::on_configure_nak_or_reject(std::uint8_t code, std::uint8_t id, ByteView options,
                                     TimePoint now) {
  if (id != request_id_ || request_answered_) {
    ++malformed_;
    return;
  }
  request_answered_ = true;
  switch (state_) {
    case FsmState::Closed:
    case FsmState::Stopped:
      send(kTerminateAck, id, {});
      return;
    case FsmState::ReqSent:
    case FsmState::AckRcvd:
    case FsmState::AckSent:
    case FsmState::Opened:
      break;
    default:
      return;
  }
  if (code == kConfigureNak) {
    handler_.on_nak(options);
  } else {
    handler_.on_reject(options);
  }
  if (state_ == FsmState::Opened) handler_.this_layer_down();
  if (state_ == FsmState::ReqSent || state_ == FsmState::AckSent) {
    init_restart(config_.max_configure, now);
  }
  send_configure_request(now);
  if (state_ != FsmState::AckSent) set_state(FsmState::ReqSent);
}

void Fsm::on_terminate_request(std::uint8_t id, TimePoint now) {
  switch (state_) {
    case FsmState::Opened:
      handler_.this_layer_down();
      zero_restart(now);
      send(kTerminateAck, id, {});
      set_state(FsmState::Stopping);
      break;
    case FsmState::AckRcvd:
    case FsmState::AckSent:
      send(kTerminateAck, id, {});
      set_state(FsmState::ReqSent);
      break;
    default:
      send(kTerminateAck, id, {});
      break;
  }
}

void Fsm::on_terminate_ack(TimePoint now) {
  switch (state_) {
    case FsmState::Closing:
      set_state(FsmState::Closed);
      finish(FinishReason::Closed);
      break;
    case FsmState::Stopping:
      set_state(FsmState::Stopped);
      finish(FinishReason::PeerTerminated);
      break;
    case FsmState::AckRcvd:
      set_state(FsmState::ReqSent);
      break;
    case FsmState::Opened:
      handler_.this_layer_down();
      send_configure_request(now);
      set_state(FsmState::ReqSent);
      break;
    default:
      break;
  }
}

void Fsm::on_code_reject(ByteView data, TimePoint now) {
  // A rejected code 1..7 is catastrophic (RXJ-); anything else is permitted (RXJ+).
  std::uint8_t rejected = data.empty() ? 0 : data[0];
  bool catastrophic = rejected >= kConfigureRequest && rejected <= kCodeReject;
  if (!catastrophic) {
    if (state_ == FsmState::AckRcvd) set_state(FsmState::ReqSent);
    return;
  }
  switch (state_) {
    case FsmState::Closing:
      set_state(FsmState::Closed);
      finish(FinishReason::Rejected);
      break;
    case FsmState::Opened:
      handler_.this_layer_down();
      init_restart(config_.max_terminate, now);
      send_terminate_request(now);
      set_state(FsmState::Stopping);
      break;
    case FsmState::Closed:
    case FsmState::Stopped:
      finish(FinishReason::Rejected);
      break;
    default:
      set_state(FsmState::Stopped);
      finish(FinishReason::Rejected);
      break;
  }
}

}  // namespace openras::ppp
