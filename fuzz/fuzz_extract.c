/*
** fuzz_extract.c: libFuzzer harness for the extract stage: any bytes as an
** HTML page (charset sniffing, pre-pass, gumbo, scoring, metadata) and as
** plain text. Built by `make fuzz` with clang -fsanitize=fuzzer; built with
** -DTD_FUZZ_REPLAY it is a plain program that replays the files named on
** its command line, or every file of fuzz/corpus/extract (`make check`).
*/
#include "tidings.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    td_extract_result *r = NULL;
    if (td_extract_html((const char *)data, size, &r, NULL) == TD_OK && r) {
        /* Every output string must be valid, NUL-terminated UTF-8. */
        if (r->text && strlen(r->text) > size * 4 + 64)
            abort();
    }
    td_extract_result_free(r);
    r = NULL;
    if (td_extract_text((const char *)data, size, &r, NULL) == TD_OK)
        td_extract_result_free(r);
    return 0;
}

#ifdef TD_FUZZ_REPLAY
#include <dirent.h>

#define CORPUS "fuzz/corpus/extract"

/* Replays one file; returns 0 when it could be read. */
static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    int rc = 0;
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || n < 0 || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        rc = -1;
    } else {
        LLVMFuzzerTestOneInput((const uint8_t *)buf, (size_t)n);
    }
    free(buf);
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    int i, passed = 0, failed = 0;
    if (argc < 2) {
        DIR *dir = opendir(CORPUS);
        struct dirent *e;
        char path[4096];
        if (!dir) {
            fprintf(stderr, "cannot open %s\n", CORPUS);
            printf("0 passed, 1 failed\n");
            return 1;
        }
        while ((e = readdir(dir)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", CORPUS, e->d_name);
            if (replay(path) == 0)
                passed++;
            else
                failed++;
        }
        closedir(dir);
    }
    for (i = 1; i < argc; i++) {
        if (replay(argv[i]) == 0)
            passed++;
        else
            failed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
#endif
