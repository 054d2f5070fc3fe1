// TUN segmentation offload: super-packets cut as a NIC's TSO would, every segment's lengths,
// sequence numbers, flags and checksums checked independently of the code that wrote them.
#include "host/tun_offload.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace openras::host::offload {
namespace {

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
std::uint32_t be32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

// RFC 1071 the slow way: 16-bit words, end-around carry each step.
std::uint16_t ones_sum(const std::vector<std::uint8_t>& d) {
  std::uint32_t s = 0;
  for (std::size_t i = 0; i < d.size(); i += 2) {
    s += static_cast<std::uint32_t>(d[i] << 8 | (i + 1 < d.size() ? d[i + 1] : 0));
    s = (s & 0xffff) + (s >> 16);
  }
  return static_cast<std::uint16_t>(s);
}

bool tcp_checksum_ok(const std::vector<std::uint8_t>& packet, bool ipv6) {
  std::size_t ip = ipv6 ? 40 : (packet[0] & 15u) * 4u;
  std::vector<std::uint8_t> pseudo;
  if (ipv6) {
    pseudo.assign(packet.begin() + 8, packet.begin() + 40);
  } else {
    pseudo.assign(packet.begin() + 12, packet.begin() + 20);
  }
  std::size_t len = packet.size() - ip;
  pseudo.insert(pseudo.end(), {0, 0, static_cast<std::uint8_t>(len >> 8),
                               static_cast<std::uint8_t>(len), 0, 0, 0, 6});
  pseudo.insert(pseudo.end(), packet.begin() + static_cast<long>(ip), packet.end());
  return ones_sum(pseudo) == 0xffff;
}

// After a test edits a segment's TCP header, so that only the edit differs.
void refresh_tcp_checksum(std::vector<std::uint8_t>& p) {
  p[36] = p[37] = 0;
  std::vector<std::uint8_t> pseudo(p.begin() + 12, p.begin() + 20);
  std::size_t len = p.size() - 20;
  pseudo.insert(pseudo.end(),
                {0, 6, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len)});
  pseudo.insert(pseudo.end(), p.begin() + 20, p.end());
  std::uint16_t sum = static_cast<std::uint16_t>(~ones_sum(pseudo));
  p[36] = static_cast<std::uint8_t>(sum >> 8);
  p[37] = static_cast<std::uint8_t>(sum);
  EXPECT_TRUE(tcp_checksum_ok(p, false));
}

