/*
 * Holds MyPay Desk's database for src-tauri/packaging/windows/check.sh, as another program on
 * the clerk's PC would while the CLI runs. A test tool for the Wine prefix, never shipped.
 *
 *   hold-db.exe sqlite DB STOP   a write transaction open on DB (BEGIN IMMEDIATE), as the
 *                                window does while it imports or saves: SQLite's own lock
 *   hold-db.exe file DB STOP     DB opened with no sharing, as a backup or antivirus program
 *                                or a copy in Explorer may: Windows' own lock on the file
 *
 * Prints "held" once the lock is taken, then keeps it until the file STOP exists. Built by
 * check.sh with MinGW, the sqlite mode against the SQLCipher amalgamation and the OpenSSL the
 * app bundles; the archive's key comes in HOLD_DB_KEY (its recovery code without dashes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#ifdef HOLD_SQLITE
#include "sqlite3.h"
#endif

static char *utf8(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s = (char *)malloc(n);
    WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
    return s;
}

static void wait_for(const wchar_t *stop)
{
    puts("held");
    fflush(stdout);
    /* Ten minutes at most: a forgotten holder must not keep a CI job alive. */
    for (int i = 0; i < 6000; i++) {
        if (GetFileAttributesW(stop) != INVALID_FILE_ATTRIBUTES)
            return;
        Sleep(100);
    }
    fputs("hold-db: STOP never came\n", stderr);
}

int wmain(int argc, wchar_t **argv)
{
    if (argc != 4) {
        fputs("usage: hold-db.exe sqlite|file DB STOP\n", stderr);
        return 2;
    }
    if (wcscmp(argv[1], L"file") == 0) {
        HANDLE h = CreateFileW(argv[2], GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                               FILE_ATTRIBUTE_NORMAL, NULL);
        if (h == INVALID_HANDLE_VALUE) {
            fprintf(stderr, "hold-db: cannot open the database (error %lu)\n", GetLastError());
            return 1;
        }
        wait_for(argv[3]);
        CloseHandle(h);
        return 0;
    }
#ifdef HOLD_SQLITE
    if (wcscmp(argv[1], L"sqlite") == 0) {
        sqlite3 *db;
        char *err = NULL;
        if (sqlite3_open(utf8(argv[2]), &db) != SQLITE_OK) {
            fprintf(stderr, "hold-db: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        /* The archive's key, as `mypay-desk archive key` prints it (64 hex digits). */
        const char *key = getenv("HOLD_DB_KEY");
        if (key != NULL && *key != '\0') {
            char pragma[256];
            /* The archive's format (mpd-store's cifratura::Formato::Corrente). */
            snprintf(pragma, sizeof pragma,
                     "PRAGMA key = \"x'%s'\"; PRAGMA cipher_page_size = 8192; "
                     "PRAGMA cipher_hmac_algorithm = HMAC_SHA256;",
                     key);
            if (sqlite3_exec(db, pragma, NULL, NULL, &err) != SQLITE_OK) {
                fprintf(stderr, "hold-db: %s\n", err);
                return 1;
            }
        }
        sqlite3_busy_timeout(db, 10000);
        if (sqlite3_exec(db, "BEGIN IMMEDIATE; UPDATE ente SET denominazione = denominazione;",
                         NULL, NULL, &err) != SQLITE_OK) {
            fprintf(stderr, "hold-db: %s\n", err);
            return 1;
        }
        wait_for(argv[3]);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(db);
        return 0;
    }
#endif
    fputs("hold-db: unknown mode\n", stderr);
    return 2;
}
