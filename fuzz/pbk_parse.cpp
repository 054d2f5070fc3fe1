// libFuzzer: any byte string parses as a phonebook, serializes back to itself, every entry it
// names can be looked up and typed without crashing, and the first few of a small file can be
// edited. Each edit re-indexes the whole file, which under the sanitizers made large inputs
// slow (editing every entry ran at a few hundred executions a second, the first four of any
// file at about 540): the edit path is taken on inputs up to kEditedBytes, the parser on all.
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
  constexpr std::size_t kEditedEntries = 4;
  constexpr std::size_t kEditedBytes = 1024;
  std::size_t edited = size <= kEditedBytes ? 0 : kEditedEntries;
  for (const auto& name : file.entry_names()) {
    (void)entry_from_pbk(file, name);
    if (edited++ >= kEditedEntries) continue;
    file.set(name, "Type", "2");
    file.set(name, "PhoneNumber", "x", Scope::Device);
  }
  return 0;
}
