#include "client/phonebook_access.hpp"

#include <filesystem>

#include "phonebook/entry.hpp"
#include "raserror.h"

namespace openras::client {

std::uint32_t load_books(const char* path, std::vector<phonebook::LoadedPhonebook>& books) {
  books.clear();
  if (path && *path) {
    phonebook::LoadedPhonebook one;
    std::error_code ec;
    auto absolute = std::filesystem::absolute(path, ec);
    if (auto err = phonebook::load_phonebook(ec ? path : absolute.string(), true, one)) return err;
    books.push_back(std::move(one));
    return 0;
  }
  books = phonebook::load_default_phonebooks();
  return 0;
}

std::uint32_t locate_entry(const std::vector<phonebook::LoadedPhonebook>& books,
                           const std::string& name, const phonebook::LoadedPhonebook*& found) {
  for (const auto& book : books) {
    if (!book.file.has_entry(name)) continue;
    if (book.file.entry_is_broken(name)) return ERROR_CORRUPT_PHONEBOOK;
    found = &book;
    return 0;
  }
  return ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
}

std::uint32_t find_entry(const char* path, const std::string& name, FoundEntry& out) {
  std::vector<phonebook::LoadedPhonebook> books;
  if (auto err = load_books(path, books)) return err;
  const phonebook::LoadedPhonebook* book = nullptr;
  if (auto err = locate_entry(books, name, book)) return err;
  out.phonebook_path = book->path;
  out.text = book->file.entry_text(name).value_or("");
  return 0;
}

std::uint32_t read_entry(const char* path, const std::string& name, phonebook::PbkFile& out) {
  FoundEntry found;
  if (auto err = find_entry(path, name, found)) return err;
  out = phonebook::PbkFile::parse(found.text);
  return 0;
}

std::string edit_target(const char* path) {
  return path && *path ? std::string(path) : phonebook::writable_default_phonebook();
}

std::uint32_t load_for_edit(const char* path, phonebook::LoadedPhonebook& book) {
  return phonebook::load_phonebook(edit_target(path), false, book);
}

}  // namespace openras::client
