#include "cli/rasdial_args.hpp"

#include <gtest/gtest.h>

namespace openras::cli {
namespace {

TEST(RasdialArgs, WindowsSyntax) {
  auto r = parse_rasdial_args({"Office", "alice", "*", "/PHONEBOOK:/tmp/x.pbk", "/phone:555"});
  ASSERT_TRUE(r.args);
  EXPECT_EQ(r.args->action, Action::Dial);
  EXPECT_EQ(r.args->entry, "Office");
  EXPECT_EQ(r.args->user, "alice");
  EXPECT_EQ(r.args->password, "*");
  EXPECT_EQ(r.args->phonebook, "/tmp/x.pbk");
  EXPECT_EQ(r.args->phone, "555");
}

TEST(RasdialArgs, DisconnectAndListAndAbbreviations) {
  auto r = parse_rasdial_args({"Office", "/DISCONNECT"});
  ASSERT_TRUE(r.args);
  EXPECT_EQ(r.args->action, Action::Disconnect);
  EXPECT_EQ(r.args->entry, "Office");
  r = parse_rasdial_args({"/d"});
  ASSERT_TRUE(r.args);
  EXPECT_EQ(r.args->action, Action::Disconnect);
  r = parse_rasdial_args({});
  ASSERT_TRUE(r.args);
  EXPECT_EQ(r.args->action, Action::List);
  r = parse_rasdial_args({"--json"});
  ASSERT_TRUE(r.args);
  EXPECT_TRUE(r.args->json);
  r = parse_rasdial_args({"E", "/DOMAIN:corp"});
  ASSERT_TRUE(r.args);
  EXPECT_EQ(r.args->domain, "corp");
}

TEST(RasdialArgs, RefusesWhatItDoesNotKnow) {
  EXPECT_FALSE(parse_rasdial_args({"/BOGUS"}).args);
  EXPECT_FALSE(parse_rasdial_args({"--bogus"}).args);
  EXPECT_FALSE(parse_rasdial_args({"a", "b", "c", "d"}).args);
  EXPECT_FALSE(parse_rasdial_args({"a", "b", "/DISCONNECT"}).args);
}

}  // namespace
}  // namespace openras::cli
