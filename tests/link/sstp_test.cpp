// SSTP, sans-I/O: the packet codec against the bytes of MS-SSTP section 4.7, the crypto binding
// computed by hand (HLAK from the RFC 3079 section 3.5.3 keys, CMK and Compound MAC with an
// independent HMAC-SHA256: Python's hmac module, values pasted below), and the client engine
// driven through a whole call in virtual time.
#include <gtest/gtest.h>

#include <string>

#include "link/http_head.hpp"
#include "link/sstp_binding.hpp"
#include "link/sstp_client.hpp"
#include "raserror.h"

namespace openras::link::sstp {
namespace {

Bytes hex(const std::string& text) {
  Bytes out;
  std::string digits;
  for (char c : text) {
    if (c != ' ') digits.push_back(c);
  }
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
  }
  return out;
}

template <std::size_t N>
std::array<std::uint8_t, N> arr(const std::string& text) {
  Bytes b = hex(text);
  std::array<std::uint8_t, N> out{};
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

const char* kNonce = "412B489AEBD7ECC7D08966F26BE7CD72B231A0E9210D7C91B308862B0344C435";
// RFC 3079 section 3.5.3: MasterKey for "User" / "clientPass".
const char* kMasterKey = "FDECE3717A8C838CB388E527AE3CDD31";

TEST(SstpPacket, CallConnectRequestIsTheBytesOfMsSstp47) {
  ControlMessage m;
  m.type = kCallConnectRequest;
  m.attributes.push_back(encapsulated_protocol_attribute(kEncapsulatedPpp));
  EXPECT_EQ(encode_control(m), hex("10 01 00 0E 00 01 00 01 00 01 00 06 00 01"));
}

TEST(SstpPacket, CallConnectAckOfMsSstp47Parses) {
  Bytes ack = hex(std::string("10 01 00 30 00 02 00 01 00 04 00 28 00 00 00 02") + kNonce);
  auto p = decode_packet(ack);
  ASSERT_TRUE(p);
  ASSERT_TRUE(p->control);
  EXPECT_EQ(p->message.type, kCallConnectAck);
  auto req = parse_crypto_binding_request(*p->message.find(kAttribCryptoBindingReq));
  ASSERT_TRUE(req);
  EXPECT_EQ(req->hash_protocols, kHashSha256);
  EXPECT_EQ(Bytes(req->nonce.begin(), req->nonce.end()), hex(kNonce));
  EXPECT_EQ(encode_control(p->message), ack);  // and back, octet for octet
}

TEST(SstpPacket, MalformedPacketsAreRefused) {
  EXPECT_FALSE(decode_packet(hex("11 01 00 08 00 01 00 00")));  // version 1.1
  EXPECT_FALSE(decode_packet(hex("10 01 00 09 00 01 00 00")));  // length disagrees
  EXPECT_FALSE(decode_packet(hex("10 01 00 06 00 01")));        // control without a count
  EXPECT_FALSE(decode_packet(hex("10 01 00 0C 00 02 00 01 00 04 00 28")));  // attribute overruns
  EXPECT_FALSE(decode_packet(hex("10 01 00 0C 00 02 00 00 00 00 00 00")));  // stray octets
  EXPECT_FALSE(decode_packet(hex("10 01 00 0C 00 02 00 01 00 04 00 02")));  // attribute < 4
  auto data = decode_packet(hex("10 00 00 08 FF 03 C0 21"));
  ASSERT_TRUE(data);
  EXPECT_FALSE(data->control);
  EXPECT_EQ(data->data, hex("FF 03 C0 21"));
}

TEST(SstpPacket, ReaderCutsAStreamAtAnyBoundary) {
  Bytes stream = encode_data(hex("FF 03 C0 21 01 01 00 04"));
  Bytes second = encode_control({kEchoRequest, {}});
  stream.insert(stream.end(), second.begin(), second.end());
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    PacketReader r;
    r.feed({stream.data(), cut});
    r.feed({stream.data() + cut, stream.size() - cut});
    ByteView a, b, c;
    ASSERT_TRUE(r.next(a)) << cut;
    ASSERT_TRUE(r.next(b)) << cut;
    EXPECT_FALSE(r.next(c));
    EXPECT_EQ(Bytes(a.begin(), a.end()), encode_data(hex("FF 03 C0 21 01 01 00 04")));
    EXPECT_EQ(Bytes(b.begin(), b.end()), second);
    EXPECT_EQ(data_payload(a)->size(), 8u);
    EXPECT_FALSE(data_payload(b));
  }
  PacketReader broken;
  broken.feed(hex("16 03 01 00 10"));  // a TLS record where an SSTP packet belongs
  ByteView out;
  EXPECT_FALSE(broken.next(out));
  EXPECT_TRUE(broken.broken());
}

TEST(SstpBinding, HlakFromTheRfc3079Keys) {
  // Client: MasterSendKey | MasterReceiveKey; server: MasterReceiveKey | MasterSendKey, each
  // from its own side (RFC 3079 3.5.3 gives D5F0... as the client's send key).
  auto master = arr<16>(kMasterKey);
  Key32 expected = arr<32>("D5F0E9521E3EA9589645E86051C822268B7CDC149B993A1BA118CB153F56DCCB");
  EXPECT_EQ(hlak_from_mschapv2(master, false), expected);
  EXPECT_EQ(hlak_from_mschapv2(master, true), expected);
}

TEST(SstpBinding, CompoundMacKeyByHand) {
  Key32 hlak = arr<32>("D5F0E9521E3EA9589645E86051C822268B7CDC149B993A1BA118CB153F56DCCB");
  EXPECT_EQ(compound_mac_key(hlak, kHashSha256),
            hex("150707E682B16F4CA9430560C562894AFD10050DB4182D35C3E9E06284445271"));
  EXPECT_EQ(compound_mac_key(Key32{}, kHashSha256),  // PAP: a zero HLAK
            hex("D342EB00477D6A37E1A184FB0168CB3EA3B6645FA0F227904D20EEF5CB8F9327"));
}

TEST(SstpBinding, CallConnectedByHand) {
  CryptoBinding b;
  b.hash_protocol = kHashSha256;
  b.nonce = arr<32>(kNonce);
  for (std::uint8_t i = 0; i < 32; ++i) b.cert_hash.push_back(i);
  Key32 hlak = arr<32>("D5F0E9521E3EA9589645E86051C822268B7CDC149B993A1BA118CB153F56DCCB");
  Bytes packet = build_call_connected(b, hlak);
  Bytes expected = hex(std::string("10010070000400010003006800000002") + kNonce +
                       "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F" +
                       "C1EC7446BABB963DDF810FB811550FD62B62FA13C252D116C866EA054B554F41");
  EXPECT_EQ(packet, expected);
}

TEST(SstpBinding, ServerCheckCatchesEachTamperedField) {
  Bytes cert = hex("3082 0101 AABBCCDD");  // any DER stands in: only its hash is bound
  CryptoBinding b;
  b.nonce = arr<32>(kNonce);
  b.cert_hash = certificate_hash(cert, kHashSha256);
  Key32 hlak = hlak_from_mschapv2(arr<16>(kMasterKey), false);
  Bytes packet = build_call_connected(b, hlak);
  EXPECT_EQ(verify_call_connected(packet, b.nonce, cert, hlak), BindingCheck::Ok);
  auto other_nonce = b.nonce;
  other_nonce[0] ^= 1;
  EXPECT_EQ(verify_call_connected(packet, other_nonce, cert, hlak), BindingCheck::WrongNonce);
  EXPECT_EQ(verify_call_connected(packet, b.nonce, hex("3082 0101 AABBCCDE"), hlak),
            BindingCheck::WrongCertificate);
  Key32 other_hlak = hlak;
  other_hlak[31] ^= 1;
  EXPECT_EQ(verify_call_connected(packet, b.nonce, cert, other_hlak), BindingCheck::WrongMac);
  Bytes truncated(packet.begin(), packet.end() - 1);
  EXPECT_EQ(verify_call_connected(truncated, b.nonce, cert, hlak), BindingCheck::Malformed);
}

TEST(HttpHead, ParsesTheSoftEtherReplyAndKeepsWhatFollows) {
  HttpHead h;
  std::string reply = sstp_duplex_post_reply() + "\x10\x01";
  h.feed({reinterpret_cast<const std::uint8_t*>(reply.data()), 10});
  EXPECT_EQ(h.status(), HttpHead::Status::NeedMore);
  h.feed({reinterpret_cast<const std::uint8_t*>(reply.data()) + 10, reply.size() - 10});
  ASSERT_EQ(h.status(), HttpHead::Status::Complete);
  EXPECT_EQ(h.status_code(), 200);
  EXPECT_EQ(h.header("content-length"), "18446744073709551615");
  EXPECT_EQ(h.header("SERVER"), "Microsoft-HTTPAPI/2.0");
  EXPECT_EQ(h.take_rest(), hex("10 01"));
  HttpHead bad;
  std::string junk = "\x16\x03\x01 nonsense\r\n\r\n";
  bad.feed({reinterpret_cast<const std::uint8_t*>(junk.data()), junk.size()});
  EXPECT_EQ(bad.status(), HttpHead::Status::Malformed);
  HttpHead endless;
  std::string line(9000, 'a');
  endless.feed({reinterpret_cast<const std::uint8_t*>(line.data()), line.size()});
  EXPECT_EQ(endless.status(), HttpHead::Status::Malformed);
}

// The client engine through a whole call, the server's side played by hand.
struct ClientRun {
  ClientConfig config = [] {
    ClientConfig c;
    c.host = "vpn.example.com";
    c.correlation_id = "0000-1111";
    c.hello_interval = std::chrono::seconds(10);
    return c;
  }();
  Client client{config};
  TimePoint now{};
  Bytes cert = hex("30820102");

