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

// Each table is a template over the A or W form: the same levels, each form's own sizes.
template <typename P>
inline constexpr std::array kDialParamsSizes = {OPENRAS_LEVEL(P, dwSubEntry),
                                                OPENRAS_LEVEL(P, dwIfIndex),
                                                OPENRAS_LEVEL(P, szEncPassword), sizeof(P)};
template <typename P>
inline constexpr std::size_t kDialParamsWithCallbackId = OPENRAS_LEVEL(P, dwIfIndex);

inline constexpr std::array kDialExtensionsSizes = {OPENRAS_LEVEL(RASDIALEXTENSIONS, reserved1),
                                                    OPENRAS_LEVEL(RASDIALEXTENSIONS, fSkipPppAuth),
                                                    sizeof(RASDIALEXTENSIONS)};

template <typename S>
inline constexpr std::array kConnStatusSizes = {OPENRAS_LEVEL(S, szPhoneNumber),
                                                OPENRAS_LEVEL(S, localEndPoint), sizeof(S)};

template <typename C>
inline constexpr std::array kConnSizes = {OPENRAS_LEVEL(C, szDeviceType),
                                          OPENRAS_LEVEL(C, szPhonebook),
                                          OPENRAS_LEVEL(C, guidEntry),
                                          OPENRAS_LEVEL(C, dwFlags),
                                          OPENRAS_LEVEL(C, guidCorrelationId),
                                          sizeof(C)};

template <typename E>
inline constexpr std::array kEntryNameSizes = {OPENRAS_LEVEL(E, dwFlags), sizeof(E)};

template <typename P>
inline constexpr std::array kPppIpSizes = {OPENRAS_LEVEL(P, szServerIpAddress),
                                           OPENRAS_LEVEL(P, dwOptions), sizeof(P)};

template <typename P>
inline constexpr std::array kPppLcpSizes = {OPENRAS_LEVEL(P, dwError), sizeof(P)};

template <typename E>
inline constexpr std::array kEntrySizes = {OPENRAS_LEVEL(E, dwSubEntries),
                                           OPENRAS_LEVEL(E, dwType),
                                           OPENRAS_LEVEL(E, dwfOptions2),
                                           OPENRAS_LEVEL(E, ipv6addrDns),
                                           OPENRAS_LEVEL(E, ipv6addr),
                                           OPENRAS_LEVEL(E, szIDi),
                                           sizeof(E)};

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
