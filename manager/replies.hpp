// The bodies of rasmand's replies: a Win32 code, then (on success) what was asked for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ipc/messages.hpp"

namespace openras::manager {

template <typename Body>
std::vector<std::byte> ok(const Body& body) {
  return ipc::encode_reply(0, &body);
}

inline std::vector<std::byte> fail(std::uint32_t error) {
  return ipc::encode_reply<ipc::DialReply>(error, nullptr);
}

// Success with nothing more to say.
inline std::vector<std::byte> done() {
  return ipc::encode_reply<ipc::DialReply>(0, nullptr);
}

}  // namespace openras::manager
