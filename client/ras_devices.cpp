// The device and phonebook-detail functions: RasEnumDevices, RasGetCountryInfo, sub-entries
// (an OpenRAS entry has exactly one link: multilink is not built), the entry's custom
// authentication data, and the functions whose feature does not exist here (dialogs,
// AutoDial), which say so with the code Windows gives when the feature is absent
// (docs/win32-compat.md has the table).
#include <fcntl.h>
#include <glob.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "client/phonebook_access.hpp"
#include "client/text.hpp"
#include "phonebook/pbk_file.hpp"
#include "ras.h"

using namespace openras;
using namespace openras::client;

namespace {

struct Device {
  std::string type;
  std::string name;
};

// A serial port is listed only when this caller can open it and it answers as a terminal:
// /dev/ttyS* nodes exist on most machines whether or not a UART is behind them.
bool usable_serial_port(const char* path) {
  int fd = ::open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  termios t{};
  bool ok = ::tcgetattr(fd, &t) == 0;
  ::close(fd);
  return ok;
}

std::vector<Device> dialable_devices() {
  std::vector<Device> devices;
  for (const char* pattern : {"/dev/ttyS*", "/dev/ttyUSB*", "/dev/ttyACM*", "/dev/ttyAMA*"}) {
    glob_t g{};
    if (::glob(pattern, 0, nullptr, &g) == 0) {
      for (std::size_t i = 0; i < g.gl_pathc; ++i) {
        if (usable_serial_port(g.gl_pathv[i])) devices.push_back({"modem", g.gl_pathv[i]});
      }
    }
    ::globfree(&g);
  }
  // The VPN miniports OpenRAS has links for, with Windows' names.
  devices.push_back({"vpn", "WAN Miniport (SSTP)"});
  devices.push_back({"vpn", "WAN Miniport (L2TP)"});
  return devices;
}

template <typename DevInfo>
DWORD enum_devices(DevInfo* out, LPDWORD cb, LPDWORD count) {
  if (!cb || !count) return ERROR_INVALID_PARAMETER;
  if (out && out->dwSize != sizeof(DevInfo)) return ERROR_INVALID_SIZE;
  auto devices = dialable_devices();
  const DWORD needed = static_cast<DWORD>(devices.size() * sizeof(DevInfo));
  *count = static_cast<DWORD>(devices.size());
  if (!out || *cb < needed) {
    *cb = needed;
    return ERROR_BUFFER_TOO_SMALL;
  }
  for (std::size_t i = 0; i < devices.size(); ++i) {
    DevInfo& d = out[i];
    std::memset(&d, 0, sizeof(d));
    d.dwSize = sizeof(DevInfo);
    copy_field(d.szDeviceType, devices[i].type);
    copy_field(d.szDeviceName, devices[i].name);
  }
  *cb = needed;
  return 0;
}

// Country and region dialing codes (ITU-T E.164); the ID is the calling code, as TAPI numbers
// the countries that have a code of their own.
struct Country {
  DWORD id;
  const char* name;
};
constexpr Country kCountries[] = {
    {1, "United States of America"}, {7, "Russia"},         {20, "Egypt"},
    {27, "South Africa"},            {30, "Greece"},        {31, "Netherlands"},
    {32, "Belgium"},                 {33, "France"},        {34, "Spain"},
    {36, "Hungary"},                 {39, "Italy"},         {40, "Romania"},
    {41, "Switzerland"},             {43, "Austria"},       {44, "United Kingdom"},
    {45, "Denmark"},                 {46, "Sweden"},        {47, "Norway"},
    {48, "Poland"},                  {49, "Germany"},       {51, "Peru"},
    {52, "Mexico"},                  {54, "Argentina"},     {55, "Brazil"},
    {56, "Chile"},                   {57, "Colombia"},      {60, "Malaysia"},
    {61, "Australia"},               {62, "Indonesia"},     {63, "Philippines"},
    {64, "New Zealand"},             {65, "Singapore"},     {66, "Thailand"},
    {81, "Japan"},                   {82, "Korea (South)"}, {84, "Vietnam"},
    {86, "China"},                   {90, "Turkey"},        {91, "India"},
    {92, "Pakistan"},                {98, "Iran"},          {351, "Portugal"},
    {353, "Ireland"},                {354, "Iceland"},      {358, "Finland"},
    {380, "Ukraine"},                {420, "Czech Republic"}, {852, "Hong Kong SAR"},
    {886, "Taiwan"},                 {966, "Saudi Arabia"}, {971, "United Arab Emirates"},
    {972, "Israel"},
};

template <typename Char>
DWORD get_country_info(LPRASCTRYINFO info, LPDWORD size) {
  if (!info || !size) return ERROR_INVALID_PARAMETER;
  if (info->dwSize != sizeof(RASCTRYINFO)) return ERROR_INVALID_SIZE;
  const std::size_t count = sizeof(kCountries) / sizeof(kCountries[0]);
  std::size_t at = count;
  for (std::size_t i = 0; i < count; ++i) {
    if (kCountries[i].id == info->dwCountryID) at = i;
  }
  if (at == count) return ERROR_INVALID_PARAMETER;
  const std::string name = kCountries[at].name;
  const DWORD needed =
      static_cast<DWORD>(sizeof(RASCTRYINFO) + (text_length<Char>(name) + 1) * sizeof(Char));
  if (*size < needed) {
    *size = needed;
    return ERROR_BUFFER_TOO_SMALL;
  }
  info->dwNextCountryID = at + 1 < count ? kCountries[at + 1].id : 0;
  info->dwCountryCode = kCountries[at].id;
  info->dwCountryNameOffset = sizeof(RASCTRYINFO);
  auto* text = reinterpret_cast<Char*>(reinterpret_cast<BYTE*>(info) + sizeof(RASCTRYINFO));
  copy_text(text, text_length<Char>(name) + 1, name);
  *size = needed;
  return 0;
}

// Sub-entry 1 is the entry's own link: its device and phone number.
template <typename SubEntry>
DWORD get_subentry(const TextArg& book_arg, const TextArg& entry, DWORD index, SubEntry* out,
                   LPDWORD cb, LPDWORD config_size) {
  if (!book_arg.ok || !entry.ok || !entry.present || !cb) return ERROR_INVALID_PARAMETER;
  if (config_size) *config_size = 0;
  if (!out || *cb < sizeof(SubEntry)) {
    *cb = sizeof(SubEntry);
    return ERROR_BUFFER_TOO_SMALL;
  }
  if (out->dwSize != sizeof(SubEntry)) return ERROR_INVALID_SIZE;
  phonebook::PbkFile file;
  if (auto error = read_entry(book_arg.c_str(), entry.value, file)) return error;
  if (index != 1) return ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  const std::string& name = entry.value;
  using phonebook::Scope;
  std::memset(reinterpret_cast<BYTE*>(out) + sizeof(DWORD), 0, sizeof(SubEntry) - sizeof(DWORD));
  copy_field(out->szDeviceType, file.get(name, "DEVICE", Scope::Device).value_or(""));
  copy_field(out->szDeviceName, file.get(name, "Device", Scope::Media).value_or(""));
  copy_field(out->szLocalPhoneNumber, file.get(name, "PhoneNumber", Scope::Device).value_or(""));
  *cb = sizeof(SubEntry);
  return 0;
}

template <typename SubEntry>
DWORD set_subentry(const TextArg& book_arg, const TextArg& entry, DWORD index,
                   const SubEntry* in, DWORD in_size) {
  if (!book_arg.ok || !entry.ok || !entry.present || !in) return ERROR_INVALID_PARAMETER;
  if (in->dwSize != sizeof(SubEntry) || in_size < sizeof(SubEntry)) return ERROR_INVALID_SIZE;
  phonebook::LoadedPhonebook book;
  if (auto error = load_for_edit(book_arg.c_str(), book)) return error;
  if (!book.file.has_entry(entry.value)) return ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  // A second link would make a multilink bundle, which OpenRAS does not build.
  if (index != 1) return ERROR_NOT_SUPPORTED;
  using phonebook::Scope;
  book.file.set(entry.value, "Device", field_string(in->szDeviceName), Scope::Media);
  book.file.set(entry.value, "DEVICE", field_string(in->szDeviceType), Scope::Device);
  book.file.set(entry.value, "PhoneNumber", field_string(in->szLocalPhoneNumber), Scope::Device);
  return phonebook::save_phonebook(book.path, book.file);
}

DWORD delete_subentry(const TextArg& book_arg, const TextArg& entry, DWORD index) {
  if (!book_arg.ok || !entry.ok || !entry.present) return ERROR_INVALID_PARAMETER;
  FoundEntry found;
  if (auto error = find_entry(book_arg.c_str(), entry.value, found)) return error;
  // The entry's only link cannot go while the entry stays.
  return index == 1 ? ERROR_CANNOT_DELETE : ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
}

// Custom authentication data (an EAP method's configuration) is kept in the entry, as hex.
constexpr DWORD kServiceDoesNotExist = 1060;  // winerror.h ERROR_SERVICE_DOES_NOT_EXIST

constexpr const char* kCustomAuthKey = "CustomAuthData";
constexpr DWORD kMaxCustomAuthData = 16 * 1024;

DWORD get_custom_auth_data(const TextArg& book_arg, const TextArg& entry, BYTE* data,
                           DWORD* size) {
  if (!book_arg.ok || !entry.ok || !entry.present || !size) return ERROR_INVALID_PARAMETER;
  phonebook::PbkFile file;
  if (auto error = read_entry(book_arg.c_str(), entry.value, file)) return error;
  std::string hex = file.get(entry.value, kCustomAuthKey).value_or("");
  std::vector<BYTE> bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    unsigned value = 0;
    if (std::sscanf(hex.c_str() + i, "%2x", &value) != 1) return ERROR_CORRUPT_PHONEBOOK;
    bytes.push_back(static_cast<BYTE>(value));
  }
  const auto needed = static_cast<DWORD>(bytes.size());
  if (!data || *size < needed) {
    *size = needed;
    return needed == 0 ? 0 : ERROR_BUFFER_TOO_SMALL;
  }
  if (needed) std::memcpy(data, bytes.data(), needed);
  *size = needed;
  return 0;
}

