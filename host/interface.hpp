// One TUN interface per connection, configured from what PPP negotiated: up with the MTU, the
// point-to-point address, and either the default route ("use default gateway on remote
// network") or the classful network of the address, as Windows adds. Closing the descriptor
// removes the interface with its addresses and routes.
#pragma once

#include <cstdint>
#include <string>

#include "dial/dial_machine.hpp"

namespace openras::host {

struct Interface {
  int fd = -1;
  std::string name;
  std::uint32_t error = 0;   // a Win32 code when fd < 0
  bool vnet_header = false;  // every read and write starts with a virtio_net_hdr
};

Interface create_interface(const dial::NetworkRequest& request);

}  // namespace openras::host
