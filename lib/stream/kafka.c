/*
** kafka.c: the librdkafka handles the stream commands share (configuration,
** consumer, producer with delivery accounting), `tidings produce` (a corpus
** into the raw topic, one JSON Lines record per message keyed by its seq)
** and the in-process mock cluster for tests and benchmarks.
** docs/internals/scale-out.md.
*/
#include "stream.h"
#include "ingest/ingest.h"

#include <cjson/cJSON.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a flush waits for deliveries before it gives up. */
#define FLUSH_TIMEOUT_MS 60000

int64_t td__kafka_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

td_status td__kafka_set(rd_kafka_conf_t *conf, const char *name,
                        const char *value, td_error *err)
{
    char why[256];
    if (rd_kafka_conf_set(conf, name, value, why, sizeof why) != RD_KAFKA_CONF_OK)
        return td__error_set(err, TD_EINVAL, "", 0, "kafka: %s=%s: %s", name,
                             value, why);
    return TD_OK;
}

rd_kafka_conf_t *td__kafka_conf(const char *brokers, td_error *err)
{
    rd_kafka_conf_t *conf;
    if (!brokers || !*brokers) {
        td__error_set(err, TD_EINVAL, "", 0, "kafka: no brokers given");
        return NULL;
    }
    if ((conf = rd_kafka_conf_new()) == NULL) {
        td__error_set(err, TD_ENOMEM, "", 0, "out of memory");
        return NULL;
    }
    if (td__kafka_set(conf, "bootstrap.servers", brokers, err) != TD_OK ||
        td__kafka_set(conf, "client.id", "tidings", err) != TD_OK ||
        /* Closed idle connections are routine, not worth a log line. */
        td__kafka_set(conf, "log.connection.close", "false", err) != TD_OK ||
        /* TIDINGS_KAFKA_DEBUG=cgrp,fetch... turns on librdkafka's own
        ** debug contexts, for operators chasing a stuck group. */
        (getenv("TIDINGS_KAFKA_DEBUG") &&
         td__kafka_set(conf, "debug", getenv("TIDINGS_KAFKA_DEBUG"), err) !=
             TD_OK)) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    return conf;
}

/* A consumer in group (its offsets committed by hand, after the work is
** safe elsewhere), read through rd_kafka_consumer_poll; NULL with err
** filled. conf is consumed either way. */
static rd_kafka_t *new_consumer(rd_kafka_conf_t *conf, const char *group,
                                td_error *err)
{
    rd_kafka_t *rk;
    char why[512];
    if (td__kafka_set(conf, "group.id", group, err) != TD_OK ||
        td__kafka_set(conf, "enable.auto.commit", "false", err) != TD_OK ||
        td__kafka_set(conf, "auto.offset.reset", "earliest", err) != TD_OK ||
        /* An idle partition must not hold back a fetch for long: the
        ** clusterer waits on the slowest partition's next seq. */
        td__kafka_set(conf, "fetch.wait.max.ms", "100", err) != TD_OK) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    if ((rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof why)) == NULL) {
        rd_kafka_conf_destroy(conf);
        td__error_set(err, TD_EINVAL, "", 0, "kafka consumer: %s", why);
        return NULL;
    }
    rd_kafka_poll_set_consumer(rk);
    return rk;
}

rd_kafka_t *td__kafka_consumer(rd_kafka_conf_t *conf, const char *group,
                               const char *topic, int session_timeout_ms,
                               td_error *err)
{
    rd_kafka_topic_partition_list_t *topics;
    rd_kafka_resp_err_t e;
    rd_kafka_t *rk;
    char session[16], heartbeat[16];
    if (session_timeout_ms <= 0)
        session_timeout_ms = 10000;
    snprintf(session, sizeof session, "%d", session_timeout_ms);
    snprintf(heartbeat, sizeof heartbeat, "%d",
             session_timeout_ms / 4 > 0 ? session_timeout_ms / 4 : 1);
    if (td__kafka_set(conf, "session.timeout.ms", session, err) != TD_OK ||
        td__kafka_set(conf, "heartbeat.interval.ms", heartbeat, err) != TD_OK) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    if ((rk = new_consumer(conf, group, err)) == NULL)
        return NULL;
    topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
    e = rd_kafka_subscribe(rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
        td__error_set(err, TD_EIO, "", 0, "kafka: subscribe to %s: %s", topic,
                      rd_kafka_err2str(e));
        rd_kafka_destroy(rk);
        return NULL;
    }
    return rk;
}

