// The connection driver on a real loop with a scripted machine and a recording observer: what
// it reports and in which order (states, the network it wants, the interface it lets go, its
// end), and the rule that a link's end is heard only once its interface has gone.
#include "runtime/connection_driver.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <string>
#include <vector>

#include "ras.h"
#include "raserror.h"

namespace openras::runtime {
namespace {

// A machine that asks for a network once projected and drops when told to; everything it
// emits is queued by the test.
class ScriptedMachine final : public dial::DialMachine {
 public:
  std::deque<dial::DialOutput> outputs;
  std::vector<std::uint32_t> network_ready_calls;
  bool hung_up = false;

  void start(TimePoint) override {
    outputs.push_back(dial::DialEvent{RASCS_OpenPort, 0, 0});
    outputs.push_back(dial::DialEvent{RASCS_Projected, 0, 0});
    dial::NetworkRequest network;
    network.ip = 0x0a000002;
    outputs.push_back(network);
  }
  void on_timer(TimePoint) override {}
  std::optional<TimePoint> next_deadline() const override { return std::nullopt; }
  std::optional<dial::DialOutput> poll_output() override {
    if (outputs.empty()) return std::nullopt;
    auto out = outputs.front();
    outputs.pop_front();
    return out;
  }
  void network_ready(std::uint32_t error, TimePoint) override {
    network_ready_calls.push_back(error);
    if (!error) outputs.push_back(dial::DialEvent{RASCS_Connected, 0, 0});
  }
  void hang_up(TimePoint) override {
    hung_up = true;
    outputs.push_back(dial::PortReleased{});
    outputs.push_back(dial::Finished{});
  }
  // Accepted whenever asked: the tests use it to make the driver take what they queued.
  std::uint32_t resume(const dial::Credentials&, TimePoint) override { return 0; }
  std::optional<dial::Projection> projection() const override { return std::nullopt; }
  dial::LinkStatistics stats;
  dial::LinkStatistics statistics() const override { return stats; }
  std::string device_type() const override { return "test"; }
  std::string device_name() const override { return "scripted"; }
};

struct Recorder final : DriverObserver {
  std::vector<std::string> log;
  int released_fd = -1;
  void on_state(std::uint32_t, const dial::DialEvent& e) override {
    log.push_back("state " + std::to_string(e.state) + "/" + std::to_string(e.error));
  }
  void on_network_wanted(std::uint32_t, const dial::NetworkRequest& r, std::uint32_t,
                         const host::HookInfo& base) override {
    log.push_back("network " + std::to_string(r.ip) + " " + base.link_name);
  }
  void on_interface_released(std::uint32_t, int fd, const host::HookInfo& down) override {
    released_fd = fd;
    log.push_back("interface released " + down.ifname);
  }
  void on_port_released(std::uint32_t) override { log.push_back("port released"); }
  void on_driver_gone(std::uint32_t) override { log.push_back("gone"); }
};

struct DriverTest : ::testing::Test {
  asio::io_context loop;
  Recorder recorder;
  ScriptedMachine* machine = nullptr;
  bool retired = false;
  std::shared_ptr<ConnectionDriver> driver;
  int tun_peer = -1;  // the far end of the socket pair that stands in for a TUN

