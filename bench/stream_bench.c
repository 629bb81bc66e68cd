/*
** stream_bench.c: throughput of the Kafka path (docs/internals/scale-out.md)
** on librdkafka's mock cluster, for a JSON Lines stream (bench/gen):
**
**   ingest     `tidings ingest` of the file, one process (the baseline)
**   prepare    td_prepare_record alone over the file, one thread: the
**              stateless stages' cost, no Kafka
**   1 worker   raw topic -> analyzed topic, one worker thread
**   2 workers  the same with two worker threads (a consumer group)
**   cluster    the clusterer alone over a filled analyzed topic
**
** Worker and clusterer rates are over the span from the first message
** handled to the last (the group's 3 s formation is not counted).
**
**   stream_bench FILE.jsonl
*/
#include "tidings.h"

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The mock keeps 5 MB per partition and drops older messages past that:
** enough partitions that the analyzed stream (about 10 KB an article)
** stays under it up to 10k articles. A real broker retains by its own
** settings. */
#define PARTITIONS 32
#define SESSION_MS 4000

static td_stream_mock *mock;
static volatile int stop_workers;
static char tmp[256];
static double raw_kb;      /* mean raw record, KB */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of the whole process (every thread, the mock broker's too):
** unlike wall time, not inflated by other processes on a shared machine. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what, const td_error *err)
{
    fprintf(stderr, "stream_bench: %s: %s\n", what, err ? err->msg : "");
    exit(1);
}

/* Counts the lines of path and times td_prepare_record over them. */
static double prepare_only(const char *path, uint64_t *n)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    td_preparer *p = NULL;
    td_error err;
    double t, spent = 0;
    memset(&err, 0, sizeof err);
    if (!f || td_preparer_new(&p, &err) != TD_OK)
        die(path, &err);
    *n = 0;
    while ((len = getline(&line, &cap, f)) > 0) {
        td_prepared *out = NULL;
        t = now_s();
        if (td_prepare_record(p, line, (size_t)len, "bench", &out, &err) ==
            TD_OK)
            (*n)++;
        td_prepared_free(out);
        spent += now_s() - t;
    }
    free(line);
    fclose(f);
    td_preparer_free(p);
    return spent;
}

static double ingest(const char *path, uint64_t *n)
{
    td_engine *eng = NULL;
    td_ingest_stats st;
    td_error err;
    char db[512];
    double t = now_s();
    snprintf(db, sizeof db, "%s/ingest.db", tmp);
    memset(&st, 0, sizeof st);
    memset(&err, 0, sizeof err);
    if (td_engine_open(db, &eng, &err) != TD_OK ||
        td_engine_ingest_path(eng, path, &st, NULL, NULL, NULL, &err) != TD_OK)
        die("ingest", &err);
    td_engine_free(eng);
    *n = st.added;
    return now_s() - t;
}

typedef struct worker_arg {
    td_stream_opts o;
    td_stream_stats stats;
    pthread_t thread;
} worker_arg;

static void *worker_main(void *ud)
{
    worker_arg *w = ud;
    td_error err;
    memset(&err, 0, sizeof err);
    if (td_stream_worker(&w->o, &w->stats, &err) != TD_OK)
        die("worker", &err);
    return NULL;
}

/* Sends the file to topic; returns the seconds it took, *n the records. */
static double produce(const char *path, const char *topic, uint64_t *n)
{
    td_stream_opts o;
    td_stream_stats st;
    td_error err;
    double t = now_s();
    memset(&o, 0, sizeof o);
    memset(&st, 0, sizeof st);
    memset(&err, 0, sizeof err);
    o.brokers = td_stream_mock_brokers(mock);
    o.out_topic = topic;
    if (td_stream_produce(&o, path, &st, NULL, NULL, &err) != TD_OK)
        die("produce", &err);
    *n = st.records;
    raw_kb = st.records ? st.bytes / 1e3 / st.records : 0;
    return now_s() - t;
}

