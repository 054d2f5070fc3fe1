// Every historical dwSize of the dwSize-versioned structures, on this ABI: the size each one
// had at each WINVER level (the offset where the next level's fields begin, rounded up to the
// 4-byte packing), and its full size. Anything else is ERROR_INVALID_SIZE.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>

#include "ras.h"

namespace openras::client {

constexpr std::size_t round4(std::size_t n) {
  return (n + 3) & ~std::size_t{3};
}

#define OPENRAS_LEVEL(type, first_field_of_next_level) \
  round4(offsetof(type, first_field_of_next_level))

inline constexpr std::array kDialParamsSizes = {
    OPENRAS_LEVEL(RASDIALPARAMSA, dwSubEntry), OPENRAS_LEVEL(RASDIALPARAMSA, dwIfIndex),
    OPENRAS_LEVEL(RASDIALPARAMSA, szEncPassword), sizeof(RASDIALPARAMSA)};
inline constexpr std::size_t kDialParamsWithCallbackId = OPENRAS_LEVEL(RASDIALPARAMSA, dwIfIndex);

inline constexpr std::array kDialExtensionsSizes = {OPENRAS_LEVEL(RASDIALEXTENSIONS, reserved1),
                                                    OPENRAS_LEVEL(RASDIALEXTENSIONS, fSkipPppAuth),
                                                    sizeof(RASDIALEXTENSIONS)};

inline constexpr std::array kConnStatusSizes = {OPENRAS_LEVEL(RASCONNSTATUSA, szPhoneNumber),
                                                OPENRAS_LEVEL(RASCONNSTATUSA, localEndPoint),
                                                sizeof(RASCONNSTATUSA)};

inline constexpr std::array kConnSizes = {
    OPENRAS_LEVEL(RASCONNA, szDeviceType),      OPENRAS_LEVEL(RASCONNA, szPhonebook),
    OPENRAS_LEVEL(RASCONNA, guidEntry),         OPENRAS_LEVEL(RASCONNA, dwFlags),
    OPENRAS_LEVEL(RASCONNA, guidCorrelationId), sizeof(RASCONNA)};

inline constexpr std::array kEntryNameSizes = {OPENRAS_LEVEL(RASENTRYNAMEA, dwFlags),
                                               sizeof(RASENTRYNAMEA)};

inline constexpr std::array kPppIpSizes = {OPENRAS_LEVEL(RASPPPIPA, szServerIpAddress),
                                           OPENRAS_LEVEL(RASPPPIPA, dwOptions), sizeof(RASPPPIPA)};

inline constexpr std::array kPppLcpSizes = {OPENRAS_LEVEL(RASPPPLCPA, dwError), sizeof(RASPPPLCPA)};

inline constexpr std::array kEntrySizes = {OPENRAS_LEVEL(RASENTRYA, dwSubEntries),
                                           OPENRAS_LEVEL(RASENTRYA, dwType),
                                           OPENRAS_LEVEL(RASENTRYA, dwfOptions2),
                                           OPENRAS_LEVEL(RASENTRYA, ipv6addrDns),
                                           OPENRAS_LEVEL(RASENTRYA, ipv6addr),
                                           OPENRAS_LEVEL(RASENTRYA, szIDi),
                                           sizeof(RASENTRYA)};

#undef OPENRAS_LEVEL

template <std::size_t N>
constexpr bool size_is_one_of(DWORD size, const std::array<std::size_t, N>& sizes) {
  return std::find(sizes.begin(), sizes.end(), size) != sizes.end();
}

// Does a structure of `size` bytes hold `field` (so writing it stays inside the caller's
// buffer)?
#define OPENRAS_HAS_FIELD(type, size, field) \
  ((size) >= offsetof(type, field) + sizeof(((type*)nullptr)->field))

}  // namespace openras::client
