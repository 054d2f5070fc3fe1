// The modern C++ face of OpenRAS: the same machinery as the C API (it is built on it), with an
// RAII connection, notifications as a callback or a coroutine awaitable, and errors as
// std::error_code in the `ras` category whose messages are the RasGetErrorString texts.
//
// Notifications run on the thread that dialed, when it pumps: openras::pump(), any RAS call,
// or a poll loop on RasGetNotificationFd(). Coroutines awaiting next_state() resume there.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "ras.h"

namespace openras {

const std::error_category& ras_category() noexcept;

inline std::error_code make_ras_error_code(DWORD code) {
  return code ? std::error_code(static_cast<int>(code), ras_category()) : std::error_code();
}

// Between two attempts of a dial whose entry redials (RedialAttempts, RedialSeconds, or
// RedialOnLinkFailure): Windows' dialogs say "error 678, redialing in 60 s (attempt 2 of 4)",
// and so can a caller; RasDial's notifier hears only the attempts' states.
struct RedialStatus {
  DWORD last_error = 0;       // what ended the last attempt
  unsigned next_attempt = 0;  // 2 is the first redial
  unsigned attempts = 0;      // the first attempt included
  std::chrono::milliseconds starts_in{};
};
// nullopt when no redial is pending (or the handle is not valid).
std::optional<RedialStatus> redial_status(HRASCONN h);

struct StateChange {
  RASCONNSTATE state = RASCS_OpenPort;
  std::error_code error;
  DWORD extended_error = 0;
  bool is_final() const { return error || state == RASCS_Connected || state == RASCS_Disconnected; }
};

struct DialRequest {
  std::string entry{};
  std::string phonebook{};  // empty: the default phonebooks
  std::string phone_number{};
  std::string user{};
  std::string password{};
  std::string domain{};
  DWORD options = 0;  // RDEOPT_*
};

class Connection {
 public:
  using Callback = std::function<void(const StateChange&)>;
  struct State;

  Connection() = default;
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();  // hangs up unless detached

  // Asynchronous dial: returns at once. `on_state` (may be empty when awaiting instead) hears
  // every state on this thread.
  static Connection dial(const DialRequest& request, Callback on_state, std::error_code& ec);
  // Synchronous dial: blocks until Connected or an error.
  static Connection dial_sync(const DialRequest& request, std::error_code& ec);

  HRASCONN handle() const;
  explicit operator bool() const { return handle() != nullptr; }
  HRASCONN detach();  // the connection stays up; the caller owns the handle
  std::error_code hang_up();
  std::error_code status(RASCONNSTATUSA& out) const;

  struct StateAwaiter {
    std::shared_ptr<State> state;
    bool await_ready() const noexcept;
    void await_suspend(std::coroutine_handle<> waiter) noexcept;
    StateChange await_resume();
  };
  // co_await conn.next_state(): the next state change, resumed on the dialing thread.
  StateAwaiter next_state() const { return StateAwaiter{state_}; }

 private:
  std::shared_ptr<State> state_;
};

// Run this thread's pending RAS notifications, waiting up to timeout_ms for more (-1: forever).
inline void pump(int timeout_ms) {
  RasDispatchNotifications(timeout_ms < 0 ? 0xFFFFFFFFu : static_cast<DWORD>(timeout_ms));
}

}  // namespace openras
