#include <algorithm>
#include <cctype>
#include <vector>

#include "dial/dial_machine.hpp"
#include "dial/hdlc_carrier.hpp"
#include "dial/ikev2_dial.hpp"
#include "dial/ipsec_carrier.hpp"
#include "dial/l2tp_carrier.hpp"
#include "dial/ppp_dial.hpp"
#include "dial/redial.hpp"
#include "dial/sstp_carrier.hpp"
#include "ras.h"
#include "raserror.h"

#ifdef OPENRAS_WITH_TEST_LINK
#include "dial/test_link.hpp"
#endif

namespace openras::dial {
namespace {

enum class VpnProtocol { Ikev2, Sstp, L2tp, Unsupported };

bool names_miniport(const phonebook::Entry& entry, std::string_view kind) {
  return entry.device_name.find(kind) != std::string::npos;
}

// The tunnel types an entry tries, in order (docs/ikev2.md, "Tunnel types in turn"):
// Windows 7 and later try IKEv2, SSTP, PPTP and L2TP for the default ("Automatic"), starting
// with the type the entry's Device= names; "X first" tries X, then the others in that order;
// "X only" and the pairs try what they name. PPTP is not built: it is skipped where others
// follow, and an entry that can only use it gets ERROR_DEVICETYPE_DOES_NOT_EXIST.
std::vector<VpnProtocol> vpn_protocols(const phonebook::Entry& entry) {
  const std::vector<VpnProtocol> automatic{VpnProtocol::Ikev2, VpnProtocol::Sstp,
                                           VpnProtocol::L2tp};
  auto first_then_rest = [&](VpnProtocol first) {
    std::vector<VpnProtocol> out{first};
    for (auto p : automatic) {
      if (p != first) out.push_back(p);
    }
    return out;
  };
  switch (entry.vpn_strategy) {
    case VS_Default:
      if (names_miniport(entry, "(IKEv2)")) return first_then_rest(VpnProtocol::Ikev2);
      if (names_miniport(entry, "(SSTP)")) return first_then_rest(VpnProtocol::Sstp);
      if (names_miniport(entry, "(L2TP)")) return first_then_rest(VpnProtocol::L2tp);
      return automatic;
    case VS_PptpFirst:
      return automatic;
    case VS_L2tpOnly:
      return {VpnProtocol::L2tp};
    case VS_L2tpFirst:
      return first_then_rest(VpnProtocol::L2tp);
    case VS_SstpOnly:
    case VS_PptpSstp:
    case VS_ProtocolList:
      return {VpnProtocol::Sstp};
    case VS_SstpFirst:
      return first_then_rest(VpnProtocol::Sstp);
    case VS_Ikev2Only:
      return {VpnProtocol::Ikev2};
    case VS_Ikev2First:
      return automatic;
    case VS_Ikev2Sstp:
      return {VpnProtocol::Ikev2, VpnProtocol::Sstp};
    case VS_L2tpSstp:
      return {VpnProtocol::L2tp, VpnProtocol::Sstp};
    default:
      return {};
  }
}

// PPP over a VPN tunnel: `setup` reads the entry into the carrier's port and client settings
// (or the Win32 error that refuses it), with the kernel's random for ids and nonces.
template <typename TunnelCarrier, typename Setup>
MachineOrError tunnel_machine(const phonebook::Entry& entry, const DialParams& params,
                              Setup (*setup)(const phonebook::Entry&, const DialParams&,
                                             ppp::Random&)) {
  MachineOrError out;
  auto random = system_random();
  Setup s = setup(entry, params, *random);
  if (s.error) {
    out.error = s.error;
    return out;
  }
  out.machine = std::make_unique<PppDial>(
      entry, params, std::move(random),
      std::make_unique<TunnelCarrier>(std::move(s.port), std::move(s.client)));
  return out;
}

// PPP over L2TP, inside IPsec when the entry asks for it.
MachineOrError l2tp_machine(const phonebook::Entry& entry, const DialParams& params) {
  MachineOrError out;
  auto random = system_random();
  L2tpSetup s = l2tp_setup(entry, params, *random);
  if (s.error) {
    out.error = s.error;
    return out;
  }
  auto l2tp = std::make_unique<L2tpCarrier>(s.port, std::move(s.client));
  std::unique_ptr<Carrier> carrier;
  if (s.ipsec) {
    IpsecSetup ipsec = ipsec_setup(entry, params, s.port);
    if (ipsec.error) {
      out.error = ipsec.error;
      return out;
    }
    carrier = std::make_unique<IpsecCarrier>(std::move(ipsec.port), std::move(ipsec.config),
                                             std::move(l2tp), system_random());
  } else {
    carrier = std::move(l2tp);
  }
  out.machine = std::make_unique<PppDial>(entry, params, std::move(random), std::move(carrier));
  return out;
}

MachineOrError protocol_machine(VpnProtocol protocol, const phonebook::Entry& entry,
                                const DialParams& params) {
  switch (protocol) {
    case VpnProtocol::Sstp:
      return tunnel_machine<SstpCarrier>(entry, params, sstp_setup);
    case VpnProtocol::L2tp:
      return l2tp_machine(entry, params);
    case VpnProtocol::Ikev2: {
      MachineOrError out;
      Ikev2Setup setup = ikev2_setup(entry, params);
      if (setup.error) {
        out.error = setup.error;
        return out;
      }
      out.machine = std::make_unique<Ikev2Dial>(entry, params, std::move(setup), system_random());
      return out;
    }
    default: {
      MachineOrError out;
      out.error = ERROR_DEVICETYPE_DOES_NOT_EXIST;
      return out;
    }
  }
}

// One tunnel type, or the entry's types in turn: those this entry can be dialed with (a type
// whose settings it cannot meet is left out), each attempt a fresh machine.
MachineOrError vpn_machine(const phonebook::Entry& entry, const DialParams& params) {
  std::vector<VpnProtocol> usable;
  MachineOrError first;
  for (auto p : vpn_protocols(entry)) {
    MachineOrError m = protocol_machine(p, entry, params);
    if (!m.machine) {
      if (usable.empty() && !first.machine && first.error == 0) first.error = m.error;
      continue;
    }
    if (usable.empty()) first = std::move(m);
    usable.push_back(p);
  }
  if (usable.size() <= 1) {
    if (!first.machine && first.error == 0) first.error = ERROR_DEVICETYPE_DOES_NOT_EXIST;
    return first;
  }
  RedialPolicy policy;
  policy.attempts = static_cast<std::uint32_t>(usable.size() - 1);
  policy.pause = Duration::zero();
  policy.fallback = true;
  auto shared_first = std::make_shared<std::unique_ptr<DialMachine>>(std::move(first.machine));
  MachineOrError out;
  out.machine = std::make_unique<RedialingDial>(
      policy, [entry, params, usable, shared_first](std::uint32_t attempt) {
        if (attempt == 0 && *shared_first) return std::move(*shared_first);
        return protocol_machine(usable[attempt], entry, params).machine;
      });
  return out;
}

MachineOrError make_single_machine(const phonebook::Entry& entry, const DialParams& params) {
  MachineOrError out;
#ifdef OPENRAS_WITH_TEST_LINK
  if (auto script_text = entry.key("OpenRasTestScript")) {
    auto script = parse_test_script(*script_text);
    if (!script) {
      out.error = ERROR_CORRUPT_PHONEBOOK;
      return out;
    }
    out.machine = std::make_unique<TestLinkDial>(entry, params, std::move(*script));
    return out;
  }
#else
  (void)params;
#endif
  std::string type = entry.device_type;
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool modem = type == "modem";
  const bool direct = type == "serial" || type == "null" || type == "direct" || type == "generic" ||
                      (type.empty() && entry.type == 3);
  if (modem || direct) {
    if (entry.port.empty() || entry.port.front() != '/') {
      // A Windows port name (COM1) or none: nothing on this machine to open.
      out.error = ERROR_PORT_NOT_AVAILABLE;
      return out;
    }
    out.machine = std::make_unique<PppDial>(entry, params, system_random(),
                                            std::make_unique<HdlcCarrier>(entry, params, modem));
    return out;
  }
  if (type == "vpn" || entry.type == RASET_Vpn) return vpn_machine(entry, params);
  // PPTP: a device type this build cannot open.
  out.error = ERROR_DEVICETYPE_DOES_NOT_EXIST;
  return out;
}

}  // namespace

MachineOrError make_dial_machine(const phonebook::Entry& entry, const DialParams& params) {
  MachineOrError first = make_single_machine(entry, params);
  RedialPolicy policy = redial_policy(entry);
  if (!first.machine || (policy.attempts == 0 && !policy.on_link_failure)) return first;
  auto shared_first = std::make_shared<std::unique_ptr<DialMachine>>(std::move(first.machine));
  MachineOrError out;
  out.machine =
      std::make_unique<RedialingDial>(policy, [entry, params, shared_first](std::uint32_t attempt) {
        if (attempt == 0 && *shared_first) return std::move(*shared_first);
        DialParams again = params;
        again.attempt = attempt;
        return make_single_machine(entry, again).machine;
      });
  return out;
}

}  // namespace openras::dial
