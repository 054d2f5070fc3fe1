// What this initiator offers and accepts: the IKE SA's suites (AES-GCM-16 in one proposal,
// AES-CBC with HMAC in another, each with the DH groups the entry allows) and the ESP
// transforms of a CHILD_SA; and the check that a responder chose one of them.
#pragma once

#include <optional>
#include <vector>

#include "ike/esp.hpp"
#include "ike/message.hpp"
#include "ike/sk_payload.hpp"

namespace openras::ike {

std::vector<Proposal> ike_offer(const std::vector<std::uint16_t>& dh_groups);
// The suite of a responder's answer: exactly one proposal, of our offer, with one transform
// of each type we need. nullopt otherwise (a server that chose what we did not offer).
std::optional<IkeSuite> chosen_ike_suite(const std::vector<Proposal>& answer,
                                         const std::vector<std::uint16_t>& dh_groups);

// For a rekey the peer starts: the first of its IKE proposals we can do, with one transform
// of each type, as our answer carrying `our_spi`.
std::optional<std::pair<IkeSuite, Proposal>> accept_ike(const std::vector<Proposal>& offer,
                                                        const std::vector<std::uint16_t>& dh_groups,
                                                        std::uint64_t our_spi);

// ESP proposals with our inbound SPI; `dh_group` non-zero adds it (PFS on a rekey).
std::vector<Proposal> esp_offer(std::uint32_t spi_in, std::uint16_t dh_group = 0);
struct EspChoice {
  EspTransforms transforms;
  std::uint32_t peer_spi = 0;  // where our packets go
  std::uint16_t dh_group = 0;  // 0: no PFS
};
// The responder's choice (one proposal), or, for proposals a peer offers us, the first we
// accept.
std::optional<EspChoice> chosen_esp(const std::vector<Proposal>& answer);
std::optional<std::pair<EspChoice, Proposal>> accept_esp(const std::vector<Proposal>& offer,
                                                         std::uint32_t spi_in);

// KEYMAT for a CHILD_SA (RFC 7296 2.17): prf+(SK_d, [g^ir] | Ni | Nr), the exchange
// initiator's direction first. `we_initiated`: we began the exchange that made it.
struct ChildKeys {
  EspKeys out, in;
};
std::optional<ChildKeys> child_keys(const IkeSaKeys& ike, const EspTransforms& t,
                                    ByteView shared_secret, ByteView nonce_i, ByteView nonce_r,
                                    bool we_initiated);

}  // namespace openras::ike