  void SetUp() override {
    auto m = std::make_unique<ScriptedMachine>();
    machine = m.get();
    DriverSetup setup;
    setup.handle = 7;
    setup.machine = std::move(m);
    setup.entry_name = "Office";
    driver = std::make_shared<ConnectionDriver>(loop, std::move(setup), recorder,
                                                [this] { retired = true; });
  }
  void TearDown() override {
    if (tun_peer >= 0) ::close(tun_peer);
    if (recorder.released_fd >= 0) ::close(recorder.released_fd);
  }
  // Makes the driver take what the test queued on the machine.
  void poke() {
    driver->resume({}, [](std::uint32_t) {});
    loop.poll();
  }
  // Gives the driver an interface (one end of a datagram socket pair) and the network.
  void bring_up() {
    int pair[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, pair), 0);
    tun_peer = pair[1];
    dial::NetworkRequest applied;
    applied.ip = 0x0a000002;
    driver->interface_up(pair[0], false, "ras0", applied);
    driver->network_ready(0);
    loop.poll();
  }
};

TEST_F(DriverTest, ReportsStatesInOrderAndAsksForTheNetworkOnce) {
  driver->start();
  loop.poll();
  ASSERT_EQ(recorder.log.size(), 3u);
  EXPECT_EQ(recorder.log[0], "state " + std::to_string(RASCS_OpenPort) + "/0");
  EXPECT_EQ(recorder.log[1], "state " + std::to_string(RASCS_Projected) + "/0");
  EXPECT_EQ(recorder.log[2], "network 167772162 Office");
  bring_up();
  ASSERT_EQ(machine->network_ready_calls.size(), 1u);
  EXPECT_EQ(recorder.log.back(), "state " + std::to_string(RASCS_Connected) + "/0");
}

TEST_F(DriverTest, ALinkEndIsHeardOnlyOnceItsInterfaceHasGone) {
  driver->start();
  bring_up();
  recorder.log.clear();
  // The link drops: the driver lets the interface go and holds the event back.
  machine->outputs.push_back(dial::DialEvent{RASCS_Disconnected, ERROR_REMOTE_DISCONNECTION, 0});
  machine->outputs.push_back(dial::PortReleased{});
  poke();
  ASSERT_FALSE(recorder.log.empty());
  EXPECT_EQ(recorder.log.front(), "interface released ras0");
  for (const auto& line : recorder.log)
    EXPECT_EQ(line.rfind("state", 0), std::string::npos) << line;
  EXPECT_GE(recorder.released_fd, 0);
  // Once the interface is closed the held state goes out.
  driver->interface_closed();
  loop.poll();
  EXPECT_EQ(recorder.log.back(), "state " + std::to_string(RASCS_Disconnected) + "/" +
                                     std::to_string(ERROR_REMOTE_DISCONNECTION));
  EXPECT_FALSE(retired);
}

TEST_F(DriverTest, HangUpEndsInGoneAndRetiresOnlyAfterTheInterface) {
  driver->start();
  bring_up();
  recorder.log.clear();
  driver->hang_up();
  loop.poll();
  EXPECT_TRUE(machine->hung_up);
  // The interface is let go first; the driver is not gone while it is being closed.
  ASSERT_FALSE(recorder.log.empty());
  EXPECT_EQ(recorder.log.front(), "interface released ras0");
  EXPECT_FALSE(retired);
  driver->interface_closed();
  loop.poll();
  EXPECT_EQ(recorder.log.back(), "gone");
  EXPECT_TRUE(retired);
  // Nothing after hang-up reaches the client as a state.
  for (const auto& line : recorder.log)
    EXPECT_EQ(line.rfind("state", 0), std::string::npos) << line;
}

TEST_F(DriverTest, AnInterfaceArrivingAfterHangUpIsLetGoAtOnce) {
  driver->start();
  loop.poll();
  driver->hang_up();
  loop.poll();
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, pair), 0);
  tun_peer = pair[1];
  driver->interface_up(pair[0], false, "ras1", {});
  loop.poll();
  EXPECT_EQ(recorder.released_fd, pair[0]) << "the late interface must be handed back";
}

TEST_F(DriverTest, StatisticsAreCountedFromTheLastClear) {
  driver->start();
  bring_up();
  machine->stats.bytes_sent = 100;
  machine->stats.frames_received = 7;
  EXPECT_EQ(driver->statistics().bytes_sent, 100u);
  driver->clear_statistics();
  machine->stats.bytes_sent = 150;
  machine->stats.frames_received = 9;
  auto after = driver->statistics();
  EXPECT_EQ(after.bytes_sent, 50u);
  EXPECT_EQ(after.frames_received, 2u);
}

}  // namespace
}  // namespace openras::runtime
