#include "ppp/auth.hpp"

#include <nettle/md5.h>

#include <algorithm>
#include <cstring>

#include "raserror.h"

namespace openras::ppp {
namespace {

enum PapCode : std::uint8_t { kPapRequest = 1, kPapAck = 2, kPapNak = 3 };
enum ChapCode : std::uint8_t { kChallenge = 1, kResponse = 2, kSuccess = 3, kFailure = 4 };

std::array<std::uint8_t, 16> chap_md5(std::uint8_t id, std::string_view secret,
                                      ByteView challenge) {
  md5_ctx ctx;
  md5_init(&ctx);
  md5_update(&ctx, 1, &id);
  md5_update(&ctx, secret.size(), reinterpret_cast<const std::uint8_t*>(secret.data()));
  md5_update(&ctx, challenge.size(), challenge.data());
  std::array<std::uint8_t, 16> out;
  md5_digest(&ctx, out.size(), out.data());
  return out;
}

void push_packet(std::deque<OutPacket>& outbox, std::uint16_t protocol, std::uint8_t code,
                 std::uint8_t id, const Bytes& data) {
  OutPacket out{protocol, {code, id}};
  put16(out.packet, static_cast<std::uint16_t>(4 + data.size()));
  out.packet.insert(out.packet.end(), data.begin(), data.end());
  outbox.push_back(std::move(out));
}

}  // namespace

AuthClient::AuthClient(const SessionConfig& config, Negotiated& negotiated, Random& random,
                       std::deque<OutPacket>& outbox)
    : ctx_{config, negotiated, random, outbox},
      user_(config.user),
      password_(config.password),
      eap_(config, negotiated, random, outbox) {}

void AuthClient::take_eap_state() {
  status_ = eap_.status();
  error_ = eap_.error();
  deadline_ = eap_.deadline();
}

void AuthClient::send(std::uint16_t protocol, std::uint8_t code, std::uint8_t id,
                      const Bytes& data) {
  push_packet(ctx_.outbox, protocol, code, id, data);
}

void AuthClient::fail(std::uint32_t error) {
  status_ = AuthStatus::Failed;
  error_ = error;
  deadline_.reset();
}

void AuthClient::start(AuthMethod method, TimePoint now) {
  method_ = method;
  status_ = AuthStatus::Running;
  requests_left_ = ctx_.config.auth_max_requests;
  if (method == AuthMethod::EapMsChapV2) {
    eap_.start(user_, password_, now);
    take_eap_state();
  } else if (method == AuthMethod::Pap) {
    send_pap(now);
  } else {
    // CHAP: the authenticator speaks first; give it as long as the retransmissions would take.
    deadline_ = now + ctx_.config.auth_timeout * ctx_.config.auth_max_requests;
  }
}

void AuthClient::send_pap(TimePoint now) {
  Bytes data;
  data.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(user_.size(), 255)));
  append(data, {reinterpret_cast<const std::uint8_t*>(user_.data()), data[0]});
  std::uint8_t pw_len = static_cast<std::uint8_t>(std::min<std::size_t>(password_.size(), 255));
  data.push_back(pw_len);
  append(data, {reinterpret_cast<const std::uint8_t*>(password_.data()), pw_len});
  send(kProtoPap, kPapRequest, ++id_, data);
  std::fill(data.begin(), data.end(), 0);
  --requests_left_;
  deadline_ = now + ctx_.config.auth_timeout;
}

void AuthClient::on_timer(TimePoint now) {
  if (!deadline_ || now < *deadline_ || status_ != AuthStatus::Running) return;
  if (method_ == AuthMethod::EapMsChapV2) {
    eap_.on_timer(now);
    take_eap_state();
    return;
  }
  if (method_ == AuthMethod::Pap && requests_left_ > 0) {
    send_pap(now);
    return;
  }
  fail(ERROR_PPP_TIMEOUT);
}

void AuthClient::receive(std::uint16_t protocol, ByteView packet, TimePoint now) {
  if (status_ != AuthStatus::Running && status_ != AuthStatus::Succeeded) return;
  if (protocol == kProtoEap) {
    if (method_ != AuthMethod::EapMsChapV2) return;
    eap_.receive(packet, now);
    take_eap_state();
    return;
  }
  auto h = parse_control_header(packet);
  if (!h) return;
  if (protocol == kProtoPap && method_ == AuthMethod::Pap) on_pap(h->code, h->data);
  if (protocol == kProtoChap &&
      (method_ == AuthMethod::ChapMd5 || method_ == AuthMethod::MsChapV2)) {
    on_chap(h->code, h->id, h->data, now);
  }
}

