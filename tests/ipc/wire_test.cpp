#include "ipc/wire.hpp"

#include <gtest/gtest.h>

#include "ipc/messages.hpp"

namespace openras::ipc {
namespace {

TEST(Wire, HeaderRoundTripAndChecks) {
  std::byte buf[kHeaderSize];
  encode_header({123, kProtocolVersion, MsgType::Dial, 77}, buf);
  auto h = decode_header(buf);
  EXPECT_EQ(h.body_size, 123u);
  EXPECT_EQ(h.type, MsgType::Dial);
  EXPECT_EQ(h.request_id, 77u);
  EXPECT_EQ(check_header(h), HeaderCheck::Ok);
  h.body_size = kMaxBodySize + 1;
  EXPECT_EQ(check_header(h), HeaderCheck::TooLarge);
  h.body_size = 1;
  h.version = 2;
  EXPECT_EQ(check_header(h), HeaderCheck::BadVersion);
}

TEST(Wire, DialRequestRoundTrip) {
  DialRequest req;
  req.entry_name = "Office";
  req.entry_text = "[Office]\r\nType=2\r\n";
  req.user = "alice";
  req.password = "secret";
  req.options = 2;
  req.subentry = 1;
  auto body = encode_body(req);
  Reader r(body);
  DialRequest back;
  ASSERT_TRUE(back.decode(r));
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(back.entry_name, "Office");
  EXPECT_EQ(back.entry_text, req.entry_text);
  EXPECT_EQ(back.password, "secret");
  EXPECT_EQ(back.options, 2u);
}

TEST(Wire, EveryTruncationOfABodyFailsToDecode) {
  DialRequest req;
  req.entry_name = "E";
  req.user = "u";
  auto body = encode_body(req);
  for (std::size_t n = 0; n < body.size(); ++n) {
    Reader r(std::span<const std::byte>(body.data(), n));
    DialRequest back;
    EXPECT_FALSE(back.decode(r)) << n;
  }
}

TEST(Wire, LyingLengthsAreRefused) {
  Writer w;
  w.u32(kMaxStringSize + 1);
  Reader r(w.data());
  std::string s;
  EXPECT_FALSE(r.str(s));
  Writer many;
  many.u32(1'000'000);  // connection count far past the body
  Reader r2(many.data());
  EnumReply e;
  EXPECT_FALSE(e.decode(r2));
}

TEST(Wire, StateEventAndEnumReplyRoundTrip) {
  StateEvent ev{7, 8192, 0, 0, 1, 123456789};
  auto body = encode_body(ev);
  Reader r(body);
  StateEvent back;
  ASSERT_TRUE(back.decode(r));
  EXPECT_EQ(back.state, 8192u);
  EXPECT_EQ(back.stamp_ns, 123456789u);
  EnumReply reply;
  reply.connections.push_back({5, "A", "vpn", "dev", "/p.pbk", 0, 1000});
  auto rb = encode_reply(0, &reply);
  Reader rr(rb);
  std::uint32_t error = 1;
  ASSERT_TRUE(rr.u32(error));
  EXPECT_EQ(error, 0u);
  EnumReply rback;
  ASSERT_TRUE(rback.decode(rr));
  ASSERT_EQ(rback.connections.size(), 1u);
  EXPECT_EQ(rback.connections[0].owner_uid, 1000u);
}

}  // namespace
}  // namespace openras::ipc
