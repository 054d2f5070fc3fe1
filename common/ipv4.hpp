// Dotted IPv4 text for an address held in host order, as PPP negotiates it; "" for 0.0.0.0
// (IPCP's "none").
#pragma once

#include <arpa/inet.h>

#include <cstdint>
#include <string>

namespace openras {

inline std::string ipv4_string(std::uint32_t host_order) {
  if (host_order == 0) return {};
  in_addr a{htonl(host_order)};
  char buf[INET_ADDRSTRLEN];
  return inet_ntop(AF_INET, &a, buf, sizeof(buf));
}

}  // namespace openras
