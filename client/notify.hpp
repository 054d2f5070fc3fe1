// Per-thread notifier registrations and their dispatch. A registration belongs to the thread
// that called RasDial; dispatch runs only on that thread, when it pumps.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>

#include "ras.h"

namespace openras::client {

enum class NotifierKind : std::uint32_t {
  Func = 0,
  Func1 = 1,
  Func2 = 2,
  Window = 0xFFFFFFFFu,
  Sync = 0xFFFFFFFEu,  // a synchronous RasDial waiting on this thread
};

struct Notifier {
  NotifierKind kind = NotifierKind::Sync;
  void* target = nullptr;  // the callback or HWND
  ULONG_PTR callback_id = 0;
  DWORD subentry = 0;
  bool stopped = false;  // RasDialFunc2 returned 0
  bool finished = false;
  std::uint32_t last_state = 0;
  std::uint32_t final_error = 0;
  bool paused = false;
  bool lost = false;  // rasmand went away before a final state
};

void register_notifier(std::uint32_t handle, const Notifier& notifier);
void forget_notifier(std::uint32_t handle);
std::optional<Notifier> find_notifier(std::uint32_t handle);

// Deliver queued notifications. Re-entrant calls (a RAS call made from inside a callback) only
// record synchronous waits and leave callbacks queued for the outer dispatch.
void dispatch_pending();

// Pump: dispatch what is queued, then wait for more up to timeout_ms (-1: forever), and
// dispatch it. Also watches `extra_fd` when >= 0; returns true when extra_fd became readable.
bool pump_once(int timeout_ms, int extra_fd = -1);

struct Incoming;
// The channel broke: queue ERROR_RASMAN_SERVICE_STOPPED for every unfinished dial.
void note_channel_lost(std::deque<Incoming>& queue);

// CLOCK_MONOTONIC stamp of the notification being delivered (rasmand's state-change time);
// for the notification-latency benchmark.
std::uint64_t current_event_stamp_ns();

// Block this thread until the dial `handle` reaches a final or paused state; its error.
std::uint32_t wait_for_final(std::uint32_t handle);

}  // namespace openras::client
