#include "host/worker_pool.hpp"

namespace openras::host {

WorkerPool::WorkerPool(asio::io_context& io, unsigned max_threads)
    : io_(io), max_threads_(max_threads) {}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkerPool::run(std::function<void()> work, std::function<void()> done) {
  {
    std::lock_guard lock(mutex_);
    jobs_.emplace_back(std::move(work), std::move(done));
    // Another thread only when every one there is busy: an idle daemon keeps none.
    if (jobs_.size() > idle_ && threads_.size() < max_threads_) {
      threads_.emplace_back([this] { serve(); });
    }
  }
  wake_.notify_one();
}

void WorkerPool::serve() {
  for (;;) {
    std::pair<std::function<void()>, std::function<void()>> job;
    {
      std::unique_lock lock(mutex_);
      ++idle_;
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty()) return;  // stopping, and nothing left to do
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job.first();
    if (job.second) asio::post(io_, std::move(job.second));
  }
}

}  // namespace openras::host
