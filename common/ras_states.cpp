#include "common/ras_states.hpp"

#include <utility>

#include "ras.h"

namespace openras {
namespace {

constexpr std::pair<std::uint32_t, std::string_view> kStates[] = {
    {RASCS_OpenPort, "RASCS_OpenPort"},
    {RASCS_PortOpened, "RASCS_PortOpened"},
    {RASCS_ConnectDevice, "RASCS_ConnectDevice"},
    {RASCS_DeviceConnected, "RASCS_DeviceConnected"},
    {RASCS_AllDevicesConnected, "RASCS_AllDevicesConnected"},
    {RASCS_Authenticate, "RASCS_Authenticate"},
    {RASCS_AuthNotify, "RASCS_AuthNotify"},
    {RASCS_AuthRetry, "RASCS_AuthRetry"},
    {RASCS_AuthCallback, "RASCS_AuthCallback"},
    {RASCS_AuthChangePassword, "RASCS_AuthChangePassword"},
    {RASCS_AuthProject, "RASCS_AuthProject"},
    {RASCS_AuthLinkSpeed, "RASCS_AuthLinkSpeed"},
    {RASCS_AuthAck, "RASCS_AuthAck"},
    {RASCS_ReAuthenticate, "RASCS_ReAuthenticate"},
    {RASCS_Authenticated, "RASCS_Authenticated"},
    {RASCS_PrepareForCallback, "RASCS_PrepareForCallback"},
    {RASCS_WaitForModemReset, "RASCS_WaitForModemReset"},
    {RASCS_WaitForCallback, "RASCS_WaitForCallback"},
    {RASCS_Projected, "RASCS_Projected"},
    {RASCS_StartAuthentication, "RASCS_StartAuthentication"},
    {RASCS_CallbackComplete, "RASCS_CallbackComplete"},
    {RASCS_LogonNetwork, "RASCS_LogonNetwork"},
    {RASCS_SubEntryConnected, "RASCS_SubEntryConnected"},
    {RASCS_SubEntryDisconnected, "RASCS_SubEntryDisconnected"},
    {RASCS_ApplySettings, "RASCS_ApplySettings"},
    {RASCS_Interactive, "RASCS_Interactive"},
    {RASCS_RetryAuthentication, "RASCS_RetryAuthentication"},
    {RASCS_CallbackSetByCaller, "RASCS_CallbackSetByCaller"},
    {RASCS_PasswordExpired, "RASCS_PasswordExpired"},
    {RASCS_InvokeEapUI, "RASCS_InvokeEapUI"},
    {RASCS_Connected, "RASCS_Connected"},
    {RASCS_Disconnected, "RASCS_Disconnected"},
};

}  // namespace

std::string_view state_name(std::uint32_t state) {
  for (const auto& [value, name] : kStates) {
    if (value == state) return name;
  }
  return "RASCS_Unknown";
}

std::optional<std::uint32_t> state_from_name(std::string_view name) {
  for (const auto& [value, full] : kStates) {
    if (full == name || full.substr(6) == name) return value;
  }
  return std::nullopt;
}

bool is_final_state(std::uint32_t state, std::uint32_t error) {
  return error != 0 || state == RASCS_Connected || state == RASCS_Disconnected;
}

bool is_paused_state(std::uint32_t state) {
  return state >= RASCS_PAUSED && state < RASCS_DONE;
}

}  // namespace openras
