/*
** codec.c: the wire format of an analyzed article on the analyzed topic
** (docs/internals/scale-out.md, "Topics and the wire format"): a worker
** encodes what td_prepare_record made, the clusterer decodes it. Integers
** are little-endian; a string is a u32 length (0xFFFFFFFF for NULL) and its
** bytes. The decoder reads bytes from the network: every length is checked
** against what is left, strings must be UTF-8 without NUL, the analysis
** must keep its invariants (terms sorted by key and distinct), and nothing
** may follow the end.
*/
#include "stream.h"

#include <stdlib.h>
#include <string.h>

static const char MAGIC[4] = {'T', 'D', 'A', '2'};
#define NULL_LEN 0xFFFFFFFFu
/* Smallest encoded term and entity, to bound counts by the bytes left. */
#define TERM_MIN   (8 + 4 + 4 + 4 + 4 + 1)
#define ENTITY_MIN (8 + 4 + 4 + 4)

/* Encoding --------------------------------------------------------------- */

static td_status put_u32(td_buf *b, uint32_t v)
{
    unsigned char x[4];
    int i;
    for (i = 0; i < 4; i++)
        x[i] = (unsigned char)(v >> (8 * i));
    return td__buf_append(b, x, 4);
}

static td_status put_u64(td_buf *b, uint64_t v)
{
    unsigned char x[8];
    int i;
    for (i = 0; i < 8; i++)
        x[i] = (unsigned char)(v >> (8 * i));
    return td__buf_append(b, x, 8);
}

static td_status put_str(td_buf *b, const char *s)
{
    size_t len;
    td_status rc;
    if (!s)
        return put_u32(b, NULL_LEN);
    len = strlen(s);
    if (len > TD_MAX_FIELD)
        return TD_ETOOBIG;
    if ((rc = put_u32(b, (uint32_t)len)) != TD_OK)
        return rc;
    return td__buf_append(b, s, len);
}

static td_status put_analysis(td_buf *b, const td_analysis *an)
{
    size_t i;
    td_status rc = td__buf_append(b, an->lang, sizeof an->lang);
    if (rc == TD_OK)
        rc = put_u32(b, an->n_tokens);
    if (rc == TD_OK)
        rc = put_u32(b, (uint32_t)an->n_terms);
    for (i = 0; rc == TD_OK && i < an->n_terms; i++) {
        const td_term *t = &an->terms[i];
        unsigned char kind = t->kind;
        rc = put_u64(b, t->key);
        if (rc == TD_OK)
            rc = put_str(b, t->text);
        if (rc == TD_OK)
            rc = put_u32(b, t->count);
        if (rc == TD_OK)
            rc = put_u32(b, t->title_count);
        if (rc == TD_OK)
            rc = put_u32(b, t->first_pos);
        if (rc == TD_OK)
            rc = td__buf_append(b, &kind, 1);
    }
    if (rc == TD_OK)
        rc = put_u32(b, (uint32_t)an->n_entities);
    for (i = 0; rc == TD_OK && i < an->n_entities; i++) {
        const td_entity *e = &an->entities[i];
        rc = put_u64(b, e->key);
        if (rc == TD_OK)
            rc = put_str(b, e->norm);
        if (rc == TD_OK)
            rc = put_str(b, e->display);
        if (rc == TD_OK)
            rc = put_u32(b, e->count);
    }
    if (rc == TD_OK)
        rc = put_u32(b, an->n_anchors);
    for (i = 0; rc == TD_OK && i < an->n_anchors; i++)
        rc = put_u32(b, an->anchors[i]);
    return rc;
}

td_status td__wire_encode(const td_prepared *p, td_buf *out)
{
    unsigned char kind = p->reject != TD_OK ? TD_WIRE_REJECT : TD_WIRE_ARTICLE;
    const td_article *a = &p->art;
    size_t i;
    td_status rc = td__buf_append(out, MAGIC, sizeof MAGIC);
    if (rc == TD_OK)
        rc = td__buf_append(out, &kind, 1);
    if (rc == TD_OK)
        rc = put_u64(out, p->seq);
    if (kind == TD_WIRE_REJECT) {
        if (rc == TD_OK)
            rc = put_u32(out, (uint32_t)p->reject);
        if (rc == TD_OK)
            rc = put_str(out, p->err.where);
        if (rc == TD_OK)
            rc = put_str(out, p->err.msg);
        return rc;
    }
    if (rc == TD_OK)
        rc = put_u64(out, (uint64_t)a->date);
    if (rc == TD_OK)
        rc = put_str(out, a->id);
    if (rc == TD_OK)
        rc = put_str(out, a->url);
    if (rc == TD_OK)
        rc = put_str(out, a->source);
    if (rc == TD_OK)
        rc = put_str(out, a->title);
    if (rc == TD_OK)
        rc = put_str(out, a->text);
    if (rc == TD_OK)
        rc = put_str(out, a->lang_hint);
    if (rc == TD_OK)
        rc = put_str(out, a->where);
    if (rc == TD_OK)
        rc = put_analysis(out, &p->an);
    if (rc == TD_OK)
        rc = put_u32(out, p->sig.n_shingles);
    for (i = 0; rc == TD_OK && i < TD_DEDUP_HASHES; i++) {
        unsigned char x[2];
        x[0] = (unsigned char)p->sig.slot[i];
        x[1] = (unsigned char)(p->sig.slot[i] >> 8);
        rc = td__buf_append(out, x, 2);
    }
    return rc;
}

