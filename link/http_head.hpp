// The head of an HTTP/1.1 message (start line and header fields, up to the empty line), as
// SSTP's SSTP_DUPLEX_POST exchange and an HTTP CONNECT proxy use it. Incremental: feed bytes
// until it is complete; whatever follows the head is kept for the next layer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ppp/bytes.hpp"

namespace openras::link {

class HttpHead {
 public:
  enum class Status { NeedMore, Complete, Malformed };

  Status feed(ppp::ByteView bytes);
  Status status() const { return status_; }

  // A response: "HTTP/1.1 200 OK".
  std::optional<int> status_code() const;
  // A request: "SSTP_DUPLEX_POST /sra_{...}/ HTTP/1.1".
  const std::string& method() const { return first_; }
  const std::string& target() const { return second_; }
  std::optional<std::string> header(std::string_view name) const;  // case-insensitive
  // Octets that arrived after the empty line.
  ppp::Bytes take_rest();

 private:
  Status parse();

  static constexpr std::size_t kMaxHead = 8192;
  std::string text_;
  Status status_ = Status::NeedMore;
  std::string first_, second_, third_;
  std::map<std::string, std::string> headers_;  // lower-case names
  ppp::Bytes rest_;
};

// The SSTP client's request (MS-SSTP 3.2.4.1 and 4.1).
constexpr std::string_view kSstpUri = "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/";
std::string sstp_duplex_post(std::string_view host, std::string_view correlation_id);
// The reply a server gives when it accepts it (as a Windows or SoftEther server does).
std::string sstp_duplex_post_reply();
// "CONNECT host:port HTTP/1.1" for a proxy.
std::string http_connect_request(std::string_view host, std::uint16_t port);

}  // namespace openras::link
