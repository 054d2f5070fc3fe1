// UDP encapsulation of IKE and ESP (RFC 3948), as IKEv2 and L2TP/IPsec both use it: the
// server's port, and the keepalives that hold a NAT's mapping of us.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "common/clock.hpp"

namespace openras::dial {

inline constexpr std::uint16_t kIkeNatTPort = 4500;

// One 0xFF octet when nothing else went out for 20 s (RFC 3948 4: a NAT keeps a UDP mapping
// for about a minute; 20 s is what most clients send).
class NatKeepalive {
 public:
  static constexpr Duration kInterval = std::chrono::seconds(20);
  static bool is_keepalive(std::span<const std::uint8_t> datagram) {
    return datagram.size() == 1 && datagram[0] == 0xff;
  }
  static constexpr std::uint8_t kOctet = 0xff;

  // The first interval starts (again only once stopped).
  void start(TimePoint now) {
    if (!due_) due_ = now + kInterval;
  }
  void sent() { sent_since_ = true; }
  bool due(TimePoint now) const { return due_ && now >= *due_; }
  // At a due time: whether a keepalive must go (nothing went out since the last), and the
  // next interval starts.
  bool take(TimePoint now) {
    const bool wanted = !sent_since_;
    sent_since_ = false;
    due_ = now + kInterval;
    return wanted;
  }
  std::optional<TimePoint> deadline() const { return due_; }

 private:
  std::optional<TimePoint> due_;
  bool sent_since_ = false;
};

}  // namespace openras::dial
