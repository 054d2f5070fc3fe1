/* The Win32 base types RAS programs use, with Windows' sizes on LP64 Linux: DWORD is 32-bit
 * (unsigned long is 64-bit here). WCHAR is the compiler's wchar_t, so that L"..." literals,
 * WCHAR arrays and the C library's wcs* functions work together unchanged as on Windows; on
 * Linux that is a 32-bit character (UTF-32), so the W structures are laid out with 4-byte
 * characters. docs/win32-compat.md says why, and what -fshort-wchar does. */
#ifndef OPENRAS_WINTYPES_H
#define OPENRAS_WINTYPES_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#ifndef OPENRAS_WINTYPES_DEFINED
#define OPENRAS_WINTYPES_DEFINED

#define WINAPI
#define APIENTRY
#define CALLBACK
#define __cdecl
#define __stdcall
#define FAR
#define NEAR
#define CONST const
#ifndef VOID
#define VOID void
#endif

typedef uint32_t DWORD;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef int BOOL;
typedef uint8_t BYTE;
typedef uint16_t WORD;
typedef unsigned int UINT;
typedef int INT;
typedef char CHAR;
typedef wchar_t WCHAR;
typedef unsigned char UCHAR;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef uintptr_t ULONG_PTR;
typedef intptr_t LONG_PTR;
typedef uintptr_t DWORD_PTR;
typedef uintptr_t UINT_PTR;
typedef uintptr_t WPARAM;
typedef intptr_t LPARAM;
typedef intptr_t LRESULT;
typedef size_t SIZE_T;
typedef void* PVOID;
typedef void* LPVOID;
typedef const void* LPCVOID;
typedef void* HANDLE;
typedef HANDLE* PHANDLE;
typedef DWORD* LPDWORD;
typedef DWORD* PDWORD;
typedef BOOL* LPBOOL;
typedef BYTE* LPBYTE;
typedef BYTE* PBYTE;
typedef CHAR* LPSTR;
typedef CHAR* PSTR;
typedef const CHAR* LPCSTR;
typedef const CHAR* PCSTR;
typedef WCHAR* LPWSTR;
typedef const WCHAR* LPCWSTR;
typedef LONG HRESULT;
typedef int16_t SHORT;
typedef uint16_t USHORT;
typedef unsigned char BOOLEAN;
typedef BOOL* PBOOL;
typedef WORD* LPWORD;
typedef WORD* PWORD;
typedef LONG* LPLONG;
typedef LONG* PLONG;
typedef ULONG* PULONG;
typedef INT* LPINT;
typedef UINT* PUINT;
typedef WCHAR* PWSTR;
typedef WCHAR* PWCHAR;
typedef const WCHAR* PCWSTR;
typedef CHAR* PCHAR;
typedef float FLOAT;
typedef int64_t LONG64;
typedef uint64_t ULONG64;
typedef uint64_t DWORD64;
typedef uint64_t DWORDLONG;
typedef int32_t INT32;
typedef uint32_t UINT32;
typedef int64_t INT64;
typedef uint64_t UINT64;
typedef HANDLE HKEY;
typedef LONG_PTR SSIZE_T;
typedef WORD ATOM;

typedef struct HWND__* HWND;
typedef struct HMENU__* HMENU;
typedef struct HICON__* HICON;
typedef struct HDC__* HDC;
typedef struct HINSTANCE__* HINSTANCE;
typedef HINSTANCE HMODULE;

typedef struct _GUID {
  uint32_t Data1;
  uint16_t Data2;
  uint16_t Data3;
  uint8_t Data4[8];
} GUID;
typedef GUID* LPGUID;
typedef const GUID* LPCGUID;
typedef GUID UUID;

typedef struct _LUID {
  DWORD LowPart;
  LONG HighPart;
} LUID, *PLUID;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#ifndef MAX_PATH
#define MAX_PATH 260
#endif
#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)

#endif /* OPENRAS_WINTYPES_DEFINED */
#endif /* OPENRAS_WINTYPES_H */
