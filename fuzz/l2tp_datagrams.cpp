// libFuzzer: any datagrams from a server drive the L2TP client engine (headers, AVPs, hidden
// AVPs with a secret, the reliable-delivery rules, the call's state machine) without crashing
// or looping. The input is cut into datagrams at 0xFF 0xFE markers; the first octet picks
// whether the tunnel has a secret. The engine's own messages round-trip through the parser.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "link/l2tp_client.hpp"

using namespace openras;
using namespace openras::link::l2tp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  ClientConfig config;
  config.tunnel_id = 0x0101;  // the fuzzer can find it: both octets the same
  config.session_id = 0x0202;
  if (data[0] & 1) config.secret = "fuzz";
  Client client(config);
  TimePoint now{};
  client.start(now);
  ByteView rest(data + 1, size - 1);
  std::size_t start = 0;
  for (std::size_t i = 0; i + 1 <= rest.size(); ++i) {
    bool marker = i + 1 < rest.size() && rest[i] == 0xFF && rest[i + 1] == 0xFE;
    if (!marker && i + 1 != rest.size()) continue;
    std::size_t end = marker ? i : rest.size();
    client.feed(rest.subspan(start, end - start), now);
    now += std::chrono::milliseconds(300);
    client.on_timer(now);
    Bytes out;
    while (client.poll_transmit(out)) {
      auto h = parse_header(out);
      if (!h) std::abort();  // what we send always parses
      if (h->control && !payload_of(out, *h).empty() &&
          !parse_control(payload_of(out, *h), config.secret)) {
        std::abort();
      }
    }
    while (client.poll_frame(out)) {
    }
    client.send_frame(rest.subspan(start, end - start));
    start = marker ? i + 2 : end;
    if (marker) ++i;
  }
  client.disconnect(now);
  for (int i = 0; i < 50 && client.next_deadline(); ++i) client.on_timer(*client.next_deadline());
  return 0;
}
