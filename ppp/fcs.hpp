// The PPP frame check sequences of RFC 1662: FCS-16 (appendix C.2) and FCS-32 (C.3),
// computed eight octets at a time from precomputed tables (slicing-by-8), long runs folded
// with carry-less multiplication first where the CPU has it (ppp/fcs_fold.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ppp/fcs_fold.hpp"

namespace openras::ppp {

constexpr std::uint16_t kFcs16Init = 0xFFFF;
constexpr std::uint16_t kFcs16Good = 0xF0B8;  // the residue over data + received FCS
constexpr std::uint32_t kFcs32Init = 0xFFFFFFFF;
constexpr std::uint32_t kFcs32Good = 0xDEBB20E3;

std::uint16_t fcs16_update(std::uint16_t fcs, const std::uint8_t* data, std::size_t n);
std::uint32_t fcs32_update(std::uint32_t fcs, const std::uint8_t* data, std::size_t n);
// The register a 16-octet folded message (detail::fold) leaves, from 0.
std::uint16_t fcs16_of_folded(const std::uint8_t folded[16]);
std::uint32_t fcs32_of_folded(const std::uint8_t folded[16]);
// The same on a chosen folding path (tests run every path this CPU has).
std::uint16_t fcs16_update_on(detail::FoldPath path, std::uint16_t fcs, const std::uint8_t* data,
                              std::size_t n);
std::uint32_t fcs32_update_on(detail::FoldPath path, std::uint32_t fcs, const std::uint8_t* data,
                              std::size_t n);
// Byte-at-a-time reference versions (tests compare the fast ones against them).
std::uint16_t fcs16_reference(std::uint16_t fcs, const std::uint8_t* data, std::size_t n);
std::uint32_t fcs32_reference(std::uint32_t fcs, const std::uint8_t* data, std::size_t n);

}  // namespace openras::ppp
