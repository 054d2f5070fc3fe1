// Phonebook functions: RasEnumEntries, RasGetEntryProperties, RasSetEntryProperties,
// RasValidateEntryName, RasDeleteEntry, RasRenameEntry, RasGetEntryDialParams.
#include "client/entry_mapping.hpp"
#include "client/phonebook_access.hpp"
#include "client/struct_sizes.hpp"
#include "client/text.hpp"
#include "client/util.hpp"
#include "phonebook/pbk_file.hpp"
#include "ras.h"

using namespace openras;
using namespace openras::client;

namespace {

template <typename Name>
DWORD enum_entries(const char* path, Name* names, LPDWORD cb, LPDWORD count) {
  if (!cb || !count) return ERROR_INVALID_PARAMETER;
  DWORD element = sizeof(Name);
  if (names) {
    if (!size_is_one_of(names->dwSize, kEntryNameSizes<Name>)) return ERROR_INVALID_SIZE;
    element = names->dwSize;
  }
  std::vector<phonebook::LoadedPhonebook> books;
  if (auto error = load_books(path, books)) return error;
  struct Found {
    std::string name;
    const phonebook::LoadedPhonebook* book;
  };
  std::vector<Found> found;
  for (const auto& book : books) {
    for (auto& name : book.file.entry_names()) found.push_back({name, &book});
  }
  DWORD needed = static_cast<DWORD>(found.size()) * element;
  *count = static_cast<DWORD>(found.size());
  if (!names || *cb < needed) {
    *cb = needed;
    return needed == 0 ? 0 : ERROR_BUFFER_TOO_SMALL;
  }
  auto* base = reinterpret_cast<BYTE*>(names);
  for (std::size_t i = 0; i < found.size(); ++i) {
    auto* e = reinterpret_cast<Name*>(base + i * element);
    std::memset(e, 0, element);
    e->dwSize = element;
    copy_field(e->szEntryName, found[i].name);
    if (OPENRAS_HAS_FIELD(Name, element, szPhonebookPath)) {
      e->dwFlags = found[i].book->all_users ? REN_AllUsers : REN_User;
      copy_field(e->szPhonebookPath, found[i].book->path);
    }
  }
  *cb = needed;
  return 0;
}

template <typename Entry>
DWORD get_entry_properties(const char* path, const char* entry, Entry* out, LPDWORD out_size,
                           LPDWORD device_info_size) {
  if (!out_size) return ERROR_INVALID_PARAMETER;
  if (device_info_size) *device_info_size = 0;
  if (!out || *out_size < sizeof(DWORD)) {
    *out_size = sizeof(Entry);
    return ERROR_BUFFER_TOO_SMALL;
  }
  if (!size_is_one_of(out->dwSize, kEntrySizes<Entry>)) return ERROR_INVALID_SIZE;
  if (*out_size < out->dwSize) {
    *out_size = out->dwSize;
    return ERROR_BUFFER_TOO_SMALL;
  }
  std::string name = entry ? entry : "";
  if (name.empty()) {
    // The default entry: what a new entry starts from.
    entry_to_rasentry(phonebook::PbkFile::parse(""), "", *out);
    return 0;
  }
  std::vector<phonebook::LoadedPhonebook> books;
  if (auto error = load_books(path, books)) return error;
  const phonebook::LoadedPhonebook* book = nullptr;
  if (auto error = locate_entry(books, name, book)) return error;
  entry_to_rasentry(book->file, name, *out);
  return 0;
}

template <typename Entry>
DWORD set_entry_properties(const char* path, const char* entry, const Entry* in, DWORD in_size) {
  if (!entry || !in) return ERROR_INVALID_PARAMETER;
  if (!size_is_one_of(in->dwSize, kEntrySizes<Entry>) || in_size < in->dwSize) {
    return ERROR_INVALID_SIZE;
  }
  if (!phonebook::is_valid_entry_name(entry)) return ERROR_INVALID_NAME;
  phonebook::LoadedPhonebook book;
  if (auto error = load_for_edit(path, book)) return error;
  rasentry_to_entry(*in, entry, book.file);
  return phonebook::save_phonebook(book.path, book.file);
}

DWORD validate_entry_name(const char* path, const char* entry) {
  if (!entry || !phonebook::is_valid_entry_name(entry)) return ERROR_INVALID_NAME;
  std::vector<phonebook::LoadedPhonebook> books;
  if (auto error = load_books(path, books)) return error;
  for (const auto& book : books) {
    if (book.file.has_entry(entry)) return ERROR_ALREADY_EXISTS;
  }
  return 0;
}

DWORD delete_entry(const char* path, const char* entry) {
  if (!entry) return ERROR_INVALID_PARAMETER;
  phonebook::LoadedPhonebook book;
  if (auto error = load_for_edit(path, book)) return error;
  if (!book.file.remove_entry(entry)) return ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  return phonebook::save_phonebook(book.path, book.file);
}

DWORD rename_entry(const char* path, const char* from, const char* to) {
  if (!from || !to) return ERROR_INVALID_PARAMETER;
  if (!phonebook::is_valid_entry_name(to)) return ERROR_INVALID_NAME;
  phonebook::LoadedPhonebook book;
  if (auto error = load_for_edit(path, book)) return error;
  if (!book.file.has_entry(from)) return ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  if (book.file.has_entry(to)) return ERROR_ALREADY_EXISTS;
  book.file.rename_entry(from, to);
  return phonebook::save_phonebook(book.path, book.file);
}

// The text arguments of one call, converted; ERROR_INVALID_PARAMETER when one is not text.
#define OPENRAS_TEXT_ARGS(...)                                     \
  TextArg args[] = {__VA_ARGS__};                                  \
  for (const auto& a : args) {                                     \
    if (!a.ok) return ERROR_INVALID_PARAMETER;                     \
  }

}  // namespace

