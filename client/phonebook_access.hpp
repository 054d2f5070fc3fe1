// How the RAS functions find phonebooks: an explicit path, or the defaults a NULL phonebook
// means (per-user first, then all-users).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "phonebook/store.hpp"

namespace openras::client {

// Loads the phonebook(s) `path` names (NULL or "" = the defaults).
std::uint32_t load_books(const char* path, std::vector<phonebook::LoadedPhonebook>& books);

struct FoundEntry {
  std::string phonebook_path;
  std::string text;  // the entry's section
};

// The first of `books` (in the order a NULL phonebook means) holding `name`;
// ERROR_CANNOT_FIND_PHONEBOOK_ENTRY or ERROR_CORRUPT_PHONEBOOK when there is none to use.
std::uint32_t locate_entry(const std::vector<phonebook::LoadedPhonebook>& books,
                           const std::string& name, const phonebook::LoadedPhonebook*& found);

// ERROR_CANNOT_FIND_PHONEBOOK_ENTRY / ERROR_CORRUPT_PHONEBOOK / ERROR_CANNOT_OPEN_PHONEBOOK.
std::uint32_t find_entry(const char* path, const std::string& name, FoundEntry& out);

// The entry's own section, parsed, to read its keys under `name`; errors as find_entry.
std::uint32_t read_entry(const char* path, const std::string& name, phonebook::PbkFile& out);

// The single file an edit goes to: `path`, or the writable default.
std::string edit_target(const char* path);
// Loads that file (a missing file is an empty phonebook).
std::uint32_t load_for_edit(const char* path, phonebook::LoadedPhonebook& book);

}  // namespace openras::client
