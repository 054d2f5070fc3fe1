// Closing TUN descriptors off the event loop. Closing the last descriptor of a TUN unregisters
// its interface, and the kernel waits for an RCU grace period there: 15-50 ms during which the
// loop would carry no other connection's traffic (a mass hang-up stalled everything for
// seconds). A few threads do the closes, several at once (the waits overlap in the kernel), and
// each completion is posted back to the loop.
#pragma once

#include <asio.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace openras::manager {

class TunCloser {
 public:
  explicit TunCloser(asio::io_context& io, unsigned threads = 4);
  ~TunCloser();  // finishes the closes already asked for
  TunCloser(const TunCloser&) = delete;
  TunCloser& operator=(const TunCloser&) = delete;

  // Closes `fd` on a closer thread, then runs `done` on the loop.
  void close(int fd, std::function<void()> done);

 private:
  void run();

  asio::io_context& io_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<int, std::function<void()>>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace openras::manager
