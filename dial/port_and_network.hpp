// What a dial machine asks of the host, apart from its state: the port to open (a tty, a TLS
// stream, a UDP socket), what opening it learnt, and the network to configure once projected.
// The manager's runtime does all of it; the machines only describe it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "phonebook/entry.hpp"

namespace openras::dial {

// What the manager must open for a machine that talks over a port: a tty, a TLS stream
// (SSTP) or a UDP socket (L2TP).
struct PortRequest {
  enum class Kind { Tty, Tls, Udp };
  Kind kind = Kind::Tty;
  std::string device;  // a tty path, or the server's host name or address
  std::uint32_t speed = 115200;
  bool hardware_flow = false;
  std::uint16_t remote_port = 0;  // TCP or UDP
  // TLS: the server certificate is verified against the system store and `device` unless
  // `insecure_no_verify`; a non-empty pin must equal the certificate's SHA-256 as well.
  bool insecure_no_verify = false;
  std::vector<std::uint8_t> pinned_sha256;
  std::string proxy;  // "host:port" of an HTTP CONNECT proxy, or ""
  // UDP: an ICMP "port unreachable" before the server's first datagram ends the port
  // (line_closed) instead of being ignored.
  bool refused_is_final = false;
};

// What the manager learnt opening the port.
struct PortInfo {
  std::vector<std::uint8_t> peer_certificate;  // TLS: the server's certificate, DER
  std::uint32_t remote_ipv4 = 0;  // where the port's packets go (server or proxy); 0: not IPv4
  // UDP: the socket's own address and both ports (host order), for IKE's NAT detection and
  // the addresses L2TP/IPsec names.
  std::uint32_t local_ipv4 = 0;
  std::uint16_t local_port = 0, remote_port = 0;
};

// What the manager must configure once the machine is projected.
struct NetworkRequest {
  std::uint32_t ip = 0;  // host order
  std::uint32_t peer_ip = 0;
  std::uint32_t dns1 = 0;
  std::uint32_t dns2 = 0;
  std::uint16_t mtu = 1500;
  bool default_route = true;   // "use default gateway on remote network"
  std::string interface_name;  // a name the entry asks for, or "" for rasN
  // The entry's own routes through the tunnel (Add-VpnConnectionRoute), IPv4.
  struct Route {
    std::uint32_t destination = 0;  // host order
    std::uint8_t prefix_length = 0;
    std::uint32_t metric = 1;
  };
  std::vector<Route> routes;
  std::string dns_suffix;  // IpDnsSuffix: the domain the tunnel's name servers answer for
};

// The entry's own IPv4 routes (NumRoutes / Routes=) as the network's routes. IPv6 routes
// wait for IPv6 on the interface, which OpenRAS does not configure yet.
std::vector<NetworkRequest::Route> entry_ipv4_routes(const phonebook::Entry& entry);

// An entry name the kernel takes as an interface name (the TUN is named after the entry when
// it can be, as Windows names the connection's adapter).
inline bool valid_interface_name(const std::string& name) {
  if (name.empty() || name.size() > 15) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace openras::dial