std::vector<std::uint8_t> super_packet(bool ipv6, std::size_t payload, std::uint16_t mss,
                                       std::uint8_t tcp_flags) {
  std::vector<std::uint8_t> out(kVnetHeaderSize, 0);
  out[0] = 1;             // needs checksum
  out[1] = ipv6 ? 4 : 1;  // TCPv6 / TCPv4
  std::memcpy(&out[4], &mss, 2);
  std::vector<std::uint8_t> ip;
  if (ipv6) {
    ip = {0x60, 0, 0, 0, 0, 0, 6, 64};
    for (int i = 0; i < 32; ++i) ip.push_back(static_cast<std::uint8_t>(0x20 + i));
  } else {
    ip = {0x45, 0, 0, 0, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
  }
  // TCP with a 12-octet option block (data offset 8).
  std::vector<std::uint8_t> tcp = {0x9c, 0x40, 0x23,      0x28, 0xff, 0xff, 0xff, 0x00, 0, 0, 0,
                                   1,    0x80, tcp_flags, 0x01, 0xf5, 0xab, 0xcd, 0,    0, 1, 1,
                                   8,    10,   0,         0,    0,    1,    0,    0,    0, 2};
  out.insert(out.end(), ip.begin(), ip.end());
  out.insert(out.end(), tcp.begin(), tcp.end());
  for (std::size_t i = 0; i < payload; ++i) out.push_back(static_cast<std::uint8_t>(i * 7 + 3));
  return out;
}

std::vector<std::vector<std::uint8_t>> split_all(std::vector<std::uint8_t> read) {
  std::vector<std::vector<std::uint8_t>> segments;
  std::vector<std::uint8_t> scratch;
  EXPECT_TRUE(split(read, scratch, [&](std::span<const std::uint8_t> s) {
    segments.emplace_back(s.begin(), s.end());
  }));
  return segments;
}

TEST(TunOffload, Tcp4SuperPacketIsCutIntoMssSegmentsWithTheirOwnHeaders) {
  const std::uint8_t flags = 0x80 | 0x10 | 0x08 | 0x01;  // CWR ACK PSH FIN
  auto original = super_packet(false, 5000, 1400, flags);
  auto segments = split_all(original);
  ASSERT_EQ(segments.size(), 4u);
  const std::size_t headers = 20 + 32;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& s = segments[i];
    std::size_t len = i < 3 ? 1400 : 5000 - 3 * 1400;
    ASSERT_EQ(s.size(), headers + len);
    EXPECT_EQ(be16(&s[2]), s.size());
    EXPECT_EQ(be16(&s[4]), 0x1234 + i);  // IP identification steps
    EXPECT_EQ(ones_sum({s.begin(), s.begin() + 20}), 0xffff) << "IPv4 header checksum " << i;
    EXPECT_EQ(be32(&s[24]), static_cast<std::uint32_t>(0xffffff00u + i * 1400));  // wraps
    std::uint8_t f = s[33];
    EXPECT_EQ((f & 0x80) != 0, i == 0);  // CWR first only
    EXPECT_EQ((f & 0x09) != 0, i == 3);  // PSH, FIN last only
    EXPECT_TRUE(f & 0x10);
    EXPECT_TRUE(tcp_checksum_ok(s, false)) << i;
    EXPECT_EQ(0, std::memcmp(&s[headers], &original[kVnetHeaderSize + headers + i * 1400], len));
    // The options travel in every segment.
    EXPECT_EQ(0, std::memcmp(&s[40], &original[kVnetHeaderSize + 40], 12));
  }
}

TEST(TunOffload, Tcp6SuperPacketToo) {
  auto segments = split_all(super_packet(true, 2801, 1400, 0x18));
  ASSERT_EQ(segments.size(), 3u);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    EXPECT_EQ(be16(&segments[i][4]), segments[i].size() - 40);
    EXPECT_TRUE(tcp_checksum_ok(segments[i], true)) << i;
  }
  EXPECT_EQ(segments[2].size(), 40u + 32 + 1);
}

TEST(TunOffload, APlainPacketHasItsPartialChecksumFinished) {
  auto read = super_packet(false, 300, 0, 0x18);
  read[1] = 0;  // no segmentation
  std::uint16_t start = 20, offset = 16;
  std::memcpy(&read[6], &start, 2);
  std::memcpy(&read[8], &offset, 2);
  // The kernel leaves the pseudo-header sum in the field.
  std::vector<std::uint8_t> packet(read.begin() + kVnetHeaderSize, read.end());
  std::vector<std::uint8_t> pseudo(packet.begin() + 12, packet.begin() + 20);
  std::size_t len = packet.size() - 20;
  pseudo.insert(pseudo.end(),
                {0, 6, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len)});
  std::uint16_t partial = ones_sum(pseudo);
  read[kVnetHeaderSize + 36] = static_cast<std::uint8_t>(partial >> 8);
  read[kVnetHeaderSize + 37] = static_cast<std::uint8_t>(partial);
  auto segments = split_all(read);
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_TRUE(tcp_checksum_ok(segments[0], false));
}

TEST(TunOffload, TheFastSumIsRfc1071sForEveryLengthAndAlignment) {
  std::vector<std::uint8_t> data(300);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 131 + 7);
  for (std::size_t start = 0; start < 4; ++start) {
    for (std::size_t len = 0; len + start <= data.size(); ++len) {
      std::vector<std::uint8_t> part(data.begin() + static_cast<long>(start),
                                     data.begin() + static_cast<long>(start + len));
      std::uint16_t expected = ones_sum(part);
      std::uint16_t got = fold(add_to_sum(0, part));
      // 0x0000 and 0xffff are the same number in ones' complement.
      if (expected == 0xffff) expected = 0;
      if (got == 0xffff) got = 0;
      ASSERT_EQ(got, expected) << "start " << start << " length " << len;
    }
  }
}

