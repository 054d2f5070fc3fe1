#include "runtime/driver_pool.hpp"

#include "runtime/connection_driver.hpp"

namespace openras::runtime {
namespace {

// Commands a loop runs before it looks at its sockets again.
constexpr std::size_t kCommandsPerTurn = 4;

}  // namespace

DriverPool::DriverPool(unsigned loops) {
  if (loops == 0) loops = 1;
  for (unsigned i = 0; i < loops; ++i) {
    auto loop = std::make_unique<Loop>();
    Loop* raw = loop.get();
    loop->thread = std::thread([raw] { raw->io.run(); });
    loops_.push_back(std::move(loop));
  }
}

DriverPool::~DriverPool() {
  stop();
  // Drivers hold timers and descriptors of their loop's io_context: they go before it.
  for (auto& loop : loops_) loop->drivers.clear();
}

void DriverPool::stop() {
  for (auto& loop : loops_) {
    loop->work.reset();
    loop->io.stop();
  }
  for (auto& loop : loops_) {
    if (loop->thread.joinable()) loop->thread.join();
  }
}

unsigned DriverPool::pick() {
  unsigned best = 0;
  for (unsigned i = 1; i < loops_.size(); ++i) {
    if (loops_[i]->load.load(std::memory_order_relaxed) <
        loops_[best]->load.load(std::memory_order_relaxed)) {
      best = i;
    }
  }
  loops_[best]->load.fetch_add(1, std::memory_order_relaxed);
  return best;
}

void DriverPool::deliver(Loop& loop, std::function<void()> work) {
  {
    std::lock_guard lock(loop.inbox_mutex);
    loop.inbox.push_back(std::move(work));
    if (loop.draining) return;
    loop.draining = true;
  }
  asio::post(loop.io, [&loop] { drain(loop); });
}

void DriverPool::drain(Loop& loop) {
  std::deque<std::function<void()>> batch;
  {
    std::lock_guard lock(loop.inbox_mutex);
    const std::size_t n = std::min(kCommandsPerTurn, loop.inbox.size());
    std::move(loop.inbox.begin(), loop.inbox.begin() + static_cast<std::ptrdiff_t>(n),
              std::back_inserter(batch));
    loop.inbox.erase(loop.inbox.begin(), loop.inbox.begin() + static_cast<std::ptrdiff_t>(n));
  }
  for (auto& work : batch) work();
  {
    std::lock_guard lock(loop.inbox_mutex);
    if (loop.inbox.empty()) {
      loop.draining = false;
      return;
    }
  }
  // Behind whatever the loop's sockets have completed meanwhile.
  asio::post(loop.io, [&loop] { drain(loop); });
}

void DriverPool::with_driver(unsigned loop, std::uint32_t handle,
                             std::function<void(ConnectionDriver*)> work) {
  Loop& l = *loops_[loop];
  deliver(l, [&l, handle, work = std::move(work)] {
    auto it = l.drivers.find(handle);
    // Held for the call: the work may retire the driver.
    std::shared_ptr<ConnectionDriver> driver = it == l.drivers.end() ? nullptr : it->second;
    work(driver.get());
  });
}

void DriverPool::place(unsigned loop, std::uint32_t handle,
                       std::shared_ptr<ConnectionDriver> driver,
                       std::function<void(ConnectionDriver&)> then) {
  Loop& l = *loops_[loop];
  deliver(l, [&l, handle, driver = std::move(driver), then = std::move(then)]() mutable {
    l.drivers[handle] = driver;
    then(*driver);
  });
}

void DriverPool::retire(unsigned loop, std::uint32_t handle) {
  Loop& l = *loops_[loop];
  asio::post(l.io, [&l, handle] {
    if (l.drivers.erase(handle)) l.load.fetch_sub(1, std::memory_order_relaxed);
  });
}

}  // namespace openras::runtime
