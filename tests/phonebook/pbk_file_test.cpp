#include "phonebook/pbk_file.hpp"

#include <gtest/gtest.h>

#include "phonebook/entry.hpp"
#include "raserror.h"

namespace openras::phonebook {
namespace {

// Shaped like a file Windows writes: CRLF, full key order, NETCOMPONENTS / MEDIA / DEVICE
// subsections, blank line between entries, plus a comment and a key Windows does not know.
const char* kWindowsFile =
    "[Office VPN]\r\n"
    "Encoding=1\r\n"
    "PBVersion=4\r\n"
    "Type=2\r\n"
    "AutoLogon=0\r\n"
    "UseRasCredentials=1\r\n"
    "BaseProtocol=1\r\n"
    "VpnStrategy=5\r\n"
    "ExcludedProtocols=8\r\n"
    "LcpExtensions=1\r\n"
    "DataEncryption=256\r\n"
    "RedialAttempts=3\r\n"
    "RedialSeconds=60\r\n"
    "IdleDisconnectSeconds=0\r\n"
    "AuthRestrictions=512\r\n"
    "IpPrioritizeRemote=1\r\n"
    "IpAddress=0.0.0.0\r\n"
    "IpDnsAddress=0.0.0.0\r\n"
    "; a comment someone added\r\n"
    "FutureKey=keep me\r\n"
    "\r\n"
    "NETCOMPONENTS=\r\n"
    "ms_server=1\r\n"
    "ms_msclient=1\r\n"
    "\r\n"
    "MEDIA=rastapi\r\n"
    "Port=VPN2-0\r\n"
    "Device=WAN Miniport (SSTP)\r\n"
    "\r\n"
    "DEVICE=vpn\r\n"
    "PhoneNumber=vpn.example.com\r\n"
    "AreaCode=\r\n"
    "CountryCode=0\r\n"
    "CountryID=0\r\n"
    "UseDialingRules=0\r\n"
    "Comment=\r\n"
    "LastSelectedPhone=0\r\n"
    "PromoteAlternates=0\r\n"
    "TryNextAlternateOnFail=1\r\n"
    "\r\n"
    "[Dial-up]\r\n"
    "Encoding=1\r\n"
    "Type=1\r\n"
    "MEDIA=serial\r\n"
    "Port=COM1\r\n"
    "Device=Standard 56000 bps Modem\r\n"
    "DEVICE=modem\r\n"
    "PhoneNumber=5551234\r\n";

TEST(PbkFile, RoundTripIsByteForByte) {
  auto file = PbkFile::parse(kWindowsFile);
  EXPECT_EQ(file.serialize(), kWindowsFile);
  EXPECT_TRUE(file.diagnostics().empty());
  EXPECT_EQ(file.entry_names(), (std::vector<std::string>{"Office VPN", "Dial-up"}));
}

TEST(PbkFile, KeysAreCaseSensitiveAndScoped) {
  auto file = PbkFile::parse(kWindowsFile);
  EXPECT_EQ(file.get("Office VPN", "Device", Scope::Media), "WAN Miniport (SSTP)");
  EXPECT_EQ(file.get("Office VPN", "DEVICE", Scope::Device), "vpn");
  EXPECT_EQ(file.get("Office VPN", "Port", Scope::Media), "VPN2-0");
  EXPECT_EQ(file.get("Office VPN", "PhoneNumber", Scope::Device), "vpn.example.com");
  EXPECT_EQ(file.get("Office VPN", "VpnStrategy"), "5");
  EXPECT_FALSE(file.get("Office VPN", "PhoneNumber"));  // not an entry-scope key
  EXPECT_FALSE(file.get("Office VPN", "ms_server"));    // NETCOMPONENTS belongs to no scope
  EXPECT_EQ(file.get("Dial-up", "PhoneNumber", Scope::Device), "5551234");
}

TEST(PbkFile, ChangingAValueChangesOnlyThatLine) {
  auto file = PbkFile::parse(kWindowsFile);
  file.set("Office VPN", "VpnStrategy", "6");
  file.set("Office VPN", "PhoneNumber", "other.example.com", Scope::Device);
  std::string expected = kWindowsFile;
  expected.replace(expected.find("VpnStrategy=5"), 13, "VpnStrategy=6");
  expected.replace(expected.find("PhoneNumber=vpn.example.com"), 27,
                   "PhoneNumber=other.example.com");
  EXPECT_EQ(file.serialize(), expected);
}

TEST(PbkFile, NewKeysGoWhereWindowsPutsThem) {
  auto file = PbkFile::parse(kWindowsFile);
  file.set("Dial-up", "RedialAttempts", "2");
  file.set("Dial-up", "Comment", "hi", Scope::Device);
  std::string out = file.serialize();
  auto section = out.substr(out.find("[Dial-up]"));
  EXPECT_LT(section.find("RedialAttempts=2\r\n"), section.find("MEDIA=serial"));
  EXPECT_GT(section.find("Comment=hi\r\n"), section.find("DEVICE=modem"));
  EXPECT_EQ(file.get("Dial-up", "RedialAttempts"), "2");
}

TEST(PbkFile, AMinimalHandWrittenEntryParses) {
  auto file = PbkFile::parse(
      "[VPN]\nMEDIA=rastapi\nPort=VPN2-0\nDevice=WAN Miniport (IKEv2)\nDEVICE=vpn\n"
      "PhoneNumber=vpn.example.com\n");
  EXPECT_TRUE(file.diagnostics().empty());
  auto parsed = entry_from_pbk(file, "VPN");
  ASSERT_TRUE(parsed.entry);
  EXPECT_EQ(parsed.entry->device_type, "vpn");
  EXPECT_EQ(parsed.entry->device_name, "WAN Miniport (IKEv2)");
  EXPECT_EQ(parsed.entry->phone_number, "vpn.example.com");
  EXPECT_EQ(file.serialize().find("\r\n"), std::string::npos);  // LF stays LF
}

TEST(PbkFile, BrokenLinesAreNamedAndTheOtherEntriesSurvive) {
  std::string text =
      "stray=1\r\n"
      "[Good]\r\nType=1\r\n"
      "[Bad]\r\nType=1\r\nno equals here\r\n"
      "[Unclosed\r\n"
      "[Good]\r\nType=2\r\n";
  auto file = PbkFile::parse(text);
  ASSERT_EQ(file.diagnostics().size(), 4u);
  EXPECT_EQ(file.diagnostics()[0].line, 1u);
  EXPECT_EQ(file.diagnostics()[0].message, "key outside any entry");
  EXPECT_EQ(file.diagnostics()[1].line, 6u);
  EXPECT_EQ(file.diagnostics()[1].entry, "Bad");
  EXPECT_EQ(file.diagnostics()[2].line, 7u);
  EXPECT_EQ(file.diagnostics()[3].message, "duplicate entry name 'Good'");
  EXPECT_TRUE(file.entry_is_broken("Bad"));
  auto good = entry_from_pbk(file, "Good");
  EXPECT_EQ(good.error, static_cast<std::uint32_t>(ERROR_CORRUPT_PHONEBOOK));  // duplicated
  auto bad = entry_from_pbk(file, "Bad");
  EXPECT_EQ(bad.error, static_cast<std::uint32_t>(ERROR_CORRUPT_PHONEBOOK));
  EXPECT_EQ(bad.detail, "line 6: line is not Key=Value");
  EXPECT_EQ(file.serialize(), text);
}

TEST(PbkFile, AddRemoveRename) {
  auto file = PbkFile::parse(kWindowsFile);
  file.set("New", "Type", "3");
  file.set("New", "MEDIA", "serial", Scope::Media);
  file.set("New", "Port", "/dev/ttyS0", Scope::Media);
  file.set("New", "DEVICE", "modem", Scope::Device);
  file.set("New", "PhoneNumber", "1", Scope::Device);
  EXPECT_EQ(*file.entry_text("New"),
            "[New]\r\nType=3\r\nMEDIA=serial\r\nPort=/dev/ttyS0\r\nDEVICE=modem\r\n"
            "PhoneNumber=1\r\n");
  EXPECT_TRUE(file.rename_entry("New", "Newer"));
  EXPECT_FALSE(file.rename_entry("Newer", "Dial-up"));
  EXPECT_TRUE(file.remove_entry("Newer"));
  EXPECT_FALSE(file.has_entry("Newer"));
  EXPECT_TRUE(file.has_entry("Dial-up"));
}

TEST(PbkFile, EntryNameRules) {
  EXPECT_TRUE(is_valid_entry_name("Office VPN"));
  EXPECT_FALSE(is_valid_entry_name(""));
  EXPECT_FALSE(is_valid_entry_name("   "));
  EXPECT_FALSE(is_valid_entry_name(".dot"));
  EXPECT_FALSE(is_valid_entry_name("a]b"));
  EXPECT_FALSE(is_valid_entry_name(std::string(257, 'x')));
  EXPECT_TRUE(is_valid_entry_name(std::string(256, 'x')));
}

TEST(EntryModel, TypedFields) {
  auto file = PbkFile::parse(kWindowsFile);
  auto parsed = entry_from_pbk(file, "Office VPN");
  ASSERT_TRUE(parsed.entry);
  const Entry& e = *parsed.entry;
  EXPECT_EQ(e.type, 2u);
  EXPECT_EQ(e.vpn_strategy, 5u);
  EXPECT_EQ(e.redial_attempts, 3u);
  EXPECT_EQ(e.redial_seconds, 60u);
  EXPECT_EQ(e.auth_restrictions, static_cast<std::uint32_t>(kAuthMsChapV2));
  EXPECT_EQ(e.port, "VPN2-0");
  EXPECT_EQ(e.key("FutureKey"), "keep me");
  EXPECT_FALSE(e.key("ms_server"));
  auto again = entry_from_text(*file.entry_text("Office VPN"));
  ASSERT_TRUE(again.entry);
  EXPECT_EQ(again.entry->phone_number, "vpn.example.com");
}

}  // namespace
}  // namespace openras::phonebook