DWORD set_custom_auth_data(const TextArg& book_arg, const TextArg& entry, const BYTE* data,
                           DWORD size) {
  if (!book_arg.ok || !entry.ok || !entry.present) return ERROR_INVALID_PARAMETER;
  if ((size && !data) || size > kMaxCustomAuthData) return ERROR_INVALID_PARAMETER;
  phonebook::LoadedPhonebook book;
  if (auto error = load_for_edit(book_arg.c_str(), book)) return error;
  if (!book.file.has_entry(entry.value)) return ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  std::string hex;
  char two[3];
  for (DWORD i = 0; i < size; ++i) {
    std::snprintf(two, sizeof(two), "%02X", data[i]);
    hex += two;
  }
  book.file.set(entry.value, kCustomAuthKey, hex);
  return phonebook::save_phonebook(book.path, book.file);
}

}  // namespace

extern "C" {

DWORD APIENTRY RasEnumDevicesA(LPRASDEVINFOA info, LPDWORD cb, LPDWORD count) {
  return enum_devices(info, cb, count);
}
DWORD APIENTRY RasEnumDevicesW(LPRASDEVINFOW info, LPDWORD cb, LPDWORD count) {
  return enum_devices(info, cb, count);
}
DWORD APIENTRY RasGetCountryInfoA(LPRASCTRYINFO info, LPDWORD size) {
  return get_country_info<char>(info, size);
}
DWORD APIENTRY RasGetCountryInfoW(LPRASCTRYINFO info, LPDWORD size) {
  return get_country_info<wchar_t>(info, size);
}
DWORD APIENTRY RasGetSubEntryPropertiesA(LPCSTR book, LPCSTR entry, DWORD index,
                                         LPRASSUBENTRYA out, LPDWORD cb, LPBYTE,
                                         LPDWORD config_size) {
  return get_subentry(text_arg(book), text_arg(entry), index, out, cb, config_size);
}
DWORD APIENTRY RasGetSubEntryPropertiesW(LPCWSTR book, LPCWSTR entry, DWORD index,
                                         LPRASSUBENTRYW out, LPDWORD cb, LPBYTE,
                                         LPDWORD config_size) {
  return get_subentry(text_arg(book), text_arg(entry), index, out, cb, config_size);
}
DWORD APIENTRY RasSetSubEntryPropertiesA(LPCSTR book, LPCSTR entry, DWORD index,
                                         LPRASSUBENTRYA in, DWORD in_size, LPBYTE, DWORD) {
  return set_subentry(text_arg(book), text_arg(entry), index, in, in_size);
}
DWORD APIENTRY RasSetSubEntryPropertiesW(LPCWSTR book, LPCWSTR entry, DWORD index,
                                         LPRASSUBENTRYW in, DWORD in_size, LPBYTE, DWORD) {
  return set_subentry(text_arg(book), text_arg(entry), index, in, in_size);
}
DWORD APIENTRY RasDeleteSubEntryA(LPCSTR book, LPCSTR entry, DWORD index) {
  return delete_subentry(text_arg(book), text_arg(entry), index);
}
DWORD APIENTRY RasDeleteSubEntryW(LPCWSTR book, LPCWSTR entry, DWORD index) {
  return delete_subentry(text_arg(book), text_arg(entry), index);
}
DWORD APIENTRY RasGetCustomAuthDataA(LPCSTR book, LPCSTR entry, BYTE* data, DWORD* size) {
  return get_custom_auth_data(text_arg(book), text_arg(entry), data, size);
}
DWORD APIENTRY RasGetCustomAuthDataW(LPCWSTR book, LPCWSTR entry, BYTE* data, DWORD* size) {
  return get_custom_auth_data(text_arg(book), text_arg(entry), data, size);
}
DWORD APIENTRY RasSetCustomAuthDataA(LPCSTR book, LPCSTR entry, BYTE* data, DWORD size) {
  return set_custom_auth_data(text_arg(book), text_arg(entry), data, size);
}
DWORD APIENTRY RasSetCustomAuthDataW(LPCWSTR book, LPCWSTR entry, BYTE* data, DWORD size) {
  return set_custom_auth_data(text_arg(book), text_arg(entry), data, size);
}

// The phonebook dialogs have no user interface to open here (rasphone's job on Windows).
DWORD APIENTRY RasCreatePhonebookEntryA(HWND, LPCSTR) {
  return ERROR_CALL_NOT_IMPLEMENTED;
}
DWORD APIENTRY RasCreatePhonebookEntryW(HWND, LPCWSTR) {
  return ERROR_CALL_NOT_IMPLEMENTED;
}
DWORD APIENTRY RasEditPhonebookEntryA(HWND, LPCSTR, LPCSTR) {
  return ERROR_CALL_NOT_IMPLEMENTED;
}
DWORD APIENTRY RasEditPhonebookEntryW(HWND, LPCWSTR, LPCWSTR) {
  return ERROR_CALL_NOT_IMPLEMENTED;
}

// AutoDial (dialing an entry when a program looks up an address) needs the Remote Access
// Auto Connection Manager service, which OpenRAS does not have: as on a Windows machine where
// that service is absent.
#define OPENRAS_NO_AUTODIAL(name, ...)      \
  DWORD APIENTRY name(__VA_ARGS__) {        \
    return kServiceDoesNotExist; \
  }
OPENRAS_NO_AUTODIAL(RasGetAutodialAddressA, LPCSTR, LPDWORD, LPRASAUTODIALENTRYA, LPDWORD, LPDWORD)
OPENRAS_NO_AUTODIAL(RasGetAutodialAddressW, LPCWSTR, LPDWORD, LPRASAUTODIALENTRYW, LPDWORD, LPDWORD)
OPENRAS_NO_AUTODIAL(RasSetAutodialAddressA, LPCSTR, DWORD, LPRASAUTODIALENTRYA, DWORD, DWORD)
OPENRAS_NO_AUTODIAL(RasSetAutodialAddressW, LPCWSTR, DWORD, LPRASAUTODIALENTRYW, DWORD, DWORD)
OPENRAS_NO_AUTODIAL(RasEnumAutodialAddressesA, LPSTR*, LPDWORD, LPDWORD)
OPENRAS_NO_AUTODIAL(RasEnumAutodialAddressesW, LPWSTR*, LPDWORD, LPDWORD)
OPENRAS_NO_AUTODIAL(RasGetAutodialEnableA, DWORD, LPBOOL)
OPENRAS_NO_AUTODIAL(RasGetAutodialEnableW, DWORD, LPBOOL)
OPENRAS_NO_AUTODIAL(RasSetAutodialEnableA, DWORD, BOOL)
OPENRAS_NO_AUTODIAL(RasSetAutodialEnableW, DWORD, BOOL)
OPENRAS_NO_AUTODIAL(RasGetAutodialParamA, DWORD, LPVOID, LPDWORD)
OPENRAS_NO_AUTODIAL(RasGetAutodialParamW, DWORD, LPVOID, LPDWORD)
OPENRAS_NO_AUTODIAL(RasSetAutodialParamA, DWORD, LPVOID, DWORD)
OPENRAS_NO_AUTODIAL(RasSetAutodialParamW, DWORD, LPVOID, DWORD)
#undef OPENRAS_NO_AUTODIAL

}  // extern "C"
