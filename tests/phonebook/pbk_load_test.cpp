// Loading phonebooks as users hand them over: with a byte-order mark, huge, or not a file at
// all (issue 18).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "phonebook/entry.hpp"
#include "phonebook/pbk_file.hpp"
#include "phonebook/store.hpp"
#include "raserror.h"

namespace openras::phonebook {
namespace {

TEST(PbkLoad, AByteOrderMarkKeepsTheFirstEntryAndIsWrittenBack) {
  std::string text = "\xEF\xBB\xBF[First]\r\nType=2\r\n\r\n[Second]\r\nType=2\r\n";
  PbkFile file = PbkFile::parse(text);
  EXPECT_TRUE(file.has_entry("First"));
  EXPECT_TRUE(file.has_entry("Second"));
  EXPECT_EQ(file.entry_names().size(), 2u);
  EXPECT_EQ(file.serialize(), text);
  EXPECT_EQ(file.get("First", "Type", Scope::Entry), "2");
}

TEST(PbkLoad, TensOfThousandsOfEntriesWithDuplicates) {
  std::string text;
  constexpr int kEntries = 40000;
  for (int i = 0; i < kEntries; ++i) {
    text += "[Entry " + std::to_string(i) + "]\r\nType=2\r\nPhoneNumber=vpn" + std::to_string(i) +
            ".example\r\n\r\n";
  }
  text += "[Entry 7]\r\nType=3\r\n";  // a duplicate: the first one counts, the name is broken
  PbkFile file = PbkFile::parse(text);
  auto names = file.entry_names();
  ASSERT_EQ(names.size(), static_cast<std::size_t>(kEntries));
  EXPECT_EQ(names[12345], "Entry 12345");
  EXPECT_EQ(file.get("Entry 39999", "PhoneNumber", Scope::Entry), "vpn39999.example");
  EXPECT_EQ(file.get("Entry 7", "Type", Scope::Entry), "2");
  EXPECT_TRUE(file.entry_is_broken("Entry 7"));
  EXPECT_FALSE(file.entry_is_broken("Entry 8"));
}

TEST(PbkLoad, ACopyOutlivesItsOriginal) {
  auto original = std::make_unique<PbkFile>(
      PbkFile::parse("[A very long entry name past any small-string buffer]\r\nType=2\r\n"
                     "[B]\r\nType=3\r\n[B]\r\nType=4\r\n"));
  PbkFile copy = *original;
  PbkFile assigned;
  assigned = *original;
  original.reset();
  for (const PbkFile* f : {&copy, &assigned}) {
    EXPECT_EQ(f->get("A very long entry name past any small-string buffer", "Type", Scope::Entry),
              "2");
    EXPECT_EQ(f->get("B", "Type", Scope::Entry), "3");
    EXPECT_TRUE(f->entry_is_broken("B"));
    EXPECT_EQ(f->entry_names().size(), 2u);
  }
}

TEST(PbkLoad, ValuesOutOfRangeMakeTheEntryCorruptWhenItIsRead) {
  for (const char* bad :
       {"OpenRasSstpHelloSeconds=0", "OpenRasLcpEchoSeconds=ten", "VpnStrategy=15", "Type=0",
        "RedialSeconds=-1", "OpenRasLcpEchoFailures=4294967296"}) {
    PbkFile file =
        PbkFile::parse(std::string("[Vpn]\r\n") + bad + "\r\nMEDIA=rastapi\r\nPort=VPN2-0\r\n");
    auto parsed = entry_from_pbk(file, "Vpn");
    EXPECT_FALSE(parsed.entry) << bad;
    EXPECT_EQ(parsed.error, static_cast<std::uint32_t>(ERROR_CORRUPT_PHONEBOOK)) << bad;
    std::string key(bad, std::string_view(bad).find('='));
    EXPECT_NE(parsed.detail.find(key), std::string::npos) << parsed.detail;
  }
  PbkFile fine =
      PbkFile::parse("[Vpn]\r\nType=2\r\nOpenRasSstpHelloSeconds=1\r\nVpnStrategy=14\r\n");
  EXPECT_TRUE(entry_from_pbk(fine, "Vpn").entry);
}

class PbkLoadFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/openras-pbkload-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(PbkLoadFiles, DevicesAndFifosAreNotPhonebooks) {
  LoadedPhonebook out;
  EXPECT_EQ(load_phonebook("/dev/zero", true, out),
            static_cast<std::uint32_t>(ERROR_CANNOT_OPEN_PHONEBOOK));
  std::string fifo = dir_ + "/fifo.pbk";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // Nobody writes to it: a reader that opened it blocking would hang here.
  EXPECT_EQ(load_phonebook(fifo, true, out),
            static_cast<std::uint32_t>(ERROR_CANNOT_OPEN_PHONEBOOK));
  EXPECT_EQ(load_phonebook(dir_, true, out),
            static_cast<std::uint32_t>(ERROR_CANNOT_OPEN_PHONEBOOK));
}

TEST_F(PbkLoadFiles, AFileBeyondTheLimitIsRefusedWithoutBeingRead) {
  std::string big = dir_ + "/big.pbk";
  { std::ofstream(big) << "[A]\r\nType=2\r\n"; }
  std::filesystem::resize_file(big, kMaxPhonebookBytes + 1);  // sparse: costs no disk
  LoadedPhonebook out;
  EXPECT_EQ(load_phonebook(big, true, out),
            static_cast<std::uint32_t>(ERROR_CANNOT_LOAD_PHONEBOOK));
  std::filesystem::resize_file(big, 13);
  EXPECT_EQ(load_phonebook(big, true, out), 0u);
  EXPECT_TRUE(out.file.has_entry("A"));
}

}  // namespace
}  // namespace openras::phonebook
