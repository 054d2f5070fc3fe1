#include "ppp/hdlc.hpp"

#include "ppp/fcs.hpp"

namespace openras::ppp {
namespace {

constexpr std::uint8_t kFlag = 0x7E;
constexpr std::uint8_t kEscape = 0x7D;

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
    std::uint16_t fcs = static_cast<std::uint16_t>(~fcs16_update(kFcs16Init, frame.data(), frame.size()));
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
  auto emit = [&](const std::uint8_t* p, std::size_t n) {
    std::size_t run = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (escape_[p[i]]) {
        out.insert(out.end(), p + run, p + i);
        out.push_back(kEscape);
        out.push_back(static_cast<std::uint8_t>(p[i] ^ 0x20));
        run = i + 1;
      }
    }
    out.insert(out.end(), p + run, p + n);
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
  std::size_t i = 0;
  while (i < n) {
    // Copy the run of ordinary octets in one go.
    std::size_t run = i;
    while (run < n && p[run] != kFlag && p[run] != kEscape &&
           !(p[run] < 0x20 && ((rx_accm_ >> p[run]) & 1))) {
      ++run;
    }
    if (run > i) {
      if (escaped_) {
        current_.push_back(static_cast<std::uint8_t>(p[i] ^ 0x20));
        escaped_ = false;
        ++i;
        continue;
      }
      if (!overrun_) {
        if (current_.size() + (run - i) > max_frame_) {
          overrun_ = true;
          current_.clear();
        } else {
          current_.insert(current_.end(), p + i, p + run);
        }
      }
      i = run;
      continue;
    }
    std::uint8_t c = p[i++];
    if (c == kFlag) {
      end_frame(frames);
    } else if (c == kEscape) {
      escaped_ = true;
    } else {
      ++stats_.discarded_octets;  // a mapped control octet inserted by the line
    }
  }
}

}  // namespace openras::ppp