bool AuthClient::take_network_as_success() {
  if (status_ != AuthStatus::Running) return false;
  if (method_ != AuthMethod::Pap && method_ != AuthMethod::ChapMd5) return false;
  status_ = AuthStatus::Succeeded;
  deadline_.reset();
  return true;
}

void AuthClient::on_pap(std::uint8_t code, ByteView data) {
  if (status_ != AuthStatus::Running) return;
  if (!data.empty() && data[0] <= data.size() - 1) {
    ctx_.negotiated.auth_message.assign(reinterpret_cast<const char*>(data.data() + 1), data[0]);
  }
  if (code == kPapAck) {
    status_ = AuthStatus::Succeeded;
    deadline_.reset();
  } else if (code == kPapNak) {
    fail(ERROR_AUTHENTICATION_FAILURE);
  }
}

void AuthClient::answer_challenge(std::uint8_t id, ByteView value, TimePoint now) {
  Bytes data;
  std::string_view name = user_;
  if (method_ == AuthMethod::ChapMd5) {
    auto digest = chap_md5(id, password_, value);
    data.push_back(16);
    data.insert(data.end(), digest.begin(), digest.end());
  } else {
    mschap::Challenge16 authenticator_challenge, peer_challenge;
    std::copy_n(value.begin(), 16, authenticator_challenge.begin());
    ctx_.random.fill(peer_challenge.data(), peer_challenge.size());
    Bytes response = exchange_.respond(authenticator_challenge, peer_challenge, user_, password_);
    data.push_back(static_cast<std::uint8_t>(response.size()));
    data.insert(data.end(), response.begin(), response.end());
  }
  data.insert(data.end(), name.begin(), name.end());
  send(kProtoChap, kResponse, id, data);
  last_response_ = std::move(data);
  answered_id_ = id;
  deadline_ = now + ctx_.config.auth_timeout * ctx_.config.auth_max_requests;
}

void AuthClient::on_chap(std::uint8_t code, std::uint8_t id, ByteView data, TimePoint now) {
  switch (code) {
    case kChallenge: {
      if (status_ != AuthStatus::Running) return;  // a re-challenge after success: ignored
      if (data.empty() || data[0] > data.size() - 1) return;
      ByteView value = data.subspan(1, data[0]);
      if (method_ == AuthMethod::MsChapV2 && value.size() != 16) return;
      if (answered_id_ == id) {
        send(kProtoChap, kResponse, id, last_response_);  // the server did not hear us
        return;
      }
      answer_challenge(id, value, now);
      return;
    }
    case kSuccess: {
      if (status_ != AuthStatus::Running || answered_id_ != id) return;
      std::string message(reinterpret_cast<const char*>(data.data()), data.size());
      if (method_ == AuthMethod::MsChapV2) {
        // A server that cannot prove it knows the password is refused (RFC 2759 section 8.8).
        if (!exchange_.server_proved(message, user_, password_)) {
          fail(ERROR_UNABLE_TO_AUTHENTICATE_SERVER);
          return;
        }
        auto m = message.find("M=");
        ctx_.negotiated.auth_message = m == std::string::npos ? "" : message.substr(m + 2);
        ctx_.negotiated.mppe_master_key = exchange_.master_key(password_);
      } else {
        ctx_.negotiated.auth_message = message;
      }
      status_ = AuthStatus::Succeeded;
      deadline_.reset();
      return;
    }
    case kFailure: {
      if (status_ != AuthStatus::Running || answered_id_ != id) return;
      std::string message(reinterpret_cast<const char*>(data.data()), data.size());
      if (method_ != AuthMethod::MsChapV2) {
        ctx_.negotiated.auth_message = message;
        fail(ERROR_AUTHENTICATION_FAILURE);
        return;
      }
      auto f = mschap::parse_failure(message);
      ctx_.negotiated.auth_message = f.message;
      if (f.retry && ctx_.config.paused_retry && f.challenge) {
        status_ = AuthStatus::Paused;
        error_ = mschap::failure_win32_error(f.error);
        retry_challenge_ = f.challenge;
        id_ = static_cast<std::uint8_t>(id + 1);
        deadline_.reset();
        return;
      }
      fail(mschap::failure_win32_error(f.error));
      return;
    }
    default:
      return;
  }
}

void AuthClient::resume(const std::string& user, const std::string& password, TimePoint now) {
  if (status_ != AuthStatus::Paused || !retry_challenge_) return;
  if (!user.empty()) user_ = user;
  password_ = password;
  status_ = AuthStatus::Running;
  error_ = 0;
  // RFC 2759 section 7: the next Response answers the Failure's challenge with the next id.
  answer_challenge(id_, ByteView(retry_challenge_->data(), 16), now);
}

