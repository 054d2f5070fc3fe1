/* winbase.h subset: events, waits, time, errors and heaps, as Win32 RAS console programs use
 * them. Waits (WaitForSingleObject, Sleep) dispatch the calling thread's pending RAS
 * notifications while they wait, like an alertable wait on Windows.
 *
 * The names stay Win32 in the program's source, but the symbols librasapi exports for them
 * are prefixed (openras_win32_CreateEventA, ...), so that linking a program that also uses
 * another Win32 compatibility layer cannot mix the two up. */
#ifndef OPENRAS_WIN32_WINBASE_H
#define OPENRAS_WIN32_WINBASE_H

#include "windef.h"
#include "winerror.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OPENRAS_WIN32_SYMBOL(name) __asm__("openras_win32_" #name)

typedef struct _SECURITY_ATTRIBUTES {
  DWORD nLength;
  LPVOID lpSecurityDescriptor;
  BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

#define INFINITE 0xFFFFFFFFu
#define WAIT_OBJECT_0 0x00000000u
#define WAIT_ABANDONED 0x00000080u
#define WAIT_IO_COMPLETION 0x000000C0u
#define WAIT_TIMEOUT 0x00000102u
#define WAIT_FAILED 0xFFFFFFFFu

#define HEAP_NO_SERIALIZE 0x00000001
#define HEAP_GENERATE_EXCEPTIONS 0x00000004
#define HEAP_ZERO_MEMORY 0x00000008
#define LMEM_FIXED 0x0000
#define LMEM_ZEROINIT 0x0040
#define LPTR (LMEM_FIXED | LMEM_ZEROINIT)
#define LHND 0x0042
#define GMEM_FIXED 0x0000
#define GMEM_ZEROINIT 0x0040
#define GPTR (GMEM_FIXED | GMEM_ZEROINIT)

#define ZeroMemory(p, n) memset((p), 0, (n))
#define SecureZeroMemory(p, n) memset((p), 0, (n))
#define CopyMemory(d, s, n) memcpy((d), (s), (n))
#define MoveMemory(d, s, n) memmove((d), (s), (n))
#define FillMemory(p, n, v) memset((p), (v), (n))

HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                           BOOL bInitialState, LPCSTR lpName) OPENRAS_WIN32_SYMBOL(CreateEventA);
HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                           BOOL bInitialState, LPCWSTR lpName) OPENRAS_WIN32_SYMBOL(CreateEventW);
BOOL WINAPI SetEvent(HANDLE hEvent) OPENRAS_WIN32_SYMBOL(SetEvent);
BOOL WINAPI ResetEvent(HANDLE hEvent) OPENRAS_WIN32_SYMBOL(ResetEvent);
BOOL WINAPI CloseHandle(HANDLE hObject) OPENRAS_WIN32_SYMBOL(CloseHandle);
DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)
    OPENRAS_WIN32_SYMBOL(WaitForSingleObject);
DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable)
    OPENRAS_WIN32_SYMBOL(WaitForSingleObjectEx);
VOID WINAPI Sleep(DWORD dwMilliseconds) OPENRAS_WIN32_SYMBOL(Sleep);
DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable) OPENRAS_WIN32_SYMBOL(SleepEx);
DWORD WINAPI GetTickCount(void) OPENRAS_WIN32_SYMBOL(GetTickCount);
ULONGLONG WINAPI GetTickCount64(void) OPENRAS_WIN32_SYMBOL(GetTickCount64);
DWORD WINAPI GetLastError(void) OPENRAS_WIN32_SYMBOL(GetLastError);
VOID WINAPI SetLastError(DWORD dwErrCode) OPENRAS_WIN32_SYMBOL(SetLastError);
DWORD WINAPI GetCurrentThreadId(void) OPENRAS_WIN32_SYMBOL(GetCurrentThreadId);
DWORD WINAPI GetCurrentProcessId(void) OPENRAS_WIN32_SYMBOL(GetCurrentProcessId);

HANDLE WINAPI GetProcessHeap(void) OPENRAS_WIN32_SYMBOL(GetProcessHeap);
LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes)
    OPENRAS_WIN32_SYMBOL(HeapAlloc);
LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes)
    OPENRAS_WIN32_SYMBOL(HeapReAlloc);
BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem) OPENRAS_WIN32_SYMBOL(HeapFree);
LPVOID WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes) OPENRAS_WIN32_SYMBOL(LocalAlloc);
LPVOID WINAPI LocalFree(LPVOID hMem) OPENRAS_WIN32_SYMBOL(LocalFree);
LPVOID WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes) OPENRAS_WIN32_SYMBOL(GlobalAlloc);
LPVOID WINAPI GlobalFree(LPVOID hMem) OPENRAS_WIN32_SYMBOL(GlobalFree);

#ifdef UNICODE
#define CreateEvent CreateEventW
#else
#define CreateEvent CreateEventA
#endif

#ifdef __cplusplus
}
#endif

#endif /* OPENRAS_WIN32_WINBASE_H */
