/*
** entity_index.c: keeps the store's entity index (lib/store/entities.c) in
** step with the articles. The key of an entity is td__key_from_norm of the
** analyzer's normalised form: the same key the story view gets from
** td__entity_key of a display form ("Лавров" and "Lavrov" are "lavrov"),
** without a second ICU pass per entity at ingest.
*/
#include "entity_index.h"
#include "text/text.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* The keys of one article: NUL-terminated strings in one buffer. */
typedef struct article_keys {
    td_buf buf;
    size_t off[TD_ENTITY_INDEX_MAX];
    const char *display[TD_ENTITY_INDEX_MAX];   /* or NULL: */
    size_t display_off[TD_ENTITY_INDEX_MAX];    /* in buf */
    uint32_t mentions[TD_ENTITY_INDEX_MAX];
    size_t n;
} article_keys;

/* Adds the key just appended at buf offset start, or merges it into an
** equal one (two analyzer entities can share a key: "Lavrov's", "Lavrov"). */
static void keep_key(article_keys *k, size_t start, const char *display,
                     size_t display_off, uint32_t mentions)
{
    size_t i;
    const char *key = k->buf.data + start;
    if (!*key) {
        k->buf.len = start;
        return;
    }
    for (i = 0; i < k->n; i++)
        if (strcmp(k->buf.data + k->off[i], key) == 0) {
            k->mentions[i] += mentions;
            k->buf.len = start;
            return;
        }
    k->off[k->n] = start;
    k->display[k->n] = display;
    k->display_off[k->n] = display_off;
    k->mentions[k->n++] = mentions;
}

static td_status write_keys(td_store *st, article_keys *k, int64_t story,
                            int64_t date, td_error *err)
{
    td_store_entity ents[TD_ENTITY_INDEX_MAX];
    size_t i;
    for (i = 0; i < k->n; i++) {
        ents[i].key = k->buf.data + k->off[i];
        ents[i].display = k->display[i] ? k->display[i]
                                        : k->buf.data + k->display_off[i];
        ents[i].mentions = k->mentions[i];
    }
    return td__store_add_entities(st, story, date, ents, k->n, err);
}

td_status td__entity_index_add(td_store *st, const td_analysis *an,
                               int64_t story, int64_t date, td_error *err)
{
    article_keys k;
    size_t i;
    td_status rc = TD_OK;
    if (!an || !an->n_entities)
        return TD_OK;
    k.n = 0;
    td__buf_init(&k.buf, 64 * 1024);
    for (i = 0; i < an->n_entities && k.n < TD_ENTITY_INDEX_MAX; i++) {
        const td_entity *e = &an->entities[i];
        size_t start = k.buf.len;
        if (!e->norm)
            continue;
        if ((rc = td__key_from_norm(e->norm, strlen(e->norm), &k.buf))
            != TD_OK || (rc = td__buf_putc(&k.buf, '\0')) != TD_OK)
            break;
        keep_key(&k, start, e->display ? e->display : e->norm, 0, e->count);
    }
    if (rc == TD_OK)
        rc = write_keys(st, &k, story, date, err);
    else
        td__error_set(err, rc, "", 0, "entity index: %s", td_strerror(rc));
    td__buf_free(&k.buf);
    return rc;
}

/* Backfill ---------------------------------------------------------------- */

typedef struct backfill {
    td_store *st;
    td_error *err;
    article_keys k;
} backfill;

/* One stored article: its entity list ("; "-separated display forms, the
** analyzer's first 10) gives the keys; the counts were never stored, so
** each listed entity counts one mention. */
static td_status backfill_article(void *ud, const td_article_row *row)
{
    backfill *b = ud;
    const char *p = row->entities;
    td__buf_reset(&b->k.buf);
    b->k.n = 0;
    while (p && *p && b->k.n < TD_ENTITY_INDEX_MAX) {
        const char *end = strstr(p, "; ");
        size_t len = end ? (size_t)(end - p) : strlen(p), start = b->k.buf.len;
        char *key = td__entity_key(p, len);
        td_status rc;
        if (!key)
            return td__error_set(b->err, TD_ENOMEM, "", 0, "out of memory");
        /* The key, then the spelling: both NUL-terminated in the buffer. */
        rc = td__buf_append(&b->k.buf, key, strlen(key) + 1);
        free(key);
        if (rc == TD_OK && (rc = td__buf_append(&b->k.buf, p, len)) == TD_OK)
            rc = td__buf_putc(&b->k.buf, '\0');
        if (rc != TD_OK)
            return td__error_set(b->err, rc, "", 0, "out of memory");
        keep_key(&b->k, start, NULL, start + strlen(b->k.buf.data + start) + 1,
                 1);
        p = end ? end + 2 : NULL;
    }
    return write_keys(b->st, &b->k, row->story, row->date, b->err);
}

td_status td__entity_index_backfill(td_store *st, td_error *err)
{
    backfill b;
    int64_t todo = 0;
    td_status rc;
    if (td__store_get_meta(st, "entity_backfill", &todo, NULL) != TD_OK ||
        !todo)
        return TD_OK;
    memset(&b, 0, sizeof b);
    b.st = st;
    b.err = err;
    td__buf_init(&b.k.buf, 64 * 1024);
    if ((rc = td__store_begin(st, err)) == TD_OK &&
        (rc = td__store_clear_entities(st, err)) == TD_OK &&
        (rc = td__store_each_article(st, backfill_article, &b, err)) == TD_OK &&
        (rc = td__store_set_meta(st, "entity_backfill", 0, err)) == TD_OK)
        rc = td__store_commit(st, err);
    if (rc != TD_OK)
        td__store_rollback(st, NULL);
    td__buf_free(&b.k.buf);
    return rc;
}
