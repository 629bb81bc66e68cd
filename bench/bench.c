/*
** bench.c: the `bench` program: ingest throughput of the engine on the
** synthetic stream of bench/gen.h, at several stream sizes.
**
** For each size N it times the generator alone (the baseline), then feeds
** the same stream to a fresh engine through td_engine_add, committing every
** 1000 articles, and prints one table row. Each size runs in a child process
** so that peak RSS belongs to that size alone. See docs/internals/bench.md.
**
**   bench [--sizes 10000,100000,1000000] [--db PATH|:memory:]
**         [--size BYTES] [--seed S]
*/
#include "tidings.h"
#include "gen.h"

#include <errno.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SIZES    16
#define COMMIT_EVERY 1000

typedef struct options {
    uint64_t sizes[MAX_SIZES];
    unsigned n_sizes;
    const char *db;           /* NULL: a temporary file under /tmp */
    uint64_t seed;
    size_t text_size;
} options;

/* What one child reports back through its pipe. */
typedef struct run_result {
    int ok;
    char error[400];
    uint64_t n;               /* articles fed */
    uint64_t rejected;        /* td_engine_add said no */
    uint64_t text_bytes;      /* title + text bytes fed */
    double gen_s;             /* generator alone */
    double engine_s;          /* inside td_engine_add/commit/free */
    double first_s, last_s;   /* engine time of the first and last 10% */
    uint64_t n_tenth;         /* articles in each of those windows */
    double gen_rss_mb;        /* peak RSS after the generator-only pass */
    double rss_mb;            /* peak RSS at the end */
} run_result;

/* Records why a run failed; messages longer than the field are cut. */
static void set_error(run_result *res, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void set_error(run_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->error, sizeof res->error, fmt, ap);
    va_end(ap);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (double)ru.ru_maxrss / 1024.0;   /* Linux reports KiB */
}

/* Removes a store and the files SQLite keeps beside it. */
static void remove_store(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char name[4200];
    for (unsigned i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "%s%s", path, suffix[i]);
        unlink(name);
    }
}

static int fatal_status(td_status st)
{
    return st == TD_ENOMEM || st == TD_EIO || st == TD_ESTORE;
}

/* Runs one size in the current process and fills res. */
static void run_size(const options *opt, uint64_t n, const char *db,
                     run_result *res)
{
    static gen g;
    gen_article *a;
    memset(res, 0, sizeof *res);
    res->n_tenth = n / 10;

    /* Baseline: the same stream, generated and dropped. */
    gen_open(&g, n, opt->seed, opt->text_size);
    double t0 = now();
    while (gen_next(&g, &a))
        res->text_bytes += a->title.len + a->text.len;
    res->gen_s = now() - t0;
    gen_close(&g);
    res->gen_rss_mb = peak_rss_mb();

    td_engine *eng = NULL;
    td_error err;
    memset(&err, 0, sizeof err);
    td_status st = td_engine_open(db, &eng, &err);
    if (st != TD_OK) {
        set_error(res, "td_engine_open(%s): %s: %s", db, td_strerror(st),
                  err.msg);
        return;
    }
    gen_open(&g, n, opt->seed, opt->text_size);
    uint64_t i = 0, step = n >= 100000 ? n / 10 : 0;
    while (gen_next(&g, &a)) {
        td_input in = {
            .id = a->id, .url = a->url, .source = a->source,
            .title = a->title.data, .text = a->text.data, .html = NULL,
            .lang = a->lang, .date = a->time, .where = NULL};
        double t = now();
        st = td_engine_add(eng, &in, NULL, &err);
        if (st == TD_OK && (i + 1) % COMMIT_EVERY == 0)
            st = td_engine_commit(eng, &err);
        double dt = now() - t;
        res->engine_s += dt;
        if (i < res->n_tenth)
            res->first_s += dt;
        if (i >= n - res->n_tenth)
            res->last_s += dt;
        if (st != TD_OK) {
            if (fatal_status(st)) {
                set_error(res, "article %s: %s: %s", a->id,
                          td_strerror(st), err.msg);
                gen_close(&g);
                td_engine_free(eng);
                return;
            }
            if (!res->rejected++)
                fprintf(stderr, "bench: article %s rejected: %s: %s\n",
                        a->id, td_strerror(st), err.msg);
        }
        i++;
        if (step && i % step == 0 && i < n)
            fprintf(stderr, "bench: N=%llu: %llu%% (%.0f s in engine)\n",
                    (unsigned long long)n,
                    (unsigned long long)(i * 100 / n), res->engine_s);
    }
    gen_close(&g);
    res->n = i;

    /* The last commit and closing the store are part of ingesting. */
    double t = now();
    st = td_engine_commit(eng, &err);
    td_engine_free(eng);
    res->engine_s += now() - t;
    if (st != TD_OK) {
        set_error(res, "final commit: %s: %s", td_strerror(st), err.msg);
        return;
    }
    res->rss_mb = peak_rss_mb();
    res->ok = 1;
}

