#include "link/sstp_client.hpp"

#include "raserror.h"

namespace openras::link::sstp {

Client::Client(ClientConfig config) : config_(std::move(config)) {}

void Client::start(ByteView certificate_der, TimePoint now) {
  certificate_.assign(certificate_der.begin(), certificate_der.end());
  std::string request = sstp_duplex_post(config_.host, config_.correlation_id);
  out_.emplace_back(request.begin(), request.end());
  state_ = State::HttpSent;
  negotiation_deadline_ = now + config_.negotiation_timeout;
}

void Client::send(const ControlMessage& m) {
  if (observer_) observer_(true, m);
  out_.push_back(encode_control(m));
}

void Client::fail(std::uint32_t error, bool abort) {
  if (finished()) return;
  if (abort && state_ != State::HttpSent) {
    ControlMessage m;
    m.type = kCallAbort;
    m.attributes.push_back(status_info_attribute(kAttribNoError, kStatusInvalidFrameReceived));
    send(m);
  }
  state_ = State::Failed;
  error_ = error;
  negotiation_deadline_.reset();
  hello_deadline_.reset();
  disconnect_deadline_.reset();
}

void Client::arm_hello(TimePoint now) {
  hello_deadline_ = now + config_.hello_interval;
  echo_outstanding_ = false;
}

void Client::feed(ByteView bytes, TimePoint now) {
  if (finished()) return;
  if (state_ == State::HttpSent) {
    auto status = http_.feed(bytes);
    if (status == HttpHead::Status::NeedMore) return;
    auto code = http_.status_code();
    if (status == HttpHead::Status::Malformed || !code) {
      fail(ERROR_UNRECOGNIZED_RESPONSE, false);
      return;
    }
    if (*code != 200) {
      fail(ERROR_VPN_REFUSED, false);
      return;
    }
    ControlMessage request;
    request.type = kCallConnectRequest;
    request.attributes.push_back(encapsulated_protocol_attribute(kEncapsulatedPpp));
    send(request);
    state_ = State::RequestSent;
    Bytes rest = http_.take_rest();
    if (rest.empty()) return;
    reader_.feed(rest);
  } else {
    reader_.feed(bytes);
  }
  ByteView raw;
  while (!finished() && reader_.next(raw)) {
    auto frame = data_payload(raw);
    if (frame && ppp_may_run()) {
      // Most of the stream: the frame copied once, from the reader's buffer.
      arm_hello(now);
      frames_in_.emplace_back(frame->begin(), frame->end());
      continue;
    }
    auto packet = decode_packet(raw);
    if (!packet) {
      ++malformed_;
      // A data packet with a bad header cannot be skipped safely; a control one ends the call.
      fail(ERROR_UNRECOGNIZED_RESPONSE, true);
      return;
    }
    if (ppp_may_run() || state_ == State::Disconnecting) arm_hello(now);
    if (packet->control) {
      if (observer_) observer_(false, packet->message);
      handle_control(packet->message, now);
    } else {
      ++malformed_;  // data before the Ack: dropped
    }
  }
  if (reader_.broken()) {
    ++malformed_;
    fail(ERROR_UNRECOGNIZED_RESPONSE, true);
  }
}

void Client::handle_control(const ControlMessage& m, TimePoint now) {
  switch (m.type) {
    case kCallConnectAck: {
      if (state_ != State::RequestSent) return;  // a duplicate: ignored
      const Attribute* a = m.find(kAttribCryptoBindingReq);
      auto request = a ? parse_crypto_binding_request(*a) : std::nullopt;
      auto hash = request ? choose_hash_protocol(request->hash_protocols) : std::nullopt;
      if (!hash) {
        fail(ERROR_UNRECOGNIZED_RESPONSE, true);
        return;
      }
      binding_.hash_protocol = *hash;
      binding_.nonce = request->nonce;
      binding_.cert_hash = certificate_hash(certificate_, *hash);
      binding_requested_ = true;
      state_ = State::Negotiating;
      // The negotiation timer runs on until Call Connected: PPP must finish within it.
      arm_hello(now);
      return;
    }
    case kCallConnectNak:
      if (state_ == State::RequestSent) fail(ERROR_VPN_REFUSED, false);
      return;
    case kCallAbort:
      fail(state_ == State::Connected ? ERROR_REMOTE_DISCONNECTION : ERROR_VPN_REFUSED, false);
      return;
    case kCallDisconnect: {
      ControlMessage ack;
      ack.type = kCallDisconnectAck;
      send(ack);
      if (state_ == State::Disconnecting) {
        state_ = State::Closed;  // both sides hung up at once
        return;
      }
      fail(ERROR_REMOTE_DISCONNECTION, false);
      return;
    }
    case kCallDisconnectAck:
      if (state_ == State::Disconnecting) {
        state_ = State::Closed;
        disconnect_deadline_.reset();
        hello_deadline_.reset();
      }
      return;
    case kEchoRequest: {
      ControlMessage reply;
      reply.type = kEchoResponse;
      send(reply);
      return;
    }
    case kEchoResponse:
      echo_outstanding_ = false;
      return;
    default:
      ++malformed_;  // a message a client never receives: ignored
      return;
  }
}

bool Client::poll_transmit(Bytes& out) {
  if (out_.empty()) return false;
  out = std::move(out_.front());
  out_.pop_front();
  return true;
}

bool Client::poll_frame(Bytes& frame) {
  if (frames_in_.empty()) return false;
  frame = std::move(frames_in_.front());
  frames_in_.pop_front();
  return true;
}

bool Client::send_frame(ByteView frame) {
  if (!ppp_may_run() || frame.size() + kHeaderSize > kMaxPacket) return false;
  out_.push_back(encode_data(frame));
  return true;
}

bool Client::append_frame(ByteView frame, ppp::LineBytes& out) const {
  if (!ppp_may_run() || frame.size() + kHeaderSize > kMaxPacket) return false;
  append_data(frame, out);
  return true;
}

void Client::authenticated(const std::optional<std::array<std::uint8_t, 16>>& mschapv2_master_key,
                           TimePoint now) {
  if (state_ != State::Negotiating || !binding_requested_) return;
  Key32 hlak{};  // PAP and CHAP-MD5 derive no keys: zeros (MS-SSTP 3.2.5.2)
  if (mschapv2_master_key) hlak = hlak_from_mschapv2(*mschapv2_master_key, false);
  Bytes packet = build_call_connected(binding_, hlak);
  if (observer_) {
    if (auto decoded = decode_packet(packet)) observer_(true, decoded->message);
  }
  out_.push_back(std::move(packet));
  state_ = State::Connected;
  negotiation_deadline_.reset();
  arm_hello(now);
}

void Client::disconnect(TimePoint now) {
  if (finished() || state_ == State::Disconnecting) return;
  if (state_ == State::Idle || state_ == State::HttpSent) {
    state_ = State::Closed;  // no SSTP call exists yet
    negotiation_deadline_.reset();
    return;
  }
  ControlMessage m;
  m.type = kCallDisconnect;
  m.attributes.push_back(status_info_attribute(kAttribNoError, kStatusNoError));
  send(m);
  state_ = State::Disconnecting;
  negotiation_deadline_.reset();
  hello_deadline_.reset();
  disconnect_deadline_ = now + config_.disconnect_timeout;
}

void Client::on_timer(TimePoint now) {
  if (disconnect_deadline_ && now >= *disconnect_deadline_) {
    disconnect_deadline_.reset();
    state_ = State::Closed;  // the server never acknowledged: let go anyway
    return;
  }
  if (negotiation_deadline_ && now >= *negotiation_deadline_) {
    fail(ERROR_VPN_TIMEOUT, state_ != State::HttpSent);
    return;
  }
  if (hello_deadline_ && now >= *hello_deadline_) {
    if (echo_outstanding_) {
      fail(ERROR_VPN_TIMEOUT, true);
      return;
    }
    ControlMessage echo;
    echo.type = kEchoRequest;
    send(echo);
    hello_deadline_ = now + config_.hello_interval;
    echo_outstanding_ = true;
  }
}

std::optional<TimePoint> Client::next_deadline() const {
  std::optional<TimePoint> best;
  for (const auto& t : {negotiation_deadline_, hello_deadline_, disconnect_deadline_}) {
    if (t && (!best || *t < *best)) best = t;
  }
  return best;
}

}  // namespace openras::link::sstp
