/*
** cmd_ingest.c: `tidings ingest [--db FILE] [--quiet] PATH...`. Each
** rejected record is reported on stderr as "where: reason"; a progress line
** is shown on a terminal; one summary line at the end. Exit status 0 only
** when no record was rejected (duplicate ids are reported, not rejected).
*/
#include "cli.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct progress {
    int show;               /* draw the progress line (stderr is a tty) */
    double start;
    double last_draw;
    int drawn;
} progress;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void clear_line(progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        p->drawn = 0;
    }
}

static void on_reject(void *ud, const td_error *err)
{
    progress *p = ud;
    clear_line(p);
    fprintf(stderr, "%s: %s: %s\n", err->where[0] ? err->where : "-",
            err->code == TD_EDUPID ? "duplicate" : "rejected", err->msg);
}

static void on_progress(void *ud, const td_ingest_stats *s)
{
    progress *p = ud;
    double t;
    if (!p->show || (s->added & 63) != 0)
        return;
    t = now_seconds();
    if (t - p->last_draw < 0.5)
        return;
    p->last_draw = t;
    fprintf(stderr, "\r\033[K%llu articles, %.0f/s, %llu rejected",
            (unsigned long long)s->added,
            s->added / (t - p->start > 0 ? t - p->start : 1),
            (unsigned long long)s->rejected);
    p->drawn = 1;
}

int cmd_ingest(int argc, char **argv)
{
    td_engine *eng;
    td_ingest_stats stats;
    td_error err;
    progress prog;
    int i, quiet = cli_has_flag(argc, argv, "--quiet"), n_paths = 0, failed = 0;
    double secs;
    td_story_list *stories = NULL;

    memset(&stats, 0, sizeof stats);
    memset(&prog, 0, sizeof prog);
    prog.show = !quiet && isatty(2);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0)
            i++;
        else if (strcmp(argv[i], "--quiet") != 0)
            n_paths++;
    }
    if (n_paths == 0) {
        fputs("usage: tidings ingest [--db FILE] [--quiet] PATH...\n", stderr);
        return 2;
    }
    if (!(eng = cli_open(argc, argv)))
        return 1;
    prog.start = now_seconds();
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            i++;
            continue;
        }
        if (strcmp(argv[i], "--quiet") == 0)
            continue;
        memset(&err, 0, sizeof err);
        if (td_engine_ingest_path(eng, argv[i], &stats, on_reject, on_progress,
                                  &prog, &err) != TD_OK) {
            clear_line(&prog);
            cli_error("ingest", &err);
            failed = 1;
            if (err.code == TD_ESTORE || err.code == TD_ENOMEM)
                break;
        }
    }
    clear_line(&prog);
    memset(&err, 0, sizeof err);
    if (td_engine_commit(eng, &err) != TD_OK) {
        cli_error("commit", &err);
        failed = 1;
    }
    secs = now_seconds() - prog.start;
    memset(&err, 0, sizeof err);
    if (td_engine_stories(eng, &stories, &err) != TD_OK)
        cli_error("stories", &err);
    if (!quiet || stats.rejected)
        fprintf(stderr,
                "ingested %llu articles (%llu rejected, %llu duplicate ids) "
                "in %.2f s, %.0f articles/s; %zu stories in store\n",
                (unsigned long long)stats.added,
                (unsigned long long)stats.rejected,
                (unsigned long long)stats.duplicates, secs,
                stats.added / (secs > 0 ? secs : 1), stories ? stories->n : 0);
    td_story_list_free(stories);
    td_engine_free(eng);
    return failed || stats.rejected ? 1 : 0;
}
