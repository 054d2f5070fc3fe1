// The first real connection, end to end: rasmand in a network namespace of its own dials a
// real slirp on a pty (directly, or through the Hayes responder as a modem), gets an address,
// a TUN interface, routes and DNS, carries HTTP through the tunnel, and leaves nothing behind.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/process.hpp"
#include "../support/wait_gone.hpp"
#include "client/channel.hpp"
#include "ras.h"
#include "serial_fixture.hpp"
#include "win32/windows.h"

namespace openras::testing {
namespace {

TEST_F(SerialE2E, ConnectsCarriesHttpAndHangsUpLeavingNothingBehind) {
  SlirpOptions options;
  options.http_port = 8080;
  SlirpPeer peer(options);
  ASSERT_TRUE(peer.started());
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook_with(peer.pty_path()).c_str(), &p, 0, nullptr, &h), 0u);

  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
  EXPECT_EQ(st.rasconnstate, RASCS_Connected);
  EXPECT_STREQ(st.szDeviceType, "serial");
  RASPPPIPA ip{};
  ip.dwSize = sizeof(ip);
  DWORD cb = sizeof(ip);
  ASSERT_EQ(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), 0u);
  EXPECT_STREQ(ip.szIpAddress, "10.0.2.15");
  RAS_PROJECTION_INFO ex{};
  ex.version = RASAPIVERSION_CURRENT;
  DWORD ex_size = sizeof(ex);
  ASSERT_EQ(RasGetProjectionInfoEx(h, &ex, &ex_size), 0u);
  EXPECT_EQ(ex.ppp.ipv4Address.c, 2);
  EXPECT_EQ(ex.ppp.ipv4Address.d, 15);
  EXPECT_EQ(ex.ppp.dwIPv6NegotiationError, static_cast<DWORD>(ERROR_PROTOCOL_NOT_CONFIGURED));
  EXPECT_EQ(ex.ppp.dwAuthenticationProtocol, 0u);  // slirp asks for none

  // A real TUN interface with the address, the default route and the name server.
  std::string l = links();
  EXPECT_NE(l.find("Slirp"), std::string::npos) << l;
  EXPECT_NE(run_in_netns(netns_, "ip -o addr show dev Slirp").find("inet 10.0.2.15 peer"),
            std::string::npos);
  EXPECT_NE(routes().find("default dev Slirp"), std::string::npos) << routes();
  std::string resolv = slurp(resolv_);
  EXPECT_NE(resolv.find("nameserver 127.0.0.1"), std::string::npos) << resolv;
  EXPECT_NE(resolv.find("nameserver 192.0.2.53"), std::string::npos);

  // HTTP through the tunnel to slirp's host alias.
  std::string page = run_in_netns(
      netns_, "sh -c \"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | socat -T5 - TCP:10.0.2.2:8080\"");
  EXPECT_NE(page.find("hello through the tunnel"), std::string::npos) << "[" << page << "]";

  RAS_STATS stats{};
  stats.dwSize = sizeof(stats);
  ASSERT_EQ(RasGetConnectionStatistics(h, &stats), 0u);
  EXPECT_GT(stats.dwBytesRcved, 100u);
  EXPECT_GT(stats.dwFramesXmited, 5u);

  ASSERT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_TRUE(interface_gone()) << links();
  EXPECT_EQ(routes().find("default"), std::string::npos);
  EXPECT_EQ(slurp(resolv_), "nameserver 192.0.2.53\n") << "resolv.conf was not restored";
}

TEST_F(SerialE2E, WrongDevicePathIsPortNotAvailable) {
  auto p = params();
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook_with(dir_ + "/no-such-tty").c_str(), &p, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_PORT_NOT_AVAILABLE));
  if (h) RasHangUpA(h);
  EXPECT_TRUE(interface_gone());
  auto q = params();
  h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook_with("COM1").c_str(), &q, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_PORT_NOT_AVAILABLE));
}

