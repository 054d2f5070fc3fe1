#include "ike/ikev1_keys.hpp"

#include "ike/ikev1_message.hpp"
#include "ike/wire.hpp"
#include "ppp/bytes.hpp"

namespace openras::ike::v1 {
namespace {

Bytes cat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (auto p : parts) ppp::append(out, p);
  return out;
}

}  // namespace

Phase1Keys::~Phase1Keys() {
  wipe(skeyid);
  wipe(d);
  wipe(a);
  wipe(e);
  wipe(encryption);
}

std::optional<Phase1Keys> derive_phase1_keys(const Phase1Suite& suite, const Phase1Inputs& in) {
  auto prf = Prf::make(suite.prf);
  const std::size_t key_size = Protection::key_size(suite.encr, suite.key_bits);
  const std::size_t block = cbc_block_size(suite.encr, suite.key_bits);
  if (!prf || key_size == 0 || block == 0) return std::nullopt;
  Phase1Keys k;
  Bytes nonces = cat({in.nonce_i, in.nonce_r});
  k.skeyid = prf->compute(in.psk, nonces);
  const std::uint8_t zero = 0, one = 1, two = 2;
  Bytes seed = cat({in.shared_secret, in.cookie_i, in.cookie_r, ByteView(&zero, 1)});
  k.d = prf->compute(k.skeyid, seed);
  seed = cat({k.d, in.shared_secret, in.cookie_i, in.cookie_r, ByteView(&one, 1)});
  k.a = prf->compute(k.skeyid, seed);
  seed = cat({k.a, in.shared_secret, in.cookie_i, in.cookie_r, ByteView(&two, 1)});
  k.e = prf->compute(k.skeyid, seed);
  wipe(seed);
  if (k.skeyid.empty() || k.d.empty() || k.a.empty() || k.e.empty()) return std::nullopt;
  // Appendix B: a SKEYID_e shorter than the key is stretched as K1 = prf(SKEYID_e, 0),
  // Kn = prf(SKEYID_e, Kn-1).
  if (k.e.size() >= key_size) {
    k.encryption.assign(k.e.begin(), k.e.begin() + static_cast<std::ptrdiff_t>(key_size));
  } else {
    Bytes block_k = prf->compute(k.e, ByteView(&zero, 1));
    while (true) {
      ppp::append(k.encryption, block_k);
      if (k.encryption.size() >= key_size) break;
      block_k = prf->compute(k.e, block_k);
    }
    wipe(block_k);
    k.encryption.resize(key_size);
  }
  k.first_iv = digest(suite.prf, {in.public_i, in.public_r});
  if (k.first_iv.size() < block) return std::nullopt;
  k.first_iv.resize(block);
  return k;
}

Bytes main_mode_hash(const Phase1Suite& suite, const Phase1Keys& keys, const Phase1Inputs& in,
                     bool initiator, ByteView sa_body, ByteView id_body) {
  auto prf = Prf::make(suite.prf);
  if (!prf) return {};
  Bytes data = initiator
                   ? cat({in.public_i, in.public_r, in.cookie_i, in.cookie_r, sa_body, id_body})
                   : cat({in.public_r, in.public_i, in.cookie_r, in.cookie_i, sa_body, id_body});
  return prf->compute(keys.skeyid, data);
}

Bytes keymat(const Phase1Suite& suite, const Phase1Keys& keys, ByteView shared_secret, ByteView spi,
             ByteView nonce_i, ByteView nonce_r, std::size_t length) {
  auto prf = Prf::make(suite.prf);
  if (!prf) return {};
  const std::uint8_t esp = protocol::kEsp;
  Bytes tail = cat({shared_secret, ByteView(&esp, 1), spi, nonce_i, nonce_r});
  Bytes out;
  Bytes k;
  while (out.size() < length) {
    Bytes input = cat({k, tail});
    k = prf->compute(keys.d, input);
    wipe(input);
    if (k.empty()) return {};
    ppp::append(out, k);
  }
  wipe(k);
  wipe(tail);
  out.resize(length);
  return out;
}

MessageCipher::MessageCipher(const Phase1Suite& suite, const Phase1Keys& keys)
    : suite_(suite),
      key_(keys.encryption),
      block_(cbc_block_size(suite.encr, suite.key_bits)),
      main_iv_(keys.first_iv) {}

Bytes& MessageCipher::iv_for(std::uint32_t message_id) {
  if (message_id == 0) return main_iv_;
  auto it = ivs_.find(message_id);
  if (it != ivs_.end()) return it->second;
  // RFC 2409 5.5 / appendix B: hash(last phase 1 block | M-ID), cut to the block size.
  Bytes id;
  wire::put32(id, message_id);
  Bytes iv = digest(suite_.prf, {phase1_last_, id});
  iv.resize(block_);
  if (ivs_.size() >= 16) ivs_.erase(ivs_.begin());  // exchanges that never finished
  return ivs_[message_id] = std::move(iv);
}

bool MessageCipher::seal(Bytes& message) {
  auto h = parse_header(message);
  if (!h) return false;
  const std::size_t body = message.size() - kHeaderSize;
  message.resize(kHeaderSize + (body + block_ - 1) / block_ * block_, 0);
  message[19] |= flag::kEncrypted;
  wire::set32(message.data() + 24, static_cast<std::uint32_t>(message.size()));
  return cbc_crypt(suite_.encr, key_, iv_for(h->message_id), message.data() + kHeaderSize,
                   message.size() - kHeaderSize, true);
}

bool MessageCipher::open(Bytes& message, Bytes& next_iv) {
  auto h = parse_header(message);
  if (!h || h->length != message.size()) return false;
  const std::size_t body = message.size() - kHeaderSize;
  if (body == 0 || body % block_) return false;
  next_iv = iv_for(h->message_id);
  return cbc_crypt(suite_.encr, key_, next_iv, message.data() + kHeaderSize, body, false);
}

}  // namespace openras::ike::v1
