/*
** copies.c: the copy bookkeeping of the engine (docs/internals/dedup.md,
** "Wiring"). Dedup index ids are seq - 1. An article's copies are the LSH
** matches of its text's signature; each match gives an edge (direction by
** date, estimated Jaccard, longest shared passage) and joins the two copy
** groups. A group's id is the seq of its first-ingested member, so it does
** not depend on the order of joins and a store reopened and rebuilt in seq
** order gives the groups one run would have given.
*/
#include "copies.h"
#include "dedup/dedup.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* Matches considered per article (each costs a text read and a passage). */
#define MAX_MATCHES   8
/* Outlets kept in an article's credits column. */
#define MAX_CREDITS   3
/* Bytes of the evidence passage kept with an edge. */
#define PASSAGE_MAX   300

/* What the bookkeeping keeps per document. */
typedef struct doc_info {
    int64_t date;
    uint32_t first;    /* at a group's root: its first-ingested member */
} doc_info;

struct td_copies {
    td_dedup_index *index;
    td_copy_groups *groups;
    doc_info *docs;
    size_t docs_size;
    int loaded;        /* the store's signatures and edges are in */
    td_dedup_sig sig;  /* the current article's, lent to the store */
    td_dedup_match matches[MAX_MATCHES];
    td_buf credits;
    td_buf passage;
};

td_copies *td__copies_new(void)
{
    td_copies *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->index = td__dedup_index_new();
    c->groups = td__copy_groups_new();
    td__buf_init(&c->credits, 1024);
    td__buf_init(&c->passage, PASSAGE_MAX + 1);
    if (!c->index || !c->groups) {
        td__copies_free(c);
        return NULL;
    }
    return c;
}

void td__copies_free(td_copies *c)
{
    if (!c)
        return;
    td__dedup_index_free(c->index);
    td__copy_groups_free(c->groups);
    free(c->docs);
    td__buf_free(&c->credits);
    td__buf_free(&c->passage);
    free(c);
}

/* Adds a document to the index (matches up to max into c->matches) and to
** the groups; *doc gets its id. */
static td_status add_doc(td_copies *c, const td_dedup_sig *sig, int64_t date,
                         size_t max, uint32_t *doc, size_t *n_matches)
{
    uint32_t member;
    td_status rc;
    if (td__dedup_index_count(c->index) == c->docs_size) {
        size_t size = c->docs_size ? c->docs_size * 2 : 1024;
        doc_info *docs = realloc(c->docs, size * sizeof *docs);
        if (!docs)
            return TD_ENOMEM;
        c->docs = docs;
        c->docs_size = size;
    }
    rc = td__dedup_index_add(c->index, sig, doc, c->matches, max, n_matches);
    if (rc != TD_OK)
        return rc;
    if ((rc = td__copy_groups_add(c->groups, date, &member)) != TD_OK)
        return rc;
    if (member != *doc)
        return TD_ESTORE;   /* the index and the groups disagree */
    c->docs[*doc].date = date;
    c->docs[*doc].first = *doc;
    return TD_OK;
}

/* Joins the groups of a and b; returns the two group ids (first members)
** as they were before. */
static void join(td_copies *c, uint32_t a, uint32_t b, uint32_t *ga,
                 uint32_t *gb)
{
    uint32_t ra = td__copy_groups_find(c->groups, a);
    uint32_t rb = td__copy_groups_find(c->groups, b);
    *ga = c->docs[ra].first;
    *gb = c->docs[rb].first;
    if (ra == rb)
        return;
    td__copy_groups_union(c->groups, a, b);
    c->docs[td__copy_groups_find(c->groups, a)].first = *ga < *gb ? *ga : *gb;
}

/* Reload --------------------------------------------------------------- */

static td_status load_sig(void *ud, int64_t seq, int64_t date,
                          const void *blob, size_t len)
{
    td_copies *c = ud;
    td_dedup_sig sig;
    uint32_t doc;
    size_t n;
    if (len != sizeof sig ||
        seq != (int64_t)td__dedup_index_count(c->index) + 1)
        return TD_ESTORE;
    memcpy(&sig, blob, sizeof sig);
    return add_doc(c, &sig, date, 0, &doc, &n);
}

static td_status load_edge(void *ud, const td_store_edge *e)
{
    td_copies *c = ud;
    uint32_t n = td__dedup_index_count(c->index), ga, gb;
    if (e->a_seq < 1 || e->b_seq < 1 || e->a_seq > n || e->b_seq > n)
        return TD_ESTORE;
    join(c, (uint32_t)(e->a_seq - 1), (uint32_t)(e->b_seq - 1), &ga, &gb);
    return TD_OK;
}

