#include "ike/esp.hpp"

#include <cstring>

#include "ike/wire.hpp"

namespace openras::ike {
namespace {

constexpr std::size_t kEspHeader = 8;  // SPI, sequence number

using wire::get32;
using wire::set32;

}  // namespace

std::unique_ptr<EspSa> EspSa::make(const EspTransforms& t, std::uint32_t spi_out,
                                   const EspKeys& out_keys, std::uint32_t spi_in,
                                   const EspKeys& in_keys) {
  auto sa = std::unique_ptr<EspSa>(new EspSa());
  sa->spi_out_ = spi_out;
  sa->spi_in_ = spi_in;
  sa->transforms_ = t;
  sa->out_ = Protection::make(t.encr, t.key_bits, t.integ, out_keys.encryption, out_keys.integrity);
  sa->in_ = Protection::make(t.encr, t.key_bits, t.integ, in_keys.encryption, in_keys.integrity);
  if (!sa->out_ || !sa->in_) return nullptr;
  return sa;
}

std::size_t EspSa::sealed_size(std::size_t inner) const {
  return kEspHeader + out_->iv_size() + inner + out_->block_size() + 2 + out_->icv_size();
}

std::size_t EspSa::seal(std::span<const std::uint8_t> inner, std::uint8_t next_header,
                        std::uint8_t* out) {
  if (next_seq_ > 0xffffffffu) return 0;  // no ESN: a rekey must come first
  const std::size_t block = out_->block_size();
  const std::size_t pad = (block - (inner.size() + 2) % block) % block;
  const std::size_t plain = inner.size() + pad + 2;
  set32(out, spi_out_);
  set32(out + 4, static_cast<std::uint32_t>(next_seq_));
  std::uint8_t* p = out + kEspHeader + out_->iv_size();
  std::memcpy(p, inner.data(), inner.size());
  for (std::size_t i = 0; i < pad; ++i) p[inner.size() + i] = static_cast<std::uint8_t>(i + 1);
  p[inner.size() + pad] = static_cast<std::uint8_t>(pad);
  p[inner.size() + pad + 1] = next_header;
  if (!out_->seal(out, kEspHeader, plain, next_seq_)) return 0;
  ++next_seq_;
  return kEspHeader + out_->iv_size() + plain + out_->icv_size();
}

bool EspSa::replay_check(std::uint32_t seq) const {
  if (seq == 0) return false;
  if (seq > highest_) return true;
  const std::uint32_t behind = highest_ - seq;
  if (behind >= 64) return false;
  return !(window_ >> behind & 1);
}

void EspSa::replay_accept(std::uint32_t seq) {
  if (seq > highest_) {
    const std::uint32_t ahead = seq - highest_;
    window_ = ahead >= 64 ? 0 : window_ << ahead;
    window_ |= 1;
    highest_ = seq;
  } else {
    window_ |= std::uint64_t{1} << (highest_ - seq);
  }
}

EspSa::Opened EspSa::open(std::span<std::uint8_t> packet) {
  Opened r;
  const std::size_t overhead = kEspHeader + in_->iv_size() + 2 + in_->icv_size();
  if (packet.size() < overhead || get32(packet.data()) != spi_in_) return r;
  const std::uint32_t seq = get32(packet.data() + 4);
  // Before the ICV (cheap), and again after it (only an authentic packet moves the window).
  if (!replay_check(seq)) {
    ++replayed_;
    r.verdict = Verdict::Replayed;
    return r;
  }
  if (!in_->open(packet.data(), kEspHeader, packet.size())) {
    ++unauthentic_;
    r.verdict = Verdict::Unauthentic;
    return r;
  }
  replay_accept(seq);
  const std::size_t plain_start = kEspHeader + in_->iv_size();
  const std::size_t plain_end = packet.size() - in_->icv_size();
  const std::uint8_t pad = packet[plain_end - 2];
  const std::uint8_t next = packet[plain_end - 1];
  if (plain_end - plain_start < 2u + pad) return r;
  // RFC 4303 2.4: the default padding is 1, 2, 3, ...; anything else is refused.
  const std::size_t inner_end = plain_end - 2 - pad;
  for (std::size_t i = 0; i < pad; ++i) {
    if (packet[inner_end + i] != i + 1) return r;
  }
  r.verdict = Verdict::Ok;
  r.next_header = next;
  r.inner = packet.subspan(plain_start, inner_end - plain_start);
  return r;
}

}  // namespace openras::ike
