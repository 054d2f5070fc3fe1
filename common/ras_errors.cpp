#include "common/ras_errors.hpp"

#include <array>
#include <string>

#include "raserror.h"

namespace openras {
namespace {

#define OPENRAS_ERROR_ROW(name, text) ErrorInfo{name, #name, text},
constexpr ErrorInfo kErrors[] = {
#include "common/ras_error_table.inc"
};
#undef OPENRAS_ERROR_ROW

class RasCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "ras"; }
  std::string message(int value) const override {
    if (auto info = find_error(static_cast<std::uint32_t>(value))) return std::string(info->text);
    return "Unknown RAS error " + std::to_string(value) + ".";
  }
};

}  // namespace

std::optional<ErrorInfo> find_error(std::uint32_t code) {
  // RAS codes are dense (600..870), so index them directly; the few winerror codes follow.
  constexpr std::size_t kRasCount = RASBASEEND - RASBASE + 1;
  if (code >= RASBASE && code <= RASBASEEND) return kErrors[code - RASBASE];
  for (std::size_t i = kRasCount; i < std::size(kErrors); ++i) {
    if (kErrors[i].code == code) return kErrors[i];
  }
  return std::nullopt;
}

std::string_view error_name(std::uint32_t code) {
  auto info = find_error(code);
  return info ? info->name : std::string_view("ERROR_UNKNOWN_CODE");
}

const std::error_category& ras_category_impl() noexcept {
  static const RasCategory category;
  return category;
}

}  // namespace openras
