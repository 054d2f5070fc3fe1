/* The small subset of windows.h that Win32 RAS console programs use, for Linux: windef.h,
 * winbase.h, winerror.h and the message queue below. Waits (WaitForSingleObject, Sleep,
 * GetMessage) dispatch the calling thread's pending RAS
 * notifications while they wait, like an alertable wait on Windows, so a program that dials
 * asynchronously and then waits on an event its callback sets works unchanged. */
#ifndef OPENRAS_WIN32_WINDOWS_H
#define OPENRAS_WIN32_WINDOWS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "windef.h"
#include "winbase.h"
#include "winerror.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tagMSG {
  HWND hwnd;
  UINT message;
  WPARAM wParam;
  LPARAM lParam;
  DWORD time;
  POINT pt;
} MSG, *PMSG, *LPMSG;

#define PM_NOREMOVE 0x0000
#define PM_REMOVE 0x0001
#define WM_NULL 0x0000
#define WM_QUIT 0x0012
#define WM_USER 0x0400
#define WM_APP 0x8000

/* A message-queue stand-in for a window: RasDial with dwNotifierType 0xFFFFFFFF posts
 * WM_RASDIALEVENT (wParam = RASCONNSTATE, lParam = error) to it. CreateMessageWindow is an
 * OpenRAS extension (there is no window class machinery); the rest keep Win32 names. */
HWND WINAPI CreateMessageWindow(void) OPENRAS_WIN32_SYMBOL(CreateMessageWindow);
BOOL WINAPI DestroyWindow(HWND hWnd) OPENRAS_WIN32_SYMBOL(DestroyWindow);
BOOL WINAPI PostMessageA(HWND hWnd, UINT Msg, WPARAM wParam, LPARAM lParam) OPENRAS_WIN32_SYMBOL(PostMessageA);
BOOL WINAPI GetMessageA(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax) OPENRAS_WIN32_SYMBOL(GetMessageA);
BOOL WINAPI PeekMessageA(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax,
                         UINT wRemoveMsg) OPENRAS_WIN32_SYMBOL(PeekMessageA);
VOID WINAPI PostQuitMessage(int nExitCode) OPENRAS_WIN32_SYMBOL(PostQuitMessage);
UINT WINAPI RegisterWindowMessageA(LPCSTR lpString) OPENRAS_WIN32_SYMBOL(RegisterWindowMessageA);
BOOL WINAPI PostMessageW(HWND hWnd, UINT Msg, WPARAM wParam, LPARAM lParam)
    OPENRAS_WIN32_SYMBOL(PostMessageW);
BOOL WINAPI GetMessageW(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax)
    OPENRAS_WIN32_SYMBOL(GetMessageW);
BOOL WINAPI PeekMessageW(LPMSG lpMsg, HWND hWnd, UINT wMsgFilterMin, UINT wMsgFilterMax,
                         UINT wRemoveMsg) OPENRAS_WIN32_SYMBOL(PeekMessageW);
UINT WINAPI RegisterWindowMessageW(LPCWSTR lpString) OPENRAS_WIN32_SYMBOL(RegisterWindowMessageW);
#ifdef UNICODE
#define PostMessage PostMessageW
#define GetMessage GetMessageW
#define PeekMessage PeekMessageW
#define RegisterWindowMessage RegisterWindowMessageW
#else
#define PostMessage PostMessageA
#define GetMessage GetMessageA
#define PeekMessage PeekMessageA
#define RegisterWindowMessage RegisterWindowMessageA
#endif

#ifdef __cplusplus
}
#endif

#endif /* OPENRAS_WIN32_WINDOWS_H */