static td_status load(td_copies *c, td_store *st, td_error *err)
{
    td_status rc;
    if (err)
        err->msg[0] = '\0';   /* see load_state in pipeline.c */
    rc = td__store_each_copy_sig(st, load_sig, c, err);
    if (rc == TD_OK)
        rc = td__store_each_copy_edge(st, load_edge, c, err);
    if (rc != TD_OK && err && err->msg[0] == '\0')
        td__error_set(err, rc, "", 0, "cannot load the copy index: %s",
                      td_strerror(rc));
    if (rc == TD_OK)
        c->loaded = 1;
    return rc;
}

/* Per article ------------------------------------------------------------ */

/* 1 when document x is the earlier text of the pair (x, y), x ingested
** first: dated before undated, then by date; equal or missing dates leave
** it to ingest order. */
static int earlier_text(const td_copies *c, uint32_t x, uint32_t y)
{
    int64_t dx = c->docs[x].date, dy = c->docs[y].date;
    if (dx == TD_NO_DATE && dy != TD_NO_DATE)
        return 0;
    if (dx != TD_NO_DATE && dy != TD_NO_DATE && dy < dx)
        return 0;
    return 1;
}

/* Copies text[start, end) cut to PASSAGE_MAX bytes on a UTF-8 boundary into
** c->passage; NULL when out of memory. */
static const char *passage_text(td_copies *c, const char *text, size_t start,
                                size_t end)
{
    size_t n = end > start ? end - start : 0;
    if (n > PASSAGE_MAX) {
        n = PASSAGE_MAX;
        while (n > 0 && ((unsigned char)text[start + n] & 0xC0) == 0x80)
            n--;
    }
    td__buf_reset(&c->passage);
    if (td__buf_append(&c->passage, text + start, n) != TD_OK ||
        td__buf_putc(&c->passage, '\0') != TD_OK)
        return NULL;
    return c->passage.data;
}

/* Records the edge between the earlier-ingested old and the new document:
** evidence from both texts, then the edge row. */
static td_status add_edge(td_copies *c, td_store *st, uint32_t old,
                          uint32_t doc, const td_dedup_match *m,
                          const char *text, size_t len, td_error *err)
{
    td_store_edge e;
    td_passage p;
    char *old_text = NULL;
    td_status rc;
    memset(&e, 0, sizeof e);
    memset(&p, 0, sizeof p);
    e.a_seq = (int64_t)old + 1;
    e.b_seq = (int64_t)doc + 1;
    e.direction = td__copy_direction(c->docs[old].date, c->docs[doc].date);
    e.similarity = m->jaccard;
    rc = td__store_article_text(st, e.a_seq, &old_text, err);
    if (rc != TD_OK)
        return rc;
    if (old_text)
        rc = td__dedup_passage(old_text, strlen(old_text), text, len, &p);
    free(old_text);
    if (rc != TD_OK)
        return td__error_set(err, rc, "", 0, "copy passage: %s",
                             td_strerror(rc));
    e.a_start = (int64_t)p.a_start;
    e.a_end = (int64_t)p.a_end;
    e.b_start = (int64_t)p.b_start;
    e.b_end = (int64_t)p.b_end;
    e.passage = passage_text(c, text, p.b_start, p.b_end);
    if (!e.passage)
        return td__error_set(err, TD_ENOMEM, "", 0, "copy passage: %s",
                             td_strerror(TD_ENOMEM));
    return td__store_add_copy_edge(st, &e, err);
}

/* The top credited outlets of text into c->credits ("" when none). */
static td_status find_credits(td_copies *c, const char *text, size_t len)
{
    td_credit *cr = NULL;
    size_t n = 0, i;
    td_status rc = td__credits_find(text, len, &cr, &n);
    td__buf_reset(&c->credits);
    for (i = 0; rc == TD_OK && i < n && i < MAX_CREDITS; i++) {
        if (i > 0)
            rc = td__buf_append(&c->credits, "; ", 2);
        if (rc == TD_OK)
            rc = td__buf_append(&c->credits, cr[i].name, strlen(cr[i].name));
    }
    if (rc == TD_OK)
        rc = td__buf_putc(&c->credits, '\0');
    td__credits_free(cr, n);
    /* A name past the column cap is dropped, never an error. */
    return rc == TD_ETOOBIG ? TD_OK : rc;
}

