/*
** test_stream.c: the Kafka path end to end on librdkafka's mock cluster (no
** broker to install): the bundled corpus produced to a topic, two workers
** (threads) and a clusterer give the same stories, articles and copies as
** `tidings ingest` of the same corpus; a worker that dies after a few
** records without committing and a clusterer stopped half-way and
** restarted lose nothing and duplicate nothing.
** docs/internals/scale-out.md.
*/
#include "check.h"
#include "tidings.h"

#include <pthread.h>
#include <unistd.h>

#define CORPUS "samples/corpus"
/* Long enough to outlive the mock's 3 s initial rebalance delay. */
#define SESSION_MS 4000

static char tmp[256];
static td_stream_mock *mock;

static const char *in_tmp(const char *name)
{
    static char buf[4][512];
    static int slot;
    char *p = buf[slot++ % 4];
    snprintf(p, 512, "%s/%s", tmp, name);
    return p;
}

static td_status dump_article(void *ud, const td_article_row *r)
{
    fprintf(ud, "%s story=%lld lang=%s seq=%lld ent=%s group=%lld "
            "copy_of=%s date=%lld credits=%s\n", r->id, (long long)r->story,
            r->lang ? r->lang : "-", (long long)r->seq,
            r->entities ? r->entities : "-", (long long)r->copy_group,
            r->copy_of ? r->copy_of : "-", (long long)r->date,
            r->credits ? r->credits : "-");
    return TD_OK;
}

/* Everything a reader sees of a store, as text; new (free()). */
static char *dump(const char *db)
{
    td_engine *eng = NULL;
    td_story_list *st = NULL;
    td_error err;
    char *s = NULL;
    size_t len = 0, i, k;
    FILE *f;
    memset(&err, 0, sizeof err);
    if (td_engine_open(db, &eng, &err) != TD_OK) {
        fprintf(stderr, "  %s: %s\n", db, err.msg);
        return NULL;
    }
    if ((f = open_memstream(&s, &len)) == NULL) {
        td_engine_free(eng);
        return NULL;
    }
    td_engine_each_article(eng, dump_article, f, &err);
    if (td_engine_stories(eng, &st, &err) == TD_OK) {
        for (i = 0; i < st->n; i++) {
            const td_story_row *r = &st->rows[i];
            td_copy_list *cl = NULL;
            fprintf(f, "story %lld n=%u langs=%s title=%s ent=%s sources=%u "
                    "origin=%s\n", (long long)r->id, r->n_articles, r->langs,
                    r->title, r->entities ? r->entities : "-", r->n_sources,
                    r->origin_id ? r->origin_id : "-");
            if (td_engine_copies(eng, r->id, &cl, &err) != TD_OK)
                continue;
            for (k = 0; k < cl->n_edges; k++)
                fprintf(f, "  edge %s -> %s %.3f %s\n", cl->edges[k].from_id,
                        cl->edges[k].to_id, cl->edges[k].similarity,
                        cl->edges[k].passage ? cl->edges[k].passage : "-");
            td_copy_list_free(cl);
        }
    }
    td_story_list_free(st);
    td_engine_free(eng);
    fclose(f);
    return s;
}

/* The reference: `tidings ingest` of the corpus. */
static char *reference(void)
{
    td_engine *eng = NULL;
    td_ingest_stats stats;
    td_error err;
    memset(&stats, 0, sizeof stats);
    memset(&err, 0, sizeof err);
    if (td_engine_open(in_tmp("ingest.db"), &eng, &err) != TD_OK)
        return NULL;
    td_engine_ingest_path(eng, CORPUS, &stats, NULL, NULL, NULL, &err);
    td_engine_free(eng);
    return dump(in_tmp("ingest.db"));
}

typedef struct worker_arg {
    td_stream_opts o;
    td_stream_stats stats;
    td_status rc;
    pthread_t thread;
} worker_arg;

static volatile int stop_workers;

