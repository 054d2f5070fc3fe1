// Small helpers shared by the RAS functions.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "ras.h"

namespace openras::client {

inline std::uint32_t to_handle(HRASCONN h) {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(h));
}

inline HRASCONN to_hrasconn(std::uint32_t handle) {
  return reinterpret_cast<HRASCONN>(static_cast<std::uintptr_t>(handle));
}

// Copy into a fixed CHAR[N] field, always terminated, truncated to fit.
template <std::size_t N>
void copy_field(CHAR (&dest)[N], std::string_view src) {
  std::size_t n = src.size() < N - 1 ? src.size() : N - 1;
  std::memcpy(dest, src.data(), n);
  dest[n] = '\0';
}

// Read a fixed CHAR[N] field that may lack its terminator.
template <std::size_t N>
std::string field_string(const CHAR (&src)[N]) {
  return std::string(src, strnlen(src, N));
}

}  // namespace openras::client
