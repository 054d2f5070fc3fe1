// libFuzzer: LCP, PAP, CHAP, MS-CHAPv2, EAP-MSCHAPv2, IPCP and IPV6CP parsing, in both roles. The
// input is a list of frames (each prefixed by its length octet) fed to a client and a server
// session that are first brought to the phase the frame targets.
#include <cstddef>
#include <cstdint>

#include "ppp/session.hpp"

using namespace openras::ppp;

namespace {

class FixedRandom final : public Random {
 public:
  void fill(std::uint8_t* out, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(++state_ * 37);
  }

 private:
  std::uint32_t state_ = 0;
};

void drain(Session& s) {
  Bytes frame;
  while (s.poll_transmit(frame)) {
  }
  while (s.poll_event()) {
  }
  while (s.poll_packet()) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FixedRandom random;
  SessionConfig client_config;
  client_config.user = "alice";
  client_config.password = "secret";
  client_config.paused_retry = true;
  client_config.allowed.eap_mschapv2 = true;
  SessionConfig server_config;
  server_config.server = true;
  server_config.server_settings.require = {AuthMethod::MsChapV2, AuthMethod::ChapMd5,
                                           AuthMethod::Pap, AuthMethod::EapMsChapV2};
  server_config.server_settings.accounts = {{"alice", "secret"}};
  server_config.server_settings.assign_ip = 0x0A000002;
  Session client(client_config, random);
  Session server(server_config, random);
  openras::TimePoint now{};
  client.open(now);
  server.open(now);
  std::size_t pos = 0;
  while (pos < size) {
    std::size_t len = data[pos++];
    if (len > size - pos) len = size - pos;
    ByteView frame(data + pos, len);
    pos += len;
    client.feed(frame, now);
    server.feed(frame, now);
    now += std::chrono::milliseconds(700);
    client.on_timer(now);
    server.on_timer(now);
    drain(client);
    drain(server);
  }
  return 0;
}
