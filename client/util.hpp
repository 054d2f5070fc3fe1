// Small helpers shared by the RAS functions.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "client/text.hpp"
#include "ras.h"

namespace openras::client {

inline std::uint32_t to_handle(HRASCONN h) {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(h));
}

inline HRASCONN to_hrasconn(std::uint32_t handle) {
  return reinterpret_cast<HRASCONN>(static_cast<std::uintptr_t>(handle));
}

}  // namespace openras::client
