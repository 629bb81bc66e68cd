/*
** cmd_stream.c: the Kafka commands (docs/internals/scale-out.md):
**   tidings produce --brokers B --topic T [--first-seq N] PATH...
**   tidings worker  --brokers B --in T --out T [--group G] [--idle-exit MS]
**                   [--session-timeout MS]
**   tidings cluster --brokers B --in T [--db FILE] [--group G]
**                   [--idle-exit MS] [--until-seq N]
**   tidings kafka-mock [--brokers N] [--topic NAME:PARTITIONS]...
** worker and cluster run until SIGINT/SIGTERM (or --idle-exit); each
** command ends with one summary line on stderr.
*/
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile int stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Parses a whole non-negative decimal number; -1 when it is not one. */
static long long parse_count(const char *s)
{
    char *end;
    long long v;
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    return errno || *end ? -1 : v;
}

/* Fills o from argv; paths (positional arguments) are left in argv and
** counted in *n_paths. Returns 0, or 2 after a message on a bad option. */
static int parse_opts(int argc, char **argv, const char *usage,
                      td_stream_opts *o, int *n_paths)
{
    int i;
    memset(o, 0, sizeof *o);
    o->stop = &stop_flag;
    *n_paths = 0;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long long n = 0;
        int takes = 1;
        if (strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
            takes = 0;
        } else if (a[0] != '-' || strcmp(a, "-") == 0) {
            (*n_paths)++;
            takes = 0;
        } else if (!v) {
            fprintf(stderr, "tidings: %s needs a value\n%s", a, usage);
            return 2;
        } else if (strcmp(a, "--brokers") == 0) {
            o->brokers = v;
        } else if (strcmp(a, "--topic") == 0 || strcmp(a, "--out") == 0) {
            o->out_topic = v;
        } else if (strcmp(a, "--in") == 0) {
            o->in_topic = v;
        } else if (strcmp(a, "--group") == 0) {
            o->group = v;
        } else if (strcmp(a, "--db") == 0) {
            /* read by cli_open */
        } else if ((n = parse_count(v)) < 0) {
            fprintf(stderr, "tidings: %s: '%s' is not a number\n%s", a, v,
                    usage);
            return 2;
        } else if (strcmp(a, "--idle-exit") == 0 && n <= 24 * 3600 * 1000LL) {
            o->idle_exit_ms = (int)n;
        } else if (strcmp(a, "--session-timeout") == 0 && n > 0 &&
                   n <= 3600 * 1000LL) {
            o->session_timeout_ms = (int)n;
        } else if (strcmp(a, "--until-seq") == 0) {
            o->until_seq = (uint64_t)n;
        } else if (strcmp(a, "--first-seq") == 0 && n > 0) {
            o->first_seq = (uint64_t)n;
        } else {
            fprintf(stderr, "tidings: unknown option or value %s %s\n%s", a, v,
                    usage);
            return 2;
        }
        i += takes;
    }
    if (!o->brokers) {
        fprintf(stderr, "tidings: --brokers is required\n%s", usage);
        return 2;
    }
    return 0;
}

static void on_reject(void *ud, const td_error *err)
{
    const td_stream_opts *o = ud;
    if (!o->quiet || err->code != TD_EDUPID)
        fprintf(stderr, "%s: %s: %s\n", err->where[0] ? err->where : "-",
                err->code == TD_EDUPID ? "duplicate" : "rejected", err->msg);
}

int cmd_produce(int argc, char **argv)
{
    static const char usage[] =
        "usage: tidings produce --brokers B --topic T [--first-seq N] "
        "[--quiet] PATH...\n";
    td_stream_opts o;
    td_stream_stats st;
    td_error err;
    int i, n_paths, rc;
    double t0 = now_seconds();
    if ((rc = parse_opts(argc, argv, usage, &o, &n_paths)) != 0)
        return rc;
    if (!o.out_topic || n_paths == 0 || o.in_topic) {
        fputs(usage, stderr);
        return 2;
    }
    memset(&st, 0, sizeof st);
    for (i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && strcmp(argv[i], "-") != 0) {
            i += strcmp(argv[i], "--quiet") != 0;
            continue;
        }
        memset(&err, 0, sizeof err);
        if (td_stream_produce(&o, argv[i], &st, on_reject, &o, &err) != TD_OK) {
            cli_error("produce", &err);
            return 1;
        }
    }
    fprintf(stderr, "produced %llu records (%llu rejected) to %s in %.2f s; "
            "next seq %llu\n", (unsigned long long)st.records,
            (unsigned long long)st.rejected, o.out_topic, now_seconds() - t0,
            (unsigned long long)st.next_seq);
    return st.rejected ? 1 : 0;
}

