#include "manager/client_event.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <ctime>
#include <string>

namespace openras::manager {
namespace {

// Longest a signalling write may take before the alarm interrupts it.
constexpr long kWriteAlarmNs = 50'000'000;

bool is_eventfd(int fd) {
  char target[64];
  std::string link = "/proc/self/fd/" + std::to_string(fd);
  ssize_t n = ::readlink(link.c_str(), target, sizeof(target) - 1);
  if (n <= 0) return false;
  return std::string(target, static_cast<std::size_t>(n)) == "anon_inode:[eventfd]";
}

void ignore_alarm(int) {}

// A per-thread timer that sends this thread a signal whose handler is installed without
// SA_RESTART: a write that blocks in spite of every check returns EINTR.
class WriteAlarm {
 public:
  WriteAlarm() {
    static const int signal_number = [] {
      struct sigaction action {};
      action.sa_handler = ignore_alarm;
      sigemptyset(&action.sa_mask);
      action.sa_flags = 0;
      ::sigaction(SIGRTMIN + 1, &action, nullptr);
      return SIGRTMIN + 1;
    }();
    sigevent ev{};
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = signal_number;
    ev._sigev_un._tid = ::gettid();
    armed_ = ::timer_create(CLOCK_MONOTONIC, &ev, &timer_) == 0;
  }
  ~WriteAlarm() {
    if (armed_) ::timer_delete(timer_);
  }
  bool usable() const { return armed_; }
  void set(long ns) {
    itimerspec spec{};
    spec.it_value.tv_nsec = ns;
    ::timer_settime(timer_, 0, &spec, nullptr);
  }

 private:
  timer_t timer_{};
  bool armed_ = false;
};

}  // namespace

bool adopt_client_event(int fd) {
  if (!is_eventfd(fd)) return false;
  int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

bool signal_client_event(int fd) {
  thread_local WriteAlarm alarm;
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || !(flags & O_NONBLOCK) || !alarm.usable()) return false;
  std::uint64_t one = 1;
  alarm.set(kWriteAlarmNs);
  ssize_t n = ::write(fd, &one, sizeof(one));
  alarm.set(0);
  return n == static_cast<ssize_t>(sizeof(one));
}

}  // namespace openras::manager
