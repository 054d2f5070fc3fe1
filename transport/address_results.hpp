// A server given as an address needs no resolver: asio runs getaddrinfo on one thread an
// io_context, and with thousands of dials queued there some failed (868 at 10,000 calls).
#pragma once

#include <asio.hpp>
#include <cstdlib>
#include <optional>
#include <string>

namespace openras::transport {

// The endpoint of `host` and `service` when `host` is an address and `service` a port number
// (1-65535); std::nullopt when either needs resolving.
template <typename Protocol>
std::optional<asio::ip::basic_resolver_results<Protocol>> address_results(
    const std::string& host, const std::string& service) {
  std::error_code not_numeric;
  const auto address = asio::ip::make_address(host, not_numeric);
  const unsigned long port = std::strtoul(service.c_str(), nullptr, 10);
  if (not_numeric || port == 0 || port > 65535) return std::nullopt;
  return asio::ip::basic_resolver_results<Protocol>::create(
      typename Protocol::endpoint(address, static_cast<unsigned short>(port)), host, service);
}

}  // namespace openras::transport
