// The calling thread's own socket to rasmand. Every RAS call on a thread goes through that
// thread's channel; notifications for dials made on the thread arrive on it and wait in its
// queue until the thread pumps (so callbacks never run on a library thread).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <vector>

#include "ipc/messages.hpp"

namespace openras::client {

struct Incoming {
  ipc::MsgType type = ipc::MsgType::StateEvent;  // StateEvent or DialDetached
  ipc::StateEvent event;
};

class Channel {
 public:
  // This thread's channel, connecting (and spawning rasmand) on first use. nullptr with
  // `error` set (ERROR_RASMAN_CANNOT_INITIALIZE) when no daemon can be reached.
  static Channel* for_this_thread(std::uint32_t& error);
  // This thread's channel if it is already open and working; never connects.
  static Channel* existing();
  // This thread's channel even when broken (its queue may still hold events).
  static Channel* current();

  explicit Channel(int fd);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Send a request and wait for its reply (events that arrive meanwhile are queued). Returns
  // the reply's Win32 error, or ERROR_RASMAN_SERVICE_STOPPED when the daemon went away.
  std::uint32_t call(ipc::MsgType type, std::span<const std::byte> body,
                     std::vector<std::byte>* reply_payload = nullptr, int pass_fd = -1);

  // Wait until input arrives or timeout_ms passes (-1: forever), then read what is there.
  // False on timeout or a broken channel.
  bool wait_and_read(int timeout_ms);
  // Read whatever is available without blocking.
  void read_available();

  std::deque<Incoming>& queue() { return queue_; }
  int fd() const { return fd_; }
  bool broken() const { return broken_; }

 private:
  bool read_some(bool block);
  void parse_frames();
  bool send_all(std::span<const std::byte> frame, int pass_fd);

  int fd_;
  bool broken_ = false;
  std::uint32_t next_request_ = 1;
  std::vector<std::byte> in_;
  std::deque<Incoming> queue_;
  std::deque<std::pair<std::uint32_t, std::vector<std::byte>>> replies_;
};

// Drop this thread's channel (the daemon then aborts the thread's unfinished dials).
void reset_this_thread_channel();

}  // namespace openras::client