TEST(TunOffload, SegmentsCoalesceBackIntoTheSuperPacketTheyCameFrom) {
  for (bool ipv6 : {false, true}) {
    auto segments = split_all(super_packet(ipv6, 5000, 1400, 0x10 | 0x08));  // ACK PSH
    ASSERT_EQ(segments.size(), 4u);
    Coalescer coalescer;
    Coalescer::Out out;
    for (const auto& s : segments) coalescer.add(s, out);
    EXPECT_TRUE(out.empty());  // still building
    coalescer.flush(out);
    ASSERT_EQ(out.size(), 1u);
    const auto& super = out[0];
    EXPECT_EQ(super[0], 1);             // checksum partial
    EXPECT_EQ(super[1], ipv6 ? 4 : 1);  // TCPv6 / TCPv4
    std::uint16_t mss;
    std::memcpy(&mss, &super[4], 2);
    EXPECT_EQ(mss, 1400);
    // Cut again, it gives the very segments it was made of.
    EXPECT_EQ(split_all(super), segments);
  }
}

TEST(TunOffload, OnlySegmentsAGroWouldMergeAreMerged) {
  auto segments = split_all(super_packet(false, 5600, 1400, 0x10));
  ASSERT_EQ(segments.size(), 4u);
  auto count_writes = [](std::vector<std::vector<std::uint8_t>> in) {
    Coalescer coalescer;
    Coalescer::Out out;
    for (const auto& s : in) coalescer.add(s, out);
    coalescer.flush(out);
    return out.size();
  };
  EXPECT_EQ(count_writes(segments), 1u);
  EXPECT_EQ(count_writes({segments[0], segments[2], segments[1]}), 3u);  // out of order
  auto corrupt = segments;
  corrupt[2][60] ^= 1;  // a payload octet: the TCP checksum no longer holds
  EXPECT_EQ(count_writes(corrupt), 3u);
  auto other_ack = segments;
  other_ack[1][31] ^= 1;  // a different acknowledgement number
  refresh_tcp_checksum(other_ack[1]);
  EXPECT_EQ(count_writes(other_ack), 3u);
  auto other_id = segments;
  other_id[1][5] ^= 0x40;  // an IPv4 identification out of step: a cut could not give it back
  other_id[1][10] = other_id[1][11] = 0;
  std::uint16_t ip_sum = static_cast<std::uint16_t>(
      ~ones_sum(std::vector<std::uint8_t>(other_id[1].begin(), other_id[1].begin() + 20)));
  other_id[1][10] = static_cast<std::uint8_t>(ip_sum >> 8);
  other_id[1][11] = static_cast<std::uint8_t>(ip_sum);
  EXPECT_EQ(count_writes(other_id), 3u);  // [0], [1], [2 3]
  auto pushed = segments;
  pushed[1][33] |= 0x08;  // PSH in the middle ends the super-packet there
  refresh_tcp_checksum(pushed[1]);
  EXPECT_EQ(count_writes(pushed), 2u);
  // Something that is not TCP goes on as it came, behind a zero header.
  std::vector<std::uint8_t> udp = {0x45, 0, 0,  28, 0, 0, 0, 0,  64, 17, 0, 0, 10, 0,
                                   0,    1, 10, 0,  0, 2, 0, 53, 0,  53, 0, 8, 0,  0};
  Coalescer coalescer;
  Coalescer::Out out;
  coalescer.add(segments[0], out);
  coalescer.add(udp, out);
  coalescer.flush(out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(std::vector<std::uint8_t>(out[1].begin() + kVnetHeaderSize, out[1].end()), udp);
  EXPECT_EQ(out[1][1], 0);
}

// A checksum has two forms in ones' complement: 0x0000 and 0xffff (-0) both verify. A cut
// writes the 0x0000 a sender computes, so a segment carrying -0 must not be merged, nor one
// whose header differs from the first segment's anywhere a cut copies from it.
TEST(TunOffload, OnlySegmentsACutGivesBackExactlyAreMerged) {
  auto segments = split_all(super_packet(false, 5600, 1400, 0x10));
  ASSERT_EQ(segments.size(), 4u);
  auto round_trip = [](const std::vector<std::vector<std::uint8_t>>& in) {
    Coalescer coalescer;
    Coalescer::Out out;
    for (const auto& s : in) coalescer.add(s, out);
    coalescer.flush(out);
    std::vector<std::vector<std::uint8_t>> back;
    for (auto& w : out) {
      for (auto& s : split_all(w)) back.push_back(std::move(s));
    }
    EXPECT_EQ(back, in);
    return out.size();
  };
  // Payload octets 60-61 of segment 1 chosen so that its TCP checksum computes to 0x0000.
  auto negative_zero = segments;
  auto& s1 = negative_zero[1];
  s1[60] = s1[61] = 0;
  refresh_tcp_checksum(s1);
  std::uint16_t field = be16(&s1[36]);
  s1[60] = static_cast<std::uint8_t>(field >> 8);
  s1[61] = static_cast<std::uint8_t>(field);
  refresh_tcp_checksum(s1);
  ASSERT_EQ(be16(&s1[36]), 0);
  EXPECT_EQ(round_trip(negative_zero), 1u);  // 0x0000 merges
  s1[36] = s1[37] = 0xff;
  ASSERT_TRUE(tcp_checksum_ok(s1, false));   // -0 verifies too
  EXPECT_EQ(round_trip(negative_zero), 3u);  // [0], [1], [2 3]
  // The TCP header's reserved bits (the low half of its data-offset octet).
  auto reserved = segments;
  reserved[2][32] |= 0x02;
  refresh_tcp_checksum(reserved[2]);
  EXPECT_EQ(round_trip(reserved), 3u);  // [0 1], [2], [3]: a cut copies the first one's
  // An IPv4 header checksum of -0 on the first segment: an identification that makes it 0.
  auto super = super_packet(false, 5600, 1400, 0x10);
  std::uint8_t* ip = &super[kVnetHeaderSize];
  const std::size_t first_length = 20 + 32 + 1400;  // what the cut writes into segment 0
  ip[2] = static_cast<std::uint8_t>(first_length >> 8);
  ip[3] = static_cast<std::uint8_t>(first_length);
  ip[4] = ip[5] = 0;
  const std::uint16_t id =
      static_cast<std::uint16_t>(0xffff - ones_sum(std::vector<std::uint8_t>(ip, ip + 20)));
  ip[4] = static_cast<std::uint8_t>(id >> 8);
  ip[5] = static_cast<std::uint8_t>(id);
  auto ip_zero = split_all(super);
  ASSERT_EQ(be16(&ip_zero[0][10]), 0);
  EXPECT_EQ(round_trip(ip_zero), 1u);
  ip_zero[0][10] = ip_zero[0][11] = 0xff;
  EXPECT_EQ(round_trip(ip_zero), 2u);  // [0], [1 2 3]
}

TEST(TunOffload, WhatCannotBeParsedIsRefused) {
  std::vector<std::uint8_t> scratch;
  auto none = [](std::span<const std::uint8_t>) { ADD_FAILURE() << "emitted"; };
  std::vector<std::uint8_t> short_read(5);
  EXPECT_FALSE(split(short_read, scratch, none));
  auto udp = super_packet(false, 3000, 1400, 0);
  udp[1] = 3;  // UDP fragmentation offload: never enabled
  EXPECT_FALSE(split(udp, scratch, none));
  auto zero_mss = super_packet(false, 3000, 0, 0);
  EXPECT_FALSE(split(zero_mss, scratch, none));
  auto truncated = super_packet(false, 0, 1400, 0);
  truncated.resize(kVnetHeaderSize + 30);  // inside the TCP header
  EXPECT_FALSE(split(truncated, scratch, none));
  auto bad_offset = super_packet(false, 10, 1400, 0);
  bad_offset[1] = 0;
  std::uint16_t start = 60000;
  std::memcpy(&bad_offset[6], &start, 2);
  EXPECT_FALSE(split(bad_offset, scratch, none));
}

}  // namespace
}  // namespace openras::host::offload
