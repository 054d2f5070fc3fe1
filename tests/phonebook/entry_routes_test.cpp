// The entry's own routes (NumRoutes + Routes=, as Add-VpnConnectionRoute leaves them) and its
// DNS suffix, from the phonebook text to the typed entry.
#include "phonebook/entry_routes.hpp"

#include <gtest/gtest.h>

#include "phonebook/entry.hpp"
#include "raserror.h"

namespace openras::phonebook {
namespace {

// 172.16.0.0/12, metric 1, as a phonebook written by Windows holds it.
constexpr const char* k172 =
    "01000000020000000C000000AC1000000000000000000000000000000000000000000000";
// 192.168.0.0/16, metric 1.
constexpr const char* k192 =
    "010000000200000010000000C0A800000000000000000000000000000000000000000000";

TEST(EntryRoutes, ReadsRoutesSpreadOverSeveralLines) {
  const std::string both = std::string(k172) + k192;
  // Windows wraps the hexadecimal into lines that continue one another.
  auto parsed = entry_from_text("[Corp]\nType=2\nNumRoutes=2\nRoutes=" + both.substr(0, 100) +
                                "\nRoutes=" + both.substr(100) + "\nMEDIA=rastapi\n");
  ASSERT_TRUE(parsed.entry) << parsed.detail;
  const auto& routes = parsed.entry->routes;
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].family, EntryRoute::kIpv4);
  EXPECT_EQ(routes[0].prefix_length, 12u);
  EXPECT_EQ(routes[0].address[0], 172);
  EXPECT_EQ(routes[0].address[1], 16);
  EXPECT_EQ(routes[0].metric, 1u);
  EXPECT_EQ(routes[1].prefix_length, 16u);
  EXPECT_EQ(routes[1].address[0], 192);
  EXPECT_EQ(routes[1].address[1], 168);
}

TEST(EntryRoutes, FormatsWhatItReads) {
  auto routes = parse_entry_routes(2, std::string(k172) + k192);
  ASSERT_TRUE(routes);
  EXPECT_EQ(format_entry_routes(*routes), std::string(k172) + k192);
}

TEST(EntryRoutes, RefusesWhatDoesNotDescribeThatManyRoutes) {
  EXPECT_FALSE(parse_entry_routes(2, k172)) << "one route where two are counted";
  EXPECT_FALSE(parse_entry_routes(1, std::string(k172).replace(3, 1, "x"))) << "not hex";
  // Family 3 is neither IPv4 nor IPv6; a /40 does not fit IPv4.
  EXPECT_FALSE(parse_entry_routes(1, std::string(k172).replace(8, 2, "03")));
  EXPECT_FALSE(parse_entry_routes(1, std::string(k172).replace(16, 2, "28")));
  // A hostile count reserves nothing and fails.
  EXPECT_FALSE(parse_entry_routes(0xffffffffu, k172));
  auto bad = entry_from_text("[Corp]\nNumRoutes=3\nRoutes=" + std::string(k172) + "\n");
  EXPECT_FALSE(bad.entry);
  EXPECT_EQ(bad.error, static_cast<std::uint32_t>(ERROR_CORRUPT_PHONEBOOK));
  // No routes at all is the common case.
  auto none = entry_from_text("[Corp]\nType=2\n");
  ASSERT_TRUE(none.entry);
  EXPECT_TRUE(none.entry->routes.empty());
}

TEST(EntryRoutes, TakesOnlyADnsNameAsTheSuffix) {
  auto good = entry_from_text("[Corp]\nIpDnsSuffix=corp.example\n");
  ASSERT_TRUE(good.entry);
  EXPECT_EQ(good.entry->dns_suffix, "corp.example");
  // It reaches resolv.conf and resolvectl: nothing else is taken.
  for (const char* bad : {"corp example", "corp;rm", "-x.example", ".example"}) {
    auto parsed = entry_from_text(std::string("[Corp]\nIpDnsSuffix=") + bad + "\n");
    ASSERT_TRUE(parsed.entry) << bad;
    EXPECT_EQ(parsed.entry->dns_suffix, "") << bad;
  }
}

}  // namespace
}  // namespace openras::phonebook
