/*
** store.c: the store interface (store.h) over its backends. td__store_open
** picks SQLite (a file or ":memory:", sqlite*.c) or PostgreSQL (a
** postgresql:// or postgres:// URI, pg*.c); every other td__store_* call is
** one indirect call through the store's method table. What both backends
** need alike lives here: the summary columns, the read-back lists and
** their _free functions, and the input checks of search.
*/
#include "store_int.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is path a PostgreSQL connection URI (libpq's two schemes)? */
static int is_pg_uri(const char *path)
{
    return strncmp(path, "postgresql://", 13) == 0 ||
           strncmp(path, "postgres://", 11) == 0;
}

static td_status store_open(const char *path, int readonly, td_store **out,
                            td_error *err)
{
    if (!out)
        return td__error_set(err, TD_EINVAL, path, 0, "store: no out pointer");
    *out = NULL;
    if (!path || !*path)
        return td__error_set(err, TD_EINVAL, "", 0, "store: empty path");
    if (is_pg_uri(path))
        return td__pg_open(path, readonly, out, err);
    return td__sqlite_open(path, readonly, out, err);
}

td_status td__store_open(const char *path, td_store **out, td_error *err)
{
    return store_open(path, 0, out, err);
}

td_status td__store_open_readonly(const char *path, td_store **out,
                                  td_error *err)
{
    return store_open(path, 1, out, err);
}

void td__store_base_init(td_store *st, const store_methods *m,
                         const char *path, int readonly)
{
    st->m = m;
    snprintf(st->path, sizeof st->path, "%s", path);
    st->readonly = readonly;
    td__buf_init(&st->entities, STORE_MAX_COLUMN);
    td__buf_init(&st->terms, STORE_MAX_COLUMN);
    td__store_counters_init(st);
}

void td__store_base_free(td_store *st)
{
    td__buf_free(&st->entities);
    td__buf_free(&st->terms);
    td__store_counters_free(st);
}

void td__store_free(td_store *st)
{
    if (!st)
        return;
    if (st->readonly) {
        st->m->read_end(st);
    } else if (st->m->in_transaction(st)) {
        /* Commit what the caller added; if that fails there is nobody to
        ** tell, and rolling back leaves the store consistent. */
        if (td__store_counters_flush(st, NULL) != TD_OK ||
            st->m->commit(st, NULL) != TD_OK)
            st->m->rollback(st, NULL);
    }
    st->m->close(st);
}

/* Transactions ----------------------------------------------------------- */

td_status td__store_begin(td_store *st, td_error *err)
{
    if (st->m->in_transaction(st))
        return TD_OK;
    return st->m->begin(st, err);
}

td_status td__store_commit(td_store *st, td_error *err)
{
    td_status s;
    if (!st->m->in_transaction(st))
        return TD_OK;
    if ((s = td__store_counters_flush(st, err)) != TD_OK)
        return s;
    return st->m->commit(st, err);
}

td_status td__store_rollback(td_store *st, td_error *err)
{
    td__store_counters_drop(st);
    if (!st->m->in_transaction(st))
        return TD_OK;
    return st->m->rollback(st, err);
}

td_status td__store_read_begin(td_store *st, td_error *err)
{
    if (st->m->in_transaction(st))
        return TD_OK;
    return st->m->read_begin(st, err);
}

void td__store_read_end(td_store *st)
{
    st->m->read_end(st);
}

/* The calls, one indirect call each ------------------------------------- */

int td__store_has_article(td_store *st, const char *id)
{
    if (!id)
        return 0;
    return st->m->has_article(st, id);
}

td_status td__store_add_article(td_store *st, const td_article *art,
                                const td_analysis *an, int64_t story,
                                const td_store_copy *copy, td_error *err)
{
    if (!art || !art->id || !*art->id)
        return td__error_set(err, TD_EMISSING, art ? art->where : "", 0,
                             "article has no id");
    return st->m->add_article(st, art, an, story, copy, err);
}

