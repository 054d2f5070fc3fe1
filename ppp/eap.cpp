#include "ppp/eap.hpp"

#include <algorithm>

#include "raserror.h"

namespace openras::ppp {
namespace {

enum EapCode : std::uint8_t { kRequest = 1, kResponse = 2, kSuccess = 3, kFailure = 4 };
enum EapType : std::uint8_t { kIdentity = 1, kNotification = 2, kNak = 3, kMsChapV2 = 26 };
// The MS-CHAPv2 packet inside type 26: OpCode, MS-CHAPv2-ID, MS-Length (from the OpCode to
// the end), then the CHAP data.
enum OpCode : std::uint8_t { kOpChallenge = 1, kOpResponse = 2, kOpSuccess = 3, kOpFailure = 4 };

OutPacket build(std::uint8_t code, std::uint8_t id, std::optional<std::uint8_t> type,
                const Bytes& data) {
  OutPacket out{kProtoEap, {code, id}};
  put16(out.packet, static_cast<std::uint16_t>(4 + (type ? 1 : 0) + data.size()));
  if (type) out.packet.push_back(*type);
  out.packet.insert(out.packet.end(), data.begin(), data.end());
  return out;
}

Bytes mschapv2_packet(std::uint8_t op, std::uint8_t ms_id, const Bytes& body) {
  Bytes out{op, ms_id};
  put16(out, static_cast<std::uint16_t>(4 + body.size()));
  append(out, body);
  return out;
}

std::string text_of(ByteView data) {
  return std::string(reinterpret_cast<const char*>(data.data()), data.size());
}

}  // namespace

EapPeer::EapPeer(const SessionConfig& config, Negotiated& negotiated, Random& random,
                 std::deque<OutPacket>& outbox)
    : ctx_{config, negotiated, random, outbox} {}

void EapPeer::start(const std::string& user, const std::string& password, TimePoint now) {
  user_ = user;
  password_ = password;
  status_ = AuthStatus::Running;
  deadline_ = now + ctx_.config.auth_timeout * ctx_.config.auth_max_requests;
}

void EapPeer::fail(std::uint32_t error) {
  status_ = AuthStatus::Failed;
  error_ = error;
  deadline_.reset();
}

void EapPeer::on_timer(TimePoint now) {
  if (status_ == AuthStatus::Running && deadline_ && now >= *deadline_) fail(ERROR_PPP_TIMEOUT);
}

void EapPeer::respond(std::uint8_t id, std::uint8_t type, const Bytes& data) {
  OutPacket out = build(kResponse, id, type, data);
  last_id_ = id;
  last_response_ = out.packet;
  ctx_.outbox.push_back(std::move(out));
}

void EapPeer::receive(ByteView raw, TimePoint) {
  if (status_ != AuthStatus::Running) return;
  auto p = parse_control_header(raw);  // data: type, type-data
  if (!p) return;
  switch (p->code) {
    case kRequest:
      if (p->data.empty()) return;
      // A repeat of the last Request (same identifier and contents: SoftEther reuses
      // identifiers for new Requests) means our Response was lost.
      if (last_id_ == p->id &&
          std::equal(raw.begin(), raw.end(), last_request_.begin(), last_request_.end())) {
        ctx_.outbox.push_back(OutPacket{kProtoEap, last_response_});
        return;
      }
      last_request_.assign(raw.begin(), raw.end());
      on_request(p->id, p->data[0], p->data.subspan(1));
      return;
    case kSuccess:
      // Without the MS-CHAPv2 proof, a Success says nothing about the server.
      if (!server_proved_) {
        fail(ERROR_UNABLE_TO_AUTHENTICATE_SERVER);
        return;
      }
      status_ = AuthStatus::Succeeded;
      deadline_.reset();
      return;
    case kFailure:
      fail(ERROR_AUTHENTICATION_FAILURE);
      return;
    default:
      return;
  }
}

void EapPeer::on_request(std::uint8_t id, std::uint8_t type, ByteView data) {
  switch (type) {
    case kIdentity:
      respond(id, kIdentity, Bytes(user_.begin(), user_.end()));
      return;
    case kNotification:
      ctx_.negotiated.auth_message = text_of(data);
      respond(id, kNotification, {});
      return;
    case kMsChapV2:
      on_mschapv2(id, data);
      return;
    default:
      respond(id, kNak, {kMsChapV2});  // the one method we have
      return;
  }
}

void EapPeer::on_mschapv2(std::uint8_t id, ByteView data) {
  if (data.size() < 4) return;
  const std::uint8_t op = data[0], ms_id = data[1];
  const std::uint16_t ms_length = get16(data.data() + 2);
  if (ms_length < 4 || ms_length > data.size()) return;
  ByteView body = data.subspan(4, ms_length - 4u);
  switch (op) {
    case kOpChallenge: {
      if (body.size() < 17 || body[0] != 16) return;
      mschap::Challenge16 authenticator_challenge, peer_challenge;
      std::copy_n(body.begin() + 1, 16, authenticator_challenge.begin());
      ctx_.random.fill(peer_challenge.data(), peer_challenge.size());
      Bytes value = exchange_.respond(authenticator_challenge, peer_challenge, user_, password_);
      Bytes response{static_cast<std::uint8_t>(value.size())};
      response.insert(response.end(), value.begin(), value.end());
      response.insert(response.end(), user_.begin(), user_.end());
      respond(id, kMsChapV2, mschapv2_packet(kOpResponse, ms_id, response));
      return;
    }
    case kOpSuccess: {
      std::string message = text_of(body);
      if (!exchange_.server_proved(message, user_, password_)) {
        fail(ERROR_UNABLE_TO_AUTHENTICATE_SERVER);
        return;
      }
      server_proved_ = true;
      auto m = message.find("M=");
      ctx_.negotiated.auth_message = m == std::string::npos ? "" : message.substr(m + 2);
      ctx_.negotiated.mppe_master_key = exchange_.master_key(password_);
      respond(id, kMsChapV2, {kOpSuccess});  // then the authenticator's EAP Success
      return;
    }
    case kOpFailure: {
      auto f = mschap::parse_failure(text_of(body));
      ctx_.negotiated.auth_message = f.message;
      respond(id, kMsChapV2, {kOpFailure});
      fail(mschap::failure_win32_error(f.error));
      return;
    }
    default:
      return;
  }
}

EapAuthenticator::EapAuthenticator(const SessionConfig& config, Negotiated& negotiated,
                                   Random& random, std::deque<OutPacket>& outbox)
    : ctx_{config, negotiated, random, outbox} {}

void EapAuthenticator::start(TimePoint now) {
  status_ = AuthStatus::Running;
  id_ = static_cast<std::uint8_t>(ctx_.random.u32());
  step_ = Step::Identity;
  request(kIdentity, {}, now);
}

void EapAuthenticator::request(std::uint8_t type, const Bytes& data, TimePoint now) {
  ++id_;
  last_request_ = build(kRequest, id_, type, data);
  ctx_.outbox.push_back(last_request_);
  requests_left_ = ctx_.config.auth_max_requests - 1;
  deadline_ = now + ctx_.config.auth_timeout;
}

void EapAuthenticator::on_timer(TimePoint now) {
  if (status_ != AuthStatus::Running || !deadline_ || now < *deadline_) return;
  if (requests_left_-- > 0) {
    ctx_.outbox.push_back(last_request_);
    deadline_ = now + ctx_.config.auth_timeout;
    return;
  }
  status_ = AuthStatus::Failed;
  deadline_.reset();
}

void EapAuthenticator::finish(bool ok, std::uint8_t id) {
  ctx_.outbox.push_back(build(ok ? kSuccess : kFailure, id, std::nullopt, {}));
  status_ = ok ? AuthStatus::Succeeded : AuthStatus::Failed;
  if (ok) {
    ctx_.negotiated.mppe_master_key = master_key_;
    ctx_.negotiated.peer_user = identity_;
  }
  deadline_.reset();
}

void EapAuthenticator::receive(ByteView raw, TimePoint now) {
  if (status_ != AuthStatus::Running) return;
  auto p = parse_control_header(raw);  // data: type, type-data
  if (!p || p->code != kResponse || p->id != id_ || p->data.empty()) return;
  const std::uint8_t type = p->data[0];
  ByteView data = p->data.subspan(1);
  if (type == kNak) {
    finish(false, p->id);  // the peer has no EAP-MSCHAPv2
    return;
  }
  if (step_ == Step::Identity && type == kIdentity) {
    identity_ = text_of(data);
    ctx_.random.fill(challenge_.data(), challenge_.size());
    step_ = Step::Challenge;
    request(kMsChapV2,
            mschapv2_packet(kOpChallenge, static_cast<std::uint8_t>(id_ + 1),
                            challenge_data(challenge_)),
            now);
    return;
  }
  if (type != kMsChapV2 || data.empty()) return;
  if (step_ == Step::Challenge && data[0] == kOpResponse && data.size() >= 5) {
    ByteView body = data.subspan(4);
    if (body.empty() || body[0] > body.size() - 1) return;
    ByteView value = body.subspan(1, body[0]);
    std::string name = text_of(body.subspan(1 + body[0]));
    auto verdict = mschap::judge_response(challenge_, value, name, ctx_.password_of(name));
    master_key_ = verdict.master_key;
    identity_ = name;
    step_ = verdict.ok ? Step::Success : Step::Failure;
    request(kMsChapV2,
            mschapv2_packet(verdict.ok ? kOpSuccess : kOpFailure, data[1],
                            Bytes(verdict.message.begin(), verdict.message.end())),
            now);
    return;
  }
  if (step_ == Step::Success && data[0] == kOpSuccess) finish(true, p->id);
  if (step_ == Step::Failure && data[0] == kOpFailure) finish(false, p->id);
}

}  // namespace openras::ppp
