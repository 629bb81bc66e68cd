/*
** check.h: the tiny test harness used by every unit test. Each test file
** defines tests with TEST(name), lists them in main with RUN(name), and ends
** with return check_report(). A failed CHECK prints file:line and the
** expression and marks the current test failed; the test goes on.
*/
#ifndef TD_CHECK_H
#define TD_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int check_failed_now;
static int check_n_passed;
static int check_n_failed;

#define TEST(name) static void name(void)

#define CHECK(expr)                                                        \
    do {                                                                   \
        if (!(expr)) {                                                     \
            fprintf(stderr, "  %s:%d: CHECK failed: %s\n", __FILE__,       \
                    __LINE__, #expr);                                      \
            check_failed_now = 1;                                          \
        }                                                                  \
    } while (0)

#define CHECK_STR(a, b)                                                    \
    do {                                                                   \
        const char *check_a_ = (a), *check_b_ = (b);                       \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {   \
            fprintf(stderr, "  %s:%d: CHECK_STR failed: %s == %s\n"        \
                    "    got:      \"%s\"\n    expected: \"%s\"\n",        \
                    __FILE__, __LINE__, #a, #b,                            \
                    check_a_ ? check_a_ : "(null)",                        \
                    check_b_ ? check_b_ : "(null)");                       \
            check_failed_now = 1;                                          \
        }                                                                  \
    } while (0)

#define RUN(name)                                                          \
    do {                                                                   \
        check_failed_now = 0;                                              \
        name();                                                            \
        if (check_failed_now) {                                            \
            check_n_failed++;                                              \
            fprintf(stderr, "FAIL %s\n", #name);                           \
        } else {                                                           \
            check_n_passed++;                                              \
        }                                                                  \
    } while (0)

/* Reads a whole file into a new NUL-terminated string (free()), or NULL
** when it cannot be read. For test fixtures. */
static inline char *check_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

/* Removes an SQLite store file and its -wal, -shm and -journal files
** (those that exist). For tests that use file stores. */
static inline void check_remove_db(const char *path)
{
    static const char *const suffixes[] = {"-wal", "-shm", "-journal"};
    char buf[512];
    size_t i;
    unlink(path);
    for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(buf, sizeof buf, "%s%s", path, suffixes[i]);
        unlink(buf);
    }
}

/* Prints "N passed, N failed" for this file; exit status 1 on failure. */
static int check_report(void)
{
    printf("%d passed, %d failed\n", check_n_passed, check_n_failed);
    return check_n_failed ? 1 : 0;
}

#endif
