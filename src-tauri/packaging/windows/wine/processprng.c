/*
 * A stand-in bcryptprimitives.dll for a Wine prefix used in tests, never for a Windows PC and
 * never in the installer.
 *
 * Rust's standard library (1.78 and later) takes its random bytes from ProcessPrng, exported by
 * bcryptprimitives.dll on Windows 10 and 11. Wine before 9.x ships no bcryptprimitives.dll
 * (Debian 12's Wine 8.0 among them), so mypay-desk.exe does not even start there.
 * src-tauri/packaging/windows/check.sh builds this file with MinGW into the test prefix's
 * system32 only when the Wine it runs lacks ProcessPrng.
 *
 * ProcessPrng fills the buffer from RtlGenRandom (advapi32's SystemFunction036, which Wine
 * implements over the system's random source) and, as on Windows, always returns TRUE.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            ExitProcess(0xC0000001); /* as Windows, which never returns FALSE here */
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
