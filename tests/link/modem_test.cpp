#include "link/modem.hpp"

#include <gtest/gtest.h>

#include "raserror.h"

namespace openras::link {
namespace {

std::string drain(ModemDialer& m) {
  std::string out;
  std::vector<std::uint8_t> chunk;
  while (m.poll_transmit(chunk)) out.append(chunk.begin(), chunk.end());
  return out;
}

void say(ModemDialer& m, const std::string& text, TimePoint now) {
  m.feed(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), now);
}

TEST(Modem, InitDialAndConnectHandingTheRestToPpp) {
  ModemConfig c;
  c.number = "5551234";
  ModemDialer m(c);
  TimePoint now{};
  m.start(now);
  EXPECT_EQ(drain(m), "ATZ\r");
  say(m, "ATZ\r\r\nOK\r\n", now);  // echo of the command, then OK
  EXPECT_EQ(drain(m), "ATE0V1\r");
  say(m, "\r\nOK\r\n", now);
  EXPECT_EQ(drain(m), "ATDT5551234\r");
  EXPECT_EQ(m.status(), ModemDialer::Status::Dialing);
  say(m, "\r\nRING\r\n\r\nCONNECT 33600\r\n\x7e\xff\x7d", now);
  EXPECT_EQ(m.status(), ModemDialer::Status::Connected);
  EXPECT_EQ(m.connect_speed(), 33600u);
  EXPECT_EQ(m.take_after_connect(), (std::vector<std::uint8_t>{0x7e, 0xff, 0x7d}));
}

TEST(Modem, PulseDialing) {
  ModemConfig c;
  c.number = "42";
  c.pulse = true;
  c.init.clear();
  ModemDialer m(c);
  m.start(TimePoint{});
  EXPECT_EQ(drain(m), "ATDP42\r");
}

TEST(Modem, ResultCodesAreTheirWin32Errors) {
  const std::pair<const char*, std::uint32_t> cases[] = {
      {"BUSY", ERROR_LINE_BUSY},           {"NO CARRIER", ERROR_NO_CARRIER},
      {"NO ANSWER", ERROR_NO_ANSWER},      {"NO DIALTONE", ERROR_NO_DIALTONE},
      {"NO DIAL TONE", ERROR_NO_DIALTONE}, {"ERROR", ERROR_FROM_DEVICE},
      {"VOICE", ERROR_VOICE_ANSWER}};
  for (auto [code, error] : cases) {
    ModemConfig c;
    c.init.clear();
    ModemDialer m(c);
    m.start(TimePoint{});
    say(m, std::string("\r\n") + code + "\r\n", TimePoint{});
    EXPECT_EQ(m.status(), ModemDialer::Status::Failed) << code;
    EXPECT_EQ(m.error(), error) << code;
  }
}

TEST(Modem, SilenceIsDeviceNotReadyThenNoAnswer) {
  ModemDialer silent({});
  TimePoint now{};
  silent.start(now);
  silent.on_timer(now + std::chrono::seconds(5));
  EXPECT_EQ(silent.error(), static_cast<std::uint32_t>(ERROR_DEVICE_NOT_READY));

  ModemConfig c;
  c.init.clear();
  c.connect_timeout = std::chrono::seconds(30);
  ModemDialer no_answer(c);
  no_answer.start(now);
  no_answer.on_timer(now + std::chrono::seconds(29));
  EXPECT_EQ(no_answer.status(), ModemDialer::Status::Dialing);
  no_answer.on_timer(now + std::chrono::seconds(31));
  EXPECT_EQ(no_answer.error(), static_cast<std::uint32_t>(ERROR_NO_ANSWER));
}

TEST(Modem, HangUpEscapesWithGuardTimesThenAth) {
  ModemConfig c;
  c.init.clear();
  ModemDialer m(c);
  TimePoint now{};
  m.start(now);
  drain(m);
  say(m, "CONNECT\r\n", now);
  m.hang_up(now);
  EXPECT_EQ(drain(m), "");  // a guard time of silence first
  now += std::chrono::seconds(1);
  m.on_timer(now);
  EXPECT_EQ(drain(m), "+++");
  now += std::chrono::milliseconds(500);
  m.on_timer(now);
  EXPECT_EQ(drain(m), "");  // and another before the command
  now += std::chrono::milliseconds(600);
  m.on_timer(now);
  EXPECT_EQ(drain(m), "ATH\r");
  say(m, "\r\nOK\r\n", now);
  EXPECT_EQ(m.status(), ModemDialer::Status::HungUp);
}

TEST(Modem, CarrierLossTextBetweenFrames) {
  std::string text = "\r\nNO CARRIER\r\n";
  EXPECT_TRUE(
      is_carrier_lost_text(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  std::string frame = "\xff\x03\xc0\x21";
  EXPECT_FALSE(
      is_carrier_lost_text(reinterpret_cast<const std::uint8_t*>(frame.data()), frame.size()));
}

}  // namespace
}  // namespace openras::link
