#include "ppp/hdlc.hpp"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ppp/fcs.hpp"

namespace openras::ppp {
namespace {

constexpr std::uint8_t kFlag = 0x7E;
constexpr std::uint8_t kEscape = 0x7D;

// Index of the first octet in p[0, n) that may need attention: a flag, an escape, or (when
// `controls`) any octet below 0x20. n when there is none. Sixteen octets a step where SSE2 is
// there: most of a frame is ordinary data.
std::size_t find_special(const std::uint8_t* p, std::size_t n, bool controls) {
  std::size_t i = 0;
#ifdef __SSE2__
  const __m128i flag = _mm_set1_epi8(static_cast<char>(kFlag));
  const __m128i escape = _mm_set1_epi8(static_cast<char>(kEscape));
  const __m128i bias = _mm_set1_epi8(static_cast<char>(0x80));
  const __m128i control_limit = _mm_set1_epi8(static_cast<char>(0x20 ^ 0x80));
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, flag), _mm_cmpeq_epi8(v, escape));
    if (controls) {
      // Unsigned v < 0x20, as a signed compare after flipping the top bit.
      hit = _mm_or_si128(hit, _mm_cmplt_epi8(_mm_xor_si128(v, bias), control_limit));
    }
    int mask = _mm_movemask_epi8(hit);
    if (mask) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < n; ++i) {
    if (p[i] == kFlag || p[i] == kEscape || (controls && p[i] < 0x20)) return i;
  }
  return n;
}

}  // namespace

void HdlcEncoder::set_accm(std::uint32_t accm) {
  accm_ = accm;
  build_table();
}

void HdlcEncoder::build_table() {
  for (int i = 0; i < 256; ++i) escape_[i] = false;
  for (int i = 0; i < 32; ++i) escape_[i] = (accm_ >> i) & 1;
  escape_[kFlag] = escape_[kEscape] = true;
}

void HdlcEncoder::encode(ByteView frame, Bytes& out) const {
  std::uint8_t trailer[4];
  std::size_t trailer_len;
  if (fcs_ == FcsSize::Fcs16) {
    std::uint16_t fcs =
        static_cast<std::uint16_t>(~fcs16_update(kFcs16Init, frame.data(), frame.size()));
    trailer[0] = static_cast<std::uint8_t>(fcs);
    trailer[1] = static_cast<std::uint8_t>(fcs >> 8);
    trailer_len = 2;
  } else {
    std::uint32_t fcs = ~fcs32_update(kFcs32Init, frame.data(), frame.size());
    for (int i = 0; i < 4; ++i) trailer[i] = static_cast<std::uint8_t>(fcs >> (8 * i));
    trailer_len = 4;
  }
  out.reserve(out.size() + frame.size() + frame.size() / 8 + 8);
  out.push_back(kFlag);
  const bool controls = (accm_ & 0xffffffffu) != 0;
  auto emit = [&](const std::uint8_t* p, std::size_t n) {
    std::size_t i = 0;
    while (i < n) {
      std::size_t next = i + find_special(p + i, n - i, controls);
      out.insert(out.end(), p + i, p + next);
      if (next == n) break;
      if (escape_[p[next]]) {
        out.push_back(kEscape);
        out.push_back(static_cast<std::uint8_t>(p[next] ^ 0x20));
      } else {
        out.push_back(p[next]);  // a control octet the peer's map lets through
      }
      i = next + 1;
    }
  };
  emit(frame.data(), frame.size());
  emit(trailer, trailer_len);
  out.push_back(kFlag);
}

void HdlcDecoder::end_frame(std::deque<Bytes>& frames) {
  const std::size_t fcs_len = fcs_ == FcsSize::Fcs16 ? 2 : 4;
  if (overrun_) {
    ++stats_.overruns;
  } else if (escaped_) {
    ++stats_.aborts;
  } else if (current_.empty()) {
    // back-to-back flags: nothing
  } else if (current_.size() <= fcs_len) {
    ++stats_.runts;
  } else {
    bool good = fcs_ == FcsSize::Fcs16
                    ? fcs16_update(kFcs16Init, current_.data(), current_.size()) == kFcs16Good
                    : fcs32_update(kFcs32Init, current_.data(), current_.size()) == kFcs32Good;
    if (good) {
      current_.resize(current_.size() - fcs_len);
      ++stats_.frames;
      frames.push_back(std::move(current_));
      current_ = Bytes();
    } else {
      ++stats_.fcs_errors;
    }
  }
  current_.clear();
  escaped_ = false;
  overrun_ = false;
}

void HdlcDecoder::feed(ByteView octets, std::deque<Bytes>& frames) {
  const std::uint8_t* p = octets.data();
  const std::size_t n = octets.size();
  const bool controls = rx_accm_ != 0;
  std::size_t i = 0;
  while (i < n) {
    if (escaped_ && p[i] != kFlag) {
      if (p[i] < 0x20 && ((rx_accm_ >> p[i]) & 1)) {
        ++stats_.discarded_octets;  // inserted by the line between the escape and its octet
      } else {
        if (!overrun_) current_.push_back(static_cast<std::uint8_t>(p[i] ^ 0x20));
        escaped_ = false;
      }
      ++i;
      continue;
    }
    // Copy the run of ordinary octets in one go.
    std::size_t run = i + find_special(p + i, n - i, controls);
    if (run > i && !overrun_) {
      if (current_.size() + (run - i) > max_frame_) {
        overrun_ = true;
        current_.clear();
      } else {
        current_.insert(current_.end(), p + i, p + run);
      }
    }
    i = run;
    if (i == n) break;
    std::uint8_t c = p[i++];
    if (c == kFlag) {
      end_frame(frames);
    } else if (c == kEscape) {
      escaped_ = true;
    } else if ((rx_accm_ >> c) & 1) {
      ++stats_.discarded_octets;  // a mapped control octet inserted by the line
    } else if (!overrun_) {
      current_.push_back(c);  // a control octet outside the map is data
    }
  }
  if (!overrun_ && current_.size() > max_frame_) {
    overrun_ = true;
    current_.clear();
  }
}

}  // namespace openras::ppp
