/*
** entities.c: the matching of the entity index, shared by both backends.
** The index (sqlite_entities.c, pg.c) holds, per entity key and story,
** how many articles of the story name it, how often, and when last; a
** lookup reads the rows of the key's surname and keeps here those that
** match the key looked up, one row per story, newest activity first.
*/
#include "store_int.h"
#include "util/family.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* Does the stored key k match the key q looked up? Equal keys do; past
** that, by the families of util/family.h (the keys are their own
** displays): a one-word q matches the person-shaped keys of its surname
** (the index range), a person-shaped q the keys of its family and its
** surname alone. "Russia" finds no "united russia". */
static int key_matches(const char *q, const char *k)
{
    int q_multi, k_multi;
    uint64_t fq, fk;
    if (strcmp(q, k) == 0)
        return 1;
    td__key_surname(q, &q_multi);
    td__key_surname(k, &k_multi);
    fq = q_multi ? td__key_family(q, q, strlen(q)) : 0;
    fk = k_multi ? td__key_family(k, k, strlen(k)) : 0;
    if (!q_multi)
        return fk != 0;
    if (!k_multi)
        return fq != 0;
    return fq != 0 && fq == fk;
}

void td_entity_list_free(td_entity_list *list)
{
    size_t i;
    if (!list)
        return;
    for (i = 0; i < list->n; i++) {
        free(list->rows[i].title);
        free(list->rows[i].name);
    }
    free(list->rows);
    free(list->key);
    free(list);
}

static int cmp_entity_story(const void *a, const void *b)
{
    const td_entity_story *x = a, *y = b;
    if (x->last_date != y->last_date) {
        if (x->last_date == TD_NO_DATE || y->last_date == TD_NO_DATE)
            return x->last_date == TD_NO_DATE ? 1 : -1;
        return x->last_date > y->last_date ? -1 : 1;
    }
    return x->story > y->story ? -1 : x->story < y->story;
}

td_entity_list *td__store_entity_list_new(const char *key)
{
    td_entity_list *l = calloc(1, sizeof *l);
    if (l && !(l->key = td__strdup(key))) {
        free(l);
        l = NULL;
    }
    return l;
}

td_status td__store_entity_done(td_store *st, td_entity_list *l, td_status s,
                                store_story_columns_fn columns,
                                td_entity_list **out, td_error *err)
{
    size_t i;
    for (i = 0; s == TD_OK && i < l->n; i++) {
        td_entity_story *r = &l->rows[i];
        s = columns(st, r, err);
        if (r->n_articles && r->articles > r->n_articles)
            r->articles = r->n_articles;
    }
    if (s != TD_OK) {
        td_entity_list_free(l);
        return s;
    }
    if (l->n)
        qsort(l->rows, l->n, sizeof *l->rows, cmp_entity_story);
    *out = l;
    return TD_OK;
}

/* 1 when display begins with a Latin letter (ASCII, or a lead byte of
** Latin-1 Supplement to Latin Extended-B). */
static int latin_display(const char *display)
{
    unsigned char c = display ? (unsigned char)display[0] : 0;
    return (c > 0 && c < 0x80) || (c >= 0xC3 && c <= 0xC9);
}

/* A story already listed adds up the articles and mentions of each
** spelling: an article names one name by one spelling, as the analyzer
** merges the others (util/family.h), except across first letters or
** scripts, and the count is capped at the story's size when its columns
** are read. */
td_status td__store_entity_row(td_entity_list *l, size_t *size,
                               const char *key, const char *row_key,
                               int64_t story, uint32_t articles,
                               uint32_t mentions, const char *display)
{
    td_entity_story *r = l->n ? &l->rows[l->n - 1] : NULL;
    if (!row_key || !key_matches(key, row_key))
        return TD_OK;
    if (!r || r->story != story) {
        td_entity_story *rows = td__store_grow_rows(l->rows, l->n, size,
                                                    sizeof *rows);
        if (!rows)
            return TD_ENOMEM;
        l->rows = rows;
        r = &l->rows[l->n++];
        r->story = story;
    }
    r->mentions = mentions > UINT32_MAX - r->mentions ? UINT32_MAX
                                                      : r->mentions + mentions;
    r->articles = articles > UINT32_MAX - r->articles ? UINT32_MAX
                                                      : r->articles + articles;
    if (!r->name || articles > r->name_articles ||
        (articles == r->name_articles && latin_display(display) &&
         !latin_display(r->name))) {
        char *name = td__strdup(display ? display : "");
        if (!name)
            return TD_ENOMEM;
        free(r->name);
        r->name = name;
        r->name_articles = articles;
    }
    return TD_OK;
}
