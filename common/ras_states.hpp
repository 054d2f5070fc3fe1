// Names of RASCONNSTATE values, for logs, the CLI and tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace openras {

std::string_view state_name(std::uint32_t state);  // "RASCS_Authenticate"; "RASCS_Unknown"
std::optional<std::uint32_t> state_from_name(std::string_view name);  // with or without RASCS_
bool is_final_state(std::uint32_t state, std::uint32_t error);
bool is_paused_state(std::uint32_t state);

}  // namespace openras