td_status td__store_add_entities(td_store *st, int64_t story, int64_t date,
                                 const td_store_entity *ents, size_t n,
                                 td_error *err)
{
    return st->m->add_entities(st, story, date, ents, n, err);
}

td_status td__store_clear_entities(td_store *st, td_error *err)
{
    return st->m->clear_entities(st, err);
}

td_status td__store_entity_stories(td_store *st, const char *key,
                                   td_entity_list **out, td_error *err)
{
    *out = NULL;
    if (!key)
        return td__error_set(err, TD_EINVAL, st->path, 0, "no entity key");
    return st->m->entity_stories(st, key, out, err);
}

td_status td__store_add_copy_edge(td_store *st, const td_store_edge *e,
                                  td_error *err)
{
    return st->m->add_copy_edge(st, e, err);
}

td_status td__store_join_copy_group(td_store *st, int64_t into, int64_t from,
                                    td_error *err)
{
    td_status s = TD_OK;
    if (from != into)
        s = st->m->update(st, STORE_JOIN_GROUP, into, from, err);
    /* The first member of a group of one has copy_group NULL. */
    if (s == TD_OK && from != into)
        s = st->m->update(st, STORE_SET_GROUP, into, from, err);
    if (s == TD_OK)
        s = st->m->update(st, STORE_SET_GROUP, into, into, err);
    return s;
}

td_status td__store_set_copy_of(td_store *st, int64_t seq, int64_t of,
                                td_error *err)
{
    return st->m->update(st, STORE_SET_COPY_OF, seq, of, err);
}

td_status td__store_article_text(td_store *st, int64_t seq, char **text,
                                 td_error *err)
{
    *text = NULL;
    return st->m->article_text(st, seq, text, err);
}

td_status td__store_each_copy_sig(td_store *st, td_sig_fn fn, void *ud,
                                  td_error *err)
{
    return st->m->each_copy_sig(st, fn, ud, err);
}

td_status td__store_each_copy_edge(td_store *st, td_edge_fn fn, void *ud,
                                   td_error *err)
{
    return st->m->each_copy_edge(st, fn, ud, err);
}

/* An optional blob must be at most STORE_MAX_BLOB bytes. */
static td_status check_blob(td_store *st, int64_t story, size_t len,
                            td_error *err)
{
    if (len > STORE_MAX_BLOB)
        return td__error_set(err, TD_ETOOBIG, st->path, 0,
                             "story %lld: blob of %zu bytes is too big",
                             (long long)story, len);
    return TD_OK;
}

td_status td__store_put_story(td_store *st, const td_story_summary *sum,
                              const void *state, size_t state_len,
                              td_error *err)
{
    if (!sum)
        return td__error_set(err, TD_EINVAL, st->path, 0, "no story summary");
    if (check_blob(st, sum->id, state_len, err) != TD_OK)
        return TD_ETOOBIG;
    return st->m->put_story(st, sum, state, state_len, err);
}

td_status td__store_put_story_state(td_store *st, int64_t story,
                                    const void *state, size_t len,
                                    td_error *err)
{
    if (check_blob(st, story, len, err) != TD_OK)
        return TD_ETOOBIG;
    return st->m->put_story_state(st, story, state, len, err);
}

td_status td__store_get_story_meta(td_store *st, int64_t story, void **meta,
                                   size_t *len, td_error *err)
{
    *meta = NULL;
    *len = 0;
    return st->m->get_story_meta(st, story, meta, len, err);
}

td_status td__store_set_meta(td_store *st, const char *name, int64_t value,
                             td_error *err)
{
    if (!name)
        return td__error_set(err, TD_EINVAL, st->path, 0, "no meta name");
    return st->m->set_meta(st, name, value, err);
}