AuthServer::AuthServer(const SessionConfig& config, Negotiated& negotiated, Random& random,
                       std::deque<OutPacket>& outbox)
    : ctx_{config, negotiated, random, outbox}, eap_(config, negotiated, random, outbox) {}

void AuthServer::take_eap_state() {
  status_ = eap_.status();
  deadline_ = eap_.deadline();
}

void AuthServer::send(std::uint16_t protocol, std::uint8_t code, std::uint8_t id,
                      const Bytes& data) {
  push_packet(ctx_.outbox, protocol, code, id, data);
}

void AuthServer::start(AuthMethod method, TimePoint now) {
  method_ = method;
  status_ = AuthStatus::Running;
  challenges_left_ = ctx_.config.auth_max_requests;
  if (method == AuthMethod::EapMsChapV2) {
    eap_.start(now);
    take_eap_state();
  } else if (method == AuthMethod::Pap) {
    deadline_ = now + ctx_.config.auth_timeout * ctx_.config.auth_max_requests;
  } else {
    ctx_.random.fill(challenge_.data(), challenge_.size());
    id_ = static_cast<std::uint8_t>(ctx_.random.u32());
    send_challenge(now);
  }
}

void AuthServer::send_challenge(TimePoint now) {
  send(kProtoChap, kChallenge, id_, challenge_data(challenge_));
  --challenges_left_;
  deadline_ = now + ctx_.config.auth_timeout;
}

void AuthServer::on_timer(TimePoint now) {
  if (!deadline_ || now < *deadline_ || status_ != AuthStatus::Running) return;
  if (method_ == AuthMethod::EapMsChapV2) {
    eap_.on_timer(now);
    take_eap_state();
    return;
  }
  if (method_ != AuthMethod::Pap && challenges_left_ > 0) {
    send_challenge(now);
    return;
  }
  status_ = AuthStatus::Failed;
  deadline_.reset();
}

void AuthServer::receive(std::uint16_t protocol, ByteView packet, TimePoint now) {
  if (status_ != AuthStatus::Running) return;
  if (protocol == kProtoEap) {
    if (method_ != AuthMethod::EapMsChapV2) return;
    eap_.receive(packet, now);
    take_eap_state();
    return;
  }
  auto h = parse_control_header(packet);
  if (!h) return;
  if (protocol == kProtoPap && method_ == AuthMethod::Pap && h->code == kPapRequest) {
    ByteView d = h->data;
    if (d.empty() || d[0] + 1u >= d.size() + 0u) return;
    std::string user(reinterpret_cast<const char*>(d.data() + 1), d[0]);
    std::size_t pw_at = 1u + d[0];
    if (pw_at >= d.size() || d[pw_at] > d.size() - pw_at - 1) return;
    std::string password(reinterpret_cast<const char*>(d.data() + pw_at + 1), d[pw_at]);
    auto expected = ctx_.password_of(user);
    bool ok = expected && *expected == password;
    std::string msg = ok ? "Login ok" : "Login incorrect";
    Bytes reply{static_cast<std::uint8_t>(msg.size())};
    append(reply, {reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size()});
    send(kProtoPap, ok ? kPapAck : kPapNak, h->id, reply);
    status_ = ok ? AuthStatus::Succeeded : AuthStatus::Failed;
    if (ok) ctx_.negotiated.peer_user = user;
    deadline_.reset();
    return;
  }
  if (protocol != kProtoChap || h->code != kResponse || h->id != id_) return;
  ByteView d = h->data;
  if (d.empty() || d[0] > d.size() - 1) return;
  ByteView value = d.subspan(1, d[0]);
  std::string name(reinterpret_cast<const char*>(d.data() + 1 + d[0]), d.size() - 1 - d[0]);
  auto password = ctx_.password_of(name);
  bool ok = false;
  Bytes reply;
  if (method_ == AuthMethod::ChapMd5) {
    if (password && value.size() == 16) {
      auto expected = chap_md5(id_, *password, challenge_);
      ok = std::equal(expected.begin(), expected.end(), value.begin());
    }
    std::string msg = ok ? "Welcome" : "Access denied";
    reply.assign(msg.begin(), msg.end());
  } else {
    if (value.size() != 49) return;
    auto verdict = mschap::judge_response(challenge_, value, name, password);
    ok = verdict.ok;
    if (ok) ctx_.negotiated.mppe_master_key = verdict.master_key;
    reply.assign(verdict.message.begin(), verdict.message.end());
  }
  send(kProtoChap, ok ? kSuccess : kFailure, id_, reply);
  status_ = ok ? AuthStatus::Succeeded : AuthStatus::Failed;
  if (ok) ctx_.negotiated.peer_user = name;
  deadline_.reset();
}

}  // namespace openras::ppp
