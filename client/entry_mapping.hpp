// RASENTRY <-> .pbk keys, with the Windows key names ([MS-RRASM] 2.2.2.2).
#pragma once

#include <string>

#include "phonebook/pbk_file.hpp"
#include "ras.h"

namespace openras::client {

// Fill the fields a structure of out.dwSize bytes has; the rest of the struct is untouched.
// Entry is RASENTRYA or RASENTRYW.
template <typename Entry>
void entry_to_rasentry(const phonebook::PbkFile& file, const std::string& name, Entry& out);
// Write the fields `in` has (by its dwSize) into the entry, creating it when missing.
template <typename Entry>
void rasentry_to_entry(const Entry& in, const std::string& name, phonebook::PbkFile& file);

}  // namespace openras::client
