// A C++ program passes each kind of RasDial notifier as MSVC lets it: a RasDialFunc,
// RasDialFunc1 or RasDialFunc2 function, an HWND, or NULL, with no cast. Built ANSI and
// UNICODE; that it compiles is most of the test. Running it checks each call reached RasDial
// (a zero dwSize is refused with ERROR_INVALID_SIZE before any daemon is needed).
#include <ras.h>
#include <raserror.h>
#include <tchar.h>
#include <windows.h>

#include <cstdio>

static VOID WINAPI OnEvent(UINT, RASCONNSTATE, DWORD) {}
static VOID WINAPI OnEvent1(HRASCONN, UINT, RASCONNSTATE, DWORD, DWORD) {}
static DWORD WINAPI OnEvent2(ULONG_PTR, DWORD, HRASCONN, UINT, RASCONNSTATE, DWORD, DWORD) {
  return 1;
}

int main() {
  RASDIALPARAMS params = {};
  params.dwSize = 0;
  HRASCONN h = NULL;
  HWND window = NULL;
  DWORD results[] = {
      RasDial(NULL, NULL, &params, 0, OnEvent, &h),
      RasDial(NULL, NULL, &params, 0, &OnEvent, &h),
      RasDial(NULL, NULL, &params, 1, OnEvent1, &h),
      RasDial(NULL, NULL, &params, 2, OnEvent2, &h),
      RasDial(NULL, NULL, &params, 0xFFFFFFFF, window, &h),
      RasDial(NULL, NULL, &params, 0, NULL, &h),
      RasDial(NULL, NULL, &params, 0, nullptr, &h),
      RasDial(NULL, NULL, &params, 0, 0, &h),
  };
  int failures = 0;
  for (DWORD r : results) {
    if (r != ERROR_INVALID_SIZE) ++failures;
  }
  std::printf("%d of %zu calls answered ERROR_INVALID_SIZE\n",
              static_cast<int>(sizeof(results) / sizeof(results[0])) - failures,
              sizeof(results) / sizeof(results[0]));
  return failures;
}
