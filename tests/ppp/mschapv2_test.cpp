#include "ppp/mschapv2.hpp"

#include <gtest/gtest.h>

#include "test_random.hpp"

namespace openras::ppp::mschap {
namespace {

using testing::from_hex;

template <std::size_t N>
std::array<std::uint8_t, N> arr(const char* hex) {
  auto b = from_hex(hex);
  std::array<std::uint8_t, N> a{};
  std::copy_n(b.begin(), N, a.begin());
  return a;
}

// RFC 2759 section 9.2.
const auto kAuthChallenge = arr<16>("5B5D7C7D7B3F2F3E3C2C602132262628");
const auto kPeerChallenge = arr<16>("21402324255E262A28295F2B3A337C7E");

TEST(MsChapV2, Rfc2759Section9Vectors) {
  EXPECT_EQ(challenge_hash(kPeerChallenge, kAuthChallenge, "User"), arr<8>("D02E4386BCE91226"));
  auto hash = nt_password_hash("clientPass");
  EXPECT_EQ(hash, arr<16>("44EBBA8D5312B8D611474411F56989AE"));
  EXPECT_EQ(hash_nt_password_hash(hash), arr<16>("41C00C584BD2D91C4017A2A12FA59F3F"));
  auto nt = generate_nt_response(kAuthChallenge, kPeerChallenge, "User", "clientPass");
  EXPECT_EQ(nt, arr<24>("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"));
  EXPECT_EQ(authenticator_response("clientPass", nt, kPeerChallenge, kAuthChallenge, "User"),
            "S=407A5589115FD0D6209F510FE9C04566932CDA56");
}

TEST(MsChapV2, Rfc3079MasterAndStartKeys) {
  auto nt = generate_nt_response(kAuthChallenge, kPeerChallenge, "User", "clientPass");
  auto master = master_key(hash_nt_password_hash(nt_password_hash("clientPass")), nt);
  EXPECT_EQ(master, arr<16>("FDECE3717A8C838CB388E527AE3CDD31"));
  // The server's send key is the client's receive key, and the other way round.
  EXPECT_EQ(asymmetric_start_key(master, true, true), arr<16>("8B7CDC149B993A1BA118CB153F56DCCB"));
  EXPECT_EQ(asymmetric_start_key(master, false, false),
            arr<16>("8B7CDC149B993A1BA118CB153F56DCCB"));
  EXPECT_EQ(asymmetric_start_key(master, true, false), arr<16>("D5F0E9521E3EA9589645E86051C82226"));
  EXPECT_EQ(asymmetric_start_key(master, false, true), arr<16>("D5F0E9521E3EA9589645E86051C82226"));
}

TEST(MsChapV2, FailureMessages) {
  auto f = parse_failure("E=648 R=1 C=0123456789ABCDEF0123456789ABCDEF V=3 M=Password expired");
  EXPECT_EQ(f.error, 648u);
  EXPECT_TRUE(f.retry);
  ASSERT_TRUE(f.challenge);
  EXPECT_EQ((*f.challenge)[0], 0x01);
  EXPECT_EQ(f.message, "Password expired");
  auto g = parse_failure("E=691 R=0 V=3");
  EXPECT_EQ(g.error, 691u);
  EXPECT_FALSE(g.retry);
  EXPECT_FALSE(g.challenge);
  auto junk = parse_failure("E=xx C=zz M=");
  EXPECT_EQ(junk.error, 691u);
  EXPECT_FALSE(junk.challenge);
  EXPECT_EQ(hashed_user_name("CORP\\alice"), "alice");
  EXPECT_EQ(hashed_user_name("alice"), "alice");
}

}  // namespace
}  // namespace openras::ppp::mschap
