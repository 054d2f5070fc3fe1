#include "ppp/trace.hpp"

#include <gtest/gtest.h>

#include "test_random.hpp"

namespace openras::ppp {
namespace {

using testing::from_hex;

TEST(Trace, ControlPacketsAreNamedWithTheirOptions) {
  auto line = describe_frame(from_hex("ff03c021010100140206000000000506aabf7a6807020802"));
  EXPECT_EQ(line, "LCP Configure-Request id=1 length=20 data=0206000000000506aabf7a6807020802");
  EXPECT_EQ(describe_frame(from_hex("802102020004")), "IPCP Configure-Ack id=2 length=4");
  EXPECT_EQ(describe_frame(from_hex("214500")), "IPv4 packet, 2 octets");
}

TEST(Trace, AuthenticationPayloadsAreRedacted) {
  // PAP Authenticate-Request for alice / Sw0rdfish.
  Bytes pap = {0xFF, 0x03, 0xC0, 0x23, 1,   7,   0,   21,  5,   'a', 'l', 'i',
               'c',  'e',  9,    'S',  'w', '0', 'r', 'd', 'f', 'i', 's', 'h'};
  auto line = describe_frame(pap);
  EXPECT_EQ(line, "PAP Authenticate-Request id=7 length=21 (payload redacted)");
  EXPECT_EQ(line.find("Sw0rd"), std::string::npos);
  EXPECT_EQ(line.find("alice"), std::string::npos);
  EXPECT_NE(describe_frame(from_hex("c2230201000a0102030405")).find("CHAP Response"),
            std::string::npos);
}

TEST(Trace, MalformedFramesDescribeThemselves) {
  EXPECT_EQ(describe_frame({}), "empty frame");
  EXPECT_EQ(describe_frame(from_hex("c0")), "truncated frame");
  EXPECT_EQ(describe_frame(from_hex("c02101")), "LCP (short)");
}

}  // namespace
}  // namespace openras::ppp
