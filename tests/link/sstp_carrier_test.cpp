// The SSTP carrier between the client engine and PPP: a server that sends its first LCP
// Configure-Request in the same read as the Call Connect Ack (as one TLS record, or two that
// arrive together) gets its answer at once, not after its restart timer.
#include "dial/sstp_carrier.hpp"

#include <gtest/gtest.h>

#include "dial/ppp_dial.hpp"
#include "link/http_head.hpp"
#include "link/sstp_packet.hpp"

namespace openras::dial {
namespace {

using namespace link::sstp;
using ppp::Bytes;

Bytes bytes_of(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

// The PPP frames in what the carrier sent.
std::vector<Bytes> frames_in(ByteView line) {
  PacketReader reader;
  reader.feed(line);
  std::vector<Bytes> frames;
  ppp::ByteView packet;
  while (reader.next(packet)) {
    if (auto frame = data_payload(packet)) frames.emplace_back(frame->begin(), frame->end());
  }
  return frames;
}

TEST(SstpCarrier, LcpRequestArrivingWithTheCallConnectAckIsAnsweredOncePppOpens) {
  ClientConfig client;
  client.host = "vpn.example.com";
  client.correlation_id = "0000-1111";
  SstpCarrier carrier(PortRequest{}, client);
  ppp::SessionConfig config;
  carrier.configure(config);
  auto random = system_random();
  ppp::Session session(config, *random);
  carrier.attach(session);
  TimePoint now{};
  ppp::LineBytes line;

  carrier.start(PortInfo{}, now);
  ASSERT_TRUE(carrier.poll_line(line));  // SSTP_DUPLEX_POST
  carrier.feed_line(bytes_of(link::sstp_duplex_post_reply()), now);
  line.clear();
  ASSERT_TRUE(carrier.poll_line(line));  // Call Connect Request
  // The Ack and the server's Configure-Request (id 7, no options) in one read.
  CryptoBindingRequest binding;
  binding.hash_protocols = kHashSha256;
  Bytes together = encode_control({kCallConnectAck, {crypto_binding_request_attribute(binding)}});
  const Bytes configure_request = {0xFF, 0x03, 0xC0, 0x21, 0x01, 0x07, 0x00, 0x04};
  Bytes lcp_request = encode_data(configure_request);
  together.insert(together.end(), lcp_request.begin(), lcp_request.end());
  carrier.feed_line(together, now);
  ASSERT_EQ(carrier.status(), Carrier::Status::Ready);

  // What the dial machine does on Ready.
  session.open(now);
  carrier.ppp_started(now);
  line.clear();
  ASSERT_TRUE(carrier.poll_line(line));
  bool acked = false;
  for (const Bytes& f : frames_in(line)) {
    acked =
        acked || (f.size() >= 6 && f[2] == 0xC0 && f[3] == 0x21 && f[4] == 0x02 && f[5] == 0x07);
  }
  EXPECT_TRUE(acked) << "the server's Configure-Request was not acknowledged";
}

}  // namespace
}  // namespace openras::dial
