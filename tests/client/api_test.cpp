// Parameter validation the Win32 way, the sizing dances, projection, statistics, connection
// notifications and RasGetErrorString.
#include <poll.h>
#include <unistd.h>

#include <cstring>
#include <set>

#include "client/channel.hpp"
#include "client/struct_sizes.hpp"
#include "daemon_fixture.hpp"
#include "win32/windows.h"

namespace openras::testing {
namespace {

using ApiTest = DaemonTest;

TEST_F(ApiTest, RasDialValidatesItsArguments) {
  add_entry("E", kFullScript);
  auto params = params_for("E");
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), nullptr, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, nullptr),
            static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  for (DWORD bad :
       {0u, 1u, static_cast<DWORD>(sizeof(params) - 1), static_cast<DWORD>(sizeof(params) + 1)}) {
    params.dwSize = bad;
    EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h),
              static_cast<DWORD>(ERROR_INVALID_SIZE))
        << bad;
  }
  params = params_for("E");
  RASDIALEXTENSIONS ext{};
  ext.dwSize = 7;
  EXPECT_EQ(RasDialA(&ext, phonebook().c_str(), &params, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_INVALID_SIZE));
  auto fn = [](UINT, RASCONNSTATE, DWORD) {};
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 7, reinterpret_cast<LPVOID>(+fn), &h),
            static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(h, nullptr);
}

TEST_F(ApiTest, EveryHistoricalDialParamsSizeIsAccepted) {
  add_entry("E", kFullScript, 1);
  for (auto size : client::kDialParamsSizes<RASDIALPARAMSA>) {
    auto params = params_for("E");
    params.dwSize = static_cast<DWORD>(size);
    HRASCONN h = nullptr;
    EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u) << size;
    EXPECT_EQ(RasHangUpA(h), 0u);
    EXPECT_TRUE(wait_until_gone(h));
  }
  EXPECT_EQ(client::kDialParamsSizes<RASDIALPARAMSA>.front(),
            1052u);  // the NT4 layout: strings only, padded
}

TEST_F(ApiTest, UnknownEntryAndMissingPhonebook) {
  add_entry("E", kFullScript);
  auto params = params_for("Nope");
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY));
  EXPECT_EQ(h, nullptr);
  params = params_for("E");
  EXPECT_EQ(RasDialA(nullptr, (dir() + "/missing.pbk").c_str(), &params, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_CANNOT_OPEN_PHONEBOOK));
  EXPECT_EQ(h, nullptr);
}

TEST_F(ApiTest, EntryWithoutALinkThisBuildCanOpen) {
  std::FILE* f = std::fopen(phonebook().c_str(), "ab");
  std::fputs(
      "[Vpn]\r\nType=2\r\nVpnStrategy=1\r\nMEDIA=rastapi\r\nPort=VPN2-0\r\nDevice=WAN Miniport "
      "(PPTP)\r\n"
      "DEVICE=vpn\r\nPhoneNumber=vpn.example.com\r\n",
      f);
  std::fclose(f);
  auto params = params_for("Vpn");
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_DEVICETYPE_DOES_NOT_EXIST));
  EXPECT_EQ(h, nullptr);
}