rd_kafka_t *td__kafka_reader(rd_kafka_conf_t *conf, const char *group,
                             const char *topic, td_error *err)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_partition_list_t *parts;
    rd_kafka_topic_t *rkt;
    rd_kafka_resp_err_t e;
    rd_kafka_t *rk;
    int i, n = 0;
    if ((rk = new_consumer(conf, group, err)) == NULL)
        return NULL;
    rkt = rd_kafka_topic_new(rk, topic, NULL);
    e = rkt ? rd_kafka_metadata(rk, 0, rkt, &md, 10000)
            : RD_KAFKA_RESP_ERR__INVALID_ARG;
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1 &&
        md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
        n = md->topics[0].partition_cnt;
    if (n == 0) {
        td__error_set(err, TD_EIO, "", 0, "kafka: topic %s: %s", topic,
                      e ? rd_kafka_err2str(e)
                        : md->topic_cnt == 1 && md->topics[0].err
                              ? rd_kafka_err2str(md->topics[0].err)
                              : "no partitions");
        if (md)
            rd_kafka_metadata_destroy(md);
        if (rkt)
            rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
        return NULL;
    }
    parts = rd_kafka_topic_partition_list_new(n);
    for (i = 0; i < n; i++)
        /* INVALID: from the committed offset, else from the start. */
        rd_kafka_topic_partition_list_add(parts, topic,
                                          md->topics[0].partitions[i].id)
            ->offset = RD_KAFKA_OFFSET_INVALID;
    rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(rkt);
    e = rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
        td__error_set(err, TD_EIO, "", 0, "kafka: assign %s: %s", topic,
                      rd_kafka_err2str(e));
        rd_kafka_destroy(rk);
        return NULL;
    }
    return rk;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *ud)
{
    (void)rk;
    if (m->err && ud)
        (*(uint64_t *)ud)++;
}

rd_kafka_t *td__kafka_producer(rd_kafka_conf_t *conf, uint64_t *failed,
                               td_error *err)
{
    rd_kafka_t *rk;
    char why[512];
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_conf_set_opaque(conf, failed);
    /* A little batching; the stream is throughput-bound, not latency-bound.
    ** Messages are at most TD_STREAM_MSG_MAX bytes of value; the client's
    ** cap leaves room for the key and the framing (brokers: 1 MiB too). */
    if (td__kafka_set(conf, "linger.ms", "5", err) != TD_OK ||
        td__kafka_set(conf, "message.max.bytes", "1048576", err) != TD_OK) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof why)) == NULL) {
        rd_kafka_conf_destroy(conf);
        td__error_set(err, TD_EINVAL, "", 0, "kafka producer: %s", why);
    }
    return rk;
}

td_status td__kafka_send(rd_kafka_t *rk, const char *topic, uint64_t seq,
                         const void *value, size_t len, td_error *err)
{
    unsigned char key[8];
    rd_kafka_resp_err_t e;
    td__wire_key(seq, key);
    for (;;) {
        e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
                              RD_KAFKA_V_KEY(key, sizeof key),
                              RD_KAFKA_V_VALUE((void *)value, len),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                              RD_KAFKA_V_END);
        if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL)
            break;
        rd_kafka_poll(rk, 50);   /* deliveries make room */
    }
    rd_kafka_poll(rk, 0);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return td__error_set(err, TD_EIO, "", 0, "kafka: send seq %llu to %s: %s",
                             (unsigned long long)seq, topic,
                             rd_kafka_err2str(e));
    return TD_OK;
}

td_status td__kafka_flush(rd_kafka_t *rk, const uint64_t *failed,
                          td_error *err)
{
    rd_kafka_resp_err_t e = rd_kafka_flush(rk, FLUSH_TIMEOUT_MS);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return td__error_set(err, TD_EIO, "", 0,
                             "kafka: %d messages not delivered: %s",
                             rd_kafka_outq_len(rk), rd_kafka_err2str(e));
    if (*failed)
        return td__error_set(err, TD_EIO, "", 0,
                             "kafka: %llu messages failed to deliver",
                             (unsigned long long)*failed);
    return TD_OK;
}

