// One line describing a PPP frame for the --verbose packet trace. Authentication payloads
// (PAP requests, CHAP responses, anything that could carry a secret) are never printed.
#pragma once

#include <string>

#include "ppp/bytes.hpp"

namespace openras::ppp {

std::string describe_frame(ByteView frame);

}  // namespace openras::ppp
