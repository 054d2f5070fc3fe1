// Reading and writing .pbk files, and which files a NULL phonebook means: the per-user
// phonebook ($OPENRAS_USER_PHONEBOOK, else $XDG_CONFIG_HOME/openras/rasphone.pbk, else
// ~/.config/openras/rasphone.pbk) and the all-users one ($OPENRAS_SYSTEM_PHONEBOOK, else
// /etc/openras/rasphone.pbk).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "phonebook/pbk_file.hpp"

namespace openras::phonebook {

std::string user_phonebook_path();
std::string system_phonebook_path();

struct LoadedPhonebook {
  std::string path;
  PbkFile file;
  bool all_users = false;
};

// Past this a phonebook is refused (ERROR_CANNOT_LOAD_PHONEBOOK): about 40,000 typical entries.
inline constexpr std::size_t kMaxPhonebookBytes = 64u * 1024 * 1024;

// ERROR_CANNOT_OPEN_PHONEBOOK when an explicitly named file cannot be read or is not a regular
// file (a FIFO, a device). A default phonebook that does not exist yet is an empty phonebook.
std::uint32_t load_phonebook(const std::string& path, bool must_exist, LoadedPhonebook& out);
// The phonebooks a NULL lpszPhonebook means, per-user first.
std::vector<LoadedPhonebook> load_default_phonebooks();
// Atomic replace (write a temporary file, then rename); ERROR_CANNOT_WRITE_PHONEBOOK on failure.
std::uint32_t save_phonebook(const std::string& path, const PbkFile& file);
// Where a NULL phonebook is written: the system one for root, the per-user one otherwise.
std::string writable_default_phonebook();

}  // namespace openras::phonebook