/* Producing a corpus -------------------------------------------------------- */

typedef struct produce_ctx {
    rd_kafka_t *rk;
    const td_stream_opts *o;
    td_stream_stats *stats;
    td_reject_fn on_reject;
    void *ud;
    uint64_t seq;
    uint64_t failed;     /* deliveries that failed */
    td_error err;        /* why sending stopped */
} produce_ctx;

/* The article as a JSON Lines record, as `tidings ingest` reads it back:
** new (free()), NULL on out of memory. */
static char *record_json(const td_article *a)
{
    cJSON *o = cJSON_CreateObject();
    char *s = NULL;
    int ok = o != NULL;
    if (ok && a->id)
        ok = cJSON_AddStringToObject(o, "id", a->id) != NULL;
    if (ok && a->url)
        ok = cJSON_AddStringToObject(o, "url", a->url) != NULL;
    if (ok && a->source)
        ok = cJSON_AddStringToObject(o, "source", a->source) != NULL;
    if (ok && a->date != TD_NO_DATE)
        ok = cJSON_AddNumberToObject(o, "date", (double)a->date) != NULL;
    if (ok && a->lang_hint)
        ok = cJSON_AddStringToObject(o, "lang", a->lang_hint) != NULL;
    if (ok && a->title)
        ok = cJSON_AddStringToObject(o, "title", a->title) != NULL;
    if (ok && a->text)
        ok = cJSON_AddStringToObject(o, "text", a->text) != NULL;
    if (ok && a->html)
        ok = cJSON_AddStringToObject(o, "html", a->html) != NULL;
    if (ok)
        s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static void produce_reject(void *ud, const td_error *e)
{
    produce_ctx *ctx = ud;
    ctx->stats->rejected++;
    if (ctx->on_reject)
        ctx->on_reject(ctx->ud, e);
}

static td_status produce_one(void *ud, td_article *art)
{
    produce_ctx *ctx = ud;
    char *json = record_json(art);
    size_t len;
    td_status rc;
    if (!json)
        return td__error_set(&ctx->err, TD_ENOMEM, art->where, 0,
                             "out of memory");
    len = strlen(json);
    if (len > TD_STREAM_MSG_MAX) {
        td_error e;
        free(json);
        memset(&e, 0, sizeof e);
        td__error_set(&e, TD_ETOOBIG, art->where, 0, "record over %u bytes "
                      "as a Kafka message (TD_STREAM_MSG_MAX)",
                      (unsigned)TD_STREAM_MSG_MAX);
        produce_reject(ctx, &e);
        return TD_OK;
    }
    rc = td__kafka_send(ctx->rk, ctx->o->out_topic, ctx->seq, json, len,
                        &ctx->err);
    free(json);
    if (rc != TD_OK)
        return rc;
    ctx->seq++;
    ctx->stats->records++;
    ctx->stats->bytes += len;
    return TD_OK;
}

td_status td_stream_produce(const td_stream_opts *o, const char *path,
                            td_stream_stats *stats, td_reject_fn on_reject,
                            void *ud, td_error *err)
{
    produce_ctx ctx;
    rd_kafka_conf_t *conf = td__kafka_conf(o->brokers, err);
    td_status rc;
    if (!conf)
        return err ? err->code : TD_EINVAL;
    if (!o->out_topic) {
        rd_kafka_conf_destroy(conf);
        return td__error_set(err, TD_EINVAL, "", 0, "kafka: no topic given");
    }
    memset(&ctx, 0, sizeof ctx);
    ctx.o = o;
    ctx.stats = stats;
    ctx.on_reject = on_reject;
    ctx.ud = ud;
    ctx.seq = stats->next_seq ? stats->next_seq
                              : (o->first_seq ? o->first_seq : 1);
    if ((ctx.rk = td__kafka_producer(conf, &ctx.failed, err)) == NULL)
        return err ? err->code : TD_EINVAL;
    rc = td__ingest_path(path, produce_one, produce_reject, &ctx, NULL, err);
    if (rc != TD_OK && ctx.err.code != TD_OK && err)
        *err = ctx.err;
    if (rc == TD_OK)
        rc = td__kafka_flush(ctx.rk, &ctx.failed, err);
    stats->next_seq = ctx.seq;
    rd_kafka_destroy(ctx.rk);
    return rc;
}

/* The mock cluster -------------------------------------------------------- */

struct td_stream_mock {
    rd_kafka_t *rk;      /* the handle the mock cluster lives in */
    rd_kafka_mock_cluster_t *cluster;
};

td_status td_stream_mock_new(int n_brokers, td_stream_mock **out,
                             td_error *err)
{
    td_stream_mock *m;
    rd_kafka_conf_t *conf;
    char why[512], num[16];
    *out = NULL;
    if (n_brokers < 1 || n_brokers > 16)
        return td__error_set(err, TD_EINVAL, "", 0,
                             "mock cluster: 1 to 16 brokers, not %d", n_brokers);
    if ((m = calloc(1, sizeof *m)) == NULL ||
        (conf = rd_kafka_conf_new()) == NULL) {
        free(m);
        return td__error_set(err, TD_ENOMEM, "", 0, "out of memory");
    }
    snprintf(num, sizeof num, "%d", n_brokers);
    /* The handle's own mock cluster (test.mock.num.brokers) is the one
    ** librdkafka documents for tests; the handle is never used otherwise. */
    if (td__kafka_set(conf, "log.connection.close", "false", err) != TD_OK ||
        td__kafka_set(conf, "test.mock.num.brokers", num, err) != TD_OK ||
        /* Its notice that bootstrap.servers is replaced is expected. */
        td__kafka_set(conf, "log_level", "4", err) != TD_OK ||
        (getenv("TIDINGS_KAFKA_DEBUG") &&
         (td__kafka_set(conf, "log_level", "7", err) != TD_OK ||
          td__kafka_set(conf, "debug", getenv("TIDINGS_KAFKA_DEBUG"), err) !=
              TD_OK))) {
        rd_kafka_conf_destroy(conf);
        free(m);
        return TD_EINVAL;
    }
    if ((m->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof why)) == NULL) {
        rd_kafka_conf_destroy(conf);
        free(m);
        return td__error_set(err, TD_EINVAL, "", 0, "mock cluster: %s", why);
    }
    if ((m->cluster = rd_kafka_handle_mock_cluster(m->rk)) == NULL) {
        td_stream_mock_free(m);
        return td__error_set(err, TD_EIO, "", 0,
                             "mock cluster: cannot start %d brokers", n_brokers);
    }
    *out = m;
    return TD_OK;
}

