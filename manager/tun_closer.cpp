#include "manager/tun_closer.hpp"

#include <unistd.h>

namespace openras::manager {

TunCloser::TunCloser(asio::io_context& io, unsigned threads) : io_(io) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

TunCloser::~TunCloser() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void TunCloser::close(int fd, std::function<void()> done) {
  {
    std::lock_guard lock(mutex_);
    jobs_.emplace_back(fd, std::move(done));
  }
  wake_.notify_one();
}

void TunCloser::run() {
  for (;;) {
    std::pair<int, std::function<void()>> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left to close
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    ::close(job.first);
    asio::post(io_, std::move(job.second));
  }
}

}  // namespace openras::manager