static void *worker_main(void *ud)
{
    worker_arg *w = ud;
    td_error err;
    memset(&err, 0, sizeof err);
    w->rc = td_stream_worker(&w->o, &w->stats, &err);
    if (w->rc != TD_OK)
        fprintf(stderr, "  worker: %s\n", err.msg);
    return NULL;
}

static void start_worker(worker_arg *w, const char *in, const char *out,
                         uint64_t crash_after)
{
    memset(w, 0, sizeof *w);
    w->o.brokers = td_stream_mock_brokers(mock);
    w->o.in_topic = in;
    w->o.out_topic = out;
    w->o.group = in;     /* one worker group per raw topic */
    w->o.stop = &stop_workers;
    w->o.crash_after = crash_after;
    w->o.session_timeout_ms = SESSION_MS;
    w->o.quiet = 1;
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
        w->rc = TD_EIO;
}

/* Runs a clusterer on db until seq `until` is stored (0: until the topic
** has been idle a second); group NULL is the default one. */
static td_status cluster(const char *db, const char *in, const char *group,
                         uint64_t until, td_stream_stats *stats)
{
    td_engine *eng = NULL;
    td_stream_opts o;
    td_error err;
    td_status rc;
    memset(&o, 0, sizeof o);
    memset(&err, 0, sizeof err);
    o.brokers = td_stream_mock_brokers(mock);
    o.in_topic = in;
    o.group = group;
    o.until_seq = until;
    /* With a seq to reach, idling is a safety net (the test fails, not
    ** hangs); without one, the run ends once the topic is read. */
    o.idle_exit_ms = until ? 20000 : 1000;
    o.session_timeout_ms = SESSION_MS;
    o.quiet = 1;
    if ((rc = td_engine_open(db, &eng, &err)) == TD_OK)
        rc = td_stream_cluster(eng, &o, stats, NULL, NULL, &err);
    if (rc != TD_OK)
        fprintf(stderr, "  cluster: %s\n", err.msg);
    td_engine_free(eng);
    return rc;
}

static uint64_t produce(const char *topic)
{
    td_stream_opts o;
    td_stream_stats st;
    td_error err;
    memset(&o, 0, sizeof o);
    memset(&st, 0, sizeof st);
    memset(&err, 0, sizeof err);
    o.brokers = td_stream_mock_brokers(mock);
    o.out_topic = topic;
    CHECK(td_stream_produce(&o, CORPUS, &st, NULL, NULL, &err) == TD_OK);
    CHECK(st.rejected == 0);
    return st.records;
}

static void check_same(const char *got, const char *want)
{
    CHECK(got && want && strcmp(got, want) == 0);
    if (got && want && strcmp(got, want) != 0)
        fprintf(stderr, "  --- ingest:\n%s  --- stream:\n%s", want, got);
}

TEST(two_workers_same_as_ingest)
{
    worker_arg w[2];
    td_stream_stats st;
    uint64_t n;
    char *want = reference(), *got;
    CHECK(want && strlen(want) > 100);
    CHECK(td_stream_mock_topic(mock, "raw1", 4, NULL) == TD_OK);
    CHECK(td_stream_mock_topic(mock, "ana1", 4, NULL) == TD_OK);
    n = produce("raw1");
    CHECK(n == 39);
    stop_workers = 0;
    start_worker(&w[0], "raw1", "ana1", 0);
    start_worker(&w[1], "raw1", "ana1", 0);
    memset(&st, 0, sizeof st);
    CHECK(cluster(in_tmp("stream1.db"), "ana1", NULL, n, &st) == TD_OK);
    stop_workers = 1;
    pthread_join(w[0].thread, NULL);
    pthread_join(w[1].thread, NULL);
    CHECK(w[0].rc == TD_OK && w[1].rc == TD_OK);
    CHECK(w[0].stats.records + w[1].stats.records >= n);
    CHECK(st.added == n);
    CHECK(st.next_seq == n + 1);
    CHECK(st.rejected == 0 && st.duplicates == 0);
    got = dump(in_tmp("stream1.db"));
    check_same(got, want);
    free(got);
    free(want);
}