  std::string sent_text() {
    std::string out;
    Bytes b;
    while (client.poll_transmit(b)) out.append(b.begin(), b.end());
    return out;
  }
  std::vector<Packet> sent_packets() {
    std::vector<Packet> out;
    Bytes b;
    while (client.poll_transmit(b)) {
      auto p = decode_packet(b);
      EXPECT_TRUE(p);
      if (p) out.push_back(*p);
    }
    return out;
  }
  void server_says(const Bytes& b) { client.feed(b, now); }
  void server_says(const std::string& s) {
    client.feed({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}, now);
  }
  void to_ack() {
    client.start(cert, now);
    std::string request = sent_text();
    EXPECT_EQ(request.rfind(
                  "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n", 0),
              0u);
    EXPECT_NE(request.find("Host: vpn.example.com\r\n"), std::string::npos);
    EXPECT_NE(request.find("Content-Length: 18446744073709551615\r\n"), std::string::npos);
    EXPECT_NE(request.find("SSTPCORRELATIONID: {0000-1111}\r\n"), std::string::npos);
    server_says(sstp_duplex_post_reply());
    auto req = sent_packets();
    EXPECT_EQ(req.size(), 1u);
    if (!req.empty()) {
      EXPECT_EQ(req[0].message.type, kCallConnectRequest);
    }
    CryptoBindingRequest r;
    r.hash_protocols = kHashSha1 | kHashSha256;
    r.nonce = arr<32>(kNonce);
    server_says(encode_control({kCallConnectAck, {crypto_binding_request_attribute(r)}}));
  }
};

TEST(SstpClient, WholeCallWithBindingEchoAndDisconnect) {
  ClientRun run;
  run.to_ack();
  ASSERT_TRUE(run.client.ppp_may_run());
  // PPP frames both ways, whole, in data packets.
  EXPECT_TRUE(run.client.send_frame(hex("FF03C021010100040000")));
  auto out = run.sent_packets();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].control);
  EXPECT_EQ(out[0].data, hex("FF03C021010100040000"));
  run.server_says(encode_data(hex("FF03C021020100040000")));
  Bytes frame;
  ASSERT_TRUE(run.client.poll_frame(frame));
  EXPECT_EQ(frame, hex("FF03C021020100040000"));
  // Authenticated: Call Connected with SHA-256 chosen and the server's nonce.
  run.client.authenticated(arr<16>(kMasterKey), run.now);
  out = run.sent_packets();
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].message.type, kCallConnected);
  auto binding = parse_crypto_binding(*out[0].message.find(kAttribCryptoBinding));
  ASSERT_TRUE(binding);
  EXPECT_EQ(binding->hash_protocol, kHashSha256);
  EXPECT_EQ(binding->cert_hash, certificate_hash(run.cert, kHashSha256));
  EXPECT_EQ(run.client.state(), Client::State::Connected);
  // The server's echo is answered; a quiet link gets the client's own echo, then fails.
  run.server_says(encode_control({kEchoRequest, {}}));
  out = run.sent_packets();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].message.type, kEchoResponse);
  run.now += std::chrono::seconds(10);
  run.client.on_timer(run.now);
  out = run.sent_packets();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].message.type, kEchoRequest);
  run.server_says(encode_control({kEchoResponse, {}}));
  // Hang-up: Call Disconnect, Closed on its Ack.
  run.client.disconnect(run.now);
  out = run.sent_packets();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].message.type, kCallDisconnect);
  EXPECT_FALSE(run.client.finished());
  run.server_says(encode_control({kCallDisconnectAck, {}}));
  EXPECT_EQ(run.client.state(), Client::State::Closed);
  EXPECT_EQ(run.client.error(), 0u);
}

