// The loops connection drivers live on: one thread and one io_context each (`rasmand --loops`,
// by default one a core). A driver is put on the loop with the fewest drivers and stays there
// for its whole life, so nothing on its data path takes a lock; everything else reaches it by
// posting to its loop. Each loop keeps its own drivers, touched only on its thread.
#pragma once

#include <asio.hpp>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
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
  struct Loop {
    asio::io_context io{1};
    asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
    std::unordered_map<std::uint32_t, std::shared_ptr<ConnectionDriver>> drivers;
    std::atomic<std::size_t> load{0};  // drivers placed and not yet retired
    std::thread thread;
  };
  std::vector<std::unique_ptr<Loop>> loops_;
};

}  // namespace openras::runtime
