// libFuzzer: any octets as an IKEv1 message. The parsers (header, chain, SA, ID, Notify,
// Delete) read the input as it is; SAs we build from what parsed must parse again. The input
// is also sealed under fixed phase 1 keys and opened again, so that the padded chain of an
// encrypted message is reached. Then an initiator in Main Mode takes it, with its own cookie
// written in, as the server's answer: nothing may crash, loop or read past the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "ike/ikev1_initiator.hpp"
#include "ike/wire.hpp"

namespace openras::ike::v1 {
namespace {

void parse_all(const std::vector<Payload>& chain) {
  for (const auto& p : chain) {
    switch (p.type) {
      case payload::kSa:
        if (auto sa = parse_sa(p.body)) {
          auto again = parse_sa(build_sa(*sa));
          if (!again || again->size() != sa->size()) std::abort();
        }
        break;
      case payload::kId:
        (void)parse_id(p.body);
        break;
      case payload::kNotify:
        (void)parse_notify(p.body);
        break;
      case payload::kDelete:
        (void)parse_delete(p.body);
        break;
      default:
        break;
    }
  }
}

class CountingRandom final : public ppp::Random {
 public:
  void fill(std::uint8_t* out, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(++state_ * 167u);
  }

 private:
  std::uint32_t state_ = 0;
};

const Phase1Keys& fixed_keys() {
  static const Phase1Keys keys = [] {
    Bytes psk(3, 'v'), ni(32, 1), nr(32, 2), secret(256, 0x42), ci(8, 3), cr(8, 4), gi(256, 5),
        gr(256, 6);
    return *derive_phase1_keys(Phase1Suite{}, {psk, ni, nr, secret, ci, cr, gi, gr});
  }();
  return keys;
}

int fuzz_one(const std::uint8_t* data, std::size_t size) {
  ByteView input(data, size);
  if (auto h = parse_header(input)) {
    ByteView body = input.subspan(kHeaderSize, h->length - kHeaderSize);
    if (auto chain = parse_chain(h->next_payload, body, false)) parse_all(*chain);
    if (auto chain = parse_chain(h->next_payload, body, true)) parse_all(*chain);
  }
  (void)describe(input);
  if (size >= kHeaderSize) {
    // Sealed and opened under fixed keys: the plaintext comes back whole and parses as much
    // as it parses in clear.
    Bytes message(data, data + size);
    message[17] = 0x10;
    wire::set32(message.data() + 24, static_cast<std::uint32_t>(size));
    MessageCipher sender(Phase1Suite{}, fixed_keys()), receiver(Phase1Suite{}, fixed_keys());
    if (size > kHeaderSize && sender.seal(message)) {
      Bytes iv;
      if (!receiver.open(message, iv)) std::abort();
      if (auto h = parse_header(message)) {
        if (auto chain =
                parse_chain(h->next_payload, ByteView(message).subspan(kHeaderSize), true)) {
          parse_all(*chain);
        }
      }
    }
  }
  // The initiator, after MM1, takes the input as an answer with its cookie in place.
  CountingRandom random;
  InitiatorConfig config;
  config.pre_shared_key = "vpn";
  Initiator initiator(config, random);
  const TimePoint now{};
  initiator.start(now);
  Bytes mm1;
  if (!initiator.poll_message(mm1) || size < kHeaderSize) return 0;
  Bytes answer(data, data + size);
  std::copy(mm1.begin(), mm1.begin() + 8, answer.begin());
  initiator.receive(answer, now);
  initiator.on_timer(now + std::chrono::seconds(1));
  Bytes out;
  while (initiator.poll_message(out)) {
  }
  while (initiator.poll_event()) {
  }
  return 0;
}

}  // namespace
}  // namespace openras::ike::v1

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return openras::ike::v1::fuzz_one(data, size);
}
