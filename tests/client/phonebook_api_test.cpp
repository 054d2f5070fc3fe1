// RasEnumEntries, RasGetEntryProperties, RasSetEntryProperties, RasValidateEntryName,
// RasRenameEntry, RasDeleteEntry on real files.
#include <fstream>
#include <sstream>

#include "client/struct_sizes.hpp"
#include "daemon_fixture.hpp"

namespace openras::testing {
namespace {

using PhonebookApiTest = DaemonTest;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(PhonebookApiTest, SetThenGetRoundTripsTheFields) {
  RASENTRYA e{};
  e.dwSize = sizeof(e);
  e.dwType = RASET_Vpn;
  e.dwVpnStrategy = VS_SstpOnly;
  e.dwfOptions = RASEO_RequireMsCHAP2 | RASEO_RemoteDefaultGateway | RASEO_SpecificNameServers;
  e.dwfNetProtocols = RASNP_Ip;
  e.ipaddrDns = {10, 0, 0, 53};
  e.dwRedialCount = 3;
  e.dwRedialPause = 60;
  snprintf(e.szLocalPhoneNumber, sizeof(e.szLocalPhoneNumber), "vpn.example.com");
  snprintf(e.szDeviceType, sizeof(e.szDeviceType), RASDT_Vpn);
  snprintf(e.szDeviceName, sizeof(e.szDeviceName), "WAN Miniport (SSTP)");
  ASSERT_EQ(RasSetEntryPropertiesA(phonebook().c_str(), "Office VPN", &e, sizeof(e), nullptr, 0),
            0u);

  RASENTRYA got{};
  got.dwSize = sizeof(got);
  DWORD cb = sizeof(got);
  ASSERT_EQ(RasGetEntryPropertiesA(phonebook().c_str(), "Office VPN", &got, &cb, nullptr, nullptr),
            0u);
  EXPECT_EQ(got.dwType, static_cast<DWORD>(RASET_Vpn));
  EXPECT_EQ(got.dwVpnStrategy, static_cast<DWORD>(VS_SstpOnly));
  EXPECT_TRUE(got.dwfOptions & RASEO_RequireMsCHAP2);
  EXPECT_TRUE(got.dwfOptions & RASEO_RemoteDefaultGateway);
  EXPECT_FALSE(got.dwfOptions & RASEO_RequirePAP);
  EXPECT_EQ(got.dwfNetProtocols, static_cast<DWORD>(RASNP_Ip));
  EXPECT_EQ(got.ipaddrDns.d, 53);
  EXPECT_EQ(got.dwRedialCount, 3u);
  EXPECT_STREQ(got.szLocalPhoneNumber, "vpn.example.com");
  EXPECT_STREQ(got.szDeviceType, "vpn");
  EXPECT_STREQ(got.szDeviceName, "WAN Miniport (SSTP)");

  std::string text = slurp(phonebook());
  EXPECT_NE(text.find("[Office VPN]\r\n"), std::string::npos);
  EXPECT_NE(text.find("AuthRestrictions=512\r\n"), std::string::npos);  // MS-CHAPv2, bit 10
  EXPECT_LT(text.find("MEDIA=rastapi"), text.find("DEVICE=vpn"));
  EXPECT_LT(text.find("Device=WAN Miniport (SSTP)"), text.find("DEVICE=vpn"));
}

TEST_F(PhonebookApiTest, AnEapEntryKeepsItsEapType) {
  RASENTRYA e{};
  e.dwSize = sizeof(e);
  e.dwType = RASET_Vpn;
  e.dwVpnStrategy = VS_SstpOnly;
  e.dwfOptions = RASEO_RequireEAP;
  e.dwCustomAuthKey = 26;  // EAP-MSCHAPv2
  snprintf(e.szLocalPhoneNumber, sizeof(e.szLocalPhoneNumber), "vpn.example.com");
  snprintf(e.szDeviceType, sizeof(e.szDeviceType), RASDT_Vpn);
  ASSERT_EQ(RasSetEntryPropertiesA(phonebook().c_str(), "Eap", &e, sizeof(e), nullptr, 0), 0u);
  RASENTRYA got{};
  got.dwSize = sizeof(got);
  DWORD cb = sizeof(got);
  ASSERT_EQ(RasGetEntryPropertiesA(phonebook().c_str(), "Eap", &got, &cb, nullptr, nullptr), 0u);
  EXPECT_TRUE(got.dwfOptions & RASEO_RequireEAP);
  EXPECT_EQ(got.dwCustomAuthKey, 26u);
  std::string text = slurp(phonebook());
  EXPECT_NE(text.find("AuthRestrictions=128\r\n"), std::string::npos);
  EXPECT_NE(text.find("CustomAuthKey=26\r\n"), std::string::npos);
}

TEST_F(PhonebookApiTest, SizesAndMissingEntries) {
  RASENTRYA e{};
  DWORD cb = 0;
  EXPECT_EQ(RasGetEntryPropertiesA(phonebook().c_str(), "x", nullptr, &cb, nullptr, nullptr),
            static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  EXPECT_EQ(cb, sizeof(RASENTRYA));
  e.dwSize = 99;
  cb = sizeof(e);
  EXPECT_EQ(RasGetEntryPropertiesA(phonebook().c_str(), "x", &e, &cb, nullptr, nullptr),
            static_cast<DWORD>(ERROR_INVALID_SIZE));
  for (auto size : client::kEntrySizes<RASENTRYA>) {
    e.dwSize = static_cast<DWORD>(size);
    cb = sizeof(e);
    EXPECT_EQ(RasGetEntryPropertiesA(phonebook().c_str(), "x", &e, &cb, nullptr, nullptr),
              static_cast<DWORD>(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY))
        << size;
  }
}

TEST_F(PhonebookApiTest, ValidateRenameDeleteAndEnumerate) {
  add_entry("Alpha", kFullScript);
  add_entry("Beta", kFullScript);
  const char* pbk = phonebook().c_str();
  std::string path = phonebook();
  EXPECT_EQ(RasValidateEntryNameA(path.c_str(), "Alpha"), static_cast<DWORD>(ERROR_ALREADY_EXISTS));
  EXPECT_EQ(RasValidateEntryNameA(path.c_str(), "Gamma"), 0u);
  EXPECT_EQ(RasValidateEntryNameA(path.c_str(), ".hidden"), static_cast<DWORD>(ERROR_INVALID_NAME));
  EXPECT_EQ(RasValidateEntryNameA(path.c_str(), "a[b]"), static_cast<DWORD>(ERROR_INVALID_NAME));
  EXPECT_EQ(RasValidateEntryNameA(path.c_str(), ""), static_cast<DWORD>(ERROR_INVALID_NAME));
  (void)pbk;
  EXPECT_EQ(RasRenameEntryA(path.c_str(), "Alpha", "Beta"),
            static_cast<DWORD>(ERROR_ALREADY_EXISTS));
  EXPECT_EQ(RasRenameEntryA(path.c_str(), "Alpha", "Gamma"), 0u);
  EXPECT_EQ(RasDeleteEntryA(path.c_str(), "Beta"), 0u);
  EXPECT_EQ(RasDeleteEntryA(path.c_str(), "Beta"),
            static_cast<DWORD>(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY));
  DWORD cb = 0, count = 0;
  ASSERT_EQ(RasEnumEntriesA(nullptr, path.c_str(), nullptr, &cb, &count),
            static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  ASSERT_EQ(count, 1u);
  std::vector<RASENTRYNAMEA> names(count);
  names[0].dwSize = sizeof(RASENTRYNAMEA);
  ASSERT_EQ(RasEnumEntriesA(nullptr, path.c_str(), names.data(), &cb, &count), 0u);
  EXPECT_STREQ(names[0].szEntryName, "Gamma");
  EXPECT_EQ(std::string(names[0].szPhonebookPath), path);
  // The renamed entry still dials: nothing but its header changed.
  auto params = params_for("Gamma");
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, path.c_str(), &params, 0, nullptr, &h), 0u);
  RasHangUpA(h);
}

TEST_F(PhonebookApiTest, ABrokenEntryDoesNotLoseTheOthers) {
  add_entry("Good", kFullScript, 1);
  {
    std::ofstream out(phonebook(), std::ios::app | std::ios::binary);
    out << "[Broken]\r\nType=3\r\nthis line has no equals sign\r\n";
  }
  add_entry("AlsoGood", kFullScript, 1);
  auto params = params_for("Broken");
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_CORRUPT_PHONEBOOK));
  for (const char* name : {"Good", "AlsoGood"}) {
    params = params_for(name);
    h = nullptr;
    EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u) << name;
    RasHangUpA(h);
  }
  // Editing another entry keeps the broken lines exactly as they were.
  EXPECT_EQ(RasRenameEntryA(phonebook().c_str(), "Good", "Renamed"), 0u);
  EXPECT_NE(slurp(phonebook()).find("this line has no equals sign\r\n"), std::string::npos);
}