td_status td__store_get_meta(td_store *st, const char *name, int64_t *value,
                             td_error *err)
{
    if (!name || !value)
        return td__error_set(err, TD_EINVAL, st->path, 0, "no meta name");
    return st->m->get_meta(st, name, value, err);
}

td_status td__store_each_story_state(td_store *st, td_story_state_fn fn,
                                     void *ud, td_error *err)
{
    return st->m->each_story_state(st, fn, ud, err);
}

td_status td__store_stories(td_store *st, td_story_list **out, td_error *err)
{
    *out = NULL;
    return st->m->stories(st, 1, out, err);
}

td_status td__store_story_rows(td_store *st, td_story_list **out,
                               td_error *err)
{
    *out = NULL;
    return st->m->stories(st, 0, out, err);
}

td_status td__store_story_sources(td_store *st, td_story_row *r,
                                  td_error *err)
{
    return st->m->story_sources(st, r, err);
}

td_status td__store_story(td_store *st, int64_t story, td_story_list **out,
                          td_error *err)
{
    td_status s;
    *out = NULL;
    s = st->m->story(st, story, out, err);
    if (s == TD_OK && (*out)->n == 0) {
        td_story_list_free(*out);
        *out = NULL;
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0, "no story %lld",
                          (long long)story);
    }
    return s;
}

td_status td__store_story_articles(td_store *st, int64_t story,
                                   td_article_list **out, td_error *err)
{
    *out = NULL;
    return st->m->story_articles(st, story, out, err);
}

td_status td__store_article(td_store *st, const char *id,
                            td_article_list **out, td_error *err)
{
    *out = NULL;
    if (!id)
        return td__error_set(err, TD_EINVAL, st->path, 0, "no article id");
    return st->m->article(st, id, out, err);
}

td_status td__store_each_article(td_store *st, td_article_fn fn, void *ud,
                                 td_error *err)
{
    return st->m->each_article(st, fn, ud, err);
}

td_status td__store_copies(td_store *st, int64_t story, td_copy_list **out,
                           td_error *err)
{
    *out = NULL;
    return st->m->copies(st, story, out, err);
}

td_status td__store_search_stories(td_store *st, const char *query,
                                   int with_sources, td_story_list **out,
                                   td_error *err)
{
    const char **words = NULL;
    size_t len, n_words = 0;
    td_buf b;
    td_status s;

    *out = NULL;
    if (!query)
        return td__error_set(err, TD_EINVAL, st->path, 0, "no query");
    len = strlen(query);
    if (len > TD_SEARCH_MAX)
        return td__error_set(err, TD_ETOOBIG, st->path, 0,
                             "query over %u bytes", (unsigned)TD_SEARCH_MAX);
    if (td__utf8_valid_prefix(query, len) != len)
        return td__error_set(err, TD_EUTF8, st->path,
                             td__utf8_valid_prefix(query, len),
                             "query is not valid UTF-8");
    /* Folding can grow a word (one code point to three); the words and
    ** their pointers then fit in 16 times the query. */
    td__buf_init(&b, 16 * len + 64);
    s = td__store_query_words(query, st->m->fold_words, &b, &words, &n_words);
    if (s != TD_OK) {
        td__buf_free(&b);
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    }
    s = st->m->search_stories(st, words, n_words, with_sources, out, err);
    free(words);
    td__buf_free(&b);
    return s;
}

/* Summary columns -------------------------------------------------------- */

/* Appends item to a separator-joined list in b, whole items only: an item
** that would pass the column cap is dropped and 0 returned; -1 when out of
** memory. */
static int join_item(td_buf *b, const char *sep, const char *item)
{
    size_t sep_len = b->len ? strlen(sep) : 0, len = strlen(item);
    if (len == 0)
        return 1;
    if (sep_len + len > b->cap - b->len)
        return 0;
    if ((sep_len && td__buf_append(b, sep, sep_len) != TD_OK) ||
        td__buf_append(b, item, len) != TD_OK)
        return -1;   /* out of memory: the cap was checked above */
    return 1;
}

