// libFuzzer: any octets as an IKEv2 message. The plain parsers (header, payload chain, SA,
// Notify, KE, ID/AUTH, TS, CP, Delete) read the input as it is; then the input is sealed as
// the inside of an Encrypted payload under fixed keys and opened again, so that what only an
// authenticated server could send reaches the same parsers (and the SKF reassembly). Nothing
// may crash, loop or read past the input; what we build always parses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "ike/message.hpp"
#include "ike/sk_payload.hpp"

using namespace openras::ike;

namespace {

void parse_all(const PayloadChain& chain) {
  for (const auto& p : chain.payloads) {
    switch (p.type) {
      case payload::kSa: {
        if (auto sa = parse_sa(p.body)) {
          auto again = parse_sa(build_sa(*sa));
          if (!again || again->size() != sa->size()) std::abort();
        }
        break;
      }
      case payload::kNotify:
        (void)parse_notify(p.body);
        break;
      case payload::kKe:
        (void)parse_ke(p.body);
        break;
      case payload::kIdi:
      case payload::kIdr:
      case payload::kAuth:
        (void)parse_typed(p.body);
        break;
      case payload::kTsi:
      case payload::kTsr: {
        if (auto ts = parse_ts(p.body)) {
          if (!parse_ts(build_ts(*ts))) std::abort();
        }
        break;
      }
      case payload::kCp:
        (void)parse_cp(p.body);
        break;
      case payload::kDelete:
        (void)parse_delete(p.body);
        break;
      default:
        break;
    }
  }
  (void)describe(chain);
}

const IkeSaKeys& fixed_keys() {
  static const IkeSaKeys keys = [] {
    Bytes shared(32, 0x42), ni(32, 1), nr(32, 2);
    IkeSuite suite;  // AES-CBC-256, HMAC-SHA2-256-128, PRF-HMAC-SHA2-256
    return *derive_ike_keys(suite, shared, ni, nr, 0x0102030405060708ull, 0x1112131415161718ull);
  }();
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteView input(data, size);
  if (auto h = parse_header(input)) {
    if (auto chain =
            parse_payloads(h->next_payload, input.subspan(kHeaderSize, h->length - kHeaderSize))) {
      parse_all(*chain);
    }
    (void)describe_message(input);
  }
  if (size < 1) return 0;
  // First octet: the inner chain's first payload type, and whether to fragment.
  auto sender = SkCodec::make(fixed_keys(), false);
  auto receiver = SkCodec::make(fixed_keys(), true);
  Header h{0x0102030405060708ull, 0x1112131415161718ull, 0, exchange::kInformational, 0, 7, 0};
  const std::size_t limit = (data[0] & 0x80) ? 200 : 0;
  auto sealed = sender->seal(h, static_cast<std::uint8_t>(data[0] & 0x7f), input.subspan(1), limit);
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    SkCodec::Opened opened;
    auto r = receiver->open(sealed[i], opened);
    if (r == SkCodec::Result::Opened) parse_all(opened.chain);
    if (r == SkCodec::Result::Incomplete && i + 1 == sealed.size()) std::abort();
  }
  return 0;
}