/* 1 when group has committed every partition of topic up to its end: all
** its records are done (counting records instead would stop early when a
** rebalance makes a worker redo some). */
static int group_done(rd_kafka_t *rk, const char *topic)
{
    rd_kafka_topic_partition_list_t *parts =
        rd_kafka_topic_partition_list_new(PARTITIONS);
    int i, done = 1;
    for (i = 0; i < PARTITIONS; i++)
        rd_kafka_topic_partition_list_add(parts, topic, i);
    if (rd_kafka_committed(rk, parts, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        done = 0;
    for (i = 0; done && i < PARTITIONS; i++) {
        int64_t lo, hi;
        if (rd_kafka_query_watermark_offsets(rk, topic, i, &lo, &hi, 5000) !=
                RD_KAFKA_RESP_ERR_NO_ERROR ||
            parts->elems[i].offset < hi)
            done = 0;
    }
    rd_kafka_topic_partition_list_destroy(parts);
    return done;
}

/* A handle to read group's committed offsets with. */
static rd_kafka_t *group_reader(const char *group)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_t *rk;
    char why[256];
    if (rd_kafka_conf_set(conf, "bootstrap.servers",
                          td_stream_mock_brokers(mock), why, sizeof why) ||
        rd_kafka_conf_set(conf, "group.id", group, why, sizeof why) ||
        (rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof why)) == NULL) {
        fprintf(stderr, "stream_bench: %s\n", why);
        exit(1);
    }
    return rk;
}

/* Starts n_workers worker threads on a new raw topic, lets the group form,
** then produces the file into it and waits until every record is done.
** Returns records per second over the span the workers worked. */
static double workers(int n_workers, const char *path, const char *raw,
                      const char *out, uint64_t n)
{
    worker_arg w[2];
    int i;
    uint64_t sent;
    rd_kafka_t *reader;
    int64_t first = 0, last = 0;
    td_error err;
    memset(&err, 0, sizeof err);
    /* Both topics exist before the workers subscribe, so that they join
    ** the group together (within the mock's 3 s initial delay) instead of
    ** one after the other with a rebalance in the middle. */
    if (td_stream_mock_topic(mock, raw, PARTITIONS, &err) != TD_OK ||
        td_stream_mock_topic(mock, out, PARTITIONS, &err) != TD_OK)
        die("topic", &err);
    stop_workers = 0;
    for (i = 0; i < n_workers; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].o.brokers = td_stream_mock_brokers(mock);
        w[i].o.in_topic = raw;
        w[i].o.out_topic = out;
        w[i].o.group = out;
        w[i].o.stop = &stop_workers;
        w[i].o.session_timeout_ms = SESSION_MS;
        w[i].o.quiet = 1;
        if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0)
            die("pthread_create", NULL);
    }
    /* Records produced while the group forms wait in the topic; the rate
    ** below starts at the first record handled. */
    produce(path, raw, &sent);
    if (sent != n)
        die("produce: the file changed", NULL);
    reader = group_reader(out);
    while (!group_done(reader, raw))
        usleep(50 * 1000);
    rd_kafka_destroy(reader);
    stop_workers = 1;
    for (i = 0; i < n_workers; i++) {
        pthread_join(w[i].thread, NULL);
        if (!first || (w[i].stats.first_ms && w[i].stats.first_ms < first))
            first = w[i].stats.first_ms;
        if (w[i].stats.last_ms > last)
            last = w[i].stats.last_ms;
        printf("    %d worker(s): worker %d handled %llu records, sent %.1f KB "
               "per analyzed article\n", n_workers, i + 1,
               (unsigned long long)w[i].stats.records,
               w[i].stats.records ? w[i].stats.bytes / 1e3 / w[i].stats.records
                                  : 0);
    }
    /* Records done twice (after a rebalance) count once: n, not the sum. */
    return last > first ? n / ((last - first) / 1000.0) : 0;
}