TEST_F(SerialE2E, PeerKilledAfterConnectIsPortDisconnectedAndCleansUp) {
  SlirpPeer peer;
  ASSERT_TRUE(peer.started());
  HANDLE dropped = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  ASSERT_EQ(RasConnectionNotificationA(reinterpret_cast<HRASCONN>(INVALID_HANDLE_VALUE), dropped,
                                       RASCN_Disconnection),
            0u);
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook_with(peer.pty_path()).c_str(), &p, 0, nullptr, &h), 0u);
  EXPECT_FALSE(interface_gone());
  peer.stop();  // slirp and its pty vanish under the connection
  EXPECT_EQ(WaitForSingleObject(dropped, 5000), WAIT_OBJECT_0);
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
  EXPECT_EQ(st.rasconnstate, RASCS_Disconnected);
  EXPECT_EQ(st.dwError, static_cast<DWORD>(ERROR_PORT_DISCONNECTED));
  EXPECT_TRUE(interface_gone()) << "the interface outlived its link";
  EXPECT_EQ(slurp(resolv_), "nameserver 192.0.2.53\n");
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
  CloseHandle(dropped);
}

// A peer that freezes after connect (no hang-up, no carrier drop): LCP echoes find it, in
// the entry's time (1 s x 2 failures here; 10 s x 3 by default) rather than minutes.
TEST_F(SerialE2E, AFrozenPeerIsALinkFailureFoundByLcpEcho) {
  SlirpPeer peer;
  ASSERT_TRUE(peer.started());
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr,
                     phonebook_with(peer.pty_path(), "serial",
                                    "OpenRasLcpEchoSeconds=1\r\nOpenRasLcpEchoFailures=2\r\n")
                         .c_str(),
                     &p, 0, nullptr, &h),
            0u);
  peer.freeze();
  auto frozen_at = std::chrono::steady_clock::now();
  const PolledStatus polled = wait_until_disconnected(h, 10000);
  ASSERT_EQ(polled.call, 0u);
  const RASCONNSTATUSA& st = polled.status;
  EXPECT_EQ(st.rasconnstate, RASCS_Disconnected);
  EXPECT_EQ(st.dwError, static_cast<DWORD>(ERROR_LINK_FAILURE));
  std::printf("link failure reported %.1f s after the peer froze\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - frozen_at).count());
  EXPECT_TRUE(interface_gone());
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
}

struct KillOnPortOpened {
  static inline SlirpPeer* peer = nullptr;
  static inline DWORD final_error = 0;
  static inline bool done = false;
  static void WINAPI on_state(UINT, RASCONNSTATE state, DWORD error) {
    if (state == RASCS_PortOpened && peer) peer->stop();
    if (error || state == RASCS_Connected) {
      final_error = error;
      done = true;
    }
  }
};

TEST_F(SerialE2E, PeerKilledMidDialEndsWithTheErrorAndCleansUp) {
  SlirpPeer peer;
  ASSERT_TRUE(peer.started());
  KillOnPortOpened::peer = &peer;
  KillOnPortOpened::done = false;
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook_with(peer.pty_path()).c_str(), &p, 0,
                     reinterpret_cast<LPVOID>(&KillOnPortOpened::on_state), &h),
            0u);
  for (int i = 0; i < 500 && !KillOnPortOpened::done; ++i) RasDispatchNotifications(10);
  ASSERT_TRUE(KillOnPortOpened::done);
  EXPECT_EQ(KillOnPortOpened::final_error, static_cast<DWORD>(ERROR_PORT_DISCONNECTED));
  EXPECT_TRUE(interface_gone());
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
  KillOnPortOpened::peer = nullptr;
}