TEST_F(ApiTest, StatusValidatesSizeAndHandle) {
  RASCONNSTATUSA st{};
  st.dwSize = 3;
  EXPECT_EQ(RasGetConnectStatusA(reinterpret_cast<HRASCONN>(1), &st),
            static_cast<DWORD>(ERROR_INVALID_SIZE));
  EXPECT_EQ(RasGetConnectStatusA(reinterpret_cast<HRASCONN>(1), nullptr),
            static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  for (auto size : client::kConnStatusSizes<RASCONNSTATUSA>) {
    st.dwSize = static_cast<DWORD>(size);
    EXPECT_EQ(RasGetConnectStatusA(reinterpret_cast<HRASCONN>(12345), &st),
              static_cast<DWORD>(ERROR_INVALID_HANDLE));
  }
  st.dwSize = sizeof(st);
  EXPECT_EQ(RasGetConnectStatusA(nullptr, &st), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_EQ(RasHangUpA(nullptr), static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

TEST_F(ApiTest, EnumConnectionsSizingDance) {
  add_entry("A", kFullScript, 1);
  add_entry("B", kFullScript, 1);
  HRASCONN a = nullptr, b = nullptr;
  auto pa = params_for("A"), pb = params_for("B");
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &pa, 0, nullptr, &a), 0u);
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &pb, 0, nullptr, &b), 0u);

  DWORD cb = 0, count = 0;
  EXPECT_EQ(RasEnumConnectionsA(nullptr, nullptr, &count),
            static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  ASSERT_EQ(RasEnumConnectionsA(nullptr, &cb, &count), static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  EXPECT_EQ(count, 2u);
  EXPECT_EQ(cb, 2 * sizeof(RASCONNA));
  std::vector<RASCONNA> conns(2);
  conns[0].dwSize = 5;
  EXPECT_EQ(RasEnumConnectionsA(conns.data(), &cb, &count), static_cast<DWORD>(ERROR_INVALID_SIZE));
  conns[0].dwSize = sizeof(RASCONNA);
  DWORD small = sizeof(RASCONNA);
  EXPECT_EQ(RasEnumConnectionsA(conns.data(), &small, &count),
            static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  EXPECT_EQ(small, 2 * sizeof(RASCONNA));
  ASSERT_EQ(RasEnumConnectionsA(conns.data(), &cb, &count), 0u);
  ASSERT_EQ(count, 2u);
  std::set<std::string> names{conns[0].szEntryName, conns[1].szEntryName};
  EXPECT_EQ(names, (std::set<std::string>{"A", "B"}));
  EXPECT_EQ(std::string(conns[0].szPhonebook), phonebook());
  EXPECT_TRUE(conns[0].dwFlags & RASCF_OwnerMatch);

  // An older, smaller RASCONN layout is filled at its own stride.
  std::vector<BYTE> old(2 * client::kConnSizes<RASCONNA>[1]);
  auto* first = reinterpret_cast<RASCONNA*>(old.data());
  first->dwSize = static_cast<DWORD>(client::kConnSizes<RASCONNA>[1]);
  cb = static_cast<DWORD>(old.size());
  ASSERT_EQ(RasEnumConnectionsA(first, &cb, &count), 0u);
  auto* second = reinterpret_cast<RASCONNA*>(old.data() + client::kConnSizes<RASCONNA>[1]);
  EXPECT_EQ(second->dwSize, client::kConnSizes<RASCONNA>[1]);
  EXPECT_TRUE(second->hrasconn == a || second->hrasconn == b);
  RasHangUpA(a);
  RasHangUpA(b);
  EXPECT_TRUE(wait_until_gone(a));
  EXPECT_TRUE(wait_until_gone(b));
  cb = 0;
  EXPECT_EQ(RasEnumConnectionsA(nullptr, &cb, &count), 0u);
  EXPECT_EQ(count, 0u);
}

TEST_F(ApiTest, ErrorStrings) {
  char buf[512];
  ASSERT_EQ(RasGetErrorStringA(ERROR_LINE_BUSY, buf, sizeof(buf)), 0u);
  EXPECT_STREQ(buf, "The phone line is busy.");
  EXPECT_EQ(RasGetErrorStringA(ERROR_LINE_BUSY, nullptr, 512),
            static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(RasGetErrorStringA(ERROR_LINE_BUSY, buf, 5),
            static_cast<DWORD>(ERROR_INSUFFICIENT_BUFFER));
  EXPECT_EQ(RasGetErrorStringA(99999, buf, sizeof(buf)),
            static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  for (UINT code = RASBASE; code <= RASBASEEND; ++code) {
    ASSERT_EQ(RasGetErrorStringA(code, buf, sizeof(buf)), 0u) << code;
    EXPECT_GT(std::strlen(buf), 10u) << code;
  }
}

TEST_F(ApiTest, ProjectionBeforeAndAfterProjected) {
  add_entry("Slow", kFullScript, 40, "OpenRasTestIp=10.9.8.7\r\nOpenRasTestServerIp=10.9.8.1\r\n");
  auto params = params_for("Slow");
  auto fn = [](UINT, RASCONNSTATE, DWORD) {};
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, reinterpret_cast<LPVOID>(+fn), &h),
            0u);
  RASPPPIPA ip{};
  ip.dwSize = sizeof(ip);
  DWORD cb = sizeof(ip);
  EXPECT_EQ(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb),
            static_cast<DWORD>(ERROR_PROJECTION_NOT_COMPLETE));
  RAS_PROJECTION_INFO early{};
  early.version = RASAPIVERSION_CURRENT;
  DWORD early_size = sizeof(early);
  EXPECT_EQ(RasGetProjectionInfoEx(h, &early, &early_size),
            static_cast<DWORD>(ERROR_PROJECTION_NOT_COMPLETE));
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_TRUE(pump_until(
      [&] { return RasGetConnectStatusA(h, &st) == 0 && st.rasconnstate == RASCS_Connected; }));
  ASSERT_EQ(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), 0u);
  EXPECT_STREQ(ip.szIpAddress, "10.9.8.7");
  EXPECT_STREQ(ip.szServerIpAddress, "10.9.8.1");
  RASPPPLCPA lcp{};
  lcp.dwSize = sizeof(lcp);
  cb = sizeof(lcp);
  ASSERT_EQ(RasGetProjectionInfoA(h, RASP_PppLcp, &lcp, &cb), 0u);
  EXPECT_EQ(lcp.dwAuthenticationProtocol, static_cast<DWORD>(RASLCPAP_CHAP));
  EXPECT_EQ(lcp.dwAuthenticationData, static_cast<DWORD>(RASLCPAD_CHAP_MSV2));
  ip.dwSize = 13;
  EXPECT_EQ(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), static_cast<DWORD>(ERROR_INVALID_SIZE));
  ip.dwSize = sizeof(ip);
  cb = 4;
  EXPECT_EQ(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb),
            static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  EXPECT_EQ(cb, sizeof(ip));
  RAS_PROJECTION_INFO ex{};
  DWORD ex_size = 0;
  EXPECT_EQ(RasGetProjectionInfoEx(h, nullptr, &ex_size),
            static_cast<DWORD>(ERROR_BUFFER_TOO_SMALL));
  EXPECT_EQ(ex_size, sizeof(RAS_PROJECTION_INFO));
  ex.version = RASAPIVERSION_CURRENT;
  ASSERT_EQ(RasGetProjectionInfoEx(h, &ex, &ex_size), 0u);
  EXPECT_EQ(ex.type, PROJECTION_INFO_TYPE_PPP);
  EXPECT_EQ(ex.ppp.ipv4Address.a, 10);
  EXPECT_EQ(ex.ppp.ipv4Address.d, 7);
  EXPECT_EQ(ex.ppp.ipv4ServerAddress.d, 1);
  EXPECT_EQ(ex.ppp.dwIPv6NegotiationError, static_cast<DWORD>(ERROR_PROTOCOL_NOT_CONFIGURED));
  EXPECT_EQ(ex.ppp.dwAuthenticationProtocol, static_cast<DWORD>(RASLCPAP_CHAP));
  EXPECT_EQ(ex.ppp.dwAuthenticationData, static_cast<DWORD>(RASLCPAD_CHAP_MSV2));
  DWORD bogus = 99;  // what a confused caller might put there
  std::memcpy(&ex.version, &bogus, sizeof(bogus));
  EXPECT_EQ(RasGetProjectionInfoEx(h, &ex, &ex_size), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  RASPPPIPV6 v6{};
  v6.dwSize = sizeof(v6);
  cb = sizeof(v6);
  EXPECT_EQ(RasGetProjectionInfoA(h, RASP_PppIpv6, &v6, &cb),
            static_cast<DWORD>(ERROR_PROTOCOL_NOT_CONFIGURED));
  RasHangUpA(h);
}

TEST_F(ApiTest, StatisticsCountTheConnectedTime) {
  add_entry("E", kFullScript, 1);
  auto params = params_for("E");
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u);
  usleep(120 * 1000);
  RAS_STATS stats{};
  stats.dwSize = 7;
  EXPECT_EQ(RasGetConnectionStatistics(h, &stats), static_cast<DWORD>(ERROR_INVALID_SIZE));
  stats.dwSize = sizeof(stats);
  ASSERT_EQ(RasGetConnectionStatistics(h, &stats), 0u);
  EXPECT_GE(stats.dwConnectDuration, 100u);
  EXPECT_LT(stats.dwConnectDuration, 5000u);
  ASSERT_EQ(RasClearConnectionStatistics(h), 0u);
  ASSERT_EQ(RasGetConnectionStatistics(h, &stats), 0u);
  EXPECT_LT(stats.dwConnectDuration, 100u);
  RasHangUpA(h);
}

