#include "ike/proposals.hpp"

#include <algorithm>

#include "ike/wire.hpp"
#include "ppp/bytes.hpp"

namespace openras::ike {
namespace {

using wire::put32;

bool contains(const std::vector<std::uint16_t>& v, std::uint16_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

constexpr std::uint16_t kPrfs[] = {prf_id::kHmacSha256, prf_id::kHmacSha384, prf_id::kHmacSha512,
                                   prf_id::kHmacSha1};
constexpr std::uint16_t kIntegs[] = {integ::kHmacSha256_128, integ::kHmacSha384_192,
                                     integ::kHmacSha512_256, integ::kHmacSha1_96};

bool key_bits_ok(std::uint16_t bits) {
  return bits == 128 || bits == 192 || bits == 256;
}

}  // namespace

std::vector<Proposal> ike_offer(const std::vector<std::uint16_t>& dh_groups) {
  Proposal aead{1, protocol::kIke, {}, {}};
  for (std::uint16_t bits : {256, 128})
    aead.transforms.push_back({transform::kEncr, encr::kAesGcm16, bits});
  for (auto p : kPrfs) aead.transforms.push_back({transform::kPrf, p, 0});
  for (auto g : dh_groups) aead.transforms.push_back({transform::kDh, g, 0});
  Proposal cbc{2, protocol::kIke, {}, {}};
  for (std::uint16_t bits : {256, 128})
    cbc.transforms.push_back({transform::kEncr, encr::kAesCbc, bits});
  for (auto p : kPrfs) cbc.transforms.push_back({transform::kPrf, p, 0});
  for (auto i : kIntegs) cbc.transforms.push_back({transform::kInteg, i, 0});
  for (auto g : dh_groups) cbc.transforms.push_back({transform::kDh, g, 0});
  return {aead, cbc};
}

std::optional<IkeSuite> chosen_ike_suite(const std::vector<Proposal>& answer,
                                         const std::vector<std::uint16_t>& dh_groups) {
  if (answer.size() != 1 || answer[0].protocol != protocol::kIke || !answer[0].spi.empty()) {
    return std::nullopt;
  }
  const Proposal& p = answer[0];
  std::size_t counts[6] = {};
  for (const auto& t : p.transforms) {
    if (t.type >= 1 && t.type <= 5) ++counts[t.type];
  }
  for (int type = 1; type <= 4; ++type) {
    if (counts[type] > 1) return std::nullopt;
  }
  const Transform* e = p.of(transform::kEncr);
  const Transform* f = p.of(transform::kPrf);
  const Transform* i = p.of(transform::kInteg);
  const Transform* d = p.of(transform::kDh);
  if (!e || !f || !d || !key_bits_ok(e->key_bits)) return std::nullopt;
  IkeSuite s;
  s.encr = e->id;
  s.key_bits = e->key_bits;
  s.prf = f->id;
  s.dh = d->id;
  if (!contains(dh_groups, s.dh)) return std::nullopt;
  if (std::find(std::begin(kPrfs), std::end(kPrfs), s.prf) == std::end(kPrfs)) return std::nullopt;
  if (s.encr == encr::kAesGcm16) {
    if (i && i->id != integ::kNone) return std::nullopt;
    s.integ = integ::kNone;
  } else if (s.encr == encr::kAesCbc) {
    if (!i || std::find(std::begin(kIntegs), std::end(kIntegs), i->id) == std::end(kIntegs)) {
      return std::nullopt;
    }
    s.integ = i->id;
  } else {
    return std::nullopt;
  }
  return s;
}

std::optional<std::pair<IkeSuite, Proposal>> accept_ike(const std::vector<Proposal>& offer,
                                                        const std::vector<std::uint16_t>& dh_groups,
                                                        std::uint64_t our_spi) {
  for (const auto& p : offer) {
    if (p.protocol != protocol::kIke || p.spi.size() != 8) continue;
    const Transform* e = nullptr;
    const Transform* f = nullptr;
    const Transform* i = nullptr;
    const Transform* d = nullptr;
    for (const auto& t : p.transforms) {
      if (t.type == transform::kEncr && !e && (t.id == encr::kAesGcm16 || t.id == encr::kAesCbc) &&
          key_bits_ok(t.key_bits)) {
        e = &t;
      } else if (t.type == transform::kPrf && !f &&
                 std::find(std::begin(kPrfs), std::end(kPrfs), t.id) != std::end(kPrfs)) {
        f = &t;
      } else if (t.type == transform::kInteg && !i &&
                 std::find(std::begin(kIntegs), std::end(kIntegs), t.id) != std::end(kIntegs)) {
        i = &t;
      } else if (t.type == transform::kDh && !d && contains(dh_groups, t.id)) {
        d = &t;
      }
    }
    if (!e || !f || !d || (e->id == encr::kAesCbc && !i)) continue;
    Proposal answer{p.number, protocol::kIke, {}, {}};
    wire::put64(answer.spi, our_spi);
    answer.transforms.push_back(*e);
    answer.transforms.push_back(*f);
    IkeSuite s{e->id, e->key_bits, integ::kNone, f->id, d->id};
    if (e->id == encr::kAesCbc) {
      answer.transforms.push_back(*i);
      s.integ = i->id;
    }
    answer.transforms.push_back(*d);
    return std::make_pair(s, answer);
  }
  return std::nullopt;
}

std::vector<Proposal> esp_offer(std::uint32_t spi_in, std::uint16_t dh_group) {
  Bytes spi;
  put32(spi, spi_in);
  Proposal aead{1, protocol::kEsp, spi, {}};
  for (std::uint16_t bits : {128, 256})
    aead.transforms.push_back({transform::kEncr, encr::kAesGcm16, bits});
  if (dh_group) aead.transforms.push_back({transform::kDh, dh_group, 0});
  aead.transforms.push_back({transform::kEsn, 0, 0});
  Proposal cbc{2, protocol::kEsp, spi, {}};
  for (std::uint16_t bits : {256, 128})
    cbc.transforms.push_back({transform::kEncr, encr::kAesCbc, bits});
  for (auto i : kIntegs) cbc.transforms.push_back({transform::kInteg, i, 0});
  if (dh_group) cbc.transforms.push_back({transform::kDh, dh_group, 0});
  cbc.transforms.push_back({transform::kEsn, 0, 0});
  return {aead, cbc};
}

namespace {

// One proposal's ESP transforms if we can do them: one cipher, an integrity where the
// cipher needs one, no ESN, at most one DH group.
std::optional<EspChoice> esp_choice(const Proposal& p) {
  if (p.protocol != protocol::kEsp || p.spi.size() != 4) return std::nullopt;
  EspChoice c;
  c.peer_spi = wire::get32(p.spi.data());
  const Transform* e = nullptr;
  const Transform* i = nullptr;
  bool esn_none = false;
  for (const auto& t : p.transforms) {
    switch (t.type) {
      case transform::kEncr:
        if (!e && (t.id == encr::kAesGcm16 || t.id == encr::kAesCbc) && key_bits_ok(t.key_bits))
          e = &t;
        break;
      case transform::kInteg:
        if (!i && std::find(std::begin(kIntegs), std::end(kIntegs), t.id) != std::end(kIntegs))
          i = &t;
        break;
      case transform::kEsn:
        if (t.id == 0) esn_none = true;
        break;
      case transform::kDh:
        if (!c.dh_group && KeyExchange::supported(t.id)) c.dh_group = t.id;
        break;
      default:
        break;
    }
  }
  if (!e || !esn_none) return std::nullopt;
  c.transforms.encr = e->id;
  c.transforms.key_bits = e->key_bits;
  if (e->id == encr::kAesCbc) {
    if (!i) return std::nullopt;
    c.transforms.integ = i->id;
  } else {
    c.transforms.integ = integ::kNone;
  }
  return c;
}

}  // namespace

std::optional<EspChoice> chosen_esp(const std::vector<Proposal>& answer) {
  if (answer.size() != 1) return std::nullopt;
  return esp_choice(answer[0]);
}

std::optional<std::pair<EspChoice, Proposal>> accept_esp(const std::vector<Proposal>& offer,
                                                         std::uint32_t spi_in) {
  for (const auto& p : offer) {
    bool has_dh = p.of(transform::kDh) != nullptr;
    auto c = esp_choice(p);
    if (!c || (has_dh && !c->dh_group)) continue;
    Proposal answer{p.number, protocol::kEsp, {}, {}};
    put32(answer.spi, spi_in);
    answer.transforms.push_back({transform::kEncr, c->transforms.encr, c->transforms.key_bits});
    if (c->transforms.integ != integ::kNone) {
      answer.transforms.push_back({transform::kInteg, c->transforms.integ, 0});
    }
    if (c->dh_group) answer.transforms.push_back({transform::kDh, c->dh_group, 0});
    answer.transforms.push_back({transform::kEsn, 0, 0});
    return std::make_pair(*c, answer);
  }
  return std::nullopt;
}

std::optional<ChildKeys> child_keys(const IkeSaKeys& ike, const EspTransforms& t,
                                    ByteView shared_secret, ByteView nonce_i, ByteView nonce_r,
                                    bool we_initiated) {
  auto prf = Prf::make(ike.suite.prf);
  const std::size_t ek = Protection::key_size(t.encr, t.key_bits);
  const std::size_t ik = t.integ == integ::kNone ? 0 : Protection::integrity_key_size(t.integ);
  if (!prf || ek == 0) return std::nullopt;
  Bytes seed(shared_secret.begin(), shared_secret.end());
  ppp::append(seed, nonce_i);
  ppp::append(seed, nonce_r);
  Bytes keymat = prf->plus(ike.sk_d, seed, 2 * (ek + ik));
  wipe(seed);
  if (keymat.size() != 2 * (ek + ik)) return std::nullopt;
  EspKeys i_to_r, r_to_i;
  auto at = keymat.begin();
  i_to_r.encryption.assign(at, at + static_cast<std::ptrdiff_t>(ek));
  at += static_cast<std::ptrdiff_t>(ek);
  i_to_r.integrity.assign(at, at + static_cast<std::ptrdiff_t>(ik));
  at += static_cast<std::ptrdiff_t>(ik);
  r_to_i.encryption.assign(at, at + static_cast<std::ptrdiff_t>(ek));
  at += static_cast<std::ptrdiff_t>(ek);
  r_to_i.integrity.assign(at, at + static_cast<std::ptrdiff_t>(ik));
  wipe(keymat);
  ChildKeys k;
  k.out = we_initiated ? std::move(i_to_r) : std::move(r_to_i);
  k.in = we_initiated ? std::move(r_to_i) : std::move(i_to_r);
  return k;
}

}  // namespace openras::ike
