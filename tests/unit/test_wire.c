/*
** test_wire.c: the wire codec of analyzed articles (lib/stream/codec.c):
** what a worker encodes the clusterer decodes field for field, and bytes
** that are not a valid message (truncated, flipped, lying lengths, broken
** invariants) are refused with TD_EPARSE, never read past.
*/
#include "check.h"
#include "stream/stream.h"

static const char RECORD[] =
    "{\"id\":\"w1\",\"url\":\"https://example.org/a\",\"source\":\"Example\","
    "\"date\":\"2024-03-05T10:00:00Z\",\"lang\":\"en\","
    "\"title\":\"Storm hits Bergen harbour\","
    "\"text\":\"A storm hit the harbour of Bergen on Tuesday. Harbour master "
    "Kari Nilsen said ships stayed in port.\\nThe storm is moving north.\"}";

static td_prepared *prepare(const char *record)
{
    td_preparer *p = NULL;
    td_prepared *out = NULL;
    td_error err;
    memset(&err, 0, sizeof err);
    if (td_preparer_new(&p, &err) == TD_OK)
        td_prepare_record(p, record, strlen(record), "test", &out, &err);
    td_preparer_free(p);
    return out;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

TEST(round_trip)
{
    td_prepared *p = prepare(RECORD), *q = NULL;
    td_buf b;
    td_error err;
    size_t i;
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK(p->an.n_terms > 5);
    CHECK(p->an.n_entities > 0);
    CHECK(p->sig.n_shingles > 0);
    p->seq = 42;
    td__buf_init(&b, TD_STREAM_MSG_MAX);
    CHECK(td__wire_encode(p, &b) == TD_OK);
    memset(&err, 0, sizeof err);
    CHECK(td__wire_decode(b.data, b.len, &q, &err) == TD_OK);
    if (q) {
        CHECK(q->seq == 42);
        CHECK(q->reject == TD_OK);
        CHECK_STR(q->art.id, "w1");
        CHECK(same_str(q->art.url, p->art.url));
        CHECK(same_str(q->art.source, p->art.source));
        CHECK(same_str(q->art.title, p->art.title));
        CHECK(same_str(q->art.text, p->art.text));
        CHECK(same_str(q->art.lang_hint, p->art.lang_hint));
        CHECK(q->art.html == NULL);
        CHECK(q->art.date == p->art.date);
        CHECK_STR(q->an.lang, p->an.lang);
        CHECK(q->an.n_tokens == p->an.n_tokens);
        CHECK(q->an.n_terms == p->an.n_terms);
        for (i = 0; i < p->an.n_terms && i < q->an.n_terms; i++) {
            CHECK(q->an.terms[i].key == p->an.terms[i].key);
            CHECK(same_str(q->an.terms[i].text, p->an.terms[i].text));
            CHECK(q->an.terms[i].count == p->an.terms[i].count);
            CHECK(q->an.terms[i].title_count == p->an.terms[i].title_count);
            CHECK(q->an.terms[i].first_pos == p->an.terms[i].first_pos);
            CHECK(q->an.terms[i].kind == p->an.terms[i].kind);
        }
        CHECK(q->an.n_entities == p->an.n_entities);
        for (i = 0; i < p->an.n_entities && i < q->an.n_entities; i++) {
            CHECK(q->an.entities[i].key == p->an.entities[i].key);
            CHECK(same_str(q->an.entities[i].norm, p->an.entities[i].norm));
            CHECK(same_str(q->an.entities[i].display,
                           p->an.entities[i].display));
            CHECK(q->an.entities[i].count == p->an.entities[i].count);
        }
        CHECK(memcmp(&q->sig, &p->sig, sizeof p->sig) == 0);
    }
    td_prepared_free(q);
    td_prepared_free(p);
    td__buf_free(&b);
}

TEST(rejection_round_trip)
{
    td_prepared r, *q = NULL;
    td_buf b;
    td_error err;
    memset(&r, 0, sizeof r);
    r.seq = 7;
    r.reject = TD_EMISSING;
    td__error_set(&r.err, TD_EMISSING, "seq 7", 0, "missing text");
    td__buf_init(&b, TD_STREAM_MSG_MAX);
    CHECK(td__wire_encode(&r, &b) == TD_OK);
    CHECK(td__wire_decode(b.data, b.len, &q, &err) == TD_OK);
    if (q) {
        CHECK(q->seq == 7);
        CHECK(q->reject == TD_EMISSING);
        CHECK_STR(q->err.where, "seq 7");
        CHECK_STR(q->err.msg, "missing text");
    }
    td_prepared_free(q);
    td__buf_free(&b);
}

TEST(rejected_records)
{
    td_preparer *p = NULL;
    td_prepared *out = NULL;
    td_error err;
    memset(&err, 0, sizeof err);
    CHECK(td_preparer_new(&p, &err) == TD_OK);
    CHECK(td_prepare_record(p, "{\"id\":1", 7, "x", &out, &err) == TD_EPARSE);
    CHECK(out == NULL);
    CHECK(td_prepare_record(p, "{\"id\":\"a\"}", 10, "x", &out, &err) ==
          TD_EMISSING);
    CHECK(out == NULL);
    td_preparer_free(p);
}

/* Decodes data and checks the outcome: TD_OK or TD_EPARSE, never more. */
static td_status decode(const void *data, size_t len)
{
    td_prepared *q = NULL;
    td_error err;
    td_status rc;
    memset(&err, 0, sizeof err);
    rc = td__wire_decode(data, len, &q, &err);
    CHECK(rc == TD_OK || rc == TD_EPARSE);
    CHECK((rc == TD_OK) == (q != NULL));
    if (rc == TD_EPARSE)
        CHECK(err.msg[0] != '\0');
    td_prepared_free(q);
    return rc;
}

/* Offset of the first term's text length: after magic, kind, seq, date, the
** seven strings, lang, n_tokens, n_terms and the first key. */
static size_t first_term_text(const td_buf *b)
{
    size_t pos = 4 + 1 + 8 + 8;
    int i;
    for (i = 0; i < 7; i++) {
        uint32_t len = (uint32_t)(unsigned char)b->data[pos] |
                       (uint32_t)(unsigned char)b->data[pos + 1] << 8 |
                       (uint32_t)(unsigned char)b->data[pos + 2] << 16 |
                       (uint32_t)(unsigned char)b->data[pos + 3] << 24;
        pos += 4 + (len == 0xFFFFFFFFu ? 0 : len);
    }
    return pos + 8 + 4 + 4 + 8;
}

TEST(corrupted_input)
{
    td_prepared *p = prepare(RECORD);
    td_buf b;
    char *copy;
    size_t i, t;
    unsigned seed = 12345;
    if (!p) {
        CHECK(p != NULL);
        return;
    }
    p->seq = 1;
    td__buf_init(&b, TD_STREAM_MSG_MAX);
    CHECK(td__wire_encode(p, &b) == TD_OK);
    copy = malloc(b.len + 1);
    if (!copy)
        return;
    /* Every truncation is refused (in a heap block of exactly that size,
    ** so that ASan sees any read past it). */
    for (i = 0; i < b.len; i++) {
        char *cut = malloc(i ? i : 1);
        if (!cut)
            break;
        memcpy(cut, b.data, i);
        CHECK(decode(cut, i) == TD_EPARSE);
        free(cut);
    }
    CHECK(decode(NULL, 0) == TD_EPARSE);
    /* Trailing bytes. */
    memcpy(copy, b.data, b.len);
    copy[b.len] = 0;
    CHECK(decode(copy, b.len + 1) == TD_EPARSE);
    /* Bad magic, unknown kind. */
    memcpy(copy, b.data, b.len);
    copy[0] = 'X';
    CHECK(decode(copy, b.len) == TD_EPARSE);
    memcpy(copy, b.data, b.len);
    copy[4] = 9;
    CHECK(decode(copy, b.len) == TD_EPARSE);
    /* A string length far past the end. */
    memcpy(copy, b.data, b.len);
    t = first_term_text(&b);
    copy[t + 3] = 0x70;
    CHECK(decode(copy, b.len) == TD_EPARSE);
    /* Invalid UTF-8 and a NUL inside the first term's text. */
    memcpy(copy, b.data, b.len);
    copy[t + 4] = (char)0xC0;
    CHECK(decode(copy, b.len) == TD_EPARSE);
    memcpy(copy, b.data, b.len);
    copy[t + 4] = '\0';
    CHECK(decode(copy, b.len) == TD_EPARSE);
    /* Terms out of order: the first key made the largest. */
    memcpy(copy, b.data, b.len);
    memset(copy + t - 8, 0xFF, 8);
    CHECK(decode(copy, b.len) == TD_EPARSE);
    /* A term count that the bytes cannot hold. */
    memcpy(copy, b.data, b.len);
    memset(copy + t - 12, 0xFF, 4);
    CHECK(decode(copy, b.len) == TD_EPARSE);
    /* Random byte flips: decoded or refused, never a crash. */
    for (i = 0; i < 3000; i++) {
        size_t k, n = 1 + i % 4;
        memcpy(copy, b.data, b.len);
        for (k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            copy[(seed >> 8) % b.len] ^= (char)(1u << ((seed >> 4) % 8));
        }
        decode(copy, b.len);
    }
    free(copy);
    td__buf_free(&b);
    td_prepared_free(p);
}

TEST(keys)
{
    unsigned char k[8];
    td__wire_key(0x0102030405060708ull, k);
    CHECK(k[0] == 1 && k[7] == 8);
    CHECK(td__wire_key_seq(k, 8) == 0x0102030405060708ull);
    CHECK(td__wire_key_seq(k, 7) == 0);
    CHECK(td__wire_key_seq(NULL, 8) == 0);
}

int main(void)
{
    RUN(round_trip);
    RUN(rejection_round_trip);
    RUN(rejected_records);
    RUN(corrupted_input);
    RUN(keys);
    return check_report();
}