// The SDK's asynchronous sample, compiled unchanged as ANSI and as UNICODE, dials the real peer.
TEST_F(SerialE2E, TheSdkStyleAsyncSampleDialsTheRealPeerAnsiAndUnicode) {
  for (std::string sample : {OPENRAS_SAMPLE_ASYNC_PATH, OPENRAS_SAMPLE_ASYNC_PATH "_w"}) {
    SCOPED_TRACE(sample);
    SlirpPeer peer;
    ASSERT_TRUE(peer.started());
    std::string pbk = phonebook_with(peer.pty_path());
    FILE* p = popen((sample + " Slirp " + pbk).c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    char buf[1024];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
    int status = pclose(p);
    EXPECT_EQ(WEXITSTATUS(status), 0) << out;
    std::size_t last = 0;
    for (const char* line :
         {"RASCS_OpenPort = 0", "RASCS_PortOpened = 1", "RASCS_ConnectDevice = 2",
          "RASCS_DeviceConnected = 3", "RASCS_AllDevicesConnected = 4", "RASCS_Authenticate = 5",
          "RASCS_Authenticated = 14", "RASCS_AuthProject = 10", "RASCS_Projected = 18",
          "RASCS_Connected = 8192", "final error 0", "Calling RasHangUp"}) {
      auto at = out.find(line, last);
      ASSERT_NE(at, std::string::npos) << "missing or out of order: " << line << "\n" << out;
      last = at;
    }
    for (int i = 0; i < 200 && !interface_gone(); ++i) usleep(10 * 1000);
    EXPECT_TRUE(interface_gone());
  }
}

TEST_F(SerialE2E, RedialOnLinkFailureComesBackOnANewPeer) {
  // The entry's port is a link we re-point, so a fresh slirp can take over the same "line".
  std::string line = dir_ + "/line.pty";
  auto first = std::make_unique<SlirpPeer>();
  ASSERT_TRUE(first->started());
  std::filesystem::create_symlink(first->pty_path(), line);
  HANDLE up = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  HANDLE down = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  auto all = reinterpret_cast<HRASCONN>(INVALID_HANDLE_VALUE);
  ASSERT_EQ(RasConnectionNotificationA(all, up, RASCN_Connection), 0u);
  ASSERT_EQ(RasConnectionNotificationA(all, down, RASCN_Disconnection), 0u);
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr,
                     phonebook_with(line, "serial",
                                    "RedialOnLinkFailure=1\r\nRedialAttempts=5\r\n"
                                    "OpenRasRedialMs=300\r\n")
                         .c_str(),
                     &p, 0, nullptr, &h),
            0u);
  EXPECT_EQ(WaitForSingleObject(up, 2000), WAIT_OBJECT_0);
  first->stop();
  EXPECT_EQ(WaitForSingleObject(down, 5000), WAIT_OBJECT_0);
  SlirpPeer second;
  ASSERT_TRUE(second.started());
  std::filesystem::remove(line);
  std::filesystem::create_symlink(second.pty_path(), line);
  EXPECT_EQ(WaitForSingleObject(up, 10000), WAIT_OBJECT_0) << "no redial after the link dropped";
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
  EXPECT_EQ(st.rasconnstate, RASCS_Connected);
  EXPECT_EQ(st.dwError, 0u);
  EXPECT_FALSE(interface_gone());
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_TRUE(interface_gone());
  CloseHandle(up);
  CloseHandle(down);
}

TEST_F(SerialE2E, IdleDisconnectSecondsHangsUpAQuietConnection) {
  SlirpPeer peer;
  ASSERT_TRUE(peer.started());
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(
      RasDialA(nullptr,
               phonebook_with(peer.pty_path(), "serial", "IdleDisconnectSeconds=1\r\n").c_str(), &p,
               0, nullptr, &h),
      0u);
  const PolledStatus polled = wait_until_disconnected(h, 3000);
  ASSERT_EQ(polled.call, 0u);
  const RASCONNSTATUSA& st = polled.status;
  EXPECT_EQ(st.rasconnstate, RASCS_Disconnected);
  EXPECT_EQ(st.dwError, static_cast<DWORD>(ERROR_IDLE_TIMEOUT));
  EXPECT_TRUE(interface_gone());
  RasHangUpA(h);
}

TEST_F(SerialE2E, PppdStyleIpUpAndIpDownHooksRun) {
  for (const char* which : {"ip-up", "ip-down"}) {
    std::string d = dir_ + "/hooks/" + which + ".d";
    std::filesystem::create_directories(d);
    std::string script = d + "/10-record";
    std::ofstream(script) << "#!/bin/sh\nenv > " << dir_ << "/" << which << ".env\necho \"$@\" > "
                          << dir_ << "/" << which << ".args\n";
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  }
  SlirpPeer peer;
  ASSERT_TRUE(peer.started());
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook_with(peer.pty_path()).c_str(), &p, 0, nullptr, &h), 0u);
  for (int i = 0; i < 200 && !std::filesystem::exists(dir_ + "/ip-up.args"); ++i) usleep(10000);
  usleep(20000);
  std::string up = slurp(dir_ + "/ip-up.env");
  EXPECT_NE(up.find("IFNAME=Slirp\n"), std::string::npos) << up;
  EXPECT_NE(up.find("IPLOCAL=10.0.2.15\n"), std::string::npos);
  EXPECT_NE(up.find("IPREMOTE=10.64.64.64\n"), std::string::npos);
  EXPECT_NE(up.find("DNS1=127.0.0.1\n"), std::string::npos);
  EXPECT_NE(up.find("LINKNAME=Slirp\n"), std::string::npos);
  EXPECT_EQ(slurp(dir_ + "/ip-up.args"), "Slirp slirp 115200 10.0.2.15 10.64.64.64 Slirp\n");
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
  for (int i = 0; i < 200 && !std::filesystem::exists(dir_ + "/ip-down.args"); ++i) usleep(10000);
  usleep(20000);
  std::string down = slurp(dir_ + "/ip-down.env");
  EXPECT_NE(down.find("IFNAME=Slirp\n"), std::string::npos) << down;
  EXPECT_NE(down.find("BYTES_SENT="), std::string::npos);
  EXPECT_EQ(down.find("BYTES_SENT=0\n"), std::string::npos);
}

