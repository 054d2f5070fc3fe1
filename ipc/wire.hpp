// The rasmand IPC wire format: versioned, length-prefixed frames with a bounded body.
// Every read is bounds-checked; a malformed body decodes to std::nullopt, never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace openras::ipc {

constexpr std::uint16_t kProtocolVersion = 1;
constexpr std::size_t kHeaderSize = 12;
constexpr std::uint32_t kMaxBodySize = 64 * 1024;
constexpr std::uint32_t kMaxStringSize = kMaxBodySize;

enum class MsgType : std::uint16_t {
  // client -> rasmand requests (each answered by one Reply with the same request id)
  Dial = 1,
  Resume = 2,
  HangUp = 3,
  GetStatus = 4,
  EnumConnections = 5,
  GetProjection = 6,
  GetStatistics = 7,
  ClearStatistics = 8,
  Subscribe = 9,  // carries an eventfd as SCM_RIGHTS
  Ping = 10,
  SetCredentials = 11,
  GetCredentials = 12,
  // rasmand -> client
  Reply = 0x100,
  StateEvent = 0x101,
  DialDetached = 0x102,  // the dial was hung up: drop its notifier without calling it
};

struct FrameHeader {
  std::uint32_t body_size = 0;
  std::uint16_t version = kProtocolVersion;
  MsgType type = MsgType::Ping;
  std::uint32_t request_id = 0;
};

enum class HeaderCheck { Ok, BadVersion, TooLarge };

void encode_header(const FrameHeader& header, std::byte* out);
FrameHeader decode_header(const std::byte* in);
HeaderCheck check_header(const FrameHeader& header);

class Writer {
 public:
  void u8(std::uint8_t v);
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void str(std::string_view s);
  void bytes(std::span<const std::byte> b);
  const std::vector<std::byte>& data() const { return data_; }
  std::vector<std::byte> take() { return std::move(data_); }

 private:
  std::vector<std::byte> data_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::byte> in) : in_(in) {}
  bool u8(std::uint8_t& v);
  bool u32(std::uint32_t& v);
  bool u64(std::uint64_t& v);
  bool str(std::string& s);
  bool at_end() const { return pos_ == in_.size(); }

 private:
  std::span<const std::byte> in_;
  std::size_t pos_ = 0;
};

// A whole frame (header + body) ready to send.
std::vector<std::byte> make_frame(MsgType type, std::uint32_t request_id,
                                  std::span<const std::byte> body);

}  // namespace openras::ipc
