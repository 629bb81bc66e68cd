/*
** cluster.c: `tidings cluster`: the one reader of the analyzed topic (all
** its partitions, assigned, not shared in a group). It
** owns the stateful stages through the engine (td_engine_add_prepared) and
** must add articles in input order, so messages wait in a bounded reorder
** buffer (seq -> message) until their seq is next. After each store commit
** it commits, per partition, the offset of the earliest message not yet
** stored: a crash replays from there, and replayed seqs below the store's
** next seq are skipped. docs/internals/scale-out.md, "Order" and "Offsets".
*/
#include "stream.h"
#include "pipeline.h"
#include "util/map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Articles applied between two commits (store, then offsets). */
#define COMMIT_EVERY 1000
#define POLL_MS 100

/* A message waiting in the reorder buffer. */
typedef struct pending {
    td_prepared *p;
    int32_t partition;
    int64_t offset;
} pending;

typedef struct clusterer {
    td_engine *eng;
    const td_stream_opts *o;
    td_stream_stats *stats;
    td_reject_fn on_reject;
    void *ud;
    rd_kafka_t *rk;
    td_map buffer;       /* seq -> pending* */
    size_t n_buffered;
    td_map consumed;     /* partition -> offset after the last one read */
    uint64_t next;       /* the next seq to apply */
    uint64_t applied;    /* since the last commit */
} clusterer;

static void report(clusterer *c, const td_error *e)
{
    if (c->on_reject)
        c->on_reject(c->ud, e);
}

/* Puts a message in the buffer, or drops it when it is a replay. */
static td_status hold(clusterer *c, const rd_kafka_message_t *m, td_error *err)
{
    uint64_t seq = td__wire_key_seq(m->key, m->key_len);
    uint64_t *slot;
    pending *pd;
    td_prepared *p = NULL;
    td_error e;
    int added;
    if (seq == 0) {
        memset(&e, 0, sizeof e);
        td__error_set(&e, TD_EPARSE, "", 0, "%s [%d] offset %lld: no 8-byte "
                      "seq key; skipped", rd_kafka_topic_name(m->rkt),
                      (int)m->partition, (long long)m->offset);
        c->stats->rejected++;
        report(c, &e);
        return TD_OK;
    }
    if (seq < c->next || td__map_get(&c->buffer, seq)) {
        c->stats->replayed++;
        return TD_OK;
    }
    if (c->n_buffered >= TD_STREAM_REORDER_MAX)
        return td__error_set(err, TD_ETOOBIG, "", 0,
                             "reorder buffer full (%u messages): seq %llu "
                             "never came", (unsigned)TD_STREAM_REORDER_MAX,
                             (unsigned long long)c->next);
    memset(&e, 0, sizeof e);
    if (td__wire_decode(m->payload, m->len, &p, &e) == TD_OK && p->seq != seq) {
        td__error_set(&e, TD_EPARSE, "", 0, "analyzed message: seq %llu "
                      "under key %llu", (unsigned long long)p->seq,
                      (unsigned long long)seq);
        td_prepared_free(p);
        p = NULL;
    }
    if (!p) {
        /* An undecodable message is the record's rejection, in its place. */
        if (e.code == TD_ENOMEM || (p = td__prepared_new()) == NULL)
            return td__error_set(err, TD_ENOMEM, "", 0, "out of memory");
        p->seq = seq;
        p->reject = e.code ? e.code : TD_EPARSE;
        p->err = e;
        snprintf(p->err.where, sizeof p->err.where, "seq %llu",
                 (unsigned long long)seq);
    }
    pd = malloc(sizeof *pd);
    slot = pd ? td__map_put(&c->buffer, seq, &added) : NULL;
    if (!slot) {
        free(pd);
        td_prepared_free(p);
        return td__error_set(err, TD_ENOMEM, "", 0, "out of memory");
    }
    pd->p = p;
    pd->partition = m->partition;
    pd->offset = m->offset;
    *slot = (uint64_t)(uintptr_t)pd;
    c->n_buffered++;
    return TD_OK;
}

/* Adds the buffered messages that are next in order. */
static td_status drain(clusterer *c, td_error *err)
{
    uint64_t *slot;
    while ((!c->o->until_seq || c->next <= c->o->until_seq) &&
           (slot = td__map_get(&c->buffer, c->next)) != NULL) {
        pending *pd = (pending *)(uintptr_t)*slot;
        td_error e;
        td_status rc;
        td__map_del(&c->buffer, c->next);
        c->n_buffered--;
        memset(&e, 0, sizeof e);
        /* Done before the add: the engine may commit inside it, and the
        ** stored next seq must then cover this article. */
        td__engine_seq_done(c->eng, c->next);
        rc = td_engine_add_prepared(c->eng, pd->p, NULL, &e);
        td_prepared_free(pd->p);
        free(pd);
        c->next++;
        c->applied++;
        c->stats->last_ms = td__kafka_now_ms();
        if (!c->stats->first_ms)
            c->stats->first_ms = c->stats->last_ms;
        if (rc == TD_OK) {
            c->stats->added++;
        } else if (rc == TD_EDUPID) {
            c->stats->duplicates++;
            report(c, &e);
        } else if (rc == TD_ENOMEM || rc == TD_ESTORE || rc == TD_EIO) {
            /* The engine failed: stop before offsets pass this article. */
            if (err)
                *err = e;
            return rc;
        } else {
            c->stats->rejected++;
            report(c, &e);
        }
    }
    return TD_OK;
}

