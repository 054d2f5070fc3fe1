#include "ipc/wire.hpp"

#include <cstring>

namespace openras::ipc {
namespace {

void put_le(std::byte* out, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out[i] = static_cast<std::byte>((v >> (8 * i)) & 0xff);
}

std::uint64_t get_le(const std::byte* in, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(in[i]) << (8 * i);
  return v;
}

}  // namespace

void encode_header(const FrameHeader& h, std::byte* out) {
  put_le(out, h.body_size, 4);
  put_le(out + 4, h.version, 2);
  put_le(out + 6, static_cast<std::uint16_t>(h.type), 2);
  put_le(out + 8, h.request_id, 4);
}

FrameHeader decode_header(const std::byte* in) {
  FrameHeader h;
  h.body_size = static_cast<std::uint32_t>(get_le(in, 4));
  h.version = static_cast<std::uint16_t>(get_le(in + 4, 2));
  h.type = static_cast<MsgType>(get_le(in + 6, 2));
  h.request_id = static_cast<std::uint32_t>(get_le(in + 8, 4));
  return h;
}

HeaderCheck check_header(const FrameHeader& h) {
  if (h.version != kProtocolVersion) return HeaderCheck::BadVersion;
  if (h.body_size > kMaxBodySize) return HeaderCheck::TooLarge;
  return HeaderCheck::Ok;
}

void Writer::u8(std::uint8_t v) {
  data_.push_back(static_cast<std::byte>(v));
}

void Writer::u32(std::uint32_t v) {
  std::byte b[4];
  put_le(b, v, 4);
  data_.insert(data_.end(), b, b + 4);
}

void Writer::u64(std::uint64_t v) {
  std::byte b[8];
  put_le(b, v, 8);
  data_.insert(data_.end(), b, b + 8);
}

void Writer::str(std::string_view s) {
  // Never truncated: an oversized string makes an oversized body, which the sender refuses.
  auto n = static_cast<std::uint32_t>(s.size());
  u32(n);
  const auto* p = reinterpret_cast<const std::byte*>(s.data());
  data_.insert(data_.end(), p, p + n);
}

void Writer::bytes(std::span<const std::byte> b) {
  data_.insert(data_.end(), b.begin(), b.end());
}

bool Reader::u8(std::uint8_t& v) {
  if (in_.size() - pos_ < 1) return false;
  v = static_cast<std::uint8_t>(in_[pos_++]);
  return true;
}

bool Reader::u32(std::uint32_t& v) {
  if (in_.size() - pos_ < 4) return false;
  v = static_cast<std::uint32_t>(get_le(in_.data() + pos_, 4));
  pos_ += 4;
  return true;
}

bool Reader::u64(std::uint64_t& v) {
  if (in_.size() - pos_ < 8) return false;
  v = get_le(in_.data() + pos_, 8);
  pos_ += 8;
  return true;
}

bool Reader::str(std::string& s) {
  std::uint32_t n = 0;
  if (!u32(n) || n > kMaxStringSize || in_.size() - pos_ < n) return false;
  s.assign(reinterpret_cast<const char*>(in_.data() + pos_), n);
  pos_ += n;
  return true;
}

std::vector<std::byte> make_frame(MsgType type, std::uint32_t request_id,
                                  std::span<const std::byte> body) {
  std::vector<std::byte> frame(kHeaderSize + body.size());
  encode_header({static_cast<std::uint32_t>(body.size()), kProtocolVersion, type, request_id},
                frame.data());
  if (!body.empty()) std::memcpy(frame.data() + kHeaderSize, body.data(), body.size());
  return frame;
}

}  // namespace openras::ipc
