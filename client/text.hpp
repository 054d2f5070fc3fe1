// Text at the API boundary. The A functions take UTF-8; the W functions take wchar_t, which is
// UTF-32 on Linux. Inside, everything is UTF-8 std::string; each W function converts on the
// way in and out, so the A and W forms share one implementation and one set of error codes.
#pragma once

#include <cstddef>
#include <cstring>
#include <cwchar>
#include <optional>
#include <string>
#include <string_view>

#include "ras.h"

namespace openras::client {

// UTF-8 of a wide string; nullopt when it holds a value that is no Unicode scalar value
// (a surrogate, or past U+10FFFF).
std::optional<std::string> to_utf8(std::wstring_view wide);
// Wide text of UTF-8; invalid sequences become U+FFFD (text from files and the daemon).
std::wstring to_wide(std::string_view utf8);

// A pointer argument as UTF-8. `present` is false for NULL; `ok` false for invalid text.
struct TextArg {
  bool present = false;
  bool ok = true;
  std::string value;
  const char* c_str() const { return present ? value.c_str() : nullptr; }
};
inline TextArg text_arg(const char* s) {
  TextArg a;
  if (s) {
    a.present = true;
    a.value = s;
  }
  return a;
}
inline TextArg text_arg(const wchar_t* s) {
  TextArg a;
  if (!s) return a;
  a.present = true;
  auto u = to_utf8(s);
  a.ok = u.has_value();
  if (u) a.value = std::move(*u);
  return a;
}

// Read a fixed character field that may lack its terminator. A wide field with a value that
// is no Unicode character reads as U+FFFD rather than failing the call.
template <std::size_t N>
std::string field_string(const CHAR (&src)[N]) {
  return std::string(src, strnlen(src, N));
}
template <std::size_t N>
std::string field_string(const WCHAR (&src)[N]) {
  std::wstring_view v(src, wcsnlen(src, N));
  auto u = to_utf8(v);
  if (u) return *u;
  std::wstring cleaned(v);
  for (auto& c : cleaned) {
    if ((c >= 0xD800 && c <= 0xDFFF) || static_cast<std::uint32_t>(c) > 0x10FFFF) c = 0xFFFD;
  }
  return to_utf8(cleaned).value_or("");
}

// Copy UTF-8 into a fixed field, always terminated. Returns false when it did not fit whole
// (the field then holds what fit, cut at a character boundary).
bool copy_text(char* dest, std::size_t capacity, std::string_view utf8);
bool copy_text(wchar_t* dest, std::size_t capacity, std::string_view utf8);
template <typename Char, std::size_t N>
bool copy_field(Char (&dest)[N], std::string_view utf8) {
  return copy_text(dest, N, utf8);
}

// Does the text fit a field of N characters (with its terminator) in this width?
template <typename Char>
std::size_t text_length(std::string_view utf8);
template <>
inline std::size_t text_length<char>(std::string_view utf8) {
  return utf8.size();
}
template <>
inline std::size_t text_length<wchar_t>(std::string_view utf8) {
  return to_wide(utf8).size();
}

}  // namespace openras::client
