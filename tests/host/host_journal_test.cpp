// The host journal: what one instance records, the next one gets back, and nothing more.
#include "host/host_journal.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

namespace openras::host {
namespace {

class HostJournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/openras-journal-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/host-journal";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_, path_;
};

HookInfo link(const std::string& ifname) {
  HookInfo info;
  info.ifname = ifname;
  info.device = "slirp";
  info.speed = 115200;
  info.local = "10.0.2.15";
  info.remote = "10.64.64.64";
  info.link_name = "Office VPN";
  info.dns1 = "10.0.2.3";
  return info;
}

TEST_F(HostJournalTest, WhatIsStillInPlaceComesBackToTheNextInstance) {
  {
    HostJournal journal;
    Leftovers none;
    ASSERT_TRUE(journal.open(path_, none));
    EXPECT_TRUE(none.routes.empty() && none.resolv_blocks.empty() && none.links_up.empty());
    journal.route_added(0x0AC90002, {3, 0x0A000001, false});
    journal.route_added(0x0AC90003, {3, 0, false});
    journal.route_removed(0x0AC90003);
    journal.resolv_block_added(41, "/etc/resolv.conf");
    journal.resolv_block_added(42, "/etc/resolv.conf");
    journal.resolv_block_removed(41);
    journal.link_up(42, link("Office"));
    journal.link_up(43, link("ras0"));
    journal.link_down(43);
  }  // the process dies here, without undoing anything
  auto next = std::make_unique<HostJournal>();
  Leftovers left;
  ASSERT_TRUE(next->open(path_, left));
  EXPECT_TRUE(left.same_boot);
  ASSERT_EQ(left.routes.size(), 1u);
  EXPECT_EQ(left.routes[0].destination, 0x0AC90002u);
  EXPECT_EQ(left.routes[0].via.ifindex, 3u);
  EXPECT_EQ(left.routes[0].via.gateway, 0x0A000001u);
  ASSERT_EQ(left.resolv_blocks.size(), 1u);
  EXPECT_EQ(left.resolv_blocks[0].handle, 42u);
  ASSERT_EQ(left.links_up.size(), 1u);
  EXPECT_EQ(left.links_up[0].ifname, "Office");
  EXPECT_EQ(left.links_up[0].link_name, "Office VPN");  // a name with a space survives
  EXPECT_EQ(left.links_up[0].speed, 115200u);
  // Taken over: a third instance finds nothing the second did not record itself.
  next = std::make_unique<HostJournal>();
  Leftovers third;
  ASSERT_TRUE(next->open(path_, third));
  EXPECT_TRUE(third.routes.empty() && third.resolv_blocks.empty() && third.links_up.empty());
}

TEST_F(HostJournalTest, ALiveInstanceKeepsItsJournal) {
  HostJournal first;
  Leftovers left;
  ASSERT_TRUE(first.open(path_, left));
  first.route_added(1, {2, 3, false});
  HostJournal second;
  EXPECT_FALSE(second.open(path_, left));
  second.route_added(9, {9, 9, false});  // records nothing
  first.route_removed(1);
}

TEST_F(HostJournalTest, AnotherBootsRecordsAreNotTheKernelsAnyMore) {
  std::ofstream(path_) << "boot\tsome-other-boot\n+route\t1\t2\t3\n+resolv\t7\t/x/resolv.conf\n";
  HostJournal journal;
  Leftovers left;
  ASSERT_TRUE(journal.open(path_, left));
  EXPECT_FALSE(left.same_boot);  // the caller then undoes only the resolv.conf blocks
  EXPECT_EQ(left.routes.size(), 1u);
  EXPECT_EQ(left.resolv_blocks.size(), 1u);
}

TEST_F(HostJournalTest, TornAndForeignLinesAreIgnored) {
  std::ofstream(path_) << "boot\t" << current_boot_id()
                       << "\n+route\t1\t2\n+frobnicate\t1\nnonsense\n\n+up\t5\tras0\n+resolv\t7";
  HostJournal journal;
  Leftovers left;
  ASSERT_TRUE(journal.open(path_, left));
  EXPECT_TRUE(left.routes.empty());
  EXPECT_TRUE(left.links_up.empty());
  EXPECT_TRUE(left.resolv_blocks.empty());  // cut before its path
}

TEST_F(HostJournalTest, TheFileStaysTheSizeOfWhatIsLive) {
  auto journal = std::make_unique<HostJournal>();
  Leftovers left;
  ASSERT_TRUE(journal->open(path_, left));
  journal->resolv_block_added(1, "/etc/resolv.conf");
  for (std::uint32_t i = 0; i < 20000; ++i) {
    journal->route_added(1000 + i, {2, 3, false});
    journal->route_removed(1000 + i);
  }
  EXPECT_LT(std::filesystem::file_size(path_), 64u * 1024) << "the journal grew without bound";
  journal.reset();
  HostJournal after;
  ASSERT_TRUE(after.open(path_, left));
  EXPECT_TRUE(left.routes.empty());
  EXPECT_EQ(left.resolv_blocks.size(), 1u);
}

}  // namespace
}  // namespace openras::host
