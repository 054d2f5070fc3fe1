#include "link/http_head.hpp"

#include <algorithm>
#include <cctype>

namespace openras::link {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7F; });
}

}  // namespace

HttpHead::Status HttpHead::feed(ppp::ByteView bytes) {
  if (status_ != Status::NeedMore) {
    if (status_ == Status::Complete) rest_.insert(rest_.end(), bytes.begin(), bytes.end());
    return status_;
  }
  std::size_t old = text_.size();
  text_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::size_t search_from = old >= 3 ? old - 3 : 0;
  std::size_t end = text_.find("\r\n\r\n", search_from);
  if (end == std::string::npos) {
    if (text_.size() > kMaxHead) status_ = Status::Malformed;
    return status_;
  }
  rest_.assign(text_.begin() + static_cast<std::ptrdiff_t>(end + 4), text_.end());
  text_.resize(end + 2);  // keep the last header line's CRLF
  status_ = parse();
  return status_;
}

HttpHead::Status HttpHead::parse() {
  std::string_view view(text_);
  bool first = true;
  while (!view.empty()) {
    std::size_t eol = view.find("\r\n");
    if (eol == std::string_view::npos) return Status::Malformed;
    std::string_view line = view.substr(0, eol);
    view.remove_prefix(eol + 2);
    if (!printable(line)) return Status::Malformed;
    if (first) {
      first = false;
      std::size_t a = line.find(' ');
      if (a == std::string_view::npos || a == 0) return Status::Malformed;
      std::size_t b = line.find(' ', a + 1);
      first_ = std::string(line.substr(0, a));
      if (b == std::string_view::npos) {
        second_ = std::string(line.substr(a + 1));
      } else {
        second_ = std::string(line.substr(a + 1, b - a - 1));
        third_ = std::string(line.substr(b + 1));
      }
      if (second_.empty()) return Status::Malformed;
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Status::Malformed;
    headers_[lower(trim(line.substr(0, colon)))] = std::string(trim(line.substr(colon + 1)));
  }
  return first ? Status::Malformed : Status::Complete;
}

std::optional<int> HttpHead::status_code() const {
  if (status_ != Status::Complete || first_.rfind("HTTP/1.", 0) != 0) return std::nullopt;
  if (second_.size() != 3 || !std::all_of(second_.begin(), second_.end(), ::isdigit)) {
    return std::nullopt;
  }
  return std::stoi(second_);
}

std::optional<std::string> HttpHead::header(std::string_view name) const {
  auto it = headers_.find(lower(name));
  if (it == headers_.end()) return std::nullopt;
  return it->second;
}

ppp::Bytes HttpHead::take_rest() {
  ppp::Bytes out;
  out.swap(rest_);
  return out;
}

std::string sstp_duplex_post(std::string_view host, std::string_view correlation_id) {
  std::string r = "SSTP_DUPLEX_POST ";
  r += kSstpUri;
  r += " HTTP/1.1\r\nHost: ";
  r += host;
  r += "\r\nContent-Length: 18446744073709551615\r\nSSTPCORRELATIONID: {";
  r += correlation_id;
  r += "}\r\n\r\n";
  return r;
}

std::string sstp_duplex_post_reply() {
  return "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n"
         "Server: Microsoft-HTTPAPI/2.0\r\n\r\n";
}

std::string http_connect_request(std::string_view host, std::uint16_t port) {
  std::string authority = std::string(host) + ":" + std::to_string(port);
  return "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
}

}  // namespace openras::link
