/*
** cmd_extract.c: `tidings extract [--json] [--stats] FILE...`: the article
** body and metadata of each page (.html, .htm, .txt, optionally .gz), as
** text or one JSON object per line. --stats prints pages/s and MB/s on
** stderr, by the wall clock and by the process's CPU time (which other
** programs on a shared machine do not inflate).
*/
#include "cli.h"

#include <string.h>
#include <time.h>

static void print_json(const char *file, const td_extract_result *r)
{
    fputs("{\"file\":", stdout);
    cli_json_str(stdout, file);
    fputs(",\"title\":", stdout);
    cli_json_str(stdout, r->title);
    fputs(",\"text\":", stdout);
    cli_json_str(stdout, r->text);
    fputs(",\"date\":", stdout);
    cli_json_str(stdout, r->date);
    fputs(",\"authors\":", stdout);
    cli_json_str(stdout, r->authors);
    fputs(",\"site\":", stdout);
    cli_json_str(stdout, r->site);
    fputs(",\"url\":", stdout);
    cli_json_str(stdout, r->url);
    fputs(",\"lang\":", stdout);
    cli_json_str(stdout, r->lang);
    fputs("}\n", stdout);
}

static void print_text(const char *file, const td_extract_result *r)
{
    printf("== %s\n", file);
    printf("title:   %s\n", r->title ? r->title : "");
    printf("date:    %s\n", r->date ? r->date : "");
    printf("authors: %s\n", r->authors ? r->authors : "");
    printf("site:    %s\n", r->site ? r->site : "");
    printf("url:     %s\n", r->url ? r->url : "");
    printf("lang:    %s\n\n", r->lang ? r->lang : "");
    printf("%s\n\n", r->text ? r->text : "");
}

int cmd_extract(int argc, char **argv)
{
    int json = cli_has_flag(argc, argv, "--json");
    int stats = cli_has_flag(argc, argv, "--stats");
    int i, n_files = 0, failed = 0;
    uint64_t total = 0;
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    for (i = 1; i < argc; i++) {
        td_extract_result *r = NULL;
        td_error err;
        uint64_t bytes = 0;
        if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "--stats") == 0)
            continue;
        n_files++;
        memset(&err, 0, sizeof err);
        if (td_extract_file(argv[i], &r, &bytes, &err) != TD_OK) {
            cli_error("extract", &err);
            failed = 1;
            continue;
        }
        total += bytes;
        if (json)
            print_json(argv[i], r);
        else
            print_text(argv[i], r);
        td_extract_result_free(r);
    }
    if (n_files == 0) {
        fputs("usage: tidings extract [--json] [--stats] FILE...\n", stderr);
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    if (stats) {
        double s = (double)(t1.tv_sec - t0.tv_sec) +
                   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        double cpu = (double)(c1.tv_sec - c0.tv_sec) +
                     (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
        if (s <= 0)
            s = 1e-9;
        if (cpu <= 0)
            cpu = 1e-9;
        fprintf(stderr, "%d pages, %.1f MB in %.3f s: %.0f pages/s, %.1f MB/s "
                "(CPU %.3f s: %.0f pages/s, %.1f MB/s)\n",
                n_files, (double)total / 1e6, s, n_files / s,
                (double)total / 1e6 / s, cpu, n_files / cpu,
                (double)total / 1e6 / cpu);
    }
    return failed;
}
