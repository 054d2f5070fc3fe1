#include "client/text.hpp"

#include <cstdint>

namespace openras::client {
namespace {

bool is_scalar(std::uint32_t c) {
  return c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
}

void append_utf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// One code point from UTF-8 at s[i]; advances i. Malformed input gives U+FFFD and one octet.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  std::size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  std::uint32_t c = len == 1 ? b : b & (0xFF >> (len + 1));
  for (std::size_t k = 1; k < len; ++k) {
    auto cont = static_cast<unsigned char>(s[i + k]);
    if ((cont >> 6) != 2) {
      ++i;
      return 0xFFFD;
    }
    c = (c << 6) | (cont & 0x3F);
  }
  static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < kMinimum[len] || !is_scalar(c)) {
    ++i;
    return 0xFFFD;
  }
  i += len;
  return c;
}

}  // namespace

std::optional<std::string> to_utf8(std::wstring_view wide) {
  std::string out;
  out.reserve(wide.size());
  for (wchar_t w : wide) {
    auto c = static_cast<std::uint32_t>(w);
    if (!is_scalar(c)) return std::nullopt;
    append_utf8(out, c);
  }
  return out;
}

std::wstring to_wide(std::string_view utf8) {
  std::wstring out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) out += static_cast<wchar_t>(next_code_point(utf8, i));
  return out;
}

bool copy_text(char* dest, std::size_t capacity, std::string_view utf8) {
  if (capacity == 0) return utf8.empty();
  std::size_t n = utf8.size();
  bool whole = n < capacity;
  if (!whole) {
    n = capacity - 1;
    // Cut before a continuation octet, so the field never ends inside a character.
    while (n > 0 && (static_cast<unsigned char>(utf8[n]) & 0xC0) == 0x80) --n;
  }
  std::memcpy(dest, utf8.data(), n);
  dest[n] = '\0';
  return whole;
}

bool copy_text(wchar_t* dest, std::size_t capacity, std::string_view utf8) {
  if (capacity == 0) return utf8.empty();
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < utf8.size() && n + 1 < capacity) dest[n++] = static_cast<wchar_t>(next_code_point(utf8, i));
  dest[n] = L'\0';
  return i >= utf8.size();
}

}  // namespace openras::client
