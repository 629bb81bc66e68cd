/*
** replay.h: the replay driver shared by the fuzz harnesses. Built with
** -DTD_FUZZ_REPLAY, a harness is a plain program that runs
** LLVMFuzzerTestOneInput on the files named on its command line, or on
** every file of FUZZ_CORPUS (`make check` does that), and prints
** "N passed, N failed". Include it last, after defining FUZZ_CORPUS.
*/
#ifdef TD_FUZZ_REPLAY
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

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
        DIR *dir = opendir(FUZZ_CORPUS);
        struct dirent *e;
        char path[4096];
        if (!dir) {
            fprintf(stderr, "cannot open %s\n", FUZZ_CORPUS);
            printf("0 passed, 1 failed\n");
            return 1;
        }
        while ((e = readdir(dir)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", FUZZ_CORPUS, e->d_name);
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
