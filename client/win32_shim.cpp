// The win32/windows.h subset. Events are eventfds, so a Win32 event can also be signalled by
// rasmand itself (RasConnectionNotification passes the descriptor over the socket), and every
// wait also pumps this thread's RAS notifications, like an alertable wait.
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "client/notify.hpp"
#include "client/text.hpp"
#include "client/win32_objects.hpp"
#include "win32/windows.h"

namespace openras::client {
namespace {

thread_local DWORD t_last_error = 0;
constexpr std::uint32_t kEventMagic = 0x45564e54;   // "EVNT"
constexpr std::uint32_t kWindowMagic = 0x57494e44;  // "WIND"

struct MessageWindow {
  std::uint32_t magic = kWindowMagic;
  int wake_fd = -1;
  std::mutex mutex;
  std::deque<MSG> messages;
};

thread_local std::vector<MessageWindow*> t_windows;

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

int remaining(std::uint64_t deadline, DWORD timeout) {
  if (timeout == INFINITE) return -1;
  std::uint64_t now = now_ms();
  return now >= deadline ? 0 : static_cast<int>(deadline - now);
}

MessageWindow* as_window(HWND h) {
  auto* w = reinterpret_cast<MessageWindow*>(h);
  return (w && w->magic == kWindowMagic) ? w : nullptr;
}

bool take_message(MessageWindow* w, LPMSG out, UINT min, UINT max, bool remove) {
  std::lock_guard lock(w->mutex);
  for (auto it = w->messages.begin(); it != w->messages.end(); ++it) {
    if ((min == 0 && max == 0) || (it->message >= min && it->message <= max)) {
      if (out) *out = *it;
      if (remove) w->messages.erase(it);
      if (w->messages.empty()) {
        std::uint64_t drain;
        [[maybe_unused]] auto n = ::read(w->wake_fd, &drain, sizeof(drain));
      }
      return true;
    }
  }
  return false;
}

}  // namespace

Win32Event* as_event(HANDLE h) {
  auto* e = static_cast<Win32Event*>(h);
  return (e && h != INVALID_HANDLE_VALUE && e->magic == kEventMagic) ? e : nullptr;
}

}  // namespace openras::client

using namespace openras::client;

extern "C" {

HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES, BOOL bManualReset, BOOL bInitialState, LPCSTR) {
  int fd = ::eventfd(bInitialState ? 1 : 0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0) {
    t_last_error = ERROR_NOT_ENOUGH_MEMORY;
    return nullptr;
  }
  auto* e = new Win32Event;
  e->magic = kEventMagic;
  e->fd = fd;
  e->manual_reset = bManualReset != 0;
  return e;
}

HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES attributes, BOOL manual_reset, BOOL initial_state,
                           LPCWSTR) {
  return CreateEventA(attributes, manual_reset, initial_state, nullptr);
}

BOOL WINAPI SetEvent(HANDLE h) {
  auto* e = as_event(h);
  if (!e) {
    t_last_error = ERROR_INVALID_HANDLE;
    return FALSE;
  }
  std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(e->fd, &one, sizeof(one));
  return TRUE;
}

BOOL WINAPI ResetEvent(HANDLE h) {
  auto* e = as_event(h);
  if (!e) {
    t_last_error = ERROR_INVALID_HANDLE;
    return FALSE;
  }
  std::uint64_t drain;
  [[maybe_unused]] auto n = ::read(e->fd, &drain, sizeof(drain));
  return TRUE;
}

BOOL WINAPI CloseHandle(HANDLE h) {
  auto* e = as_event(h);
  if (!e) {
    t_last_error = ERROR_INVALID_HANDLE;
    return FALSE;
  }
  ::close(e->fd);
  e->magic = 0;
  delete e;
  return TRUE;
}

DWORD WINAPI WaitForSingleObjectEx(HANDLE h, DWORD ms, BOOL) {
  return WaitForSingleObject(h, ms);
}

DWORD WINAPI WaitForSingleObject(HANDLE h, DWORD ms) {
  auto* e = as_event(h);
  if (!e) {
    t_last_error = ERROR_INVALID_HANDLE;
    return WAIT_FAILED;
  }
  const std::uint64_t deadline = now_ms() + (ms == INFINITE ? 0 : ms);
  for (;;) {
    pollfd p{e->fd, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) {
      if (e->manual_reset) return WAIT_OBJECT_0;
      std::uint64_t value;
      if (::read(e->fd, &value, sizeof(value)) == sizeof(value)) return WAIT_OBJECT_0;
    }
    int left = remaining(deadline, ms);
    if (left == 0) {
      dispatch_pending();
      if (::poll(&p, 1, 0) > 0) continue;
      return WAIT_TIMEOUT;
    }
    pump_once(left, e->fd);
  }
}

VOID WINAPI Sleep(DWORD ms) {
  SleepEx(ms, TRUE);
}

DWORD WINAPI SleepEx(DWORD ms, BOOL) {
  const std::uint64_t deadline = now_ms() + (ms == INFINITE ? 0 : ms);
  for (;;) {
    int left = remaining(deadline, ms);
    if (left == 0) {
      dispatch_pending();
      return 0;
    }
    pump_once(left);
  }
}