/* Runs one size in a child process, so that the peak RSS and the heap are
** that run's own, and so that a crash loses one row, not the table. */
static void run_child(const options *opt, uint64_t n, run_result *res)
{
    char db[4096];
    int temp = 0;
    if (!opt->db) {
        snprintf(db, sizeof db, "/tmp/tidings-bench-XXXXXX");
        int fd = mkstemp(db);
        if (fd < 0) {
            memset(res, 0, sizeof *res);
            set_error(res, "mkstemp: %s", strerror(errno));
            return;
        }
        close(fd);        /* SQLite takes an empty file as a new store */
        temp = 1;
    } else if (!strcmp(opt->db, ":memory:") || opt->n_sizes == 1)
        snprintf(db, sizeof db, "%s", opt->db);
    else
        snprintf(db, sizeof db, "%s.%llu", opt->db, (unsigned long long)n);
    /* A store that already holds the stream would reject every id. */
    struct stat st;
    if (!temp && strcmp(db, ":memory:") && stat(db, &st) == 0
        && st.st_size > 0) {
        memset(res, 0, sizeof *res);
        set_error(res, "%s exists; remove it or choose another --db", db);
        return;
    }

    int fds[2];
    if (pipe(fds) != 0) {
        memset(res, 0, sizeof *res);
        set_error(res, "pipe: %s", strerror(errno));
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        static run_result mine;
        run_size(opt, n, db, &mine);
        const char *p = (const char *)&mine;
        size_t left = sizeof mine;
        while (left) {
            ssize_t w = write(fds[1], p, left);
            if (w <= 0)
                _exit(1);
            p += w;
            left -= (size_t)w;
        }
        _exit(0);
    }
    close(fds[1]);
    memset(res, 0, sizeof *res);
    size_t got = 0;
    if (pid > 0) {
        while (got < sizeof *res) {
            ssize_t r = read(fds[0], (char *)res + got, sizeof *res - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (got != sizeof *res) {
            memset(res, 0, sizeof *res);
            if (WIFSIGNALED(status))
                set_error(res, "child killed by signal %d",
                          WTERMSIG(status));
            else
                set_error(res, "child exited with status %d",
                          WEXITSTATUS(status));
        }
    } else
        set_error(res, "fork: %s", strerror(errno));
    close(fds[0]);
    if (temp)
        remove_store(db);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: bench [--sizes N,N,...] [--db PATH|:memory:] "
            "[--size BYTES] [--seed S]\n"
            "  --sizes   stream sizes, k and M suffixes allowed "
            "(default 10000,100000,1000000)\n"
            "  --db      store (default: a temporary file under /tmp, removed "
            "after);\n"
            "            with several sizes, PATH.N per size, kept\n"
            "  --size    mean text bytes per article (default 3000)\n"
            "  --seed    generator seed (default 1)\n");
    exit(2);
}

/* Parses "123", "10k" or "1M". */
static uint64_t parse_count(const char *s, const char **end_out)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        usage();
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        usage();
    if (*end == 'k' || *end == 'K') {
        v *= 1000;
        end++;
    } else if (*end == 'm' || *end == 'M') {
        v *= 1000000;
        end++;
    }
    if (end_out)
        *end_out = end;
    else if (*end)
        usage();
    return v;
}