td_status td_stream_mock_topic(td_stream_mock *m, const char *topic,
                               int partitions, td_error *err)
{
    rd_kafka_resp_err_t e;
    if (partitions < 1 || partitions > 1024)
        return td__error_set(err, TD_EINVAL, "", 0,
                             "mock cluster: 1 to 1024 partitions, not %d",
                             partitions);
    e = rd_kafka_mock_topic_create(m->cluster, topic, partitions, 1);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
        return td__error_set(err, TD_EIO, "", 0, "mock cluster: topic %s: %s",
                             topic, rd_kafka_err2str(e));
    return TD_OK;
}

const char *td_stream_mock_brokers(const td_stream_mock *m)
{
    return rd_kafka_mock_cluster_bootstraps(m->cluster);
}

void td_stream_mock_free(td_stream_mock *m)
{
    if (!m)
        return;
    /* The handle owns its mock cluster and stops it. */
    rd_kafka_destroy(m->rk);
    free(m);
}

int td__kafka_assigned(rd_kafka_t *rk)
{
    rd_kafka_topic_partition_list_t *parts = NULL;
    int n = 0;
    if (rd_kafka_assignment(rk, &parts) == RD_KAFKA_RESP_ERR_NO_ERROR && parts)
        n = parts->cnt;
    if (parts)
        rd_kafka_topic_partition_list_destroy(parts);
    return n > 0;
}
