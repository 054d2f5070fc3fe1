#include "ppp/ncp.hpp"

namespace openras::ppp {
namespace {

enum IpcpOption : std::uint8_t {
  kIpCompression = 2,
  kIpAddress = 3,
  kPrimaryDns = 129,
  kSecondaryDns = 131,
};
constexpr std::uint8_t kInterfaceIdentifier = 1;

void put_address(Bytes& out, std::uint8_t type, std::uint32_t value) {
  Bytes v;
  put32(v, value);
  put_option(out, type, v);
}

std::uint64_t get64(const std::uint8_t* p) {
  return (static_cast<std::uint64_t>(get32(p)) << 32) | get32(p + 4);
}

void put_id(Bytes& out, std::uint64_t id) {
  Bytes v;
  put32(v, static_cast<std::uint32_t>(id >> 32));
  put32(v, static_cast<std::uint32_t>(id));
  put_option(out, kInterfaceIdentifier, v);
}

}  // namespace

Ipcp::Ipcp(const SessionConfig& config, Negotiated& negotiated, LayerHooks& hooks,
           std::deque<OutPacket>& outbox)
    : config_(config),
      negotiated_(negotiated),
      hooks_(hooks),
      fsm_(kProtoIpcp, *this, outbox, config.fsm),
      want_dns1_(!config.server && config.want_dns),
      want_dns2_(!config.server && config.want_dns) {
  if (config.server) address_ = config.server_settings.local_ip;
}

Bytes Ipcp::build_request() {
  Bytes out;
  if (want_address_) put_address(out, kIpAddress, address_);
  if (want_dns1_) put_address(out, kPrimaryDns, dns1_);
  if (want_dns2_) put_address(out, kSecondaryDns, dns2_);
  return out;
}

Verdict Ipcp::check_request(ByteView options, Bytes& reply) {
  Bytes naks, rejects;
  std::uint32_t peer_ip = 0;
  const auto& server = config_.server_settings;
  bool ok = for_each_option(options, [&](const Option& o) {
    Bytes raw;
    put_option(raw, o.type, o.data);
    auto reject = [&] { rejects.insert(rejects.end(), raw.begin(), raw.end()); };
    if (o.data.size() != 4 && o.type != kIpCompression) return reject();
    std::uint32_t value = o.data.size() == 4 ? get32(o.data.data()) : 0;
    switch (o.type) {
      case kIpAddress:
        if (config_.server) {
          // The client asks for an address: it gets the one we assign.
          if (value != server.assign_ip) {
            put_address(naks, kIpAddress, server.assign_ip);
          } else {
            peer_ip = value;
          }
        } else if (value == 0) {
          // The server asks us to name its address. Rejecting that makes some servers (slirp)
          // give IPCP up ("no local address"), so name the conventional placeholder pppd uses
          // for a peer without one; it only labels the point-to-point route.
          put_address(naks, kIpAddress, config_.peer_address_hint);
        } else {
          peer_ip = value;
        }
        break;
      case kPrimaryDns:
      case kSecondaryDns:
        if (config_.server) {
          std::uint32_t dns = o.type == kPrimaryDns ? server.dns1 : server.dns2;
          if (dns == 0) {
            reject();
          } else if (value != dns) {
            put_address(naks, o.type, dns);
          }
        } else {
          reject();
        }
        break;
      default:
        reject();  // VJ compression and anything else
        break;
    }
  });
  Verdict verdict = settle_request(ok, options, rejects, naks, reply);
  if (verdict == Verdict::Ack) negotiated_.peer_ip = peer_ip;
  return verdict;
}

bool Ipcp::on_ack(ByteView options) {
  return for_each_option(options, [&](const Option& o) {
    if (o.data.size() != 4) return;
    std::uint32_t value = get32(o.data.data());
    if (o.type == kIpAddress) negotiated_.ip = value;
    if (o.type == kPrimaryDns) negotiated_.dns1 = value;
    if (o.type == kSecondaryDns) negotiated_.dns2 = value;  // 0.0.0.0 acked: "none"
  });
}

void Ipcp::on_nak(ByteView options) {
  for_each_option(options, [&](const Option& o) {
    if (o.data.size() != 4) return;
    std::uint32_t value = get32(o.data.data());
    if (o.type == kIpAddress) address_ = value;
    if (o.type == kPrimaryDns) dns1_ = value;
    if (o.type == kSecondaryDns) dns2_ = value;
  });
}

void Ipcp::on_reject(ByteView options) {
  for_each_option(options, [&](const Option& o) {
    if (o.type == kIpAddress) want_address_ = false;
    if (o.type == kPrimaryDns) want_dns1_ = false;
    if (o.type == kSecondaryDns) want_dns2_ = false;
  });
}

Ipv6cp::Ipv6cp(const SessionConfig& config, Negotiated& negotiated, Random& random,
               LayerHooks& hooks, std::deque<OutPacket>& outbox)
    : negotiated_(negotiated),
      random_(random),
      hooks_(hooks),
      fsm_(kProtoIpv6cp, *this, outbox, config.fsm) {
  negotiated_.our_interface_id = fresh_id();
}

std::uint64_t Ipv6cp::fresh_id() {
  std::uint64_t id = 0;
  while (id == 0) {
    std::uint8_t b[8];
    random_.fill(b, 8);
    id = get64(b);
  }
  return id;
}

Bytes Ipv6cp::build_request() {
  Bytes out;
  if (want_id_) put_id(out, negotiated_.our_interface_id);
  return out;
}

Verdict Ipv6cp::check_request(ByteView options, Bytes& reply) {
  Bytes naks, rejects;
  std::uint64_t peer_id = 0;
  bool ok = for_each_option(options, [&](const Option& o) {
    if (o.type != kInterfaceIdentifier || o.data.size() != 8) {
      put_option(rejects, o.type, o.data);
      return;
    }
    std::uint64_t id = get64(o.data.data());
    if (id == 0 || id == negotiated_.our_interface_id) {
      // RFC 5072 4.1: suggest a different, non-zero identifier.
      std::uint64_t suggestion = fresh_id();
      while (suggestion == negotiated_.our_interface_id) suggestion = fresh_id();
      put_id(naks, suggestion);
    } else {
      peer_id = id;
    }
  });
  Verdict verdict = settle_request(ok, options, rejects, naks, reply);
  if (verdict == Verdict::Ack) negotiated_.peer_interface_id = peer_id;
  return verdict;
}

bool Ipv6cp::on_ack(ByteView options) {
  return for_each_option(options, [&](const Option& o) {
    if (o.type == kInterfaceIdentifier && o.data.size() == 8) {
      negotiated_.our_interface_id = get64(o.data.data());
    }
  });
}

void Ipv6cp::on_nak(ByteView options) {
  for_each_option(options, [&](const Option& o) {
    if (o.type == kInterfaceIdentifier && o.data.size() == 8) {
      std::uint64_t id = get64(o.data.data());
      negotiated_.our_interface_id = id != 0 ? id : fresh_id();
    }
  });
}

void Ipv6cp::on_reject(ByteView options) {
  for_each_option(options, [&](const Option& o) {
    if (o.type == kInterfaceIdentifier) want_id_ = false;
  });
}

}  // namespace openras::ppp
