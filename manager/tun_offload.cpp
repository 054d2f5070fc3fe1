#include "manager/tun_offload.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace openras::manager::offload {
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
std::uint16_t get16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
std::uint32_t get32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}
void put16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
void put32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

}  // namespace

std::uint64_t add_to_sum(std::uint64_t sum, std::span<const std::uint8_t> data) {
  const std::uint8_t* p = data.data();
  std::size_t n = data.size();
  // Sixteen octets a step as native 32-bit halves (the ones' complement sum does not care
  // about byte order, RFC 1071 section 2(B)); the folded result is swapped back at the end.
  std::uint64_t native = 0;
  for (; n >= 16; p += 16, n -= 16) {
    std::uint64_t a, b;
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + 8, 8);
    native += (a & 0xffffffffu) + (a >> 32) + (b & 0xffffffffu) + (b >> 32);
  }
  if (native) {
    std::uint16_t folded = fold(native);
    if constexpr (std::endian::native == std::endian::little) {
      folded = static_cast<std::uint16_t>((folded >> 8) | (folded << 8));
    }
    sum += folded;
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
  const std::size_t tcp_length = plan.headers - plan.ip_header + len;
  std::uint64_t pseudo = kTcp + tcp_length;
  if (plan.ipv6) {
    put16(ip + 4, static_cast<std::uint16_t>(tcp_length));
    pseudo = add_to_sum(pseudo, {ip + 8, 32});
  } else {
    put16(ip + 2, static_cast<std::uint16_t>(plan.headers + len));
    put16(ip + 4, static_cast<std::uint16_t>(get16(packet.data() + 4) + index));
    ip[10] = ip[11] = 0;
    put16(ip + 10, static_cast<std::uint16_t>(~fold(add_to_sum(0, {ip, plan.ip_header}))));
    pseudo = add_to_sum(pseudo, {ip + 12, 8});
  }
  put32(tcp + 4, static_cast<std::uint32_t>(get32(packet.data() + plan.ip_header + 4) + offset));
  // FIN and PSH belong to the last segment, CWR to the first, as a NIC's TSO does it.
  if (offset + len < payload) tcp[13] &= static_cast<std::uint8_t>(~(kFin | kPsh));
  if (index > 0) tcp[13] &= static_cast<std::uint8_t>(~kCwr);
  tcp[16] = tcp[17] = 0;
  put16(tcp + 16, static_cast<std::uint16_t>(~fold(add_to_sum(pseudo, {tcp, tcp_length}))));
}

}  // namespace openras::manager::offload
