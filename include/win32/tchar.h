/* tchar.h subset: OpenRAS builds the A (UTF-8) API, so TCHAR is char. */
#ifndef OPENRAS_WIN32_TCHAR_H
#define OPENRAS_WIN32_TCHAR_H

#include <stdio.h>
#include <string.h>

typedef char TCHAR;
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
#define _tcslen strlen
#define _tcscpy strcpy
#define _tcsncpy strncpy
#define _tcscmp strcmp
#define _tcsicmp strcasecmp
#define _tcscat strcat
#define _ttoi atoi
#define _tcstoul strtoul

#endif /* OPENRAS_WIN32_TCHAR_H */