TEST(SstpClient, EachServerMisstepHasItsCode) {
  {
    ClientRun run;  // no answer to the echo
    run.to_ack();
    run.client.authenticated(std::nullopt, run.now);
    for (int i = 0; i < 3; ++i) {
      run.now += std::chrono::seconds(10);
      run.client.on_timer(run.now);
    }
    EXPECT_EQ(run.client.error(), static_cast<std::uint32_t>(ERROR_VPN_TIMEOUT));
  }
  {
    ClientRun run;  // HTTP refusal
    run.client.start(run.cert, run.now);
    run.server_says(std::string("HTTP/1.1 403 Forbidden\r\n\r\n"));
    EXPECT_EQ(run.client.error(), static_cast<std::uint32_t>(ERROR_VPN_REFUSED));
  }
  {
    ClientRun run;  // Nak
    run.client.start(run.cert, run.now);
    run.server_says(sstp_duplex_post_reply());
    run.server_says(
        encode_control({kCallConnectNak, {status_info_attribute(1, kStatusValueNotSupported)}}));
    EXPECT_EQ(run.client.error(), static_cast<std::uint32_t>(ERROR_VPN_REFUSED));
  }
  {
    ClientRun run;  // an Ack without a usable binding request
    run.client.start(run.cert, run.now);
    run.sent_text();
    run.server_says(sstp_duplex_post_reply());
    run.server_says(encode_control({kCallConnectAck, {}}));
    EXPECT_EQ(run.client.error(), static_cast<std::uint32_t>(ERROR_UNRECOGNIZED_RESPONSE));
    auto out = run.sent_packets();
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.back().message.type, kCallAbort);
  }
  {
    ClientRun run;  // the server disconnects a connected call
    run.to_ack();
    run.client.authenticated(std::nullopt, run.now);
    run.sent_packets();
    run.server_says(encode_control({kCallDisconnect, {}}));
    auto out = run.sent_packets();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].message.type, kCallDisconnectAck);
    EXPECT_EQ(run.client.error(), static_cast<std::uint32_t>(ERROR_REMOTE_DISCONNECTION));
  }
  {
    ClientRun run;  // silence after the request: the negotiation timer
    run.client.start(run.cert, run.now);
    run.server_says(sstp_duplex_post_reply());
    run.now += std::chrono::seconds(61);
    run.client.on_timer(run.now);
    EXPECT_EQ(run.client.error(), static_cast<std::uint32_t>(ERROR_VPN_TIMEOUT));
  }
}

}  // namespace
}  // namespace openras::link::sstp
