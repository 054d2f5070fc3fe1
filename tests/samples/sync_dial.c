/* A Win32 console program in the shape of the SDK's synchronous RAS samples: RasDial with no
 * notifier, then RasGetConnectStatus, RasGetProjectionInfo, RasGetConnectionStatistics,
 * RasHangUp, and the documented wait until the handle is gone.
 * Usage: sync_dial ENTRY PHONEBOOK */
#include <windows.h>
#include <stdio.h>
#include <ras.h>
#include <raserror.h>
#include <tchar.h>
#include <strsafe.h>

int __cdecl _tmain(int argc, TCHAR** argv)
{
    RASDIALPARAMS params;
    RASCONNSTATUS status;
    RASPPPIP ip;
    RAS_STATS stats;
    HRASCONN hRasConn = NULL;
    DWORD dwRet, cb;
    TCHAR szError[512];
    int waited = 0;

    if (argc < 3) return 1;
    ZeroMemory(&params, sizeof(params));
    params.dwSize = sizeof(RASDIALPARAMS);
    StringCchCopy(params.szEntryName, RAS_MaxEntryName + 1, argv[1]);

    dwRet = RasDial(NULL, argv[2], &params, 0, NULL, &hRasConn);
    if (dwRet != ERROR_SUCCESS) {
        RasGetErrorString(dwRet, szError, 512);
        _tprintf(TEXT("RasDial failed: %lu %s\n"), (unsigned long)dwRet, szError);
        if (hRasConn) RasHangUp(hRasConn);
        return (int)dwRet;
    }

    ZeroMemory(&status, sizeof(status));
    status.dwSize = sizeof(RASCONNSTATUS);
    dwRet = RasGetConnectStatus(hRasConn, &status);
    _tprintf(TEXT("status=%lu state=%d device=%s\n"), (unsigned long)dwRet, status.rasconnstate,
             status.szDeviceName);

    ZeroMemory(&ip, sizeof(ip));
    ip.dwSize = sizeof(RASPPPIP);
    cb = sizeof(ip);
    dwRet = RasGetProjectionInfo(hRasConn, RASP_PppIp, &ip, &cb);
    _tprintf(TEXT("projection=%lu ip=%s server=%s\n"), (unsigned long)dwRet, ip.szIpAddress,
             ip.szServerIpAddress);

    ZeroMemory(&stats, sizeof(stats));
    stats.dwSize = sizeof(RAS_STATS);
    dwRet = RasGetConnectionStatistics(hRasConn, &stats);
    printf("statistics=%lu\n", (unsigned long)dwRet);

    dwRet = RasHangUp(hRasConn);
    printf("hangup=%lu\n", (unsigned long)dwRet);
    while (RasGetConnectStatus(hRasConn, &status) != ERROR_INVALID_HANDLE && waited < 10000) {
        Sleep(50);
        waited += 50;
    }
    printf("released=%s\n", waited < 10000 ? "yes" : "no");
    return 0;
}