/* Joins the groups of old and doc in memory and in the store. */
static td_status join_stored(td_copies *c, td_store *st, uint32_t old,
                             uint32_t doc, td_error *err)
{
    uint32_t g_old, g_new;
    join(c, old, doc, &g_old, &g_new);
    if (g_old == g_new)
        return TD_OK;
    return td__store_join_copy_group(
        st, (int64_t)(g_old < g_new ? g_old : g_new) + 1,
        (int64_t)(g_old < g_new ? g_new : g_old) + 1, err);
}

/* copy_of for a pair: when old is the earlier text, the new article copies
** it (unless out already names another); otherwise old copies the new one,
** unless it already copies another. */
static td_status set_copy_of(td_copies *c, td_store *st, uint32_t old,
                             uint32_t doc, td_store_copy *out, td_error *err)
{
    if (!earlier_text(c, old, doc))
        return td__store_set_copy_of(st, (int64_t)old + 1, out->seq, err);
    if (out->copy_of == 0)
        out->copy_of = (int64_t)old + 1;
    return TD_OK;
}

td_status td__copies_add(td_copies *c, td_store *st, const td_article *art,
                         const td_dedup_sig *sig, td_store_copy *out,
                         td_error *err)
{
    const char *text = art->text ? art->text : "";
    size_t len = strlen(text), n = 0, i;
    uint32_t doc, root;
    td_status rc;

    memset(out, 0, sizeof *out);
    if (!c->loaded && (rc = load(c, st, err)) != TD_OK)
        return rc;
    if (sig)
        c->sig = *sig;
    else if ((rc = td__dedup_signature(text, len, &c->sig)) != TD_OK)
        return td__error_set(err, rc, art->where, 0, "copy index: %s",
                             td_strerror(rc));
    if ((rc = add_doc(c, &c->sig, art->date, MAX_MATCHES, &doc, &n)) != TD_OK)
        return td__error_set(err, rc, art->where, 0, "copy index: %s",
                             td_strerror(rc));
    out->seq = (int64_t)doc + 1;
    out->sig = &c->sig;
    out->sig_len = sizeof c->sig;
    for (i = 0; i < n; i++) {
        uint32_t old = c->matches[i].doc;
        rc = add_edge(c, st, old, doc, &c->matches[i], text, len, err);
        if (rc == TD_OK)
            rc = join_stored(c, st, old, doc, err);
        if (rc != TD_OK)
            return rc;
    }
    root = td__copy_groups_find(c->groups, doc);
    if (td__copy_groups_size(c->groups, doc) > 1)
        out->copy_group = (int64_t)c->docs[root].first + 1;
    /* copy_of: the earlier text of the best match. */
    if (n > 0 && (rc = set_copy_of(c, st, c->matches[0].doc, doc, out, err)) !=
                     TD_OK)
        return rc;
    if ((rc = find_credits(c, text, len)) != TD_OK)
        return td__error_set(err, rc, art->where, 0, "credits: %s",
                             td_strerror(rc));
    out->credits = c->credits.len > 1 ? c->credits.data : NULL;
    return TD_OK;
}

td_status td__copies_translation(td_copies *c, td_store *st, int64_t of_seq,
                                 double share, td_store_copy *out,
                                 td_error *err)
{
    uint32_t old, doc, n = td__dedup_index_count(c->index), root;
    td_store_edge e;
    td_status rc;
    if (of_seq < 1 || of_seq >= out->seq || out->seq > (int64_t)n)
        return TD_OK;   /* not an earlier article of this stream: ignore */
    old = (uint32_t)(of_seq - 1);
    doc = (uint32_t)(out->seq - 1);
    memset(&e, 0, sizeof e);
    e.a_seq = of_seq;
    e.b_seq = out->seq;
    e.direction = td__copy_direction(c->docs[old].date, c->docs[doc].date);
    e.similarity = share;
    e.a_start = e.a_end = e.b_start = e.b_end = -1;
    e.kind = TD_EDGE_TRANSLATION;
    if ((rc = td__store_add_copy_edge(st, &e, err)) != TD_OK ||
        (rc = join_stored(c, st, old, doc, err)) != TD_OK)
        return rc;
    root = td__copy_groups_find(c->groups, doc);
    out->copy_group = (int64_t)c->docs[root].first + 1;
    return set_copy_of(c, st, old, doc, out, err);
}
