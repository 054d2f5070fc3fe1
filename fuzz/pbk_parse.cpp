// libFuzzer: any byte string parses as a phonebook, serializes back to itself, and every
// entry it names can be looked up and typed without crashing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "phonebook/entry.hpp"
#include "phonebook/pbk_file.hpp"

using namespace openras::phonebook;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  PbkFile file = PbkFile::parse(text);
  if (file.serialize() != text) std::abort();
  for (const auto& name : file.entry_names()) {
    (void)entry_from_pbk(file, name);
    file.set(name, "Type", "2");
    file.set(name, "PhoneNumber", "x", Scope::Device);
  }
  return 0;
}
