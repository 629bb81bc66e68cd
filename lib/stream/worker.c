/*
** worker.c: `tidings worker`: a member of a consumer group on the raw
** topic. For each record it runs the stateless stages (td_prepare_record)
** and sends the analyzed article, or its rejection, to the analyzed topic
** under the record's seq. A batch's offsets are committed only once all of
** its messages are delivered, so a worker that dies makes the next owner of
** its partitions redo the uncommitted records: the analyzed topic may hold
** a seq twice (the clusterer keeps one), never misses one.
** docs/internals/scale-out.md, "Offsets, crashes, replays".
*/
#include "stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Records per batch: one delivery wait and one offset commit each. */
#define BATCH 256
/* How long one poll waits when nothing is pending. */
#define POLL_MS 100

typedef struct worker {
    const td_stream_opts *o;
    td_stream_stats *stats;
    rd_kafka_t *in, *out;
    td_preparer *prep;
    uint64_t failed;     /* deliveries that failed */
    td_buf msg;
} worker;

/* Prepares one raw record and sends the result. Only a failure to send is
** an error: a bad record is sent as a rejection. */
static td_status handle(worker *w, const rd_kafka_message_t *m, td_error *err)
{
    uint64_t seq = td__wire_key_seq(m->key, m->key_len);
    td_prepared *p = NULL, rejected;
    td_error e;
    char where[64];
    td_status rc;
    if (seq == 0) {
        /* Without a seq the record has no place in the order, so it
        ** cannot be sent on: the producer broke the contract. */
        if (!w->o->quiet)
            fprintf(stderr, "tidings worker: %s [%d] offset %lld: no 8-byte "
                    "seq key; skipped\n", rd_kafka_topic_name(m->rkt),
                    (int)m->partition, (long long)m->offset);
        w->stats->rejected++;
        return TD_OK;
    }
    snprintf(where, sizeof where, "seq %llu", (unsigned long long)seq);
    memset(&e, 0, sizeof e);
    rc = td_prepare_record(w->prep, m->payload, m->len, where, &p, &e);
    if (rc == TD_ENOMEM)
        return td__error_set(err, rc, where, 0, "out of memory");
    if (rc != TD_OK) {
        memset(&rejected, 0, sizeof rejected);
        rejected.reject = rc;
        rejected.err = e;
        p = &rejected;
        w->stats->rejected++;
    }
    p->seq = seq;
    td__buf_reset(&w->msg);
    rc = td__wire_encode(p, &w->msg);
    if (p != &rejected)
        td_prepared_free(p);
    if (rc == TD_ETOOBIG) {
        /* Too big for a Kafka message: its rejection goes in its place. */
        memset(&rejected, 0, sizeof rejected);
        rejected.seq = seq;
        rejected.reject = TD_ETOOBIG;
        td__error_set(&rejected.err, TD_ETOOBIG, where, 0, "analyzed article "
                      "over %u bytes (TD_STREAM_MSG_MAX)",
                      (unsigned)TD_STREAM_MSG_MAX);
        w->stats->rejected++;
        td__buf_reset(&w->msg);
        rc = td__wire_encode(&rejected, &w->msg);
    }
    if (rc != TD_OK)
        return td__error_set(err, rc, where, 0, "encode: %s", td_strerror(rc));
    w->stats->records++;
    w->stats->bytes += w->msg.len;
    w->stats->last_ms = td__kafka_now_ms();
    if (!w->stats->first_ms)
        w->stats->first_ms = w->stats->last_ms;
    return td__kafka_send(w->out, w->o->out_topic, seq, w->msg.data,
                          w->msg.len, err);
}

static int stopped(const td_stream_opts *o)
{
    return o->stop && *o->stop;
}

static td_status run(worker *w, td_error *err)
{
    const td_stream_opts *o = w->o;
    int64_t last = td__kafka_now_ms();
    uint64_t done = 0;
    int assigned = 0;
    td_status rc;
    rd_kafka_resp_err_t e;
    while (!stopped(o)) {
        size_t n = 0;
        rd_kafka_message_t *m;
        while (n < BATCH && (m = rd_kafka_consumer_poll(w->in, n ? 0 : POLL_MS))) {
            if (m->err) {
                if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF && !o->quiet)
                    fprintf(stderr, "tidings worker: %s\n",
                            rd_kafka_message_errstr(m));
                rd_kafka_message_destroy(m);
                continue;
            }
            rc = handle(w, m, err);
            rd_kafka_message_destroy(m);
            if (rc != TD_OK)
                return rc;
            n++;
            if (o->crash_after && ++done >= o->crash_after) {
                /* The test of a worker dying: what it sent may arrive, its
                ** offsets are never committed. */
                rd_kafka_flush(w->out, 5000);
                return TD_OK;
            }
        }
        if (n == 0) {
            if (!o->idle_exit_ms)
                continue;
            /* Until the group first gives it partitions; a rebalance
            ** later (another worker leaving) does not restart the count. */
            if (!assigned && !(assigned = td__kafka_assigned(w->in)))
                last = td__kafka_now_ms();
            else if (td__kafka_now_ms() - last >= o->idle_exit_ms)
                break;
            continue;
        }
        last = td__kafka_now_ms();
        if ((rc = td__kafka_flush(w->out, &w->failed, err)) != TD_OK)
            return rc;
        e = rd_kafka_commit(w->in, NULL, 0);
        if (e != RD_KAFKA_RESP_ERR_NO_ERROR &&
            e != RD_KAFKA_RESP_ERR__NO_OFFSET && !o->quiet)
            /* Not fatal: the records are delivered; a later commit covers
            ** them, or a replay repeats them harmlessly. */
            fprintf(stderr, "tidings worker: commit: %s\n", rd_kafka_err2str(e));
    }
    return TD_OK;
}

td_status td_stream_worker(const td_stream_opts *o, td_stream_stats *stats,
                           td_error *err)
{
    worker w;
    rd_kafka_conf_t *cin, *cout;
    td_status rc;
    if (!o->in_topic || !o->out_topic)
        return td__error_set(err, TD_EINVAL, "", 0,
                             "worker: --in and --out topics are required");
    memset(&w, 0, sizeof w);
    w.o = o;
    w.stats = stats;
    td__buf_init(&w.msg, TD_STREAM_MSG_MAX);
    if ((rc = td_preparer_new(&w.prep, err)) != TD_OK)
        goto done;
    rc = TD_EINVAL;
    if ((cin = td__kafka_conf(o->brokers, err)) == NULL)
        goto done;
    if ((w.in = td__kafka_consumer(cin, o->group ? o->group : "tidings-worker",
                                   o->in_topic, o->session_timeout_ms,
                                   err)) == NULL)
        goto done;
    if ((cout = td__kafka_conf(o->brokers, err)) == NULL)
        goto done;
    if ((w.out = td__kafka_producer(cout, &w.failed, err)) == NULL)
        goto done;
    rc = run(&w, err);
done:
    if (w.in) {
        /* Leaves the group so that its partitions move on at once. */
        rd_kafka_consumer_close(w.in);
        rd_kafka_destroy(w.in);
    }
    if (w.out) {
        rd_kafka_flush(w.out, 5000);
        rd_kafka_destroy(w.out);
    }
    td_preparer_free(w.prep);
    td__buf_free(&w.msg);
    return rc;
}
