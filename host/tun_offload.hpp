// TUN segmentation offload. With IFF_VNET_HDR and TUNSETOFFLOAD the kernel hands a TUN
// reader TCP super-packets of up to 64 KB (one read instead of forty), each behind a
// virtio_net_hdr, with the checksum left for the "device" to finish. A PPP link carries
// packets no larger than its MRU, so rasmand does what a NIC's TSO would: cut each one into
// segments of the size the kernel chose, with their own lengths, sequence numbers, flags and
// checksums. Pure computation; the manager does the reading.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace openras::host::offload {

constexpr std::size_t kVnetHeaderSize = 10;  // struct virtio_net_hdr

// The Internet checksum (RFC 1071) of `data`, added to `sum`, not yet folded or inverted.
std::uint64_t add_to_sum(std::uint64_t sum, std::span<const std::uint8_t> data);
std::uint16_t fold(std::uint64_t sum);

// Splits what one read from the TUN returned (header, then the packet) into the packets to
// send, each passed to emit(std::span<const std::uint8_t>) and valid only during the call.
// `scratch` holds a segment while it is built. Returns false, emitting nothing, for what
// cannot be parsed (counted by the caller and dropped).
template <typename Emit>
bool split(std::span<std::uint8_t> read, std::vector<std::uint8_t>& scratch, Emit&& emit);

// How a super-packet is cut.
struct Super {
  std::size_t ip_header = 0;  // octets of the IP header (IPv6: 40, no extension headers)
  std::size_t headers = 0;    // IP and TCP headers, copied in front of each segment
  std::size_t mss = 0;        // payload octets a segment
  bool ipv6 = false;
};
// Single: one packet, its checksum finished in place if the header asked for that.
// Segments: a TCP super-packet, with its plan.
enum class Kind { Single, Segments, Malformed };
Kind examine(std::span<std::uint8_t> read, Super& plan);
// Builds segment `index` (payload [index * mss, ...)) of `packet` into `out`.
void build_segment(std::span<const std::uint8_t> packet, const Super& plan, std::size_t index,
                   std::vector<std::uint8_t>& out);

template <typename Emit>
bool split(std::span<std::uint8_t> read, std::vector<std::uint8_t>& scratch, Emit&& emit) {
  Super plan;
  switch (examine(read, plan)) {
    case Kind::Malformed:
      return false;
    case Kind::Single:
      emit(std::span<const std::uint8_t>(read.subspan(kVnetHeaderSize)));
      return true;
    case Kind::Segments:
      break;
  }
  auto packet = std::span<const std::uint8_t>(read.subspan(kVnetHeaderSize));
  const std::size_t payload = packet.size() - plan.headers;
  const std::size_t count = payload == 0 ? 1 : (payload + plan.mss - 1) / plan.mss;
  for (std::size_t i = 0; i < count; ++i) {
    build_segment(packet, plan, i, scratch);
    emit(std::span<const std::uint8_t>(scratch));
  }
  return true;
}

// The other way (software GRO): in-order segments of one TCP flow that arrive together become
// one super-packet for the TUN, so the kernel takes them through IP and TCP once. Each write
// it produces starts with its virtio_net_hdr. Segments join only when a NIC's GRO would let
// them: same addresses, ports, ACK, window, TOS/TTL and TCP options; contiguous sequence
// numbers and IPv4 identifications; equal sizes but for a shorter last; plain ACK (PSH on the
// last one only); valid checksums. Anything else goes on as it came. Cutting a merged write
// (split) gives back exactly the packets that went in.
class Coalescer {
 public:
  using Out = std::vector<std::vector<std::uint8_t>>;
  void add(std::span<const std::uint8_t> packet, Out& out);
  // Ends the super-packet being built (call at the end of a burst).
  void flush(Out& out);

 private:
  bool joins(std::span<const std::uint8_t> packet, const Super& plan) const;
  void start(std::span<const std::uint8_t> packet, const Super& plan);

  std::vector<std::uint8_t> pending_;  // header + super-packet; empty when none
  Super plan_;
  std::size_t segments_ = 0;
  std::uint32_t next_seq_ = 0;
  bool closed_ = false;  // the last segment was short or had PSH
};

}  // namespace openras::host::offload
