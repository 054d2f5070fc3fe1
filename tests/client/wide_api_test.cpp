// The W (wide) API and the functions of ras.h beyond the dial core, written from the Win32
// documentation of their parameters and errors: sizing, historical dwSize values of the W
// structures, NULL pointers, names at the length limit in wide characters with non-ASCII text,
// and the pre-shared key, EAP and custom-auth stores. Against a real rasmand.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "client/struct_sizes.hpp"
#include "daemon_fixture.hpp"

namespace openras::testing {
namespace {

using WideApiTest = DaemonTest;

std::wstring wide(const std::string& utf8) {
  std::wstring out;
  for (std::size_t i = 0; i < utf8.size();) {
    auto b = static_cast<unsigned char>(utf8[i]);
    std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    std::uint32_t c = len == 1 ? b : b & (0xFF >> (len + 1));
    for (std::size_t k = 1; k < len; ++k) c = (c << 6) | (utf8[i + k] & 0x3F);
    out += static_cast<wchar_t>(c);
    i += len;
  }
  return out;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(WideApiTest, EveryHistoricalSizeOfTheWDialParamsIsAcceptedAndNoOther) {
  const std::wstring book = wide(phonebook());
  for (auto size : client::kDialParamsSizes<RASDIALPARAMSW>) {
    RASDIALPARAMSW p{};
    p.dwSize = static_cast<DWORD>(size);
    wcscpy(p.szEntryName, L"Missing");
    HRASCONN h = nullptr;
    EXPECT_EQ(RasDialW(nullptr, book.c_str(), &p, 0, nullptr, &h),
              static_cast<DWORD>(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY))
        << size;
  }
  // The A form's sizes are not W sizes.
  RASDIALPARAMSW p{};
  p.dwSize = sizeof(RASDIALPARAMSA);
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialW(nullptr, book.c_str(), &p, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_INVALID_SIZE));
  EXPECT_EQ(RasDialW(nullptr, book.c_str(), nullptr, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_INVALID_PARAMETER));
}

TEST_F(WideApiTest, AnEntryNamedWithTwoHundredFiftySixNonAsciiCharactersRoundTrips) {
  std::wstring name;
  while (name.size() < RAS_MaxEntryName) name += L"Ж東";
  name.resize(RAS_MaxEntryName);  // 256 characters, 640 octets of UTF-8
  const std::wstring book = wide(phonebook());
  RASENTRYW entry{};
  entry.dwSize = sizeof(entry);
  entry.dwType = RASET_Vpn;
  entry.dwVpnStrategy = VS_SstpOnly;
  entry.dwfOptions2 = RASEO2_UsePreSharedKey | RASEO2_DisableMobility | RASEO2_IsAlwaysOn;
  entry.dwNetworkOutageTime = 1800;
  wcscpy(entry.szDeviceType, L"vpn");
  wcscpy(entry.szDeviceName, L"WAN Miniport (SSTP)");
  wcscpy(entry.szLocalPhoneNumber, L"vpn.пример.example");
  wcscpy(entry.szIDr, L"сервер");
  ASSERT_EQ(RasSetEntryPropertiesW(book.c_str(), name.c_str(), &entry, sizeof(entry), nullptr, 0),
            0u);

  RASENTRYNAMEW names[4]{};
  names[0].dwSize = sizeof(RASENTRYNAMEW);
  DWORD cb = sizeof(names), count = 0;
  ASSERT_EQ(RasEnumEntriesW(nullptr, book.c_str(), names, &cb, &count), 0u);
  ASSERT_EQ(count, 1u);
  EXPECT_EQ(std::wstring(names[0].szEntryName), name);

  RASENTRYW back{};
  back.dwSize = sizeof(back);
  DWORD size = sizeof(back);
  ASSERT_EQ(RasGetEntryPropertiesW(book.c_str(), name.c_str(), &back, &size, nullptr, nullptr), 0u);
  EXPECT_EQ(std::wstring(back.szLocalPhoneNumber), L"vpn.пример.example");
  EXPECT_EQ(std::wstring(back.szDeviceName), L"WAN Miniport (SSTP)");
  EXPECT_EQ(std::wstring(back.szIDr), L"сервер");
  EXPECT_EQ(back.dwfOptions2, entry.dwfOptions2);
  EXPECT_EQ(back.dwNetworkOutageTime, 1800u);
  EXPECT_EQ(back.dwVpnStrategy, static_cast<DWORD>(VS_SstpOnly));

  // One character more is no valid name.
  std::wstring too_long = name + L"x";
  EXPECT_EQ(
      RasSetEntryPropertiesW(book.c_str(), too_long.c_str(), &entry, sizeof(entry), nullptr, 0),
      static_cast<DWORD>(ERROR_INVALID_NAME));
  EXPECT_EQ(RasValidateEntryNameW(book.c_str(), too_long.c_str()),
            static_cast<DWORD>(ERROR_INVALID_NAME));
  EXPECT_EQ(RasValidateEntryNameW(book.c_str(), name.c_str()),
            static_cast<DWORD>(ERROR_ALREADY_EXISTS));
  // A wide string holding no Unicode character (a lone surrogate) is refused, not mangled.
  const wchar_t bad[] = {L'A', static_cast<wchar_t>(0xD800), 0};
  EXPECT_EQ(RasDeleteEntryW(book.c_str(), bad), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  ASSERT_EQ(RasRenameEntryW(book.c_str(), name.c_str(), L"Короче"), 0u);
  EXPECT_EQ(RasDeleteEntryW(book.c_str(), L"Короче"), 0u);
}

TEST_F(WideApiTest, ErrorStringsAreTheSameTextInBothWidths) {
  CHAR narrow[512];
  WCHAR wide_text[512];
  ASSERT_EQ(RasGetErrorStringA(ERROR_AUTHENTICATION_FAILURE, narrow, 512), 0u);
  ASSERT_EQ(RasGetErrorStringW(ERROR_AUTHENTICATION_FAILURE, wide_text, 512), 0u);
  EXPECT_EQ(std::wstring(wide_text), wide(narrow));
  const DWORD length = static_cast<DWORD>(wcslen(wide_text));
  EXPECT_EQ(RasGetErrorStringW(ERROR_AUTHENTICATION_FAILURE, wide_text, length),
            static_cast<DWORD>(ERROR_INSUFFICIENT_BUFFER));
  EXPECT_EQ(RasGetErrorStringW(ERROR_AUTHENTICATION_FAILURE, wide_text, length + 1), 0u);
  EXPECT_EQ(RasGetErrorStringW(ERROR_AUTHENTICATION_FAILURE, nullptr, 512),
            static_cast<DWORD>(ERROR_INVALID_PARAMETER));
}

TEST_F(WideApiTest, APreSharedKeyIsStoredLikeAPasswordAndNeverHandedBack) {
  add_entry("Office", kFullScript);
  const std::wstring book = wide(phonebook());
  RASCREDENTIALSW creds{};
  creds.dwSize = sizeof(creds);
  creds.dwMask = RASCM_PreSharedKey;
  wcscpy(creds.szPassword, L"ключ-psk-7Q");
  ASSERT_EQ(RasSetCredentialsW(book.c_str(), L"Office", &creds, FALSE), 0u);

  RASCREDENTIALSW back{};
  back.dwSize = sizeof(back);
  back.dwMask = RASCM_PreSharedKey;
  ASSERT_EQ(RasGetCredentialsW(book.c_str(), L"Office", &back), 0u);
  EXPECT_EQ(back.dwMask, static_cast<DWORD>(RASCM_PreSharedKey));
  EXPECT_EQ(std::wstring(back.szPassword), L"" OPENRAS_SAVED_PASSWORD);
  // The key does not make a password: the user credentials are unchanged.
  RASCREDENTIALSA user{};
  user.dwSize = sizeof(user);
  ASSERT_EQ(RasGetCredentialsA(phonebook().c_str(), "Office", &user), 0u);
  EXPECT_EQ(user.dwMask & RASCM_Password, 0u);
  // Never in the phonebook.
  EXPECT_EQ(file_text(phonebook()).find("psk"), std::string::npos);
  // One secret a call; server keys are a server's.
  creds.dwMask = RASCM_PreSharedKey | RASCM_Password;
  EXPECT_EQ(RasSetCredentialsW(book.c_str(), L"Office", &creds, FALSE),
            static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  creds.dwMask = RASCM_ServerPreSharedKey;
  EXPECT_EQ(RasSetCredentialsW(book.c_str(), L"Office", &creds, FALSE),
            static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  // Cleared, it is gone.
  creds.dwMask = RASCM_PreSharedKey;
  ASSERT_EQ(RasSetCredentialsW(book.c_str(), L"Office", &creds, TRUE), 0u);
  back.dwMask = RASCM_PreSharedKey;
  ASSERT_EQ(RasGetCredentialsW(book.c_str(), L"Office", &back), 0u);
  EXPECT_EQ(back.dwMask, 0u);
  creds.dwSize = sizeof(RASCREDENTIALSA);
  EXPECT_EQ(RasSetCredentialsW(book.c_str(), L"Office", &creds, FALSE),
            static_cast<DWORD>(ERROR_INVALID_SIZE));
}

TEST_F(WideApiTest, EapUserDataAndCustomAuthDataRoundTripWithTheSizingDance) {
  add_entry("Eap", kFullScript, 2, "AuthRestrictions=128\nCustomAuthKey=26");
  std::vector<BYTE> blob = {0x00, 0x01, 0x0A, 0x5C, 0xFF, 0x0D};
  ASSERT_EQ(RasSetEapUserDataA(nullptr, phonebook().c_str(), "Eap", blob.data(),
                               static_cast<DWORD>(blob.size())),
            0u);
  DWORD size = 0;
  EXPECT_EQ(RasGetEapUserDataW(nullptr, wide(phonebook()).c_str(), L"Eap", nullptr, &size),
            static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  ASSERT_EQ(size, blob.size());
  std::vector<BYTE> back(size);
  ASSERT_EQ(RasGetEapUserDataW(nullptr, wide(phonebook()).c_str(), L"Eap", back.data(), &size), 0u);
  EXPECT_EQ(back, blob);
  EXPECT_EQ(RasGetEapUserDataA(reinterpret_cast<HANDLE>(1), phonebook().c_str(), "Eap", back.data(),
                               &size),
            static_cast<DWORD>(ERROR_INVALID_HANDLE));

  std::vector<BYTE> auth = {0xDE, 0xAD, 0xBE, 0xEF};
  ASSERT_EQ(RasSetCustomAuthDataW(wide(phonebook()).c_str(), L"Eap", auth.data(),
                                  static_cast<DWORD>(auth.size())),
            0u);
  EXPECT_NE(file_text(phonebook()).find("CustomAuthData=DEADBEEF"), std::string::npos);
  size = 1;
  std::vector<BYTE> got(8);
  EXPECT_EQ(RasGetCustomAuthDataA(phonebook().c_str(), "Eap", got.data(), &size),
            static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  EXPECT_EQ(size, 4u);
  ASSERT_EQ(RasGetCustomAuthDataA(phonebook().c_str(), "Eap", got.data(), &size), 0u);
  got.resize(size);
  EXPECT_EQ(got, auth);
  EXPECT_EQ(RasGetCustomAuthDataA(phonebook().c_str(), "Missing", got.data(), &size),
            static_cast<DWORD>(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY));
}

TEST_F(WideApiTest, EapUserIdentityComesFromTheSavedCredentials) {
  add_entry("Eap", kFullScript, 2, "AuthRestrictions=128\nCustomAuthKey=26");
  add_entry("Plain", kFullScript);
  LPRASEAPUSERIDENTITYW identity = nullptr;
  const std::wstring book = wide(phonebook());
  EXPECT_EQ(
      RasGetEapUserIdentityW(book.c_str(), L"Plain", RASEAPF_NonInteractive, nullptr, &identity),
      static_cast<DWORD>(ERROR_INVALID_FUNCTION_FOR_ENTRY));
  EXPECT_EQ(
      RasGetEapUserIdentityW(book.c_str(), L"Eap", RASEAPF_NonInteractive, nullptr, &identity),
      static_cast<DWORD>(ERROR_INTERACTIVE_MODE));
  RASCREDENTIALSW creds{};
  creds.dwSize = sizeof(creds);
  creds.dwMask = RASCM_UserName | RASCM_Password | RASCM_Domain;
  wcscpy(creds.szUserName, L"алиса");
  wcscpy(creds.szPassword, L"secret");
  wcscpy(creds.szDomain, L"CORP");
  ASSERT_EQ(RasSetCredentialsW(book.c_str(), L"Eap", &creds, FALSE), 0u);
  ASSERT_EQ(
      RasGetEapUserIdentityW(book.c_str(), L"Eap", RASEAPF_NonInteractive, nullptr, &identity), 0u);
  ASSERT_NE(identity, nullptr);
  EXPECT_EQ(std::wstring(identity->szUserName), L"CORP\\алиса");
  RasFreeEapUserIdentityW(identity);
}

TEST_F(WideApiTest, EnumDevicesFollowsWindowsSizingRules) {
  DWORD cb = 0, count = 0;
  EXPECT_EQ(RasEnumDevicesA(nullptr, &cb, &count), static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  ASSERT_GE(count, 2u);
  EXPECT_EQ(cb, count * sizeof(RASDEVINFOA));
  EXPECT_EQ(RasEnumDevicesA(nullptr, nullptr, &count), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(RasEnumDevicesA(nullptr, &cb, nullptr), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  std::vector<RASDEVINFOW> devices(count);
  for (DWORD bad :
       {0u, static_cast<DWORD>(sizeof(RASDEVINFOW) - 1),
        static_cast<DWORD>(sizeof(RASDEVINFOW) + 1), static_cast<DWORD>(sizeof(RASDEVINFOA))}) {
    devices[0].dwSize = bad;
    DWORD big = count * sizeof(RASDEVINFOW);
    EXPECT_EQ(RasEnumDevicesW(devices.data(), &big, &count), static_cast<DWORD>(ERROR_INVALID_SIZE))
        << bad;
  }
  devices[0].dwSize = sizeof(RASDEVINFOW);
  DWORD small = sizeof(RASDEVINFOW);
  EXPECT_EQ(RasEnumDevicesW(devices.data(), &small, &count),
            static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  cb = count * sizeof(RASDEVINFOW) + 1;
  ASSERT_EQ(RasEnumDevicesW(devices.data(), &cb, &count), 0u);
  std::vector<std::wstring> miniports;
  for (const auto& d : devices) {
    if (std::wstring(d.szDeviceType) == L"vpn") miniports.emplace_back(d.szDeviceName);
  }
  EXPECT_EQ(miniports, (std::vector<std::wstring>{L"WAN Miniport (SSTP)", L"WAN Miniport (L2TP)"}));
}

TEST_F(WideApiTest, CountryInfoIsAChainWithNamesAfterTheStructure) {
  std::vector<BYTE> buffer(512);
  auto* info = reinterpret_cast<RASCTRYINFO*>(buffer.data());
  info->dwSize = sizeof(RASCTRYINFO);
  info->dwCountryID = 49;
  DWORD size = sizeof(RASCTRYINFO);
  EXPECT_EQ(RasGetCountryInfoW(info, &size), static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  EXPECT_EQ(size, sizeof(RASCTRYINFO) + (wcslen(L"Germany") + 1) * sizeof(WCHAR));
  ASSERT_EQ(RasGetCountryInfoW(info, &size), 0u);
  EXPECT_EQ(info->dwCountryCode, 49u);
  EXPECT_EQ(std::wstring(reinterpret_cast<const WCHAR*>(buffer.data() + info->dwCountryNameOffset)),
            L"Germany");
  // Walk the whole chain from the first country with the A form.
  int seen = 0;
  for (DWORD id = 1; id != 0 && seen < 1000; ++seen) {
    info->dwSize = sizeof(RASCTRYINFO);
    info->dwCountryID = id;
    size = static_cast<DWORD>(buffer.size());
    ASSERT_EQ(RasGetCountryInfoA(info, &size), 0u) << id;
    EXPECT_GT(strlen(reinterpret_cast<const char*>(buffer.data() + info->dwCountryNameOffset)), 0u);
    id = info->dwNextCountryID;
  }
  EXPECT_GT(seen, 40);
  info->dwCountryID = 99999;
  size = static_cast<DWORD>(buffer.size());
  EXPECT_EQ(RasGetCountryInfoA(info, &size), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  info->dwSize = 0;
  EXPECT_EQ(RasGetCountryInfoA(info, &size), static_cast<DWORD>(ERROR_INVALID_SIZE));
}

TEST_F(WideApiTest, TheOneSubEntryIsTheEntrysOwnLink) {
  add_entry("Line", kFullScript);
  RASSUBENTRYW sub{};
  sub.dwSize = sizeof(sub);
  DWORD cb = sizeof(sub);
  const std::wstring book = wide(phonebook());
  ASSERT_EQ(RasGetSubEntryPropertiesW(book.c_str(), L"Line", 1, &sub, &cb, nullptr, nullptr), 0u);
  RASENTRYW entry{};
  entry.dwSize = sizeof(entry);
  DWORD size = sizeof(entry);
  ASSERT_EQ(RasGetEntryPropertiesW(book.c_str(), L"Line", &entry, &size, nullptr, nullptr), 0u);
  EXPECT_EQ(std::wstring(sub.szDeviceName), std::wstring(entry.szDeviceName));
  EXPECT_EQ(RasGetSubEntryPropertiesW(book.c_str(), L"Line", 2, &sub, &cb, nullptr, nullptr),
            static_cast<DWORD>(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY));
  cb = 4;
  EXPECT_EQ(RasGetSubEntryPropertiesW(book.c_str(), L"Line", 1, &sub, &cb, nullptr, nullptr),
            static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  EXPECT_EQ(cb, sizeof(RASSUBENTRYW));
  wcscpy(sub.szLocalPhoneNumber, L"555-0199");
  ASSERT_EQ(RasSetSubEntryPropertiesW(book.c_str(), L"Line", 1, &sub, sizeof(sub), nullptr, 0), 0u);
  size = sizeof(entry);
  ASSERT_EQ(RasGetEntryPropertiesW(book.c_str(), L"Line", &entry, &size, nullptr, nullptr), 0u);
  EXPECT_EQ(std::wstring(entry.szLocalPhoneNumber), L"555-0199");
  EXPECT_EQ(RasSetSubEntryPropertiesW(book.c_str(), L"Line", 2, &sub, sizeof(sub), nullptr, 0),
            static_cast<DWORD>(ERROR_NOT_SUPPORTED));
  EXPECT_EQ(RasDeleteSubEntryW(book.c_str(), L"Line", 1), static_cast<DWORD>(ERROR_CANNOT_DELETE));
}

TEST_F(WideApiTest, FeaturesThatDoNotExistHereSaySoWithWindowsCodes) {
  EXPECT_EQ(RasCreatePhonebookEntryW(nullptr, nullptr),
            static_cast<DWORD>(ERROR_CALL_NOT_IMPLEMENTED));
  BOOL enabled = FALSE;
  EXPECT_EQ(RasGetAutodialEnableW(0, &enabled), 1060u);  // ERROR_SERVICE_DOES_NOT_EXIST
  RASUPDATECONN update{};
  update.dwSize = sizeof(update);
  EXPECT_EQ(RasUpdateConnection(nullptr, &update), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  HRASCONN sub = nullptr;
  EXPECT_EQ(RasGetSubEntryHandleW(nullptr, 1, &sub), static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

// The dial core in W: a dial, its status, its IP projection and connection list, and the
// entry's saved dial parameters with non-ASCII text, as a UNICODE program would use them.
TEST_F(WideApiTest, DialStatusProjectionAndDialParamsInWide) {
  add_entry("Büro", kFullScript, 1, "OpenRasTestIp=10.9.8.7\r\nOpenRasTestServerIp=10.9.8.1\r\n");
  const std::wstring book = wide(phonebook());
  RASDIALPARAMSW p{};
  p.dwSize = sizeof(p);
  wcscpy(p.szEntryName, wide("Büro").c_str());
  wcscpy(p.szUserName, wide("jürgen").c_str());
  wcscpy(p.szPassword, wide("päss").c_str());
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialW(nullptr, book.c_str(), &p, 0, nullptr, &h), 0u);

  RASCONNSTATUSW st{};
  st.dwSize = sizeof(st);
  ASSERT_EQ(RasGetConnectStatusW(h, &st), 0u);
  EXPECT_EQ(st.rasconnstate, RASCS_Connected);

  RASPPPIPW ip{};
  ip.dwSize = sizeof(ip);
  DWORD cb = sizeof(ip);
  ASSERT_EQ(RasGetProjectionInfoW(h, RASP_PppIp, &ip, &cb), 0u);
  EXPECT_EQ(std::wstring(ip.szIpAddress), L"10.9.8.7");
  EXPECT_EQ(std::wstring(ip.szServerIpAddress), L"10.9.8.1");
  cb = sizeof(ip) - 1;  // too small: the size it needs comes back
  EXPECT_EQ(RasGetProjectionInfoW(h, RASP_PppIp, &ip, &cb),
            static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  EXPECT_EQ(cb, sizeof(ip));

  RASCONNW conns[2]{};
  conns[0].dwSize = sizeof(RASCONNW);
  DWORD size = sizeof(conns), count = 0;
  ASSERT_EQ(RasEnumConnectionsW(conns, &size, &count), 0u);
  ASSERT_EQ(count, 1u);
  EXPECT_EQ(std::wstring(conns[0].szEntryName), wide("Büro"));
  RasHangUpW(h);
  EXPECT_TRUE(wait_until_gone(h));

  // Saved dial parameters: the user name comes back as it was written; the password never
  // does, only whether one is saved.
  RASDIALPARAMSW saved{};
  saved.dwSize = sizeof(saved);
  wcscpy(saved.szEntryName, wide("Büro").c_str());
  wcscpy(saved.szUserName, wide("jürgen").c_str());
  wcscpy(saved.szPassword, wide("päss").c_str());
  ASSERT_EQ(RasSetEntryDialParamsW(book.c_str(), &saved, FALSE), 0u);
  RASDIALPARAMSW back{};
  back.dwSize = sizeof(back);
  wcscpy(back.szEntryName, wide("Büro").c_str());
  BOOL has_password = FALSE;
  ASSERT_EQ(RasGetEntryDialParamsW(book.c_str(), &back, &has_password), 0u);
  EXPECT_EQ(std::wstring(back.szUserName), wide("jürgen"));
  EXPECT_TRUE(has_password);
  EXPECT_NE(std::wstring(back.szPassword), wide("päss"));
  // Forgetting the password (fRemovePassword) leaves the user name.
  ASSERT_EQ(RasSetEntryDialParamsW(book.c_str(), &saved, TRUE), 0u);
  back = {};
  back.dwSize = sizeof(back);
  wcscpy(back.szEntryName, wide("Büro").c_str());
  ASSERT_EQ(RasGetEntryDialParamsW(book.c_str(), &back, &has_password), 0u);
  EXPECT_FALSE(has_password);
  EXPECT_EQ(std::wstring(back.szUserName), wide("jürgen"));
  // And a dial with the placeholder the API handed out uses what is saved: here nothing.
  wcscpy(back.szEntryName, wide("Nowhere").c_str());
  EXPECT_EQ(RasGetEntryDialParamsW(book.c_str(), &back, &has_password),
            static_cast<DWORD>(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY));
}

}  // namespace
}  // namespace openras::testing