extern "C" {

DWORD APIENTRY RasEnumEntriesA(LPCSTR reserved, LPCSTR path, LPRASENTRYNAMEA names, LPDWORD cb,
                               LPDWORD count) {
  if (reserved) return ERROR_INVALID_PARAMETER;
  return enum_entries(path, names, cb, count);
}
DWORD APIENTRY RasEnumEntriesW(LPCWSTR reserved, LPCWSTR path, LPRASENTRYNAMEW names, LPDWORD cb,
                               LPDWORD count) {
  if (reserved) return ERROR_INVALID_PARAMETER;
  OPENRAS_TEXT_ARGS(text_arg(path));
  return enum_entries(args[0].c_str(), names, cb, count);
}
DWORD APIENTRY RasGetEntryPropertiesA(LPCSTR path, LPCSTR entry, LPRASENTRYA out, LPDWORD out_size,
                                      LPBYTE, LPDWORD device_info_size) {
  return get_entry_properties(path, entry, out, out_size, device_info_size);
}
DWORD APIENTRY RasGetEntryPropertiesW(LPCWSTR path, LPCWSTR entry, LPRASENTRYW out,
                                      LPDWORD out_size, LPBYTE, LPDWORD device_info_size) {
  OPENRAS_TEXT_ARGS(text_arg(path), text_arg(entry));
  return get_entry_properties(args[0].c_str(), args[1].c_str(), out, out_size, device_info_size);
}
DWORD APIENTRY RasSetEntryPropertiesA(LPCSTR path, LPCSTR entry, LPRASENTRYA in, DWORD in_size,
                                      LPBYTE, DWORD) {
  return set_entry_properties(path, entry, in, in_size);
}
DWORD APIENTRY RasSetEntryPropertiesW(LPCWSTR path, LPCWSTR entry, LPRASENTRYW in, DWORD in_size,
                                      LPBYTE, DWORD) {
  OPENRAS_TEXT_ARGS(text_arg(path), text_arg(entry));
  return set_entry_properties(args[0].c_str(), args[1].c_str(), in, in_size);
}
DWORD APIENTRY RasValidateEntryNameA(LPCSTR path, LPCSTR entry) {
  return validate_entry_name(path, entry);
}
DWORD APIENTRY RasValidateEntryNameW(LPCWSTR path, LPCWSTR entry) {
  OPENRAS_TEXT_ARGS(text_arg(path), text_arg(entry));
  return validate_entry_name(args[0].c_str(), args[1].c_str());
}
DWORD APIENTRY RasDeleteEntryA(LPCSTR path, LPCSTR entry) {
  return delete_entry(path, entry);
}
DWORD APIENTRY RasDeleteEntryW(LPCWSTR path, LPCWSTR entry) {
  OPENRAS_TEXT_ARGS(text_arg(path), text_arg(entry));
  return delete_entry(args[0].c_str(), args[1].c_str());
}
DWORD APIENTRY RasRenameEntryA(LPCSTR path, LPCSTR from, LPCSTR to) {
  return rename_entry(path, from, to);
}
DWORD APIENTRY RasRenameEntryW(LPCWSTR path, LPCWSTR from, LPCWSTR to) {
  OPENRAS_TEXT_ARGS(text_arg(path), text_arg(from), text_arg(to));
  return rename_entry(args[0].c_str(), args[1].c_str(), args[2].c_str());
}

}  // extern "C"
