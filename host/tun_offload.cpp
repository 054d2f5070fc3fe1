#include "host/tun_offload.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "ppp/bytes.hpp"

namespace openras::host::offload {
namespace {

// virtio_net_hdr: flags, gso_type, then four 16-bit fields in the host's order (the TUN
// default for a legacy header).
constexpr std::uint8_t kNeedsChecksum = 1;
constexpr std::uint8_t kGsoNone = 0, kGsoTcpV4 = 1, kGsoTcpV6 = 4, kGsoEcn = 0x80;
constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kFin = 0x01, kPsh = 0x08, kCwr = 0x80;

std::uint16_t host16(const std::uint8_t* p) {
  std::uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}
using ppp::get16;
using ppp::get32;

// In place, network order (ppp::put16 appends).
void put16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
void put32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

}  // namespace

// Native 16-bit words summed in 32-bit lanes (no lane can overflow within 32768 words), in
// a loop simple enough for the compiler to vectorize; an AVX2 clone where the CPU has it.
// (clang vectorizes at -O2 already; GCC is asked to.)
// The clones' resolver runs while the dynamic linker relocates, before ThreadSanitizer's
// runtime is up, and crashes when instrumented: a TSan build has the default loop only.
#if defined(__SANITIZE_THREAD__)
#define OPENRAS_NO_CLONES
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define OPENRAS_NO_CLONES
#endif
#endif
#ifdef OPENRAS_NO_CLONES
#define OPENRAS_CLONES_AND_VECTORIZE
#elif defined(__clang__)
#define OPENRAS_CLONES_AND_VECTORIZE __attribute__((target_clones("avx2", "default")))
#else
#define OPENRAS_CLONES_AND_VECTORIZE \
  __attribute__((target_clones("avx2", "default"), optimize("tree-vectorize")))
#endif
OPENRAS_CLONES_AND_VECTORIZE std::uint64_t sum_native_words(const std::uint8_t* p,
                                                            std::size_t words) {
  std::uint64_t total = 0;
  while (words > 0) {
    const std::size_t block = words < 32768 ? words : 32768;
    std::uint32_t lanes = 0;
    for (std::size_t i = 0; i < block; ++i) {
      std::uint16_t w;
      std::memcpy(&w, p + 2 * i, 2);
      lanes += w;
    }
    total += lanes;
    p += 2 * block;
    words -= block;
  }
  return total;
}

std::uint64_t add_to_sum(std::uint64_t sum, std::span<const std::uint8_t> data) {
  const std::uint8_t* p = data.data();
  std::size_t n = data.size();
  // The ones' complement sum does not care about byte order (RFC 1071 section 2(B)): sum the
  // words as the host reads them, fold, and swap the result back to network order.
  if (n >= 32) {
    std::uint16_t folded = fold(sum_native_words(p, n / 2));
    if constexpr (std::endian::native == std::endian::little) {
      folded = static_cast<std::uint16_t>((folded >> 8) | (folded << 8));
    }
    sum += folded;
    p += n & ~std::size_t{1};
    n &= 1;
  }
  // Big-endian 32-bit words: their sum folds to the same 16-bit ones' complement sum.
  for (; n >= 4; p += 4, n -= 4) sum += get32(p);
  if (n >= 2) {
    sum += get16(p);
    p += 2;
    n -= 2;
  }
  if (n) sum += std::uint32_t{p[0]} << 8;
  return sum;
}

std::uint16_t fold(std::uint64_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(sum);
}

Kind examine(std::span<std::uint8_t> read, Super& plan) {
  if (read.size() < kVnetHeaderSize) return Kind::Malformed;
  const std::uint8_t flags = read[0];
  const std::uint8_t gso = static_cast<std::uint8_t>(read[1] & ~kGsoEcn);
  const std::size_t gso_size = host16(&read[4]);
  const std::size_t csum_start = host16(&read[6]), csum_offset = host16(&read[8]);
  auto packet = read.subspan(kVnetHeaderSize);
  if (gso == kGsoNone) {
    if (flags & kNeedsChecksum) {
      // The field holds the pseudo-header sum; the rest is summed over from csum_start.
      if (csum_start + csum_offset + 2 > packet.size()) return Kind::Malformed;
      std::uint16_t sum = fold(add_to_sum(0, packet.subspan(csum_start)));
      put16(&packet[csum_start + csum_offset], static_cast<std::uint16_t>(~sum));
    }
    return Kind::Single;
  }
  if ((gso != kGsoTcpV4 && gso != kGsoTcpV6) || gso_size == 0 || packet.empty()) {
    return Kind::Malformed;
  }
  plan.ipv6 = gso == kGsoTcpV6;
  if (plan.ipv6) {
    if (packet.size() < 40 || (packet[0] >> 4) != 6 || packet[6] != kTcp) return Kind::Malformed;
    plan.ip_header = 40;
  } else {
    if (packet.size() < 20 || (packet[0] >> 4) != 4 || packet[9] != kTcp) return Kind::Malformed;
    plan.ip_header = (packet[0] & 15u) * 4u;
    if (plan.ip_header < 20) return Kind::Malformed;
  }
  if (packet.size() < plan.ip_header + 20) return Kind::Malformed;
  const std::size_t tcp_header = (packet[plan.ip_header + 12] >> 4) * 4u;
  plan.headers = plan.ip_header + tcp_header;
  if (tcp_header < 20 || plan.headers > packet.size()) return Kind::Malformed;
  plan.mss = gso_size;
  return Kind::Segments;
}

namespace {

// The TCP pseudo-header (addresses, protocol, TCP length) of the packet at `ip`, summed.
std::uint64_t pseudo_header_sum(const std::uint8_t* ip, const Super& plan, std::size_t tcp_length) {
  return plan.ipv6 ? add_to_sum(kTcp + tcp_length, {ip + 8, 32})
                   : add_to_sum(kTcp + tcp_length, {ip + 12, 8});
}

// Gives the packet at `ip` its new length `size` (IPv4: with a new header checksum, over the
// identification the caller set); returns its pseudo-header sum.
std::uint64_t set_length(std::uint8_t* ip, const Super& plan, std::size_t size) {
  const std::size_t tcp_length = size - plan.ip_header;
  if (plan.ipv6) {
    put16(ip + 4, static_cast<std::uint16_t>(tcp_length));
  } else {
    put16(ip + 2, static_cast<std::uint16_t>(size));
    ip[10] = ip[11] = 0;
    put16(ip + 10, static_cast<std::uint16_t>(~fold(add_to_sum(0, {ip, plan.ip_header}))));
  }
  return pseudo_header_sum(ip, plan, tcp_length);
}

}  // namespace

void build_segment(std::span<const std::uint8_t> packet, const Super& plan, std::size_t index,
                   std::vector<std::uint8_t>& out) {
  const std::size_t payload = packet.size() - plan.headers;
  const std::size_t offset = index * plan.mss;
  const std::size_t len = std::min(plan.mss, payload - offset);
  out.resize(plan.headers + len);
  std::memcpy(out.data(), packet.data(), plan.headers);
  std::memcpy(out.data() + plan.headers, packet.data() + plan.headers + offset, len);
  std::uint8_t* ip = out.data();
  std::uint8_t* tcp = ip + plan.ip_header;
  if (!plan.ipv6) put16(ip + 4, static_cast<std::uint16_t>(get16(packet.data() + 4) + index));
  const std::uint64_t pseudo = set_length(ip, plan, out.size());
  const std::size_t tcp_length = out.size() - plan.ip_header;
  put32(tcp + 4, static_cast<std::uint32_t>(get32(packet.data() + plan.ip_header + 4) + offset));
  // FIN and PSH belong to the last segment, CWR to the first, as a NIC's TSO does it.
  if (offset + len < payload) tcp[13] &= static_cast<std::uint8_t>(~(kFin | kPsh));
  if (index > 0) tcp[13] &= static_cast<std::uint8_t>(~kCwr);
  tcp[16] = tcp[17] = 0;
  put16(tcp + 16, static_cast<std::uint16_t>(~fold(add_to_sum(pseudo, {tcp, tcp_length}))));
}

namespace {

constexpr std::uint8_t kAck = 0x10;
constexpr std::size_t kMaxSuper = 65535 - 60;  // an IPv4 total length still fits

// The IP and TCP layout of a plain TCP packet; false for anything else (fragments, IPv4
// options, IPv6 extension headers, a bad length).
bool tcp_layout(std::span<const std::uint8_t> p, Super& plan) {
  if (p.size() < 40) return false;
  if ((p[0] >> 4) == 4) {
    if (p[0] != 0x45 || p[9] != kTcp || get16(&p[2]) != p.size()) return false;
    if (get16(&p[6]) & 0x3fff) return false;  // a fragment
    plan.ipv6 = false;
    plan.ip_header = 20;
  } else if ((p[0] >> 4) == 6) {
    if (p.size() < 60 || p[6] != kTcp || get16(&p[4]) + 40u != p.size()) return false;
    plan.ipv6 = true;
    plan.ip_header = 40;
  } else {
    return false;
  }
  const std::size_t tcp_header = (p[plan.ip_header + 12] >> 4) * 4u;
  plan.headers = plan.ip_header + tcp_header;
  return tcp_header >= 20 && plan.headers <= p.size();
}

// Checksums that verify and that a cut would write the same. 0xffff (-0) verifies where the
// checksum computes to 0x0000, but a sender never writes it: the summed octets are never all
// zero, so the computed field is never 0xffff, and a cut writes 0x0000 back.
bool checksums_ok(std::span<const std::uint8_t> p, const Super& plan) {
  constexpr std::uint16_t kNegativeZero = 0xffff;
  if (get16(&p[plan.ip_header + 16]) == kNegativeZero) return false;
  if (!plan.ipv6 &&
      (get16(&p[10]) == kNegativeZero || fold(add_to_sum(0, p.first(plan.ip_header))) != 0xffff)) {
    return false;
  }
  const std::uint64_t pseudo = pseudo_header_sum(p.data(), plan, p.size() - plan.ip_header);
  return fold(add_to_sum(pseudo, p.subspan(plan.ip_header))) == 0xffff;
}

void put_host16(std::uint8_t* p, std::uint16_t v) {
  std::memcpy(p, &v, 2);
}

}  // namespace

bool Coalescer::joins(std::span<const std::uint8_t> p, const Super& plan) const {
  if (pending_.empty() || closed_ || plan.ipv6 != plan_.ipv6 || plan.headers != plan_.headers) {
    return false;
  }
  const std::uint8_t* first = pending_.data() + kVnetHeaderSize;
  const std::size_t payload = p.size() - plan.headers;
  if (payload == 0 || payload > plan_.mss || pending_.size() + payload > kMaxSuper) return false;
  const std::uint8_t* tcp = p.data() + plan.ip_header;
  const std::uint8_t* first_tcp = first + plan.ip_header;
  if (get32(tcp + 4) != next_seq_ || (tcp[13] & ~kPsh) != kAck) return false;
  // Addresses, ports, ACK, data offset and reserved bits, window, urgent pointer, options; TOS,
  // TTL and flags (IPv4), class, flow label and hop limit (IPv6): all that a cut copies from
  // the first segment.
  if (plan.ipv6) {
    if (std::memcmp(p.data(), first, 4) != 0 || p[7] != first[7] ||
        std::memcmp(p.data() + 8, first + 8, 32) != 0) {
      return false;
    }
  } else if (p[1] != first[1] || p[8] != first[8] || std::memcmp(&p[12], first + 12, 8) != 0 ||
             std::memcmp(&p[6], first + 6, 2) != 0 ||
             get16(&p[4]) != static_cast<std::uint16_t>(get16(first + 4) + segments_)) {
    return false;  // and the identification steps by one, so a cut gives the same ids back
  }
  if (std::memcmp(tcp, first_tcp, 4) != 0 || std::memcmp(tcp + 8, first_tcp + 8, 5) != 0 ||
      std::memcmp(tcp + 14, first_tcp + 14, 2) != 0 ||
      std::memcmp(tcp + 18, first_tcp + 18, 2) != 0 ||
      std::memcmp(tcp + 20, first_tcp + 20, plan.headers - plan.ip_header - 20) != 0) {
    return false;
  }
  return checksums_ok(p, plan);
}

void Coalescer::start(std::span<const std::uint8_t> p, const Super& plan) {
  pending_.assign(kVnetHeaderSize, 0);
  pending_.insert(pending_.end(), p.begin(), p.end());
  plan_ = plan;
  plan_.mss = p.size() - plan.headers;
  segments_ = 1;
  next_seq_ = static_cast<std::uint32_t>(get32(p.data() + plan.ip_header + 4) + plan_.mss);
  // Only a plain ACK with data and good checksums can have segments joined after it.
  closed_ = p[plan.ip_header + 13] != kAck || plan_.mss == 0 || !checksums_ok(p, plan);
}

void Coalescer::add(std::span<const std::uint8_t> packet, Out& out) {
  Super plan;
  const bool tcp = tcp_layout(packet, plan);
  if (tcp && joins(packet, plan)) {
    const std::size_t payload = packet.size() - plan.headers;
    // A second segment: room for the largest super-packet, so that joining never regrows (and
    // copies) it. A lone packet keeps its own size.
    if (segments_ == 1) pending_.reserve(kMaxSuper);
    pending_.insert(pending_.end(), packet.begin() + static_cast<long>(plan.headers), packet.end());
    ++segments_;
    next_seq_ += static_cast<std::uint32_t>(payload);
    std::uint8_t* tcp_header = pending_.data() + kVnetHeaderSize + plan_.ip_header;
    tcp_header[13] |= packet[plan.ip_header + 13] & kPsh;  // the super-packet's flags
    closed_ = payload < plan_.mss || (packet[plan.ip_header + 13] & kPsh);
    return;
  }
  flush(out);
  if (tcp) {
    start(packet, plan);
    return;
  }
  std::vector<std::uint8_t> plain(kVnetHeaderSize, 0);
  plain.insert(plain.end(), packet.begin(), packet.end());
  out.push_back(std::move(plain));
}

void Coalescer::flush(Out& out) {
  if (pending_.empty()) return;
  if (segments_ > 1) {
    std::uint8_t* hdr = pending_.data();
    std::uint8_t* ip = hdr + kVnetHeaderSize;
    hdr[0] = kNeedsChecksum;
    hdr[1] = plan_.ipv6 ? kGsoTcpV6 : kGsoTcpV4;
    put_host16(hdr + 2, static_cast<std::uint16_t>(plan_.headers));
    put_host16(hdr + 4, static_cast<std::uint16_t>(plan_.mss));
    put_host16(hdr + 6, static_cast<std::uint16_t>(plan_.ip_header));
    put_host16(hdr + 8, 16);
    const std::uint64_t pseudo = set_length(ip, plan_, pending_.size() - kVnetHeaderSize);
    // Checksum partial: the field holds the pseudo-header sum, the rest is the kernel's.
    put16(ip + plan_.ip_header + 16, fold(pseudo));
  }
  out.push_back(std::move(pending_));
  pending_.clear();
}

}  // namespace openras::host::offload
