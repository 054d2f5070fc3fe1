/* strsafe.h subset: bounded copies and formatting that always terminate the destination, in
 * A (char) and W (WCHAR = wchar_t) forms; Cch sizes count characters, Cb sizes count bytes.
 * The bare names follow UNICODE. */
#ifndef OPENRAS_WIN32_STRSAFE_H
#define OPENRAS_WIN32_STRSAFE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "openras/wintypes.h"

#ifndef S_OK
#define S_OK ((HRESULT)0L)
#endif
#define STRSAFE_E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007AL)
#define STRSAFE_E_INVALID_PARAMETER ((HRESULT)0x80070057L)
#define STRSAFE_E_END_OF_FILE ((HRESULT)0x80070026L)
#define STRSAFE_MAX_CCH 2147483647
#ifndef SUCCEEDED
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#endif
#ifndef FAILED
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#endif

/* One body for both widths: OPENRAS_SS_DEFINE(suffix, character type, length, format). */
#define OPENRAS_SS_DEFINE(X, CH, LEN, VFMT)                                                    \
  static inline HRESULT StringCchCopyN##X(CH* dest, size_t cch, const CH* src, size_t max) {  \
    size_t n = 0;                                                                             \
    if (dest == NULL || cch == 0 || cch > STRSAFE_MAX_CCH) return STRSAFE_E_INVALID_PARAMETER; \
    if (src == NULL) {                                                                        \
      dest[0] = 0;                                                                            \
      return S_OK;                                                                            \
    }                                                                                         \
    /* One pass, character by character: never reads src past its terminator or max. */      \
    while (n + 1 < cch && n < max && src[n] != 0) {                                           \
      dest[n] = src[n];                                                                       \
      ++n;                                                                                    \
    }                                                                                         \
    dest[n] = 0;                                                                              \
    return (n < max && src[n] != 0) ? STRSAFE_E_INSUFFICIENT_BUFFER : S_OK;                   \
  }                                                                                           \
  static inline HRESULT StringCchCopy##X(CH* dest, size_t cch, const CH* src) {               \
    return StringCchCopyN##X(dest, cch, src, STRSAFE_MAX_CCH);                                \
  }                                                                                           \
  static inline HRESULT StringCchLength##X(const CH* s, size_t cchMax, size_t* pcch) {        \
    size_t n = 0;                                                                             \
    if (s == NULL || cchMax > STRSAFE_MAX_CCH) return STRSAFE_E_INVALID_PARAMETER;            \
    while (n < cchMax && s[n] != 0) ++n;                                                      \
    if (n == cchMax) return STRSAFE_E_INVALID_PARAMETER;                                      \
    if (pcch) *pcch = n;                                                                      \
    return S_OK;                                                                              \
  }                                                                                           \
  static inline HRESULT StringCchCat##X(CH* dest, size_t cch, const CH* src) {                \
    size_t used;                                                                              \
    if (dest == NULL || cch == 0) return STRSAFE_E_INVALID_PARAMETER;                         \
    if (FAILED(StringCchLength##X(dest, cch, &used))) return STRSAFE_E_INVALID_PARAMETER;     \
    return StringCchCopy##X(dest + used, cch - used, src);                                    \
  }                                                                                           \
  static inline HRESULT StringCchVPrintf##X(CH* dest, size_t cch, const CH* fmt, va_list ap) { \
    int n;                                                                                    \
    if (dest == NULL || cch == 0 || cch > STRSAFE_MAX_CCH) return STRSAFE_E_INVALID_PARAMETER; \
    n = VFMT(dest, cch, fmt, ap);                                                             \
    dest[cch - 1] = 0;                                                                        \
    if (n < 0) return LEN(dest) + 1 >= cch ? STRSAFE_E_INSUFFICIENT_BUFFER                   \
                                           : STRSAFE_E_INVALID_PARAMETER;                     \
    return ((size_t)n >= cch) ? STRSAFE_E_INSUFFICIENT_BUFFER : S_OK;                         \
  }                                                                                           \
  static inline HRESULT StringCchPrintf##X(CH* dest, size_t cch, const CH* fmt, ...) {        \
    HRESULT hr;                                                                               \
    va_list ap;                                                                               \
    va_start(ap, fmt);                                                                        \
    hr = StringCchVPrintf##X(dest, cch, fmt, ap);                                             \
    va_end(ap);                                                                               \
    return hr;                                                                                \
  }                                                                                           \
  static inline HRESULT StringCbCopy##X(CH* dest, size_t cb, const CH* src) {                 \
    return StringCchCopy##X(dest, cb / sizeof(CH), src);                                      \
  }                                                                                           \
  static inline HRESULT StringCbCat##X(CH* dest, size_t cb, const CH* src) {                  \
    return StringCchCat##X(dest, cb / sizeof(CH), src);                                       \
  }                                                                                           \
  static inline HRESULT StringCbLength##X(const CH* s, size_t cbMax, size_t* pcb) {           \
    size_t n = 0;                                                                             \
    HRESULT hr = StringCchLength##X(s, cbMax / sizeof(CH), &n);                               \
    if (SUCCEEDED(hr) && pcb) *pcb = n * sizeof(CH);                                          \
    return hr;                                                                                \
  }

OPENRAS_SS_DEFINE(A, char, strlen, vsnprintf)
OPENRAS_SS_DEFINE(W, wchar_t, wcslen, vswprintf)
#undef OPENRAS_SS_DEFINE

static inline HRESULT StringCbPrintfA(char* dest, size_t cb, const char* fmt, ...) {
  HRESULT hr;
  va_list ap;
  va_start(ap, fmt);
  hr = StringCchVPrintfA(dest, cb, fmt, ap);
  va_end(ap);
  return hr;
}
static inline HRESULT StringCbPrintfW(wchar_t* dest, size_t cb, const wchar_t* fmt, ...) {
  HRESULT hr;
  va_list ap;
  va_start(ap, fmt);
  hr = StringCchVPrintfW(dest, cb / sizeof(wchar_t), fmt, ap);
  va_end(ap);
  return hr;
}

#ifdef UNICODE
#define OPENRAS_SS_NAME(n) n##W
#else
#define OPENRAS_SS_NAME(n) n##A
#endif
#define StringCchCopy OPENRAS_SS_NAME(StringCchCopy)
#define StringCchCopyN OPENRAS_SS_NAME(StringCchCopyN)
#define StringCchCat OPENRAS_SS_NAME(StringCchCat)
#define StringCchPrintf OPENRAS_SS_NAME(StringCchPrintf)
#define StringCchVPrintf OPENRAS_SS_NAME(StringCchVPrintf)
#define StringCchLength OPENRAS_SS_NAME(StringCchLength)
#define StringCbCopy OPENRAS_SS_NAME(StringCbCopy)
#define StringCbCat OPENRAS_SS_NAME(StringCbCat)
#define StringCbPrintf OPENRAS_SS_NAME(StringCbPrintf)
#define StringCbLength OPENRAS_SS_NAME(StringCbLength)

#endif /* OPENRAS_WIN32_STRSAFE_H */
