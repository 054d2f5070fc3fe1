#include "ike/sk_payload.hpp"

#include "ike/wire.hpp"
#include "ppp/bytes.hpp"

namespace openras::ike {
namespace {

// Fragments kept per message and in all: a peer cannot make us hold more than this.
constexpr std::uint16_t kMaxFragments = 32;
constexpr std::size_t kMaxReassemblies = 4;

}  // namespace

IkeSaKeys::~IkeSaKeys() {
  for (Bytes* k : {&sk_d, &sk_ai, &sk_ar, &sk_ei, &sk_er, &sk_pi, &sk_pr}) wipe(*k);
}

namespace {

// The seven keys from prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) with the suite's PRF.
std::optional<IkeSaKeys> keys_from_seed(const IkeSuite& suite, Bytes skeyseed, ByteView nonce_i,
                                        ByteView nonce_r, std::uint64_t spi_i,
                                        std::uint64_t spi_r) {
  auto prf = Prf::make(suite.prf);
  const std::size_t ek = Protection::key_size(suite.encr, suite.key_bits);
  const std::size_t ik =
      suite.integ == integ::kNone ? 0 : Protection::integrity_key_size(suite.integ);
  if (!prf || ek == 0 || (suite.integ != integ::kNone && ik == 0) || skeyseed.empty()) {
    wipe(skeyseed);
    return std::nullopt;
  }
  Bytes seed(nonce_i.begin(), nonce_i.end());
  ppp::append(seed, nonce_r);
  wire::put64(seed, spi_i);
  wire::put64(seed, spi_r);
  const std::size_t ps = prf->size();
  Bytes keymat = prf->plus(skeyseed, seed, ps + 2 * ik + 2 * ek + 2 * ps);
  wipe(skeyseed);
  if (keymat.empty()) return std::nullopt;
  IkeSaKeys k;
  k.suite = suite;
  std::size_t at = 0;
  auto take = [&](Bytes& into, std::size_t n) {
    into.assign(keymat.begin() + static_cast<std::ptrdiff_t>(at),
                keymat.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
  };
  take(k.sk_d, ps);
  take(k.sk_ai, ik);
  take(k.sk_ar, ik);
  take(k.sk_ei, ek);
  take(k.sk_er, ek);
  take(k.sk_pi, ps);
  take(k.sk_pr, ps);
  wipe(keymat);
  return k;
}

}  // namespace

std::optional<IkeSaKeys> derive_ike_keys(const IkeSuite& suite, ByteView shared_secret,
                                         ByteView nonce_i, ByteView nonce_r, std::uint64_t spi_i,
                                         std::uint64_t spi_r) {
  auto prf = Prf::make(suite.prf);
  if (!prf) return std::nullopt;
  Bytes nonces(nonce_i.begin(), nonce_i.end());
  ppp::append(nonces, nonce_r);
  return keys_from_seed(suite, prf->compute(nonces, shared_secret), nonce_i, nonce_r, spi_i, spi_r);
}

std::optional<IkeSaKeys> derive_rekeyed_ike_keys(const IkeSaKeys& old, const IkeSuite& suite,
                                                 ByteView shared_secret, ByteView nonce_i,
                                                 ByteView nonce_r, std::uint64_t spi_i,
                                                 std::uint64_t spi_r) {
  auto old_prf = Prf::make(old.suite.prf);
  if (!old_prf) return std::nullopt;
  Bytes input(shared_secret.begin(), shared_secret.end());
  ppp::append(input, nonce_i);
  ppp::append(input, nonce_r);
  Bytes skeyseed = old_prf->compute(old.sk_d, input);
  wipe(input);
  return keys_from_seed(suite, std::move(skeyseed), nonce_i, nonce_r, spi_i, spi_r);
}

std::unique_ptr<SkCodec> SkCodec::make(const IkeSaKeys& keys, bool we_initiated) {
  auto codec = std::unique_ptr<SkCodec>(new SkCodec());
  const auto& s = keys.suite;
  const Bytes& eo = we_initiated ? keys.sk_ei : keys.sk_er;
  const Bytes& ao = we_initiated ? keys.sk_ai : keys.sk_ar;
  const Bytes& ei = we_initiated ? keys.sk_er : keys.sk_ei;
  const Bytes& ai = we_initiated ? keys.sk_ar : keys.sk_ai;
  codec->out_ = Protection::make(s.encr, s.key_bits, s.integ, eo, ao);
  codec->in_ = Protection::make(s.encr, s.key_bits, s.integ, ei, ai);
  if (!codec->out_ || !codec->in_) return nullptr;
  return codec;
}

Bytes SkCodec::seal_one(Header header, std::uint8_t payload_type, std::uint8_t inner_first,
                        ByteView inner, std::uint16_t fragment, std::uint16_t total) {
  const std::size_t block = out_->block_size();
  const std::size_t pad = (block - (inner.size() + 1) % block) % block;
  const std::size_t plain = inner.size() + pad + 1;
  const std::size_t extra = payload_type == payload::kSkf ? 4 : 0;
  const std::size_t header_len = kHeaderSize + 4 + extra;
  const std::size_t total_len = header_len + out_->iv_size() + plain + out_->icv_size();
  Bytes m(total_len, 0);
  header.next_payload = payload_type;
  header.length = static_cast<std::uint32_t>(total_len);
  write_header(header, m.data());
  std::uint8_t* g = m.data() + kHeaderSize;
  g[0] = inner_first;
  g[1] = 0;
  const std::size_t payload_len = total_len - kHeaderSize;
  g[2] = static_cast<std::uint8_t>(payload_len >> 8);
  g[3] = static_cast<std::uint8_t>(payload_len);
  if (extra) {
    g[4] = static_cast<std::uint8_t>(fragment >> 8);
    g[5] = static_cast<std::uint8_t>(fragment);
    g[6] = static_cast<std::uint8_t>(total >> 8);
    g[7] = static_cast<std::uint8_t>(total);
  }
  std::uint8_t* p = m.data() + header_len + out_->iv_size();
  std::copy(inner.begin(), inner.end(), p);
  p[inner.size() + pad] = static_cast<std::uint8_t>(pad);
  if (!out_->seal(m.data(), header_len, plain, counter_++)) return {};
  return m;
}

std::vector<Bytes> SkCodec::seal(Header header, std::uint8_t inner_first, ByteView inner,
                                 std::size_t fragment_limit) {
  const std::size_t overhead =
      kHeaderSize + 8 + out_->iv_size() + out_->block_size() + out_->icv_size();
  const std::size_t whole =
      kHeaderSize + 4 + out_->iv_size() + inner.size() + out_->block_size() + out_->icv_size();
  if (fragment_limit == 0 || whole <= fragment_limit || fragment_limit <= overhead + 16) {
    return {seal_one(header, payload::kSk, inner_first, inner, 0, 0)};
  }
  std::size_t chunk = fragment_limit - overhead;
  chunk -= chunk % out_->block_size();
  const std::size_t count = (inner.size() + chunk - 1) / chunk;
  std::vector<Bytes> out;
  for (std::size_t i = 0; i < count; ++i) {
    ByteView part = inner.subspan(i * chunk, std::min(chunk, inner.size() - i * chunk));
    out.push_back(seal_one(header, payload::kSkf, i == 0 ? inner_first : 0, part,
                           static_cast<std::uint16_t>(i + 1), static_cast<std::uint16_t>(count)));
  }
  return out;
}

std::optional<Bytes> SkCodec::open_encrypted(ByteView message, std::size_t header_len) {
  Bytes m(message.begin(), message.end());
  if (!in_->open(m.data(), header_len, m.size())) return std::nullopt;
  const std::size_t start = header_len + in_->iv_size();
  const std::size_t end = m.size() - in_->icv_size();
  if (end <= start) return std::nullopt;
  const std::uint8_t pad = m[end - 1];
  if (end - start < 1u + pad) return std::nullopt;
  return Bytes(m.begin() + static_cast<std::ptrdiff_t>(start),
               m.begin() + static_cast<std::ptrdiff_t>(end - 1 - pad));
}

SkCodec::Result SkCodec::open(ByteView message, Opened& out) {
  auto header = parse_header(message);
  if (!header) return Result::Invalid;
  message = message.first(header->length);
  auto chain = parse_payloads(header->next_payload, message.subspan(kHeaderSize));
  if (!chain || chain->payloads.size() != 1) return Result::Invalid;
  const Payload& enc = chain->payloads.front();
  if (enc.type == payload::kSk) {
    auto plain = open_encrypted(message, kHeaderSize + 4);
    if (!plain) return Result::Invalid;
    auto inner = parse_payloads(chain->inner_first, *plain);
    if (!inner) return Result::Invalid;
    out.header = *header;
    out.plain = std::move(*plain);
    out.chain = *parse_payloads(chain->inner_first, out.plain);  // spans into out.plain
    return Result::Opened;
  }
  if (enc.type != payload::kSkf || enc.body.size() < 4) return Result::Invalid;
  const std::uint16_t number = static_cast<std::uint16_t>(enc.body[0] << 8 | enc.body[1]);
  const std::uint16_t total = static_cast<std::uint16_t>(enc.body[2] << 8 | enc.body[3]);
  if (number == 0 || total == 0 || number > total || total > kMaxFragments) return Result::Invalid;
  auto plain = open_encrypted(message, kHeaderSize + 8);
  if (!plain) return Result::Invalid;
  // A request of the peer's and the response to one of ours may have the same message ID.
  const std::uint64_t key = static_cast<std::uint64_t>(header->message_id) |
                            ((header->flags & flag::kResponse) ? std::uint64_t{1} << 32 : 0);
  auto it = reassembly_.find(key);
  if (it == reassembly_.end()) {
    if (reassembly_.size() >= kMaxReassemblies) reassembly_.erase(reassembly_.begin());
    it = reassembly_.emplace(key, Reassembly{}).first;
    it->second.total = total;
  }
  Reassembly& r = it->second;
  if (r.total != total) return Result::Invalid;
  if (number == 1) {
    r.inner_first = chain->inner_first;
    r.header = *header;
  }
  r.parts.emplace(number, std::move(*plain));
  if (r.parts.size() < total) return Result::Incomplete;
  Bytes whole;
  for (auto& [n, part] : r.parts) ppp::append(whole, part);
  const std::uint8_t first = r.inner_first;
  out.header = r.header;
  reassembly_.erase(it);
  out.plain = std::move(whole);
  auto inner = parse_payloads(first, out.plain);
  if (!inner) return Result::Invalid;
  out.chain = std::move(*inner);
  return Result::Opened;
}

}  // namespace openras::ike
