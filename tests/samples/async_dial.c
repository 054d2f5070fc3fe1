/* A Win32 console program in the shape of the Windows SDK's asynchronous RasDial sample:
 * dial with a RasDialFunc, wait on an event the callback sets, print each state, hang up.
 * It is compiled unchanged against include/ and include/win32/, twice: ANSI and UNICODE.
 * Usage: async_dial ENTRY PHONEBOOK */
#include <windows.h>
#include <stdio.h>
#include <ras.h>
#include <raserror.h>
#include <tchar.h>
#include <strsafe.h>

#define RAS_MAX_STATE_TEXT 64

HANDLE gEvent_handle;
DWORD gFinalError = 0;

VOID WINAPI RasDialFunc(UINT unMsg, RASCONNSTATE rasconnstate, DWORD dwError)
{
    TCHAR szRasString[256] = {0};
    if (unMsg != WM_RASDIALEVENT) {
        printf("Unexpected message %u\n", unMsg);
    }
    if (dwError) {
        RasGetErrorString((UINT)dwError, szRasString, 256);
        _tprintf(TEXT("Error: %lu - %s\n"), (unsigned long)dwError, szRasString);
        gFinalError = dwError;
        SetEvent(gEvent_handle);
        return;
    }
    switch (rasconnstate) {
    case RASCS_OpenPort: printf("RASCS_OpenPort = %d\n", rasconnstate); break;
    case RASCS_PortOpened: printf("RASCS_PortOpened = %d\n", rasconnstate); break;
    case RASCS_ConnectDevice: printf("RASCS_ConnectDevice = %d\n", rasconnstate); break;
    case RASCS_DeviceConnected: printf("RASCS_DeviceConnected = %d\n", rasconnstate); break;
    case RASCS_AllDevicesConnected: printf("RASCS_AllDevicesConnected = %d\n", rasconnstate); break;
    case RASCS_Authenticate: printf("RASCS_Authenticate = %d\n", rasconnstate); break;
    case RASCS_AuthNotify: printf("RASCS_AuthNotify = %d\n", rasconnstate); break;
    case RASCS_Authenticated: printf("RASCS_Authenticated = %d\n", rasconnstate); break;
    case RASCS_AuthProject: printf("RASCS_AuthProject = %d\n", rasconnstate); break;
    case RASCS_Projected: printf("RASCS_Projected = %d\n", rasconnstate); break;
    case RASCS_Connected:
        printf("RASCS_Connected = %d\n", rasconnstate);
        SetEvent(gEvent_handle);
        break;
    default: printf("Other state = %d\n", rasconnstate); break;
    }
}

int __cdecl _tmain(int argc, TCHAR** argv)
{
    LPRASDIALPARAMS lpRasDialParams = NULL;
    HRASCONN hRasConn = NULL;
    DWORD nRet = 0;
    DWORD dwStart;

    if (argc < 3) {
        _tprintf(TEXT("Usage: %s entry phonebook\n"), argv[0]);
        return 1;
    }
    lpRasDialParams = (LPRASDIALPARAMS)GlobalAlloc(GPTR, sizeof(RASDIALPARAMS));
    if (lpRasDialParams == NULL) {
        printf("GlobalAlloc failed.\n");
        return 1;
    }
    lpRasDialParams->dwSize = sizeof(RASDIALPARAMS);
    StringCchCopy(lpRasDialParams->szEntryName, RAS_MaxEntryName + 1, argv[1]);
    StringCchCopy(lpRasDialParams->szUserName, UNLEN + 1, TEXT("alice"));
    StringCchCopy(lpRasDialParams->szPassword, PWLEN + 1, TEXT("secret"));

    gEvent_handle = CreateEvent(NULL, FALSE, FALSE, NULL);
    if (gEvent_handle == NULL) {
        printf("CreateEvent failed with error: %lu\n", (unsigned long)GetLastError());
        GlobalFree(lpRasDialParams);
        return 1;
    }

    dwStart = GetTickCount();
    _tprintf(TEXT("Dialing %s asynchronously...\n"), lpRasDialParams->szEntryName);
    nRet = RasDial(NULL, argv[2], lpRasDialParams, 0, &RasDialFunc, &hRasConn);
    if (nRet) {
        printf("RasDial failed: Error = %lu\n", (unsigned long)nRet);
        GlobalFree(lpRasDialParams);
        return (int)nRet;
    }
    printf("RasDial returned at once; waiting for the callback...\n");

    nRet = WaitForSingleObject(gEvent_handle, 50000);
    switch (nRet) {
    case WAIT_OBJECT_0:
        printf("Done after %lu ms, final error %lu\n", (unsigned long)(GetTickCount() - dwStart),
               (unsigned long)gFinalError);
        break;
    case WAIT_TIMEOUT:
        printf("RasDial timed out.\n");
        break;
    default:
        printf("WaitForSingleObject failed.\n");
        break;
    }

    printf("Calling RasHangUp...\n");
    nRet = RasHangUp(hRasConn);
    if (nRet != ERROR_SUCCESS) {
        printf("RasHangUp failed: Error = %lu\n", (unsigned long)nRet);
    }
    CloseHandle(gEvent_handle);
    GlobalFree(lpRasDialParams);
    return (int)gFinalError;
}
