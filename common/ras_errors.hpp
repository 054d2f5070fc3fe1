// The one table of Win32 RAS error codes and their RasGetErrorString texts, and the `ras`
// std::error_category built on it (shared by librasapi, rasmand and the C++ API).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

namespace openras {

struct ErrorInfo {
  std::uint32_t code;
  std::string_view name;  // the raserror.h / winerror.h macro name
  std::string_view text;  // our RasGetErrorString wording
};

std::optional<ErrorInfo> find_error(std::uint32_t code);
std::string_view error_name(std::uint32_t code);  // "ERROR_UNKNOWN_CODE" when not in the table

const std::error_category& ras_category_impl() noexcept;
inline std::error_code make_ras_error(std::uint32_t code) {
  return {static_cast<int>(code), ras_category_impl()};
}

}  // namespace openras