TEST_F(ApiTest, ConnectionNotificationSignalsAnEventAndADescriptor) {
  add_entry("E", kFullScript, 1, "OpenRasTestDropAfterMs=150\r\n");
  HANDLE connected = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  HANDLE dropped = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  auto all = reinterpret_cast<HRASCONN>(INVALID_HANDLE_VALUE);
  ASSERT_EQ(RasConnectionNotificationA(all, connected, RASCN_Connection), 0u);
  int fd = -1;
  ASSERT_EQ(RasConnectionNotificationFd(all, RASCN_Disconnection, &fd), 0u);
  EXPECT_EQ(RasConnectionNotificationA(all, nullptr, RASCN_Connection),
            static_cast<DWORD>(ERROR_INVALID_HANDLE));

  auto params = params_for("E");
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u);
  EXPECT_EQ(WaitForSingleObject(connected, 2000), WAIT_OBJECT_0);
  ASSERT_EQ(RasConnectionNotificationA(h, dropped, RASCN_Disconnection), 0u);
  EXPECT_EQ(WaitForSingleObject(dropped, 3000), WAIT_OBJECT_0) << "the link drop was not signalled";
  pollfd p{fd, POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 1000), 1);
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);  // valid until RasHangUp
  EXPECT_EQ(st.rasconnstate, RASCS_Disconnected);
  EXPECT_EQ(st.dwError, static_cast<DWORD>(ERROR_REMOTE_DISCONNECTION));
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
  close(fd);
  CloseHandle(connected);
  CloseHandle(dropped);
}

TEST_F(ApiTest, NoDaemonAndNoSpawnIsRasmanCannotInitialize) {
  stop_daemon();
  client::reset_this_thread_channel();
  auto params = params_for("E");
  add_entry("E", kFullScript);
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_RASMAN_CANNOT_INITIALIZE));
}

}  // namespace
}  // namespace openras::testing
