// Random, truncated, oversized and lying messages to rasmand: it answers with an error or
// closes that socket, and keeps serving everyone else.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <random>

#include "daemon_fixture.hpp"
#include "ipc/messages.hpp"
#include "raw_ipc.hpp"

namespace openras::testing {
namespace {

class HostileIpcTest : public DaemonTest {
 protected:
  int raw_connect() {
    int fd = testing::raw_connect(socket_path());
    EXPECT_GE(fd, 0);
    return fd;
  }
  void expect_still_serving() {
    add_entry("Probe" + std::to_string(++probes_), kFullScript, 1);
    auto params = params_for("Probe" + std::to_string(probes_));
    HRASCONN h = nullptr;
    ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u);
    RasHangUpA(h);
    ASSERT_TRUE(wait_until_gone(h));
  }
  int probes_ = 0;
};

TEST_F(HostileIpcTest, UnknownTypeGetsAnErrorReply) {
  int fd = raw_connect();
  send_bytes(fd, ipc::make_frame(static_cast<ipc::MsgType>(0x7777), 9, {}));
  EXPECT_EQ(read_reply_error(fd), ERROR_INVALID_PARAMETER);
  close(fd);
  expect_still_serving();
}

TEST_F(HostileIpcTest, TruncatedBodyGetsAnErrorReply) {
  int fd = raw_connect();
  std::vector<std::byte> body(3, std::byte{0x41});  // a Dial body cut short
  send_bytes(fd, ipc::make_frame(ipc::MsgType::Dial, 1, body));
  EXPECT_EQ(read_reply_error(fd), ERROR_INVALID_PARAMETER);
  ipc::Writer w;
  w.u32(0xFFFFFFFF);  // a string length far past the body
  send_bytes(fd, ipc::make_frame(ipc::MsgType::Dial, 2, w.data()));
  EXPECT_EQ(read_reply_error(fd), ERROR_INVALID_PARAMETER);
  close(fd);
  expect_still_serving();
}

TEST_F(HostileIpcTest, OversizedOrWrongVersionFramesCloseThatSocketOnly) {
  int fd = raw_connect();
  std::byte header[ipc::kHeaderSize];
  ipc::encode_header({ipc::kMaxBodySize + 1, ipc::kProtocolVersion, ipc::MsgType::Dial, 1}, header);
  send_bytes(fd, std::vector<std::byte>(header, header + sizeof(header)));
  EXPECT_EQ(read_reply_error(fd), -1);
  close(fd);
  fd = raw_connect();
  ipc::encode_header({0, 99, ipc::MsgType::Ping, 1}, header);
  send_bytes(fd, std::vector<std::byte>(header, header + sizeof(header)));
  EXPECT_EQ(read_reply_error(fd), -1);
  close(fd);
  expect_still_serving();
}

TEST_F(HostileIpcTest, RandomGarbageNeverTakesTheDaemonDown) {
  std::mt19937 rng(1234);
  for (int round = 0; round < 200; ++round) {
    int fd = raw_connect();
    std::vector<std::byte> junk(rng() % 200);
    for (auto& b : junk) b = static_cast<std::byte>(rng());
    if (round % 2 == 0 && junk.size() >= ipc::kHeaderSize) {
      // Half the rounds carry a valid header so the garbage reaches the message decoders.
      ipc::encode_header(
          {static_cast<std::uint32_t>(junk.size() - ipc::kHeaderSize), ipc::kProtocolVersion,
           static_cast<ipc::MsgType>(1 + rng() % 10), static_cast<std::uint32_t>(round)},
          junk.data());
    }
    send_bytes(fd, junk);
    close(fd);
  }
  expect_still_serving();
}

TEST_F(HostileIpcTest, HangUpOfAnotherSessionsHandleGuessIsRefusedCleanly) {
  int fd = raw_connect();
  for (std::uint32_t guess : {0u, 1u, 0xFFFFFFFFu}) {
    send_bytes(fd, ipc::make_frame(ipc::MsgType::HangUp, guess,
                                   ipc::encode_body(ipc::HandleRequest{guess})));
    EXPECT_EQ(read_reply_error(fd), ERROR_INVALID_HANDLE);
  }
  close(fd);
  expect_still_serving();
}

TEST_F(HostileIpcTest, SubscribeWithoutADescriptorIsRefused) {
  int fd = raw_connect();
  send_bytes(fd, ipc::make_frame(ipc::MsgType::Subscribe, 5,
                                 ipc::encode_body(ipc::SubscribeRequest{0, RASCN_Connection})));
  EXPECT_EQ(read_reply_error(fd), ERROR_INVALID_PARAMETER);
  close(fd);
  expect_still_serving();
}

}  // namespace
}  // namespace openras::testing
