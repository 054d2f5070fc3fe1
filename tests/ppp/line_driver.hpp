// Drives a client Session over a real file descriptor (a pty to slirp) in real time, and
// records every frame each way with its time, for the replay fixture.
#pragma once

#include <poll.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "ppp/hdlc_link.hpp"
#include "ppp/session.hpp"

namespace openras::ppp::testing {

struct Recorded {
  std::int64_t ms;
  bool sent;  // true: we sent it
  Bytes frame;
};

class LineDriver {
 public:
  LineDriver(Session& session, int fd) : session_(session), fd_(fd), link_(session) {
    start_ = Clock::now();
  }

  std::vector<Event> events;
  std::vector<Recorded> recorded;

  bool has(Event::Kind kind) const {
    for (const auto& e : events) {
      if (e.kind == kind) return true;
    }
    return false;
  }
  std::optional<std::uint32_t> finished() const {
    for (const auto& e : events) {
      if (e.kind == Event::Kind::Finished) return e.error;
    }
    return std::nullopt;
  }

  // Runs until `done` or `limit` passes.
  bool run(const std::function<bool()>& done, Duration limit) {
    auto end = Clock::now() + limit;
    while (!done() && Clock::now() < end) {
      flush();
      auto now = Clock::now();
      auto deadline = session_.next_deadline();
      int wait_ms = 50;
      if (deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - now).count();
        wait_ms = static_cast<int>(std::clamp<long long>(left, 0, 50));
      }
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, wait_ms) > 0 && (p.revents & POLLIN)) {
        std::uint8_t buf[4096];
        ssize_t n = read(fd_, buf, sizeof(buf));
        if (n > 0) {
          // Record deframed frames by running a second decoder over the same octets.
          std::deque<Bytes> frames;
          recorder_.feed(ByteView(buf, static_cast<std::size_t>(n)), frames);
          for (auto& f : frames) recorded.push_back({elapsed_ms(), false, std::move(f)});
          link_.feed_line(ByteView(buf, static_cast<std::size_t>(n)), Clock::now());
        }
      }
      session_.on_timer(Clock::now());
      while (auto e = session_.poll_event()) events.push_back(*e);
    }
    flush();
    while (auto e = session_.poll_event()) events.push_back(*e);
    return done();
  }

  void save(const std::string& path) const {
    std::ofstream out(path);
    static const char* digits = "0123456789abcdef";
    for (const auto& r : recorded) {
      out << r.ms << (r.sent ? " tx " : " rx ");
      for (auto b : r.frame) out << digits[b >> 4] << digits[b & 15];
      out << "\n";
    }
  }

 private:
  std::int64_t elapsed_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_).count();
  }
  void flush() {
    LineBytes line;
    while (true) {
      // Peek at the frame for the recording, then encode it for the line.
      const std::size_t before = line.size();
      if (!link_.poll_line(line)) break;
      Bytes encoded(line.begin() + static_cast<std::ptrdiff_t>(before), line.end());
      std::deque<Bytes> frames;
      HdlcDecoder d;
      d.feed(encoded, frames);
      for (auto& f : frames) recorded.push_back({elapsed_ms(), true, std::move(f)});
    }
    std::size_t off = 0;
    while (off < line.size()) {
      ssize_t n = write(fd_, line.data() + off, line.size() - off);
      if (n <= 0) {
        pollfd p{fd_, POLLOUT, 0};
        poll(&p, 1, 100);
        continue;
      }
      off += static_cast<std::size_t>(n);
    }
  }

  Session& session_;
  int fd_;
  HdlcLink link_;
  HdlcDecoder recorder_;
  TimePoint start_;
};

}  // namespace openras::ppp::testing
