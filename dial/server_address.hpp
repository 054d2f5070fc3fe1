// The server a VPN entry dials, from PhoneNumber (or /PHONE:): "host", "host:port", "[v6]",
// "[v6]:port" or a bare IPv6 address, with the protocol's port by default.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace openras::dial {

bool split_server(std::string_view text, std::uint16_t default_port, std::string& host,
                  std::uint16_t& port);

}  // namespace openras::dial