TEST(dead_worker_and_restart_lose_nothing)
{
    worker_arg w[2];
    td_stream_stats st1, st2;
    uint64_t n;
    char *want = reference(), *got;
    CHECK(td_stream_mock_topic(mock, "raw2", 4, NULL) == TD_OK);
    CHECK(td_stream_mock_topic(mock, "ana2", 4, NULL) == TD_OK);
    n = produce("raw2");
    stop_workers = 0;
    /* The first worker dies after 10 records: it sent them but never
    ** committed, so its partitions are read again by the other one. */
    start_worker(&w[0], "raw2", "ana2", 10);
    start_worker(&w[1], "raw2", "ana2", 0);
    memset(&st1, 0, sizeof st1);
    memset(&st2, 0, sizeof st2);
    /* The clusterer stops half-way and a new one resumes from the store. */
    CHECK(cluster(in_tmp("stream2.db"), "ana2", NULL, n / 2, &st1) == TD_OK);
    CHECK(st1.next_seq == n / 2 + 1);
    CHECK(cluster(in_tmp("stream2.db"), "ana2", NULL, n, &st2) == TD_OK);
    stop_workers = 1;
    pthread_join(w[0].thread, NULL);
    pthread_join(w[1].thread, NULL);
    CHECK(w[0].stats.records == 10);
    /* The dead worker's records were done twice... */
    CHECK(w[0].stats.records + w[1].stats.records >= n + 10);
    /* ...and stored once. */
    CHECK(st1.added + st2.added == n);
    CHECK(st2.next_seq == n + 1);
    CHECK(st1.duplicates + st2.duplicates == 0);
    got = dump(in_tmp("stream2.db"));
    check_same(got, want);
    free(got);
    /* A clusterer in a new group (no committed offsets) reads the whole
    ** topic again, duplicates included: all of it is skipped by seq. */
    memset(&st1, 0, sizeof st1);
    CHECK(cluster(in_tmp("stream2.db"), "ana2", "replay", 0, &st1) == TD_OK);
    CHECK(st1.added == 0 && st1.duplicates == 0);
    CHECK(st1.replayed >= n);
    got = dump(in_tmp("stream2.db"));
    check_same(got, want);
    free(got);
    free(want);
}

TEST(oversized_record_is_rejected)
{
    td_stream_opts o;
    td_stream_stats st;
    td_error err;
    char path[300];
    FILE *f;
    size_t i;
    snprintf(path, sizeof path, "%s/big.jsonl", tmp);
    f = fopen(path, "w");
    if (!f)
        return;
    /* 1.2 MB of text: fine for ingest (TD_MAX_FIELD), too big for a Kafka
    ** message; then a small record, which must still go. */
    fputs("{\"id\":\"big\",\"text\":\"", f);
    for (i = 0; i < 200000; i++)
        fputs("words ", f);
    fputs("\"}\n{\"id\":\"small\",\"text\":\"A short text.\"}\n", f);
    fclose(f);
    memset(&o, 0, sizeof o);
    memset(&st, 0, sizeof st);
    memset(&err, 0, sizeof err);
    o.brokers = td_stream_mock_brokers(mock);
    o.out_topic = "big";
    CHECK(td_stream_mock_topic(mock, "big", 1, NULL) == TD_OK);
    CHECK(td_stream_produce(&o, path, &st, NULL, NULL, &err) == TD_OK);
    CHECK(st.rejected == 1);
    CHECK(st.records == 1);
    CHECK(st.next_seq == 2);
}

int main(void)
{
    td_error err;
    snprintf(tmp, sizeof tmp, "/tmp/tidings_stream_XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    memset(&err, 0, sizeof err);
    if (td_stream_mock_new(1, &mock, &err) != TD_OK) {
        fprintf(stderr, "mock cluster: %s\n", err.msg);
        return 1;
    }
    RUN(two_workers_same_as_ingest);
    RUN(dead_worker_and_restart_lose_nothing);
    RUN(oversized_record_is_rejected);
    td_stream_mock_free(mock);
    {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmp);
    }
    return check_report();
}
