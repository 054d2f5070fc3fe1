#include "ppp/bytes.hpp"

namespace openras::ppp {

void append(Bytes& out, ByteView data) {
  out.insert(out.end(), data.begin(), data.end());
}

}  // namespace openras::ppp