DWORD WINAPI GetTickCount(void) {
  return static_cast<DWORD>(now_ms());
}
ULONGLONG WINAPI GetTickCount64(void) {
  return now_ms();
}
DWORD WINAPI GetLastError(void) {
  return t_last_error;
}
VOID WINAPI SetLastError(DWORD code) {
  t_last_error = code;
}
DWORD WINAPI GetCurrentThreadId(void) {
  return static_cast<DWORD>(::syscall(SYS_gettid));
}
DWORD WINAPI GetCurrentProcessId(void) {
  return static_cast<DWORD>(::getpid());
}

HANDLE WINAPI GetProcessHeap(void) {
  return reinterpret_cast<HANDLE>(1);
}

LPVOID WINAPI HeapAlloc(HANDLE, DWORD flags, SIZE_T bytes) {
  return (flags & HEAP_ZERO_MEMORY) ? std::calloc(1, bytes ? bytes : 1)
                                    : std::malloc(bytes ? bytes : 1);
}

LPVOID WINAPI HeapReAlloc(HANDLE, DWORD, LPVOID mem, SIZE_T bytes) {
  return std::realloc(mem, bytes ? bytes : 1);
}

BOOL WINAPI HeapFree(HANDLE, DWORD, LPVOID mem) {
  std::free(mem);
  return TRUE;
}

LPVOID WINAPI LocalAlloc(UINT flags, SIZE_T bytes) {
  return (flags & LMEM_ZEROINIT) ? std::calloc(1, bytes ? bytes : 1)
                                 : std::malloc(bytes ? bytes : 1);
}

LPVOID WINAPI LocalFree(LPVOID mem) {
  std::free(mem);
  return nullptr;
}

LPVOID WINAPI GlobalAlloc(UINT flags, SIZE_T bytes) {
  return LocalAlloc(flags, bytes);
}
LPVOID WINAPI GlobalFree(LPVOID mem) {
  return LocalFree(mem);
}

HWND WINAPI CreateMessageWindow(void) {
  auto* w = new MessageWindow;
  w->wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  t_windows.push_back(w);
  return reinterpret_cast<HWND>(w);
}

BOOL WINAPI DestroyWindow(HWND h) {
  auto* w = as_window(h);
  if (!w) {
    t_last_error = ERROR_INVALID_HANDLE;
    return FALSE;
  }
  std::erase(t_windows, w);
  ::close(w->wake_fd);
  w->magic = 0;
  delete w;
  return TRUE;
}

BOOL WINAPI PostMessageA(HWND h, UINT msg, WPARAM wp, LPARAM lp) {
  auto* w = as_window(h);
  if (!w) {
    t_last_error = ERROR_INVALID_HANDLE;
    return FALSE;
  }
  {
    std::lock_guard lock(w->mutex);
    w->messages.push_back(MSG{h, msg, wp, lp, static_cast<DWORD>(now_ms()), {0, 0}});
  }
  std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(w->wake_fd, &one, sizeof(one));
  return TRUE;
}

BOOL WINAPI PeekMessageA(LPMSG msg, HWND h, UINT min, UINT max, UINT remove) {
  dispatch_pending();
  if (h) {
    auto* w = as_window(h);
    return w && take_message(w, msg, min, max, remove & PM_REMOVE);
  }
  for (auto* w : t_windows) {
    if (take_message(w, msg, min, max, remove & PM_REMOVE)) return TRUE;
  }
  return FALSE;
}

BOOL WINAPI GetMessageA(LPMSG msg, HWND h, UINT min, UINT max) {
  MessageWindow* w = h ? as_window(h) : (t_windows.empty() ? nullptr : t_windows.front());
  if (!w) {
    t_last_error = ERROR_INVALID_HANDLE;
    return -1;
  }
  for (;;) {
    if (PeekMessageA(msg, h, min, max, PM_REMOVE)) return msg->message == WM_QUIT ? FALSE : TRUE;
    pump_once(-1, w->wake_fd);
  }
}

BOOL WINAPI PostMessageW(HWND h, UINT msg, WPARAM wp, LPARAM lp) {
  return PostMessageA(h, msg, wp, lp);
}
BOOL WINAPI PeekMessageW(LPMSG msg, HWND h, UINT min, UINT max, UINT remove) {
  return PeekMessageA(msg, h, min, max, remove);
}
BOOL WINAPI GetMessageW(LPMSG msg, HWND h, UINT min, UINT max) {
  return GetMessageA(msg, h, min, max);
}

VOID WINAPI PostQuitMessage(int code) {
  if (!t_windows.empty()) {
    PostMessageA(reinterpret_cast<HWND>(t_windows.front()), WM_QUIT, static_cast<WPARAM>(code), 0);
  }
}

UINT WINAPI RegisterWindowMessageA(LPCSTR name) {
  static std::mutex mutex;
  static std::map<std::string, UINT> registered;
  if (!name || !*name) {
    t_last_error = ERROR_INVALID_PARAMETER;
    return 0;
  }
  if (std::string(name) == RASDIALEVENT) return WM_RASDIALEVENT;
  std::lock_guard lock(mutex);
  auto [it, inserted] = registered.emplace(name, static_cast<UINT>(0xC000 + registered.size()));
  return it->second;
}

UINT WINAPI RegisterWindowMessageW(LPCWSTR name) {
  TextArg text = text_arg(name);
  if (!text.ok) {
    t_last_error = ERROR_INVALID_PARAMETER;
    return 0;
  }
  return RegisterWindowMessageA(text.c_str());
}

}  // extern "C"
