#include "ppp/hdlc.hpp"

#include <algorithm>
#include <cstring>

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
  if (accm == accm_) return;  // HdlcLink sets it before every frame
  accm_ = accm;
  build_table();
}

void HdlcEncoder::build_table() {
  for (int i = 0; i < 256; ++i) escape_[i] = false;
  for (int i = 0; i < 32; ++i) escape_[i] = (accm_ >> i) & 1;
  escape_[kFlag] = escape_[kEscape] = true;
}

namespace {

// The FCS octets, least significant first (RFC 1662 appendix C), from the final register.
std::size_t fcs_trailer(FcsSize size, std::uint32_t fcs_register, std::uint8_t trailer[4]) {
  const std::uint32_t fcs = ~fcs_register;
  const std::size_t len = size == FcsSize::Fcs16 ? 2 : 4;
  for (std::size_t i = 0; i < len; ++i) trailer[i] = static_cast<std::uint8_t>(fcs >> (8 * i));
  return len;
}

std::uint32_t fcs_register_of(FcsSize size, ByteView frame) {
  return size == FcsSize::Fcs16 ? fcs16_update(kFcs16Init, frame.data(), frame.size())
                                : fcs32_update(kFcs32Init, frame.data(), frame.size());
}

const detail::FoldConstants& fold_constants(FcsSize size) {
  return size == FcsSize::Fcs16 ? detail::fcs16_fold_constants() : detail::fcs32_fold_constants();
}

std::uint32_t fcs_init(FcsSize size) {
  return size == FcsSize::Fcs16 ? kFcs16Init : kFcs32Init;
}

// The register a folded 16-octet message leaves (the wide loops' FCS, finished).
std::uint32_t register_of_folded(FcsSize size, const std::uint8_t folded[16]) {
  return size == FcsSize::Fcs16 ? fcs16_of_folded(folded) : fcs32_of_folded(folded);
}

}  // namespace

void HdlcEncoder::encode(ByteView frame, LineBytes& out) const {
  if (wide_ != detail::WideLoops::None) {
    encode_wide(frame, out);
  } else {
    std::uint8_t trailer[4];
    std::size_t len = fcs_trailer(fcs_, fcs_register_of(fcs_, frame), trailer);
    encode_portable(frame, ByteView(trailer, len), out);
  }
}

void HdlcEncoder::encode_wide(ByteView frame, LineBytes& out) const {
  // Sized for an escape every eighth octet; a frame with more grows once for its worst case.
  constexpr std::size_t kEnds = 2 + 2 * 4 + 128;
  detail::FcsInPass fcs{&fold_constants(fcs_), fcs_init(fcs_), {}, false};
  const std::uint8_t* p = frame.data();
  std::size_t n = frame.size();
  std::size_t at = out.size();
  out.resize(at + n + n / 8 + kEnds);
  out[at++] = kFlag;
  for (detail::FcsInPass* in_pass = &fcs;; in_pass = nullptr) {
    auto result =
        detail::escape_wide(wide_, p, n, accm_, out.data() + at, out.data() + out.size(), in_pass);
    at = static_cast<std::size_t>(result.end - out.data());
    p += result.consumed;
    n -= result.consumed;
    if (n == 0) break;
    out.resize(at + 2 * n + kEnds);
  }
  const std::uint32_t fcs_register =
      fcs.done ? register_of_folded(fcs_, fcs.folded) : fcs_register_of(fcs_, frame);
  std::uint8_t trailer[4];
  const std::size_t trailer_len = fcs_trailer(fcs_, fcs_register, trailer);
  if (out.size() < at + 2 * trailer_len + 1) out.resize(at + 2 * trailer_len + 1);
  for (std::size_t i = 0; i < trailer_len; ++i) {
    const std::uint8_t c = trailer[i];
    if (escape_[c]) {
      out[at++] = kEscape;
      out[at++] = static_cast<std::uint8_t>(c ^ 0x20);
    } else {
      out[at++] = c;
    }
  }
  out[at++] = kFlag;
  out.resize(at);
}

void HdlcEncoder::encode_portable(ByteView frame, ByteView trailer, LineBytes& out) const {
  out.reserve(out.size() + frame.size() + frame.size() / 8 + 8);
  out.push_back(kFlag);
  const bool controls = accm_ != 0;
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
  emit(trailer.data(), trailer.size());
  out.push_back(kFlag);
}

