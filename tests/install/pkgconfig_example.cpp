// An out-of-tree C++ program built only with `pkg-config --cflags --libs openras`.
#include <cstdio>
#include <openras/openras.hpp>

int main() {
  auto ec = openras::make_ras_error_code(ERROR_AUTHENTICATION_FAILURE);
  std::printf("%s %d: %s\n", ec.category().name(), ec.value(), ec.message().c_str());
  return ec.value() == 691 ? 0 : 1;
}
