// The loops connection drivers live on: one thread and one io_context each (`rasmand --loops`,
// by default one a core). A driver is put on the loop with the fewest drivers and stays there
// for its whole life, so nothing on its data path takes a lock; everything else reaches it by
// posting to its loop. Each loop keeps its own drivers, touched only on its thread.
#pragma once

#include <asio.hpp>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace openras::runtime {

class ConnectionDriver;

class DriverPool {
 public:
  explicit DriverPool(unsigned loops);
  ~DriverPool();  // stops the loops, then lets go of the drivers left on them
  DriverPool(const DriverPool&) = delete;
  DriverPool& operator=(const DriverPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(loops_.size()); }
  // The loop with the fewest drivers; the count is taken at once, so that many dials placed
  // in a burst spread over the loops.
  unsigned pick();
  asio::io_context& io(unsigned loop) { return loops_[loop]->io; }

  // On any thread: runs `work` on the loop with the driver of `handle`, or nullptr when there
  // is none (never placed, or retired).
  void with_driver(unsigned loop, std::uint32_t handle,
                   std::function<void(ConnectionDriver*)> work);
  // On any thread: places `driver` on `loop` (picked before) under `handle`, then runs `then`
  // there with it.
  void place(unsigned loop, std::uint32_t handle, std::shared_ptr<ConnectionDriver> driver,
             std::function<void(ConnectionDriver&)> then);
  // On the loop's thread: forgets the driver (posted, so the caller's frame unwinds first).
  void retire(unsigned loop, std::uint32_t handle);

  // Stops every loop and joins its thread (idempotent).
  void stop();

 private:
  // What other threads give a loop waits in its inbox and is taken a few at a time, with the
  // loop's I/O in between: a burst of commands (a mass hang-up) posted straight to the
  // io_context would all run before any packet another connection has waiting (measured: a
  // surviving call's ping reached 214-310 ms during 1,000 hang-ups).
  struct Loop {
    asio::io_context io{1};
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
    std::mutex inbox_mutex;
    std::deque<std::function<void()>> inbox;
    bool draining = false;  // a drain is posted and has not finished
    std::unordered_map<std::uint32_t, std::shared_ptr<ConnectionDriver>> drivers;
    std::atomic<std::size_t> load{0};  // drivers placed and not yet retired
    std::thread thread;
  };
  static void deliver(Loop& loop, std::function<void()> work);
  static void drain(Loop& loop);

  std::vector<std::unique_ptr<Loop>> loops_;
};

}  // namespace openras::runtime