static double cluster(const char *in, uint64_t n, uint64_t *added)
{
    td_engine *eng = NULL;
    td_stream_opts o;
    td_stream_stats st;
    td_error err;
    char db[512];
    snprintf(db, sizeof db, "%s/cluster.db", tmp);
    memset(&o, 0, sizeof o);
    memset(&st, 0, sizeof st);
    memset(&err, 0, sizeof err);
    o.brokers = td_stream_mock_brokers(mock);
    o.in_topic = in;
    o.until_seq = n;
    o.idle_exit_ms = 30000;
    o.session_timeout_ms = SESSION_MS;
    o.quiet = 1;
    if (td_engine_open(db, &eng, &err) != TD_OK ||
        td_stream_cluster(eng, &o, &st, NULL, NULL, &err) != TD_OK)
        die("cluster", &err);
    td_engine_free(eng);
    if (st.added != n)
        fprintf(stderr, "stream_bench: cluster read %llu messages, stored %llu "
                "(%llu rejected, %llu replayed), next seq %llu\n",
                (unsigned long long)st.records, (unsigned long long)st.added,
                (unsigned long long)st.rejected,
                (unsigned long long)st.replayed,
                (unsigned long long)st.next_seq);
    *added = st.added;
    return st.last_ms > st.first_ms
               ? st.added / ((st.last_ms - st.first_ms) / 1000.0) : 0;
}

static void row(const char *what, double rate, double cpu_ms)
{
    printf("  %-34s %10.0f %12.3f %12.3f\n", what, rate,
           rate > 0 ? 1000 / rate : 0, cpu_ms);
}

int main(int argc, char **argv)
{
    td_error err;
    uint64_t n, n_ingest, added;
    double ingest_s, prep_s, prod_s, w1, w2, cl, c, cpu[6];
    char cmd[300];
    if (argc != 2) {
        fputs("usage: stream_bench FILE.jsonl\n", stderr);
        return 2;
    }
    snprintf(tmp, sizeof tmp, "/tmp/tidings_stream_bench_XXXXXX");
    if (!mkdtemp(tmp))
        die("mkdtemp", NULL);
    memset(&err, 0, sizeof err);
    c = cpu_s();
    ingest_s = ingest(argv[1], &n_ingest);
    cpu[0] = cpu_s() - c;
    c = cpu_s();
    prep_s = prepare_only(argv[1], &n);
    cpu[1] = cpu_s() - c;
    if (td_stream_mock_new(1, &mock, &err) != TD_OK)
        die("mock cluster", &err);
    if (td_stream_mock_topic(mock, "raw0", PARTITIONS, &err) != TD_OK)
        die("topic", &err);
    c = cpu_s();
    prod_s = produce(argv[1], "raw0", &n);
    cpu[2] = cpu_s() - c;
    printf("stream bench: %llu articles (%.1f KB per raw record), mock "
           "cluster (1 broker, %d partitions), %ld cores\n",
           (unsigned long long)n, raw_kb, PARTITIONS,
           sysconf(_SC_NPROCESSORS_ONLN));
    c = cpu_s();
    w1 = workers(1, argv[1], "raw1", "ana1", n);
    cpu[3] = cpu_s() - c;
    c = cpu_s();
    w2 = workers(2, argv[1], "raw2", "ana2", n);
    cpu[4] = cpu_s() - c;
    c = cpu_s();
    cl = cluster("ana2", n, &added);
    cpu[5] = cpu_s() - c;
    printf("  %-34s %10s %12s %12s\n", "stage", "art/s", "ms/article",
           "cpu ms/art");
    row("ingest (one process, baseline)", n_ingest / ingest_s,
        cpu[0] * 1000 / n_ingest);
    row("prepare only (no Kafka, 1 thread)", n / prep_s, cpu[1] * 1000 / n);
    row("produce to raw topic", n / prod_s, cpu[2] * 1000 / n);
    row("1 worker via mock cluster", w1, cpu[3] * 1000 / n);
    row("2 workers via mock cluster", w2, cpu[4] * 1000 / n);
    row("clusterer alone (SQLite file)", cl, cpu[5] * 1000 / n);
    printf("  2 workers / 1 worker: %.2f; clusterer stored %llu of %llu\n",
           w1 > 0 ? w2 / w1 : 0, (unsigned long long)added,
           (unsigned long long)n);
    printf("  cpu ms/art: CPU time of the whole process (all threads, the "
           "mock broker's and\n  the producers' included) per article\n");
    td_stream_mock_free(mock);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return 0;
}