/* Is term a ranked above term b for the terms column? */
static int term_before(const td_term *a, const td_term *b)
{
    if (a->count != b->count)
        return a->count > b->count;
    return a->first_pos < b->first_pos;
}

td_status td__store_summary_columns(td_store *st, const td_analysis *an)
{
    const td_term *top[STORE_MAX_TERMS];
    size_t n_top = 0, i, j;
    int joined = 1;

    td__buf_reset(&st->entities);
    td__buf_reset(&st->terms);
    for (i = 0; i < an->n_entities && i < STORE_MAX_ENTITIES; i++) {
        const td_entity *e = &an->entities[i];
        const char *name = e->display ? e->display : e->norm;
        if (name && (joined = join_item(&st->entities, "; ", name)) != 1)
            break;
    }
    if (joined < 0)
        return TD_ENOMEM;

    /* Keep the best STORE_MAX_TERMS word terms by insertion into a small
    ** sorted array: one pass over the terms, no allocation. */
    for (i = 0; i < an->n_terms; i++) {
        const td_term *t = &an->terms[i];
        if (t->kind != TD_TERM_WORD || !t->text)
            continue;
        if (n_top == STORE_MAX_TERMS && !term_before(t, top[n_top - 1]))
            continue;
        j = n_top < STORE_MAX_TERMS ? n_top++ : n_top - 1;
        while (j > 0 && term_before(t, top[j - 1])) {
            top[j] = top[j - 1];
            j--;
        }
        top[j] = t;
    }
    for (i = 0; i < n_top; i++)
        if ((joined = join_item(&st->terms, " ", top[i]->text)) != 1)
            break;
    return joined < 0 ? TD_ENOMEM : TD_OK;
}

/* Lists ------------------------------------------------------------------ */

void *td__store_grow_rows(void *rows, size_t n, size_t *size, size_t row_size)
{
    size_t new_size;
    char *p;
    if (n < *size)
        return rows;
    if (n >= STORE_MAX_LIST_ROWS)
        return NULL;
    new_size = *size ? *size * 2 : 16;
    p = realloc(rows, new_size * row_size);
    if (!p)
        return NULL;
    memset(p + *size * row_size, 0, (new_size - *size) * row_size);
    *size = new_size;
    return p;
}

td_story_list *td__store_story_list_new(void)
{
    return calloc(1, sizeof(td_story_list));
}

td_story_row *td__store_story_row_add(td_story_list *list, size_t *size)
{
    td_story_row *rows = td__store_grow_rows(list->rows, list->n, size,
                                             sizeof *rows);
    if (!rows)
        return NULL;
    list->rows = rows;
    return &list->rows[list->n++];
}

td_article_row *td__store_article_row_add(td_article_list *list,
                                          size_t *size)
{
    td_article_row *rows = td__store_grow_rows(list->rows, list->n, size,
                                               sizeof *rows);
    if (!rows)
        return NULL;
    list->rows = rows;
    return &list->rows[list->n++];
}

void td_story_list_free(td_story_list *list)
{
    size_t i;
    if (!list)
        return;
    for (i = 0; i < list->n; i++) {
        free(list->rows[i].langs);
        free(list->rows[i].title);
        free(list->rows[i].entities);
        free(list->rows[i].origin_id);
        free(list->rows[i].origin_credits);
    }
    free(list->rows);
    free(list);
}

static void article_row_clear(td_article_row *r)
{
    free(r->id);
    free(r->url);
    free(r->source);
    free(r->title);
    free(r->text);
    free(r->lang);
    free(r->entities);
    free(r->terms);
    free(r->copy_of);
    free(r->credits);
}

void td_article_list_free(td_article_list *list)
{
    size_t i;
    if (!list)
        return;
    for (i = 0; i < list->n; i++)
        article_row_clear(&list->rows[i]);
    free(list->rows);
    free(list);
}
