/*
** stream.h: the Kafka side of scale-out (docs/internals/scale-out.md): the
** wire codec of analyzed articles (codec.c) and the glue that runs the
** producer, the workers and the clusterer over librdkafka (kafka.c,
** worker.c, cluster.c). The stages themselves are wired in pipeline.c.
*/
#ifndef TD_STREAM_H
#define TD_STREAM_H

#include "../prepared.h"
#include "util/util.h"

/* Out-of-order analyzed messages the clusterer holds at most. */
#define TD_STREAM_REORDER_MAX 200000
/* Bytes of one message at most, raw or analyzed: Kafka's default
** message.max.bytes (1 MB, broker and client). A record whose message would
** be larger is rejected (TD_ETOOBIG) rather than sent: it would otherwise
** fail at the broker and stop its worker on every retry. An analyzed
** article is about 3.4 times its text, so texts past about 290 KB are
** refused here although `tidings ingest` takes up to TD_MAX_FIELD; raise
** both this and the brokers' message.max.bytes to carry them. */
#define TD_STREAM_MSG_MAX 1000000u

/* Wire kinds. */
#define TD_WIRE_ARTICLE 1
#define TD_WIRE_REJECT  2

/* Appends the message for p (an article, or its rejection when p->reject
** is not TD_OK) to out. TD_ETOOBIG past out's cap, TD_ENOMEM. */
td_status td__wire_encode(const td_prepared *p, td_buf *out);

/* Decodes data[0..len) (untrusted) into *out (new; td_prepared_free()).
** TD_EPARSE (err says what and err->offset where), TD_ENOMEM. */
td_status td__wire_decode(const void *data, size_t len, td_prepared **out,
                          td_error *err);

/* Message keys: the seq, 8 bytes big-endian. */
void td__wire_key(uint64_t seq, unsigned char key[8]);
/* 0 when key is not 8 bytes or is seq 0. */
uint64_t td__wire_key_seq(const void *key, size_t len);

#endif

/* Kafka glue shared by the producer, the worker and the clusterer -------- */
#include <librdkafka/rdkafka.h>

/* A configuration with bootstrap.servers = brokers and the settings every
** handle shares; NULL with err filled on failure. */
rd_kafka_conf_t *td__kafka_conf(const char *brokers, td_error *err);
/* Sets one property; TD_EINVAL with err filled when librdkafka refuses. */
td_status td__kafka_set(rd_kafka_conf_t *conf, const char *name,
                        const char *value, td_error *err);
/* A consumer in group subscribed to topic, or NULL with err filled (conf is
** consumed either way). */
rd_kafka_t *td__kafka_consumer(rd_kafka_conf_t *conf, const char *group,
                               const char *topic, int session_timeout_ms,
                               td_error *err);
/* A consumer reading every partition of topic, by assignment rather than
** group membership (the clusterer must see them all, and needs no group
** to form), committing its offsets under group; NULL with err filled (conf
** is consumed either way). */
rd_kafka_t *td__kafka_reader(rd_kafka_conf_t *conf, const char *group,
                             const char *topic, td_error *err);
/* A producer that counts failed deliveries in *failed, or NULL with err
** filled (conf is consumed either way). */
rd_kafka_t *td__kafka_producer(rd_kafka_conf_t *conf, uint64_t *failed,
                               td_error *err);
/* Sends value to topic with the seq key, waiting while the queue is full.
** TD_EIO with err filled on failure. */
td_status td__kafka_send(rd_kafka_t *rk, const char *topic, uint64_t seq,
                         const void *value, size_t len, td_error *err);
/* Waits until everything sent is delivered; TD_EIO when a delivery failed
** (failed counts them) or the wait timed out. */
td_status td__kafka_flush(rd_kafka_t *rk, const uint64_t *failed,
                          td_error *err);
/* Monotonic milliseconds. */
int64_t td__kafka_now_ms(void);
/* 1 when the consumer has partitions assigned. Idle time is counted only
** then: forming a group takes seconds (3 s with the mock cluster). */
int td__kafka_assigned(rd_kafka_t *rk);
