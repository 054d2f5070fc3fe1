// The asynchronous RasDial contract: every notifier type hears every state, in order, on the
// thread that dialed, and then the final error.
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "daemon_fixture.hpp"
#include "win32/windows.h"

namespace openras::testing {
namespace {

struct Heard {
  UINT msg;
  HRASCONN handle;
  RASCONNSTATE state;
  DWORD error;
  ULONG_PTR callback_id;
  pid_t thread;
};

thread_local std::vector<Heard>* t_heard = nullptr;
pid_t tid() {
  return static_cast<pid_t>(syscall(SYS_gettid));
}

const std::vector<RASCONNSTATE> kExpected = {RASCS_OpenPort,
                                             RASCS_PortOpened,
                                             RASCS_ConnectDevice,
                                             RASCS_DeviceConnected,
                                             RASCS_AllDevicesConnected,
                                             RASCS_Authenticate,
                                             RASCS_AuthNotify,
                                             RASCS_Authenticated,
                                             RASCS_AuthProject,
                                             RASCS_Projected,
                                             RASCS_Connected};

void WINAPI func0(UINT msg, RASCONNSTATE state, DWORD error) {
  t_heard->push_back({msg, nullptr, state, error, 0, tid()});
}

void WINAPI func1(HRASCONN h, UINT msg, RASCONNSTATE state, DWORD error, DWORD) {
  t_heard->push_back({msg, h, state, error, 0, tid()});
}

DWORD WINAPI func2(ULONG_PTR id, DWORD, HRASCONN h, UINT msg, RASCONNSTATE state, DWORD error,
                   DWORD) {
  t_heard->push_back({msg, h, state, error, id, tid()});
  return 1;
}

DWORD WINAPI func2_stop_after_two(ULONG_PTR id, DWORD, HRASCONN h, UINT msg, RASCONNSTATE state,
                                  DWORD error, DWORD) {
  t_heard->push_back({msg, h, state, error, id, tid()});
  return t_heard->size() < 2 ? 1 : 0;
}

bool finished(const std::vector<Heard>& heard) {
  return !heard.empty() && (heard.back().error != 0 || heard.back().state == RASCS_Connected);
}

class NotifierTest : public DaemonTest {
 protected:
  // Dials `entry` with a callback notifier and pumps until the final state.
  HRASCONN dial_with(DWORD type, LPVOID fn, const std::string& entry, std::vector<Heard>& heard) {
    t_heard = &heard;
    auto params = params_for(entry);
    params.dwCallbackId = 0xC0FFEE;
    HRASCONN h = nullptr;
    EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, type, fn, &h), 0u);
    EXPECT_NE(h, nullptr);
    EXPECT_TRUE(pump_until([&] { return finished(heard); }));
    return h;
  }
};

void expect_full_sequence(const std::vector<Heard>& heard, pid_t thread) {
  ASSERT_EQ(heard.size(), kExpected.size());
  for (std::size_t i = 0; i < heard.size(); ++i) {
    EXPECT_EQ(heard[i].state, kExpected[i]) << "step " << i;
    EXPECT_EQ(heard[i].error, 0u);
    EXPECT_EQ(heard[i].msg, static_cast<UINT>(WM_RASDIALEVENT));
    EXPECT_EQ(heard[i].thread, thread) << "notification ran on another thread";
  }
}

TEST_F(NotifierTest, RasDialFuncHearsEveryStateOnTheCallingThread) {
  add_entry("E", kFullScript);
  std::vector<Heard> heard;
  HRASCONN h = dial_with(0, reinterpret_cast<LPVOID>(&func0), "E", heard);
  expect_full_sequence(heard, tid());
  EXPECT_EQ(RasHangUpA(h), 0u);
}

TEST_F(NotifierTest, RasDialFunc1CarriesTheHandle) {
  add_entry("E", kFullScript);
  std::vector<Heard> heard;
  HRASCONN h = dial_with(1, reinterpret_cast<LPVOID>(&func1), "E", heard);
  expect_full_sequence(heard, tid());
  for (const auto& x : heard) EXPECT_EQ(x.handle, h);
  RasHangUpA(h);
}

