// Two PPP sessions wired back to back in virtual time.
#pragma once

#include <functional>
#include <vector>

#include "ppp/session.hpp"
#include "test_random.hpp"

namespace openras::ppp::testing {

struct Pair {
  Pair(SessionConfig client_config, SessionConfig server_config)
      : client_random(1),
        server_random(2),
        client(std::move(client_config), client_random),
        server(std::move(server_config), server_random) {}

  SeededRandom client_random;
  SeededRandom server_random;
  Session client;
  Session server;
  TimePoint now{};
  std::vector<Event> client_events;
  std::vector<Event> server_events;
  // Return false to drop a frame; `to_server` says which way it goes.
  std::function<bool(Bytes&, bool to_server)> filter = [](Bytes&, bool) { return true; };
  int frames_exchanged = 0;

  void start() {
    client.open(now);
    server.open(now);
  }

  bool client_finished() const {
    for (const auto& e : client_events) {
      if (e.kind == Event::Kind::Finished) return true;
    }
    return false;
  }

  bool has(const std::vector<Event>& events, Event::Kind kind) const {
    for (const auto& e : events) {
      if (e.kind == kind) return true;
    }
    return false;
  }

  std::uint32_t client_error() const {
    for (const auto& e : client_events) {
      if (e.kind == Event::Kind::Finished) return e.error;
    }
    return 0xFFFFFFFF;
  }

  // Runs until `done` or virtual time runs out; returns `done()`.
  bool run(const std::function<bool()>& done, Duration limit = std::chrono::seconds(120)) {
    const TimePoint end = now + limit;
    while (!done() && now < end) {
      bool moved = false;
      Bytes frame;
      while (client.poll_transmit(frame)) {
        moved = true;
        ++frames_exchanged;
        if (filter(frame, true)) server.feed(frame, now);
      }
      while (server.poll_transmit(frame)) {
        moved = true;
        ++frames_exchanged;
        if (filter(frame, false)) client.feed(frame, now);
      }
      while (auto e = client.poll_event()) client_events.push_back(*e);
      while (auto e = server.poll_event()) server_events.push_back(*e);
      if (moved) continue;
      auto a = client.next_deadline(), b = server.next_deadline();
      std::optional<TimePoint> next = a;
      if (b && (!next || *b < *next)) next = b;
      if (!next) break;
      now = std::max(now, *next);
      client.on_timer(now);
      server.on_timer(now);
    }
    while (auto e = client.poll_event()) client_events.push_back(*e);
    while (auto e = server.poll_event()) server_events.push_back(*e);
    return done();
  }

  bool run_until_up() {
    return run([&] { return has(client_events, Event::Kind::NetworkUp) || client_finished(); }) &&
           has(client_events, Event::Kind::NetworkUp);
  }
};

inline SessionConfig client_config(const std::string& user = "alice",
                                   const std::string& password = "secret") {
  SessionConfig c;
  c.user = user;
  c.password = password;
  return c;
}

inline SessionConfig server_config(std::vector<AuthMethod> require) {
  SessionConfig s;
  s.server = true;
  s.server_settings.require = std::move(require);
  s.server_settings.accounts = {{"alice", "secret"}};
  s.server_settings.local_ip = 0xC0A81E01;   // 192.168.30.1
  s.server_settings.assign_ip = 0xC0A81E0A;  // 192.168.30.10
  s.server_settings.dns1 = 0xC0A81E01;
  return s;
}

}  // namespace openras::ppp::testing
