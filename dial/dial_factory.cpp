#include "dial/dial_machine.hpp"
#include "raserror.h"

#ifdef OPENRAS_WITH_TEST_LINK
#include "dial/test_link.hpp"
#endif

namespace openras::dial {

MachineOrError make_dial_machine(const phonebook::Entry& entry, const DialParams& params) {
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
  // The serial, modem, SSTP and L2TP links arrive in their own issues; until then every real
  // device type is one this build cannot open.
  (void)entry;
  out.error = ERROR_DEVICETYPE_DOES_NOT_EXIST;
  return out;
}

}  // namespace openras::dial