TEST_F(SerialE2E, VerboseTraceShowsThePapExchangeButNeverThePassword) {
  std::string log = dir_ + "/verbose.log";
  start_daemon({"--verbose"}, log);
  SlirpOptions options;
  options.extra_rc = "+pap\n";
  options.pap_secrets = "alice * Sw0rdfish *\n";
  SlirpPeer peer(options);
  ASSERT_TRUE(peer.started());
  auto p = params();
  std::snprintf(p.szUserName, sizeof(p.szUserName), "alice");
  std::snprintf(p.szPassword, sizeof(p.szPassword), "Sw0rdfish");
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook_with(peer.pty_path()).c_str(), &p, 0, nullptr, &h), 0u);
  RASPPPLCPA lcp{};
  lcp.dwSize = sizeof(lcp);
  DWORD cb = sizeof(lcp);
  ASSERT_EQ(RasGetProjectionInfoA(h, RASP_PppLcp, &lcp, &cb), 0u);
  EXPECT_EQ(lcp.dwAuthenticationProtocol, static_cast<DWORD>(RASLCPAP_PAP));
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
  std::string text = slurp(log);
  EXPECT_NE(text.find("tx PAP Authenticate-Request"), std::string::npos) << text;
  EXPECT_NE(text.find("rx PAP Authenticate-Ack"), std::string::npos);
  EXPECT_NE(text.find("rx IPCP Configure-Nak"), std::string::npos);
  EXPECT_EQ(text.find("Sw0rdfish"), std::string::npos) << "the password reached the log";
}

class ModemE2E : public SerialE2E,
                 public ::testing::WithParamInterface<std::pair<const char*, DWORD>> {};

TEST_P(ModemE2E, ResultCodesBecomeTheirWin32Errors) {
  SlirpOptions options;
  options.modem_mode = GetParam().first;
  options.responder = OPENRAS_RESPONDER_PATH;
  SlirpPeer peer(options);
  ASSERT_TRUE(peer.started());
  auto p = params();
  HRASCONN h = nullptr;
  DWORD error = RasDialA(
      nullptr, phonebook_with(peer.pty_path(), "modem", "OpenRasModemConnectSeconds=2\r\n").c_str(),
      &p, 0, nullptr, &h);
  EXPECT_EQ(error, GetParam().second) << GetParam().first;
  if (error == 0) {
    RASCONNSTATUSA st{};
    st.dwSize = sizeof(st);
    ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
    EXPECT_STREQ(st.szDeviceType, "modem");
    EXPECT_STREQ(st.szPhoneNumber, "5551234");
    EXPECT_FALSE(interface_gone());
  }
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_TRUE(interface_gone());
}

INSTANTIATE_TEST_SUITE_P(Hayes, ModemE2E,
                         ::testing::Values(std::pair{"connect", 0u},
                                           std::pair{"busy", DWORD{ERROR_LINE_BUSY}},
                                           std::pair{"no-carrier", DWORD{ERROR_NO_CARRIER}},
                                           std::pair{"no-answer", DWORD{ERROR_NO_ANSWER}},
                                           std::pair{"no-dialtone", DWORD{ERROR_NO_DIALTONE}},
                                           std::pair{"silent", DWORD{ERROR_DEVICE_NOT_READY}}),
                         [](const auto& info) {
                           std::string name = info.param.first;
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

}  // namespace
}  // namespace openras::testing
