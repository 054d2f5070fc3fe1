/* strsafe.h subset: bounded copies and formatting that always terminate the destination. */
#ifndef OPENRAS_WIN32_STRSAFE_H
#define OPENRAS_WIN32_STRSAFE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "openras/wintypes.h"

#ifndef S_OK
#define S_OK ((HRESULT)0)
#endif
#define STRSAFE_E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007AL)
#define STRSAFE_E_INVALID_PARAMETER ((HRESULT)0x80070057L)
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#define FAILED(hr) (((HRESULT)(hr)) < 0)

static inline HRESULT StringCchCopyA(char* dest, size_t cch, const char* src) {
  size_t n;
  if (dest == NULL || cch == 0) return STRSAFE_E_INVALID_PARAMETER;
  n = strlen(src);
  if (n >= cch) {
    memcpy(dest, src, cch - 1);
    dest[cch - 1] = '\0';
    return STRSAFE_E_INSUFFICIENT_BUFFER;
  }
  memcpy(dest, src, n + 1);
  return S_OK;
}

static inline HRESULT StringCchCatA(char* dest, size_t cch, const char* src) {
  size_t used;
  if (dest == NULL || cch == 0) return STRSAFE_E_INVALID_PARAMETER;
  used = strnlen(dest, cch);
  if (used == cch) return STRSAFE_E_INVALID_PARAMETER;
  return StringCchCopyA(dest + used, cch - used, src);
}

static inline HRESULT StringCchVPrintfA(char* dest, size_t cch, const char* fmt, va_list ap) {
  int n;
  if (dest == NULL || cch == 0) return STRSAFE_E_INVALID_PARAMETER;
  n = vsnprintf(dest, cch, fmt, ap);
  if (n < 0) return STRSAFE_E_INVALID_PARAMETER;
  return ((size_t)n >= cch) ? STRSAFE_E_INSUFFICIENT_BUFFER : S_OK;
}

static inline HRESULT StringCchPrintfA(char* dest, size_t cch, const char* fmt, ...) {
  HRESULT hr;
  va_list ap;
  va_start(ap, fmt);
  hr = StringCchVPrintfA(dest, cch, fmt, ap);
  va_end(ap);
  return hr;
}

static inline HRESULT StringCchLengthA(const char* s, size_t cchMax, size_t* pcch) {
  size_t n;
  if (s == NULL) return STRSAFE_E_INVALID_PARAMETER;
  n = strnlen(s, cchMax);
  if (n == cchMax) return STRSAFE_E_INVALID_PARAMETER;
  if (pcch) *pcch = n;
  return S_OK;
}

#define StringCchCopy StringCchCopyA
#define StringCchCat StringCchCatA
#define StringCchPrintf StringCchPrintfA
#define StringCchVPrintf StringCchVPrintfA
#define StringCchLength StringCchLengthA
#define StringCbCopy StringCchCopyA
#define StringCbPrintf StringCchPrintfA

#endif /* OPENRAS_WIN32_STRSAFE_H */
