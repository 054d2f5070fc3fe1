// _tprintf and _ftprintf of UNICODE programs, with Microsoft's meaning of the conversions: in a
// wide format %s and %c take wide arguments and %S and %C narrow ones (glibc's wprintf reads
// %s as narrow). The text is written as UTF-8 octets, so a program that mixes printf with
// _tprintf on one stream works, as it does on Windows (glibc fixes a stream's orientation at
// its first use, and a wide write to a byte stream fails).
#include <cstdarg>
#include <cstdio>
#include <cwchar>
#include <string>
#include <vector>

#include "client/text.hpp"

namespace {

std::wstring glibc_format(const wchar_t* format) {
  std::wstring out;
  for (const wchar_t* p = format; *p; ++p) {
    out += *p;
    if (*p != L'%') continue;
    ++p;
    if (*p == L'%') {
      out += *p;
      continue;
    }
    bool has_length = false;
    // Flags, width, precision and length, copied as they are.
    while (*p && std::wcschr(L"-+ #0123456789.*hlLqjzt", *p)) {
      if (std::wcschr(L"hlLqjzt", *p)) has_length = true;
      out += *p++;
    }
    if (!*p) break;
    switch (*p) {
      case L's':
      case L'c':
        if (!has_length) out += L'l';
        out += *p;
        break;
      case L'S':
        out += L's';  // narrow, as Microsoft's %S in a wide format
        break;
      case L'C':
        out += L'c';
        break;
      default:
        out += *p;
    }
  }
  return out;
}

int print(FILE* stream, const wchar_t* format, va_list args) {
  if (!stream || !format) return -1;
  std::wstring fixed = glibc_format(format);
  std::vector<wchar_t> buffer(256);
  for (;;) {
    va_list copy;
    va_copy(copy, args);
    int n = std::vswprintf(buffer.data(), buffer.size(), fixed.c_str(), copy);
    va_end(copy);
    if (n >= 0) {
      std::wstring_view text(buffer.data(), static_cast<std::size_t>(n));
      auto utf8 = openras::client::to_utf8(text);
      if (!utf8) return -1;
      return std::fputs(utf8->c_str(), stream) < 0 ? -1 : n;
    }
    if (buffer.size() > (1u << 24)) return -1;  // not a size problem: a bad format
    buffer.resize(buffer.size() * 2);
  }
}

}  // namespace

extern "C" {

int openras_win32_tprintf(const wchar_t* format, ...) {
  va_list args;
  va_start(args, format);
  int n = print(stdout, format, args);
  va_end(args);
  return n;
}

int openras_win32_ftprintf(FILE* stream, const wchar_t* format, ...) {
  va_list args;
  va_start(args, format);
  int n = print(stream, format, args);
  va_end(args);
  return n;
}

}  // extern "C"