/* Decoding --------------------------------------------------------------- */

typedef struct reader {
    const unsigned char *p;
    size_t len, pos;
    td_error *err;
    td_status rc;        /* first failure; later reads do nothing */
} reader;

static int fail(reader *r, td_status rc, const char *what)
{
    if (r->rc == TD_OK) {
        r->rc = rc;
        td__error_set(r->err, rc, "", r->pos, "analyzed message: %s at byte %zu",
                      what, r->pos);
    }
    return 0;
}

static int need(reader *r, size_t n, const char *what)
{
    if (r->rc != TD_OK)
        return 0;
    if (n > r->len - r->pos)
        return fail(r, TD_EPARSE, what);
    return 1;
}

static uint32_t get_u32(reader *r, const char *what)
{
    uint32_t v = 0;
    int i;
    if (!need(r, 4, what))
        return 0;
    for (i = 3; i >= 0; i--)
        v = (v << 8) | r->p[r->pos + (size_t)i];
    r->pos += 4;
    return v;
}

static uint64_t get_u64(reader *r, const char *what)
{
    uint64_t v = 0;
    int i;
    if (!need(r, 8, what))
        return 0;
    for (i = 7; i >= 0; i--)
        v = (v << 8) | r->p[r->pos + (size_t)i];
    r->pos += 8;
    return v;
}

/* A string: new (free()), NULL for the NULL mark or on failure. max caps
** its length; required makes NULL a failure. */
static char *get_str(reader *r, const char *what, size_t max, int required)
{
    uint32_t len = get_u32(r, what);
    const char *s;
    char *copy;
    if (r->rc != TD_OK)
        return NULL;
    if (len == NULL_LEN) {
        if (required)
            fail(r, TD_EPARSE, what);
        return NULL;
    }
    if (len > max) {
        fail(r, TD_EPARSE, what);
        return NULL;
    }
    if (!need(r, len, what))
        return NULL;
    s = (const char *)r->p + r->pos;
    if (memchr(s, '\0', len) || td__utf8_valid_prefix(s, len) != len) {
        fail(r, TD_EPARSE, what);
        return NULL;
    }
    if ((copy = td__strndup(s, len)) == NULL) {
        fail(r, TD_ENOMEM, "out of memory");
        return NULL;
    }
    r->pos += len;
    return copy;
}

static void get_analysis(reader *r, td_analysis *an)
{
    uint32_t n, i;
    if (need(r, sizeof an->lang, "language")) {
        memcpy(an->lang, r->p + r->pos, sizeof an->lang);
        r->pos += sizeof an->lang;
        if (memchr(an->lang, '\0', sizeof an->lang) == NULL ||
            td__utf8_valid_prefix(an->lang, strlen(an->lang)) !=
                strlen(an->lang))
            fail(r, TD_EPARSE, "language");
    }
    an->n_tokens = get_u32(r, "token count");
    n = get_u32(r, "term count");
    if (r->rc != TD_OK)
        return;
    if (n > (r->len - r->pos) / TERM_MIN) {
        fail(r, TD_EPARSE, "term count");
        return;
    }
    if (n > 0 && (an->terms = calloc(n, sizeof *an->terms)) == NULL) {
        fail(r, TD_ENOMEM, "out of memory");
        return;
    }
    an->n_terms = n;
    for (i = 0; i < n && r->rc == TD_OK; i++) {
        td_term *t = &an->terms[i];
        t->key = get_u64(r, "term key");
        t->text = get_str(r, "term text", TD_MAX_FIELD, 1);
        t->count = get_u32(r, "term count");
        t->title_count = get_u32(r, "term title count");
        t->first_pos = get_u32(r, "term position");
        if (need(r, 1, "term kind"))
            t->kind = r->p[r->pos++];
        if (r->rc == TD_OK && t->kind > TD_TERM_PIVOT)
            fail(r, TD_EPARSE, "term kind");
        /* The clusterer merges sorted term lists: order is an invariant. */
        if (r->rc == TD_OK && i > 0 && t->key <= an->terms[i - 1].key)
            fail(r, TD_EPARSE, "terms not sorted by key");
    }
    n = get_u32(r, "entity count");
    if (r->rc != TD_OK)
        return;
    if (n > (r->len - r->pos) / ENTITY_MIN) {
        fail(r, TD_EPARSE, "entity count");
        return;
    }
    if (n > 0 && (an->entities = calloc(n, sizeof *an->entities)) == NULL) {
        fail(r, TD_ENOMEM, "out of memory");
        return;
    }
    an->n_entities = n;
    for (i = 0; i < n && r->rc == TD_OK; i++) {
        td_entity *e = &an->entities[i];
        e->key = get_u64(r, "entity key");
        e->norm = get_str(r, "entity", TD_MAX_FIELD, 1);
        e->display = get_str(r, "entity", TD_MAX_FIELD, 1);
        e->count = get_u32(r, "entity count");
    }
    /* Names and numbers in reading order (cross-language matching). */
    n = get_u32(r, "anchor count");
    if (r->rc == TD_OK && n > TD_MAX_ANCHORS)
        fail(r, TD_EPARSE, "anchor count");
    for (i = 0; i < n && r->rc == TD_OK; i++)
        an->anchors[i] = get_u32(r, "anchor");
    if (r->rc == TD_OK)
        an->n_anchors = n;
}

