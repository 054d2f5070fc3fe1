/* tchar.h subset: TCHAR is char (the A, UTF-8 API) or, with UNICODE / _UNICODE, WCHAR (the
 * W API, wchar_t), and the _t names map to the C library's narrow or wide functions.
 * A UNICODE program's _tmain is wmain: librasapi_wmain (in pkg-config's Libs) supplies the
 * main() that converts the arguments from the locale's encoding and calls it. */
/* The shared names below stay Win32's in the source; the symbols are librasapi's. */
#ifndef OPENRAS_WIN32_TCHAR_H
#define OPENRAS_WIN32_TCHAR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <wctype.h>

#include "openras/wintypes.h"

#if defined(_UNICODE) && !defined(UNICODE)
#define UNICODE
#endif
#if defined(UNICODE) && !defined(_UNICODE)
#define _UNICODE
#endif

#ifdef UNICODE
typedef WCHAR TCHAR;
typedef WCHAR _TCHAR;
typedef WCHAR* LPTSTR;
typedef const WCHAR* LPCTSTR;
#define __OPENRAS_T(s) L##s
#define TEXT(s) __OPENRAS_T(s)
#define _T(s) __OPENRAS_T(s)
#define _TEXT(s) __OPENRAS_T(s)
#ifdef __cplusplus
extern "C"
#endif
    int wmain(int argc, wchar_t** argv);
#define _tmain wmain
/* Microsoft's wide printf: %s and %c are wide, %S and %C narrow, written as UTF-8 octets so
 * that printf and _tprintf can share stdout (client/wide_printf.cpp). */
#ifdef __cplusplus
extern "C" {
#endif
int openras_win32_tprintf(const wchar_t* format, ...);
int openras_win32_ftprintf(FILE* stream, const wchar_t* format, ...);
#ifdef __cplusplus
}
#endif
#define _tprintf openras_win32_tprintf
#define _ftprintf openras_win32_ftprintf
#define _stprintf swprintf
#define _sntprintf swprintf
#define _vstprintf vswprintf
#define _tcslen wcslen
#define _tcsnlen wcsnlen
#define _tcscpy wcscpy
#define _tcsncpy wcsncpy
#define _tcscmp wcscmp
#define _tcsncmp wcsncmp
#define _tcsicmp wcscasecmp
#define _tcsnicmp wcsncasecmp
#define _tcscat wcscat
#define _tcschr wcschr
#define _tcsrchr wcsrchr
#define _tcsstr wcsstr
#define _tcstol wcstol
#define _tcstoul wcstoul
#define _ttoi(s) ((int)wcstol((s), NULL, 10))
#define _tstoi(s) ((int)wcstol((s), NULL, 10))
#define _fgetts fgetws
#define _fputts fputws
#define _puttchar putwchar
#define _totupper towupper
#define _totlower towlower
#else
typedef char TCHAR;
typedef char _TCHAR;
typedef char* LPTSTR;
typedef const char* LPCTSTR;
#define TEXT(s) s
#define _T(s) s
#define _TEXT(s) s
#define _tmain main
#define _tprintf printf
#define _ftprintf fprintf
#define _stprintf sprintf
#define _sntprintf snprintf
#define _vstprintf vsprintf
#define _tcslen strlen
#define _tcsnlen strnlen
#define _tcscpy strcpy
#define _tcsncpy strncpy
#define _tcscmp strcmp
#define _tcsncmp strncmp
#define _tcsicmp strcasecmp
#define _tcsnicmp strncasecmp
#define _tcscat strcat
#define _tcschr strchr
#define _tcsrchr strrchr
#define _tcsstr strstr
#define _tcstol strtol
#define _tcstoul strtoul
#define _ttoi atoi
#define _tstoi atoi
#define _fgetts fgets
#define _fputts fputs
#define _puttchar putchar
#define _totupper toupper
#define _totlower tolower
#endif

#define _stricmp strcasecmp
#define _strnicmp strncasecmp
#define _wcsicmp wcscasecmp
#define _wcsnicmp wcsncasecmp

#endif /* OPENRAS_WIN32_TCHAR_H */