std::size_t HdlcDecoder::end_frame() {
  const std::size_t fcs_len = fcs_ == FcsSize::Fcs16 ? 2 : 4;
  std::size_t good = 0;
  if (overrun_) {
    ++stats_.overruns;
  } else if (escaped_) {
    ++stats_.aborts;
  } else if (length_ == 0) {
    // back-to-back flags: nothing
  } else if (length_ <= fcs_len) {
    ++stats_.runts;
  } else {
    const std::uint32_t good_residue = fcs_ == FcsSize::Fcs16 ? kFcs16Good : kFcs32Good;
    if (frame_fcs_register() == good_residue) {
      ++stats_.frames;
      good = length_ - fcs_len;
    } else {
      ++stats_.fcs_errors;
    }
  }
  escaped_ = false;
  overrun_ = false;
  return good;
}

std::uint32_t HdlcDecoder::frame_fcs_register() {
  if (wide_ == detail::WideLoops::None || length_ < detail::kFoldMinimum) {
    return fcs_register_of(fcs_, ByteView(current_.data(), length_));
  }
  // Whatever the wide loop has not folded yet (or octets the portable loop wrote) is folded
  // from the buffer here.
  start_fold_once();
  std::uint8_t folded[16];
  detail::finish_frame_fold(wide_, fold_, current_.data(), length_, folded);
  return register_of_folded(fcs_, folded);
}

void HdlcDecoder::start_fold_once() {
  if (fold_started_) return;
  detail::start_frame_fold(wide_, fold_, fold_constants(fcs_), fcs_init(fcs_));
  fold_started_ = true;
}

std::size_t HdlcDecoder::take_run(const std::uint8_t* p, std::size_t n) {
  if (p[0] == kFlag) return 0;  // the flag that opens nearly every frame
  std::size_t done = 0;
  if (wide_ != detail::WideLoops::None && rx_accm_ == 0 && !overrun_) {
    start_fold_once();
    // Unescaping never lengthens, so no more input than the frame has room for: the rest, if
    // it comes to that, goes to the portable loop, which counts the overrun.
    std::uint8_t* out = current_.data() + length_;
    auto result = detail::unescape_wide(wide_, p, std::min(n, max_frame_ - length_), escaped_, out,
                                        current_.data(), &fold_);
    length_ += static_cast<std::size_t>(result.end - out);
    done = result.consumed;
    if (result.at_flag) return done;
  }
  const auto* flag = static_cast<const std::uint8_t*>(std::memchr(p + done, kFlag, n - done));
  const std::size_t run = flag ? static_cast<std::size_t>(flag - p) : n;
  if (done < run) take_run_portable(p + done, run - done);
  return run;
}

void HdlcDecoder::append(const std::uint8_t* p, std::size_t n) {
  if (overrun_) return;
  if (length_ + n > max_frame_) {
    overrun_ = true;
    restart_frame();
    return;
  }
  std::memcpy(current_.data() + length_, p, n);
  length_ += n;
}

void HdlcDecoder::take_run_portable(const std::uint8_t* p, std::size_t n) {
  const bool controls = rx_accm_ != 0;
  std::size_t i = 0;
  while (i < n) {
    if (escaped_) {
      if (p[i] < 0x20 && ((rx_accm_ >> p[i]) & 1)) {
        ++stats_.discarded_octets;  // inserted by the line between the escape and its octet
      } else {
        const std::uint8_t c = static_cast<std::uint8_t>(p[i] ^ 0x20);
        append(&c, 1);
        escaped_ = false;
      }
      ++i;
      continue;
    }
    // Copy the run of ordinary octets in one go.
    std::size_t ordinary = i + find_special(p + i, n - i, controls);
    append(p + i, ordinary - i);
    i = ordinary;
    if (i == n) break;
    std::uint8_t c = p[i++];
    if (c == kEscape) {
      escaped_ = true;
    } else if ((rx_accm_ >> c) & 1) {
      ++stats_.discarded_octets;  // a mapped control octet inserted by the line
    } else {
      append(&c, 1);  // a control octet outside the map is data
    }
  }
}

}  // namespace openras::ppp