static void get_reject(reader *r, td_prepared *p)
{
    uint32_t status = get_u32(r, "status");
    char *where = get_str(r, "where", sizeof p->err.where - 1, 0);
    char *msg = get_str(r, "message", sizeof p->err.msg - 1, 0);
    if (r->rc == TD_OK && (status == TD_OK || status > TD_ENUL))
        fail(r, TD_EPARSE, "status");
    if (r->rc == TD_OK) {
        p->reject = (td_status)status;
        td__error_set(&p->err, p->reject, where ? where : "", 0, "%s",
                      msg ? msg : td_strerror(p->reject));
    }
    free(where);
    free(msg);
}

static void get_article(reader *r, td_prepared *p)
{
    td_article *a = &p->art;
    char *where;
    size_t i;
    a->date = (int64_t)get_u64(r, "date");
    a->id = get_str(r, "id", TD_MAX_FIELD, 0);
    a->url = get_str(r, "url", TD_MAX_FIELD, 0);
    a->source = get_str(r, "source", TD_MAX_FIELD, 0);
    a->title = get_str(r, "title", TD_MAX_FIELD, 0);
    a->text = get_str(r, "text", TD_MAX_FIELD, 0);
    a->lang_hint = get_str(r, "lang", TD_MAX_FIELD, 0);
    where = get_str(r, "where", sizeof a->where - 1, 0);
    if (where)
        memcpy(a->where, where, strlen(where) + 1);
    free(where);
    get_analysis(r, &p->an);
    p->sig.n_shingles = get_u32(r, "signature");
    if (need(r, 2 * TD_DEDUP_HASHES, "signature"))
        for (i = 0; i < TD_DEDUP_HASHES; i++, r->pos += 2)
            p->sig.slot[i] = (uint16_t)(r->p[r->pos] | (r->p[r->pos + 1] << 8));
}

td_status td__wire_decode(const void *data, size_t len, td_prepared **out,
                          td_error *err)
{
    reader r;
    td_prepared *p;
    unsigned char kind = 0;
    *out = NULL;
    memset(&r, 0, sizeof r);
    r.p = data;
    r.len = data ? len : 0;
    r.err = err;
    if ((p = td__prepared_new()) == NULL)
        return td__error_set(err, TD_ENOMEM, "", 0, "out of memory");
    p->art.date = TD_NO_DATE;
    if (need(&r, sizeof MAGIC + 1, "header") &&
        memcmp(r.p, MAGIC, sizeof MAGIC) != 0)
        fail(&r, TD_EPARSE, "bad magic");
    if (r.rc == TD_OK) {
        r.pos = sizeof MAGIC;
        kind = r.p[r.pos++];
        if (kind != TD_WIRE_ARTICLE && kind != TD_WIRE_REJECT)
            fail(&r, TD_EPARSE, "unknown kind");
    }
    p->seq = get_u64(&r, "seq");
    if (kind == TD_WIRE_REJECT)
        get_reject(&r, p);
    else
        get_article(&r, p);
    if (r.rc == TD_OK && r.pos != r.len)
        fail(&r, TD_EPARSE, "trailing bytes");
    if (r.rc != TD_OK) {
        td_prepared_free(p);
        return r.rc;
    }
    *out = p;
    return TD_OK;
}

void td__wire_key(uint64_t seq, unsigned char key[8])
{
    int i;
    for (i = 0; i < 8; i++)
        key[i] = (unsigned char)(seq >> (56 - 8 * i));
}

uint64_t td__wire_key_seq(const void *key, size_t len)
{
    const unsigned char *k = key;
    uint64_t v = 0;
    size_t i;
    if (!key || len != 8)
        return 0;
    for (i = 0; i < 8; i++)
        v = (v << 8) | k[i];
    return v;
}
