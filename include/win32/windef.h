/* windef.h subset: the base types (openras/wintypes.h) and the small macros and structures
 * Win32 programs take for granted. */
#ifndef OPENRAS_WIN32_WINDEF_H
#define OPENRAS_WIN32_WINDEF_H

#include "openras/wintypes.h"

typedef struct tagPOINT {
  LONG x, y;
} POINT, *PPOINT, *LPPOINT;

typedef struct tagRECT {
  LONG left, top, right, bottom;
} RECT, *PRECT, *LPRECT;

typedef struct _FILETIME {
  DWORD dwLowDateTime;
  DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

#define MAKEWORD(a, b) ((WORD)(((BYTE)((DWORD_PTR)(a) & 0xff)) | ((WORD)((BYTE)((DWORD_PTR)(b) & 0xff))) << 8))
#define MAKELONG(a, b) ((LONG)(((WORD)((DWORD_PTR)(a) & 0xffff)) | ((DWORD)((WORD)((DWORD_PTR)(b) & 0xffff))) << 16))
#define LOWORD(l) ((WORD)(((DWORD_PTR)(l)) & 0xffff))
#define HIWORD(l) ((WORD)((((DWORD_PTR)(l)) >> 16) & 0xffff))
#define LOBYTE(w) ((BYTE)(((DWORD_PTR)(w)) & 0xff))
#define HIBYTE(w) ((BYTE)((((DWORD_PTR)(w)) >> 8) & 0xff))

#ifndef _countof
#ifdef __cplusplus
/* A C++ array reference, so that passing a pointer does not compile (as with MSVC's). */
extern "C++" template <typename T, size_t N>
char (*openras_countof_helper(T (&)[N]))[N];
#define _countof(a) (sizeof(*openras_countof_helper(a)))
#else
#define _countof(a) (sizeof(a) / sizeof((a)[0]))
#endif
#endif
#ifndef ARRAYSIZE
#define ARRAYSIZE(a) _countof(a)
#endif

/* min and max as macros break the C++ standard library; Windows has NOMINMAX for that. */
#if !defined(__cplusplus) && !defined(NOMINMAX)
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#endif

#define UNREFERENCED_PARAMETER(p) ((void)(p))
#define DBG_UNREFERENCED_PARAMETER(p) ((void)(p))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(v) ((void)(v))

#endif /* OPENRAS_WIN32_WINDEF_H */
