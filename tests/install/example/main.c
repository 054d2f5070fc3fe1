/* Win32-style: windows.h and ras.h from the installed OpenRAS. */
#include <windows.h>
#include <stdio.h>
#include <ras.h>
#include <raserror.h>
#include <tchar.h>

int main(void)
{
    TCHAR text[256];
    DWORD cb = 0, entries = 0;
    if (RasGetErrorString(ERROR_LINE_BUSY, text, 256) != 0) return 1;
    printf("%u: %s\n", (unsigned)ERROR_LINE_BUSY, text);
    /* An explicit phonebook that does not exist: the Win32 error, not a crash. */
    printf("enum=%u\n", (unsigned)RasEnumEntries(NULL, "/nonexistent/x.pbk", NULL, &cb, &entries));
    return 0;
}
