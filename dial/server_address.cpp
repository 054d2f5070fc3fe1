#include "dial/server_address.hpp"

namespace openras::dial {

bool split_server(std::string_view text, std::uint16_t default_port, std::string& host,
                  std::uint16_t& port) {
  port = default_port;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    host = std::string(text.substr(1, close - 1));
    rest = text.substr(close + 1);
  } else {
    std::size_t colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
      host = std::string(text);  // a bare IPv6 address
      return !host.empty();
    }
    host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) rest = text.substr(colon);
  }
  if (!rest.empty()) {
    if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return false;
    unsigned long v = 0;
    for (char c : rest.substr(1)) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + static_cast<unsigned long>(c - '0');
    }
    if (v == 0 || v > 65535) return false;
    port = static_cast<std::uint16_t>(v);
  }
  return !host.empty();
}

}  // namespace openras::dial