/* Commits the store, then per partition the earliest offset not stored. */
static td_status commit(clusterer *c, td_error *err)
{
    rd_kafka_topic_partition_list_t *list;
    td_map low;          /* partition -> earliest offset still buffered */
    size_t i = 0;
    uint64_t key, val;
    rd_kafka_resp_err_t e;
    td_status rc = td_engine_commit(c->eng, err);
    if (rc != TD_OK)
        return rc;
    c->applied = 0;
    if (c->consumed.n == 0)
        return TD_OK;
    /* Buffered messages are not stored yet: they hold the commit back. */
    td__map_init(&low);
    while (td__map_next(&c->buffer, &i, &key, &val)) {
        const pending *pd = (const pending *)(uintptr_t)val;
        int added;
        uint64_t *slot = td__map_put(&low, (uint64_t)pd->partition, &added);
        if (!slot) {
            td__map_free(&low);
            return td__error_set(err, TD_ENOMEM, "", 0, "out of memory");
        }
        if (added || (uint64_t)pd->offset < *slot)
            *slot = (uint64_t)pd->offset;
    }
    list = rd_kafka_topic_partition_list_new((int)c->consumed.n);
    i = 0;
    while (td__map_next(&c->consumed, &i, &key, &val)) {
        const uint64_t *held = td__map_get(&low, key);
        int64_t off = (int64_t)(held && *held < val ? *held : val);
        rd_kafka_topic_partition_list_add(list, c->o->in_topic,
                                          (int32_t)key)->offset = off;
    }
    td__map_free(&low);
    e = rd_kafka_commit(c->rk, list, 0);
    rd_kafka_topic_partition_list_destroy(list);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR && !c->o->quiet)
        /* Not fatal: the store holds the articles; a replay skips them. */
        fprintf(stderr, "tidings cluster: commit offsets: %s\n",
                rd_kafka_err2str(e));
    return TD_OK;
}

static int done(const clusterer *c)
{
    if (c->o->stop && *c->o->stop)
        return 1;
    return c->o->until_seq && c->next > c->o->until_seq;
}

static td_status run(clusterer *c, td_error *err)
{
    int64_t last = td__kafka_now_ms();
    td_status rc;
    while (!done(c)) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(c->rk, POLL_MS);
        if (!m) {
            if (c->applied && (rc = commit(c, err)) != TD_OK)
                return rc;
            if (!c->o->idle_exit_ms)
                continue;
            if (!td__kafka_assigned(c->rk))
                last = td__kafka_now_ms();
            else if (td__kafka_now_ms() - last >= c->o->idle_exit_ms)
                break;
            continue;
        }
        if (m->err) {
            if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF && !c->o->quiet)
                fprintf(stderr, "tidings cluster: %s\n",
                        rd_kafka_message_errstr(m));
            rd_kafka_message_destroy(m);
            continue;
        }
        last = td__kafka_now_ms();
        c->stats->records++;
        {
            int added;
            uint64_t *slot = td__map_put(&c->consumed, (uint64_t)m->partition,
                                         &added);
            if (!slot) {
                rd_kafka_message_destroy(m);
                return td__error_set(err, TD_ENOMEM, "", 0, "out of memory");
            }
            *slot = (uint64_t)(m->offset + 1);
        }
        rc = hold(c, m, err);
        rd_kafka_message_destroy(m);
        if (rc == TD_OK)
            rc = drain(c, err);
        if (rc != TD_OK)
            return rc;
        if (c->applied >= COMMIT_EVERY && (rc = commit(c, err)) != TD_OK)
            return rc;
    }
    return commit(c, err);
}

static void free_buffer(clusterer *c)
{
    size_t i = 0;
    uint64_t key, val;
    while (td__map_next(&c->buffer, &i, &key, &val)) {
        pending *pd = (pending *)(uintptr_t)val;
        td_prepared_free(pd->p);
        free(pd);
    }
    td__map_free(&c->buffer);
    td__map_free(&c->consumed);
}

td_status td_stream_cluster(td_engine *eng, const td_stream_opts *o,
                            td_stream_stats *stats, td_reject_fn on_reject,
                            void *ud, td_error *err)
{
    clusterer c;
    rd_kafka_conf_t *conf;
    td_status rc;
    if (!o->in_topic)
        return td__error_set(err, TD_EINVAL, "", 0,
                             "cluster: --in topic is required");
    memset(&c, 0, sizeof c);
    c.eng = eng;
    c.o = o;
    c.stats = stats;
    c.on_reject = on_reject;
    c.ud = ud;
    c.next = td__engine_next_seq(eng);
    td__map_init(&c.buffer);
    td__map_init(&c.consumed);
    if ((conf = td__kafka_conf(o->brokers, err)) == NULL)
        return err ? err->code : TD_EINVAL;
    c.rk = td__kafka_reader(conf, o->group ? o->group : "tidings-cluster",
                            o->in_topic, err);
    if (!c.rk)
        return err ? err->code : TD_EINVAL;
    rc = run(&c, err);
    if (rc == TD_OK && c.n_buffered && !o->quiet)
        fprintf(stderr, "tidings cluster: %zu messages wait for seq %llu\n",
                c.n_buffered, (unsigned long long)c.next);
    stats->next_seq = c.next;
    stats->reanalysed = td__engine_reanalysed(eng);
    rd_kafka_consumer_close(c.rk);
    rd_kafka_destroy(c.rk);
    free_buffer(&c);
    return rc;
}