TEST_F(NotifierTest, RasDialFunc2CarriesCallbackIdAndHandle) {
  add_entry("E", kFullScript);
  std::vector<Heard> heard;
  HRASCONN h = dial_with(2, reinterpret_cast<LPVOID>(&func2), "E", heard);
  expect_full_sequence(heard, tid());
  for (const auto& x : heard) {
    EXPECT_EQ(x.callback_id, 0xC0FFEEu);
    EXPECT_EQ(x.handle, h);
  }
  RasHangUpA(h);
}

TEST_F(NotifierTest, WindowNotifierReceivesWmRasDialEvent) {
  add_entry("E", kFullScript);
  HWND window = CreateMessageWindow();
  auto params = params_for("E");
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, RASNOTIFIER_HWND, window, &h), 0u);
  std::vector<RASCONNSTATE> states;
  MSG msg;
  while (GetMessageA(&msg, window, 0, 0)) {
    ASSERT_EQ(msg.message, static_cast<UINT>(WM_RASDIALEVENT));
    EXPECT_EQ(msg.lParam, 0);
    states.push_back(static_cast<RASCONNSTATE>(msg.wParam));
    if (msg.wParam == RASCS_Connected) break;
  }
  EXPECT_EQ(states, kExpected);
  EXPECT_EQ(RegisterWindowMessageA(RASDIALEVENT), static_cast<UINT>(WM_RASDIALEVENT));
  DestroyWindow(window);
  RasHangUpA(h);
}

TEST_F(NotifierTest, FinalErrorReachesEveryNotifierType) {
  add_entry("Bad", "OpenPort,PortOpened,ConnectDevice,DeviceConnected,Authenticate!691");
  for (DWORD type : {0u, 1u, 2u}) {
    std::vector<Heard> heard;
    LPVOID fn = type == 0   ? reinterpret_cast<LPVOID>(&func0)
                : type == 1 ? reinterpret_cast<LPVOID>(&func1)
                            : reinterpret_cast<LPVOID>(&func2);
    HRASCONN h = dial_with(type, fn, "Bad", heard);
    ASSERT_GE(heard.size(), 2u);
    // Entry into the failing state with 0, then the same state again with the error.
    EXPECT_EQ(heard[heard.size() - 2].state, RASCS_Authenticate);
    EXPECT_EQ(heard[heard.size() - 2].error, 0u);
    EXPECT_EQ(heard.back().state, RASCS_Authenticate);
    EXPECT_EQ(heard.back().error, static_cast<DWORD>(ERROR_AUTHENTICATION_FAILURE));
    RASCONNSTATUSA st{};
    st.dwSize = sizeof(st);
    ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
    EXPECT_EQ(st.dwError, static_cast<DWORD>(ERROR_AUTHENTICATION_FAILURE));
    // The caller must still hang up after an error; it returns at once.
    EXPECT_EQ(RasHangUpA(h), 0u);
    EXPECT_TRUE(wait_until_gone(h));
  }
}

TEST_F(NotifierTest, Func2ReturningZeroStopsNotificationsButTheDialCompletes) {
  add_entry("E", kFullScript);
  std::vector<Heard> heard;
  t_heard = &heard;
  auto params = params_for("E");
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 2,
                     reinterpret_cast<LPVOID>(&func2_stop_after_two), &h),
            0u);
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  EXPECT_TRUE(pump_until(
      [&] { return RasGetConnectStatusA(h, &st) == 0 && st.rasconnstate == RASCS_Connected; }));
  for (int i = 0; i < 10; ++i) RasDispatchNotifications(5);
  EXPECT_EQ(heard.size(), 2u);
  EXPECT_EQ(st.rasconnstate, RASCS_Connected);
  RasHangUpA(h);
}

