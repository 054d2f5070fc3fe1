/* A Win32 console program in the shape of the SDK's RasEnumEntries / RasEnumConnections
 * samples: the ERROR_BUFFER_TOO_SMALL sizing call, HeapAlloc, then the real call.
 * Usage: enum_status PHONEBOOK */
#include <windows.h>
#include <stdio.h>
#include <ras.h>
#include <raserror.h>
#include <tchar.h>

int __cdecl _tmain(int argc, TCHAR** argv)
{
    DWORD dwCb = 0, dwEntries = 0, dwConnections = 0, dwRet, i;
    LPRASENTRYNAME lpRasEntryName = NULL;
    LPRASCONN lpRasConn = NULL;

    if (argc < 2) return 1;
    dwRet = RasEnumEntries(NULL, argv[1], lpRasEntryName, &dwCb, &dwEntries);
    if (dwRet == ERROR_BUFFER_TOO_SMALL) {
        lpRasEntryName = (LPRASENTRYNAME)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, dwCb);
        if (lpRasEntryName == NULL) return 1;
        lpRasEntryName[0].dwSize = sizeof(RASENTRYNAME);
        dwRet = RasEnumEntries(NULL, argv[1], lpRasEntryName, &dwCb, &dwEntries);
        if (dwRet == ERROR_SUCCESS) {
            printf("The following RAS entry names were found:\n");
            for (i = 0; i < dwEntries; i++) _tprintf(TEXT("entry: %s\n"), lpRasEntryName[i].szEntryName);
        }
        HeapFree(GetProcessHeap(), 0, lpRasEntryName);
    }

    dwCb = 0;
    dwRet = RasEnumConnections(lpRasConn, &dwCb, &dwConnections);
    if (dwRet == ERROR_BUFFER_TOO_SMALL) {
        lpRasConn = (LPRASCONN)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, dwCb);
        if (lpRasConn == NULL) return 1;
        lpRasConn[0].dwSize = sizeof(RASCONN);
        dwRet = RasEnumConnections(lpRasConn, &dwCb, &dwConnections);
        if (dwRet == ERROR_SUCCESS) {
            for (i = 0; i < dwConnections; i++) _tprintf(TEXT("connection: %s\n"), lpRasConn[i].szEntryName);
        }
        HeapFree(GetProcessHeap(), 0, lpRasConn);
    } else if (dwConnections == 0) {
        printf("There are no active RAS connections.\n");
    }
    return 0;
}
