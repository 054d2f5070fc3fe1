#include <algorithm>
#include <cctype>

#include "dial/dial_machine.hpp"
#include "dial/hdlc_carrier.hpp"
#include "dial/ikev2_dial.hpp"
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

// VpnStrategy (VS_*): the protocol the strategy names first; for the default (which on
// Windows tries the tunnel types in turn) the miniport the entry's Device= names, else SSTP.
VpnProtocol vpn_protocol(const phonebook::Entry& entry) {
  switch (entry.vpn_strategy) {
    case VS_Default:
      if (names_miniport(entry, "(L2TP)")) return VpnProtocol::L2tp;
      if (names_miniport(entry, "(IKEv2)")) return VpnProtocol::Ikev2;
      if (names_miniport(entry, "(PPTP)")) return VpnProtocol::Unsupported;
      return VpnProtocol::Sstp;
    case VS_Ikev2Only:
    case VS_Ikev2First:
    case VS_Ikev2Sstp:
      return VpnProtocol::Ikev2;
    case VS_L2tpOnly:
    case VS_L2tpFirst:
      return VpnProtocol::L2tp;
    case VS_SstpOnly:
    case VS_SstpFirst:
    case VS_PptpSstp:
    case VS_L2tpSstp:
    case VS_ProtocolList:
      return VpnProtocol::Sstp;
    default:
      return VpnProtocol::Unsupported;
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
  if (type == "vpn" || entry.type == RASET_Vpn) {
    switch (vpn_protocol(entry)) {
      case VpnProtocol::Sstp:
        return tunnel_machine<SstpCarrier>(entry, params, sstp_setup);
      case VpnProtocol::L2tp:
        return tunnel_machine<L2tpCarrier>(entry, params, l2tp_setup);
      case VpnProtocol::Ikev2: {
        Ikev2Setup setup = ikev2_setup(entry, params);
        if (setup.error) {
          out.error = setup.error;
          return out;
        }
        out.machine = std::make_unique<Ikev2Dial>(entry, params, std::move(setup), system_random());
        return out;
      }
      case VpnProtocol::Unsupported:
        break;
    }
  }
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