static void parse_args(int argc, char **argv, options *opt)
{
    static const uint64_t defaults[] = {10000, 100000, 1000000};
    memset(opt, 0, sizeof *opt);
    opt->seed = 1;
    opt->text_size = 3000;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (i + 1 >= argc)
            usage();
        const char *val = argv[++i];
        if (!strcmp(arg, "--sizes")) {
            const char *p = val;
            opt->n_sizes = 0;
            for (;;) {
                if (opt->n_sizes == MAX_SIZES)
                    usage();
                uint64_t n = parse_count(p, &p);
                if (n == 0)
                    usage();
                opt->sizes[opt->n_sizes++] = n;
                if (*p == '\0')
                    break;
                if (*p++ != ',')
                    usage();
            }
        } else if (!strcmp(arg, "--db")) {
            opt->db = val;
        } else if (!strcmp(arg, "--size")) {
            uint64_t v = parse_count(val, NULL);
            if (v > (64u << 20))
                usage();
            opt->text_size = (size_t)v;
        } else if (!strcmp(arg, "--seed")) {
            opt->seed = parse_count(val, NULL);
        } else
            usage();
    }
    if (!opt->n_sizes) {
        for (unsigned k = 0; k < 3; k++)
            opt->sizes[k] = defaults[k];
        opt->n_sizes = 3;
    }
}

int main(int argc, char **argv)
{
    options opt;
    parse_args(argc, argv, &opt);

    printf("tidings bench: seed %llu, ~%zu text bytes/article, commit every "
           "%d, store %s\n",
           (unsigned long long)opt.seed, opt.text_size, COMMIT_EVERY,
           opt.db ? opt.db : "temp file under /tmp");
    printf("gen s: generator alone, same stream; engine s: time inside "
           "td_engine_add/commit/free only\n");
    printf("us/art: engine microseconds per article over the first and last "
           "10%% of the stream;\n"
           "vs %llu: per-article engine time relative to the N=%llu run\n\n",
           (unsigned long long)opt.sizes[0],
           (unsigned long long)opt.sizes[0]);
    printf("%9s %8s %9s %8s %8s %6s %7s %9s %9s %6s %7s\n", "N", "gen s",
           "engine s", "eng/gen", "art/s", "MB/s", "RSS MB", "us first",
           "us last", "l/f", "vs 1st");
    fflush(stdout);

    double base_per_article = 0;
    double gen_rss = 0;
    int failed = 0;
    for (unsigned k = 0; k < opt.n_sizes; k++) {
        uint64_t n = opt.sizes[k];
        run_result r;
        run_child(&opt, n, &r);
        if (r.gen_rss_mb > gen_rss)
            gen_rss = r.gen_rss_mb;
        if (!r.ok) {
            printf("%9llu  failed: %s\n", (unsigned long long)n, r.error);
            failed = 1;
            fflush(stdout);
            continue;
        }
        double per_article = r.engine_s / (double)(r.n ? r.n : 1);
        if (k == 0)
            base_per_article = per_article;
        double first_us = r.n_tenth ? r.first_s / r.n_tenth * 1e6 : 0;
        double last_us = r.n_tenth ? r.last_s / r.n_tenth * 1e6 : 0;
        printf("%9llu %8.2f %9.2f %8.1f %8.0f %6.2f %7.1f %9.1f %9.1f "
               "%6.2f ",
               (unsigned long long)r.n, r.gen_s, r.engine_s,
               r.gen_s > 0 ? r.engine_s / r.gen_s : 0,
               r.engine_s > 0 ? (double)r.n / r.engine_s : 0,
               r.engine_s > 0 ? (double)r.text_bytes / 1e6 / r.engine_s : 0,
               r.rss_mb, first_us, last_us,
               first_us > 0 ? last_us / first_us : 0);
        if (base_per_article > 0)
            printf("%7.2f\n", per_article / base_per_article);
        else
            printf("%7s\n", "-");
        if (r.rejected)
            printf("%9s  (%llu articles rejected)\n", "",
                   (unsigned long long)r.rejected);
        fflush(stdout);
    }
    if (gen_rss > 0)
        printf("\ngenerator alone peaks at %.1f MB RSS (included in RSS MB)\n",
               gen_rss);
    return failed;
}