TEST_F(NotifierTest, TwoThreadsEachHearOnlyTheirOwnDial) {
  add_entry("A", kFullScript, 3);
  add_entry("B", "OpenPort,PortOpened,ConnectDevice,Authenticate!691", 3);
  struct Result {
    std::vector<Heard> heard;
    HRASCONN handle = nullptr;
    pid_t thread = 0;
  } a, b;
  auto run = [&](Result& r, const char* entry) {
    r.thread = tid();
    t_heard = &r.heard;
    auto params = params_for(entry);
    ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 1, reinterpret_cast<LPVOID>(&func1),
                       &r.handle),
              0u);
    pump_until([&] { return finished(r.heard); });
    RasHangUpA(r.handle);
  };
  std::thread ta(run, std::ref(a), "A");
  std::thread tb(run, std::ref(b), "B");
  ta.join();
  tb.join();
  ASSERT_FALSE(a.heard.empty());
  ASSERT_FALSE(b.heard.empty());
  for (const auto& x : a.heard) {
    EXPECT_EQ(x.handle, a.handle);
    EXPECT_EQ(x.thread, a.thread);
  }
  for (const auto& x : b.heard) {
    EXPECT_EQ(x.handle, b.handle);
    EXPECT_EQ(x.thread, b.thread);
  }
  EXPECT_EQ(a.heard.back().state, RASCS_Connected);
  EXPECT_EQ(b.heard.back().error, static_cast<DWORD>(ERROR_AUTHENTICATION_FAILURE));
  EXPECT_NE(a.thread, b.thread);
}

TEST_F(NotifierTest, NotificationsWaitUntilTheThreadPumps) {
  add_entry("E", kFullScript, 1);
  std::vector<Heard> heard;
  t_heard = &heard;
  auto params = params_for("E");
  HRASCONN h = nullptr;
  ASSERT_EQ(
      RasDialA(nullptr, phonebook().c_str(), &params, 0, reinterpret_cast<LPVOID>(&func0), &h), 0u);
  usleep(100 * 1000);  // the dial runs in rasmand meanwhile
  EXPECT_TRUE(heard.empty()) << "a notification ran without the thread pumping";
  EXPECT_TRUE(pump_until([&] { return heard.size() == kExpected.size(); }));
  RasHangUpA(h);
}

TEST_F(NotifierTest, WaitForSingleObjectPumpsLikeAnAlertableWait) {
  add_entry("E", kFullScript);
  static HANDLE done_event;
  done_event = CreateEventA(nullptr, TRUE, FALSE, nullptr);
  auto on_state = [](UINT, RASCONNSTATE state, DWORD error) {
    if (state == RASCS_Connected || error) SetEvent(done_event);
  };
  auto params = params_for("E");
  HRASCONN h = nullptr;
  ASSERT_EQ(
      RasDialA(nullptr, phonebook().c_str(), &params, 0, reinterpret_cast<LPVOID>(+on_state), &h),
      0u);
  EXPECT_EQ(WaitForSingleObject(done_event, 5000), WAIT_OBJECT_0);
  EXPECT_EQ(WaitForSingleObject(done_event, 0), WAIT_OBJECT_0);  // manual reset stays set
  CloseHandle(done_event);
  RasHangUpA(h);
}

TEST_F(NotifierTest, HangUpFromInsideTheCallbackIsAllowed) {
  add_entry("E", kFullScript);
  static HRASCONN s_handle;
  static int s_calls;
  s_calls = 0;
  auto on_state = [](HRASCONN h, UINT, RASCONNSTATE state, DWORD, DWORD) {
    ++s_calls;
    if (state == RASCS_Authenticate) {
      EXPECT_EQ(RasHangUpA(h), 0u);
    }
  };
  auto params = params_for("E");
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 1, reinterpret_cast<LPVOID>(+on_state),
                     &s_handle),
            0u);
  EXPECT_TRUE(wait_until_gone(s_handle));
  for (int i = 0; i < 5; ++i) RasDispatchNotifications(5);
  // Notifications stop at RasHangUp: nothing after Authenticate.
  EXPECT_EQ(s_calls, 6);
}

}  // namespace
}  // namespace openras::testing
