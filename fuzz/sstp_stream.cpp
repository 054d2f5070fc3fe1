// libFuzzer: any byte stream from a server, cut at any point, drives the SSTP client engine
// (HTTP head, packet reassembly, control messages and attributes, the binding request) without
// crashing or looping; a control packet that decodes re-encodes to one that decodes the same
// (reserved bits are ignored on receipt, so the octets themselves may differ).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "link/sstp_client.hpp"

using namespace openras;
using namespace openras::link::sstp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // First octet: where to cut the stream in two feeds.
  std::size_t cut = size > 1 ? data[0] % size : 0;
  ByteView rest(data + 1, size - 1);
  ClientConfig config;
  config.host = "fuzz";
  config.correlation_id = "0";
  Client client(config);
  TimePoint now{};
  Bytes cert = {0x30, 0x00};
  client.start(cert, now);
  std::string reply = "HTTP/1.1 200 OK\r\n\r\n";
  if (rest.size() > 0 && (rest[0] & 1)) {  // half the inputs start past the HTTP head
    client.feed({reinterpret_cast<const std::uint8_t*>(reply.data()), reply.size()}, now);
  }
  std::size_t first = std::min(cut, rest.size());
  client.feed(rest.subspan(0, first), now);
  client.authenticated(std::array<std::uint8_t, 16>{}, now);
  client.feed(rest.subspan(first), now);
  Bytes out;
  while (client.poll_transmit(out)) {
  }
  while (client.poll_frame(out)) {
  }
  client.on_timer(now + std::chrono::seconds(120));
  if (auto p = decode_packet(rest); p && p->control) {
    auto again = decode_packet(encode_control(p->message));
    if (!again || again->message.type != p->message.type ||
        again->message.attributes.size() != p->message.attributes.size()) {
      std::abort();
    }
    for (std::size_t i = 0; i < p->message.attributes.size(); ++i) {
      if (again->message.attributes[i].value != p->message.attributes[i].value) std::abort();
    }
  }
  link::HttpHead head;
  head.feed(rest);
  (void)head.status_code();
  return 0;
}