TEST_F(PhonebookApiTest, NullPhonebookMeansTheDefaults) {
  {
    std::ofstream out(dir() + "/system.pbk", std::ios::binary);
    out << "[Shared]\r\nOpenRasTestScript=" << kFullScript << "\r\nOpenRasTestStepMs=1\r\n";
  }
  {
    std::ofstream out(dir() + "/user.pbk", std::ios::binary);
    out << "[Mine]\r\nOpenRasTestScript=" << kFullScript << "\r\nOpenRasTestStepMs=1\r\n";
  }
  DWORD cb = 0, count = 0;
  ASSERT_EQ(RasEnumEntriesA(nullptr, nullptr, nullptr, &cb, &count),
            static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  std::vector<RASENTRYNAMEA> names(count);
  names[0].dwSize = sizeof(RASENTRYNAMEA);
  ASSERT_EQ(RasEnumEntriesA(nullptr, nullptr, names.data(), &cb, &count), 0u);
  ASSERT_EQ(count, 2u);
  EXPECT_STREQ(names[0].szEntryName, "Mine");
  EXPECT_EQ(names[0].dwFlags, static_cast<DWORD>(REN_User));
  EXPECT_STREQ(names[1].szEntryName, "Shared");
  EXPECT_EQ(names[1].dwFlags, static_cast<DWORD>(REN_AllUsers));
  auto params = params_for("Shared");
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, nullptr, &params, 0, nullptr, &h), 0u);
  RasHangUpA(h);
}

}  // namespace
}  // namespace openras::testing

namespace openras::testing {
namespace {

TEST_F(PhonebookApiTest, CredentialsValidateTheirArguments) {
  add_entry("E", kFullScript);
  RASCREDENTIALSA c{};
  c.dwSize = 5;
  EXPECT_EQ(RasGetCredentialsA(phonebook().c_str(), "E", &c),
            static_cast<DWORD>(ERROR_INVALID_SIZE));
  EXPECT_EQ(RasGetCredentialsA(phonebook().c_str(), "E", nullptr),
            static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  c.dwSize = sizeof(c);
  EXPECT_EQ(RasGetCredentialsA(phonebook().c_str(), "Nope", &c),
            static_cast<DWORD>(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY));
  // Saved credentials stay out of the phonebook file.
  c.dwMask = RASCM_UserName | RASCM_Password;
  std::snprintf(c.szUserName, sizeof(c.szUserName), "someone");
  std::snprintf(c.szPassword, sizeof(c.szPassword), "hunter2-not-in-the-pbk");
  ASSERT_EQ(RasSetCredentialsA(phonebook().c_str(), "E", &c, FALSE), 0u);
  EXPECT_EQ(slurp(phonebook()).find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace openras::testing