int cmd_worker(int argc, char **argv)
{
    static const char usage[] =
        "usage: tidings worker --brokers B --in TOPIC --out TOPIC [--group G]\n"
        "                      [--idle-exit MS] [--session-timeout MS] [--quiet]\n";
    td_stream_opts o;
    td_stream_stats st;
    td_error err;
    int n_paths, rc;
    double t0 = now_seconds(), secs;
    if ((rc = parse_opts(argc, argv, usage, &o, &n_paths)) != 0)
        return rc;
    if (!o.in_topic || !o.out_topic || n_paths) {
        fputs(usage, stderr);
        return 2;
    }
    catch_signals();
    memset(&st, 0, sizeof st);
    memset(&err, 0, sizeof err);
    if (td_stream_worker(&o, &st, &err) != TD_OK) {
        cli_error("worker", &err);
        return 1;
    }
    secs = now_seconds() - t0;
    fprintf(stderr, "worker: %llu records (%llu rejected) in %.2f s, "
            "%.0f records/s\n", (unsigned long long)st.records,
            (unsigned long long)st.rejected, secs,
            st.records / (secs > 0 ? secs : 1));
    return 0;
}

int cmd_cluster(int argc, char **argv)
{
    static const char usage[] =
        "usage: tidings cluster --brokers B --in TOPIC [--db FILE] [--group G]\n"
        "                       [--idle-exit MS] [--until-seq N] [--quiet]\n";
    td_stream_opts o;
    td_stream_stats st;
    td_error err;
    td_engine *eng;
    int n_paths, rc;
    double t0 = now_seconds(), secs;
    if ((rc = parse_opts(argc, argv, usage, &o, &n_paths)) != 0)
        return rc;
    if (!o.in_topic || o.out_topic || n_paths) {
        fputs(usage, stderr);
        return 2;
    }
    if (!(eng = cli_open(argc, argv)))
        return 1;
    catch_signals();
    memset(&st, 0, sizeof st);
    memset(&err, 0, sizeof err);
    rc = td_stream_cluster(eng, &o, &st, on_reject, &o, &err) != TD_OK;
    if (rc)
        cli_error("cluster", &err);
    td_engine_free(eng);
    secs = now_seconds() - t0;
    fprintf(stderr, "cluster: %llu articles stored (%llu rejected, %llu "
            "duplicate ids, %llu replayed messages skipped, %llu re-analysed) "
            "in %.2f s; next seq %llu\n", (unsigned long long)st.added,
            (unsigned long long)st.rejected,
            (unsigned long long)st.duplicates,
            (unsigned long long)st.replayed,
            (unsigned long long)st.reanalysed, secs,
            (unsigned long long)st.next_seq);
    return rc;
}

int cmd_kafka_mock(int argc, char **argv)
{
    static const char usage[] =
        "usage: tidings kafka-mock [--brokers N] [--topic NAME:PARTITIONS]...\n"
        "Prints the bootstrap servers, then runs until SIGINT/SIGTERM.\n";
    td_stream_mock *m = NULL;
    td_error err;
    long long brokers = 1;
    int i;
    memset(&err, 0, sizeof err);
    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], "--brokers") == 0 && i + 1 < argc)
            brokers = parse_count(argv[++i]);
        else if (strcmp(argv[i], "--topic") == 0 && i + 1 < argc)
            i++;
        else {
            fputs(usage, stderr);
            return 2;
        }
    if (brokers < 1 || brokers > 16) {
        fputs(usage, stderr);
        return 2;
    }
    if (td_stream_mock_new((int)brokers, &m, &err) != TD_OK) {
        cli_error("kafka-mock", &err);
        return 1;
    }
    for (i = 1; i < argc; i++) {
        char name[256];
        const char *colon;
        long long parts;
        if (strcmp(argv[i], "--topic") != 0) {
            i++;
            continue;
        }
        colon = strrchr(argv[++i], ':');
        parts = colon ? parse_count(colon + 1) : -1;
        if (!colon || colon == argv[i] || (size_t)(colon - argv[i]) >= sizeof name ||
            parts < 1 || parts > 1024) {
            fprintf(stderr, "tidings: --topic %s: want NAME:PARTITIONS\n",
                    argv[i]);
            td_stream_mock_free(m);
            return 2;
        }
        memcpy(name, argv[i], (size_t)(colon - argv[i]));
        name[colon - argv[i]] = '\0';
        if (td_stream_mock_topic(m, name, (int)parts, &err) != TD_OK) {
            cli_error("kafka-mock", &err);
            td_stream_mock_free(m);
            return 1;
        }
    }
    catch_signals();
    printf("%s\n", td_stream_mock_brokers(m));
    fflush(stdout);
    while (!stop_flag)
        usleep(100 * 1000);
    td_stream_mock_free(m);
    return 0;
}
