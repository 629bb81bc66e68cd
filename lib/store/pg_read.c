/*
** pg_read.c: the PostgreSQL backend's read-back: stories (all, one, or
** those matching a search), a story's articles and copies, one article,
** the walk over all articles, and entity lookups, from binary results
** into the public lists of tidings.h. The assembly shared with SQLite
** (sources, copy groups, entity matching) is in copies.c and entities.c.
*/
#include "pg_int.h"
#include "util/family.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a result with STORY_COLUMNS into a new list, with each row's
** sources when with_sources is set. Clears r. */
static td_status read_stories(td_store *st, PGresult *r, int with_sources,
                              td_story_list **out, td_error *err,
                              const char *what)
{
    td_story_list *list;
    size_t size = 0, i;
    td_status s = TD_OK;
    int row;

    *out = NULL;
    if (!td__pg_ok(r)) {
        s = td__pg_fail(st, r, err, what);
        PQclear(r);
        return s;
    }
    if (!(list = td__store_story_list_new())) {
        PQclear(r);
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    }
    for (row = 0; row < PQntuples(r); row++) {
        td_story_row *sr = td__store_story_row_add(list, &size);
        int64_t n;
        if (!sr || !td__pg_col_copy(r, row, 2, &sr->langs) ||
            !td__pg_col_copy(r, row, 5, &sr->title) ||
            !td__pg_col_copy(r, row, 6, &sr->entities)) {
            s = td__error_set(err, TD_ENOMEM, st->path, 0,
                              "out of memory listing stories");
            break;
        }
        sr->id = td__pg_col_int(r, row, 0);
        n = td__pg_col_int(r, row, 1);
        sr->n_articles = n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
        sr->first_date = td__pg_col_date(r, row, 3);
        sr->last_date = td__pg_col_date(r, row, 4);
    }
    PQclear(r);
    for (i = 0; s == TD_OK && with_sources && i < list->n; i++)
        s = td__pg_story_sources(st, &list->rows[i], err);
    if (s != TD_OK) {
        td_story_list_free(list);
        return s;
    }
    *out = list;
    return TD_OK;
}

td_status td__pg_stories(td_store *st, int with_sources, td_story_list **out,
                         td_error *err)
{
    return read_stories(st, td__pg_exec(st, P_STORIES, NULL), with_sources,
                        out, err, "cannot list stories");
}

td_status td__pg_story(td_store *st, int64_t story, td_story_list **out,
                       td_error *err)
{
    pg_params p;
    p.n = 0;
    td__pg_int(&p, 0, story);
    return read_stories(st, td__pg_exec(st, P_STORY, &p), 1, out, err,
                        "cannot read story");
}

td_status td__pg_search_stories(td_store *st, const char *const *words,
                                size_t n_words, int with_sources,
                                td_story_list **out, td_error *err)
{
    pg_params p;
    td_buf q;
    td_status s = TD_OK;
    size_t i;

    /* No word matches nothing. */
    if (n_words == 0) {
        *out = td__store_story_list_new();
        return *out ? TD_OK
                    : td__error_set(err, TD_ENOMEM, st->path, 0,
                                    "out of memory");
    }
    /* Each word as a quoted lexeme matched as a prefix, ANDed: words are
    ** letters and numbers only, so nothing in them is tsquery syntax. */
    td__buf_init(&q, (size_t)1 << 20);
    for (i = 0; s == TD_OK && i < n_words; i++)
        s = td__buf_printf(&q, "%s'%s':*", i ? " & " : "", words[i]);
    if (s != TD_OK) {
        td__buf_free(&q);
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    }
    p.n = 0;
    td__pg_text(&p, 0, q.data);
    s = read_stories(st, td__pg_exec(st, P_SEARCH, &p), with_sources, out,
                     err, "cannot search");
    td__buf_free(&q);
    return s;
}

td_status td__pg_story_sources(td_store *st, td_story_row *r, td_error *err)
{
    store_sources g;
    pg_params p;
    PGresult *res;
    int64_t origin;
    td_status s = TD_OK;
    int row;

    p.n = 0;
    td__pg_int(&p, 0, r->id);
    res = td__pg_exec(st, P_STORY_GROUPS, &p);
    td__store_sources_init(&g);
    if (!td__pg_ok(res))
        s = td__pg_fail(st, res, err, "cannot read copy groups");
    /* Rows come earliest first, so a group's first row is its origin. */
    for (row = 0; s == TD_OK && row < PQntuples(res); row++)
        if (td__store_sources_add(&g, td__pg_col_int(res, row, 0),
                                  td__pg_col_int(res, row, 1)) != TD_OK)
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    PQclear(res);
    r->n_sources = (uint32_t)td__store_sources_done(&g, &origin);
    if (s != TD_OK || r->n_sources == 0)
        return s;
    p.n = 0;
    td__pg_int(&p, 0, origin);
    res = td__pg_exec(st, P_ARTICLE_ORIGIN, &p);
    if (!td__pg_ok(res))
        s = td__pg_fail(st, res, err, "cannot read story origin");
    else if (PQntuples(res) == 1 &&
             (!td__pg_col_copy(res, 0, 0, &r->origin_id) ||
              !td__pg_col_copy(res, 0, 1, &r->origin_credits)))
        s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    PQclear(res);
    return s;
}

/* Fills a from a row of ARTICLE_COLUMNS. 0 when out of memory (a then
** holds what was copied; the list's free releases it). */
static int read_article_row(const PGresult *r, int row, td_article_row *a)
{
    a->seq = td__pg_col_int(r, row, 0);
    a->date = td__pg_col_date(r, row, 7);
    a->story = td__pg_col_int(r, row, 8);
    a->copy_group = td__pg_col_int(r, row, 11);
    return td__pg_col_copy(r, row, 12, &a->copy_of) &&
           td__pg_col_copy(r, row, 13, &a->credits) &&
           td__pg_col_copy(r, row, 1, &a->id) &&
           td__pg_col_copy(r, row, 2, &a->url) &&
           td__pg_col_copy(r, row, 3, &a->source) &&
           td__pg_col_copy(r, row, 4, &a->title) &&
           td__pg_col_copy(r, row, 5, &a->text) &&
           td__pg_col_copy(r, row, 6, &a->lang) &&
           td__pg_col_copy(r, row, 9, &a->entities) &&
           td__pg_col_copy(r, row, 10, &a->terms);
}

/* Runs an ARTICLE_COLUMNS query into a new list; TD_ENOTFOUND (with
** message not_found) when it gives no row. */
static td_status read_article_list(td_store *st, int q, const pg_params *p,
                                   td_article_list **out, td_error *err,
                                   const char *not_found)
{
    PGresult *r = td__pg_exec(st, q, p);
    td_article_list *list = NULL;
    size_t size = 0;
    td_status s = TD_OK;
    int row;

    if (!td__pg_ok(r))
        s = td__pg_fail(st, r, err, "cannot read articles");
    else if (PQntuples(r) == 0)
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0, "%s", not_found);
    else if (!(list = calloc(1, sizeof *list)))
        s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    for (row = 0; s == TD_OK && row < PQntuples(r); row++) {
        td_article_row *a = td__store_article_row_add(list, &size);
        if (!a || !read_article_row(r, row, a))
            s = td__error_set(err, TD_ENOMEM, st->path, 0,
                              "out of memory reading articles");
    }
    PQclear(r);
    if (s != TD_OK) {
        td_article_list_free(list);
        return s;
    }
    *out = list;
    return TD_OK;
}

td_status td__pg_story_articles(td_store *st, int64_t story,
                                td_article_list **out, td_error *err)
{
    pg_params p;
    char msg[64];
    snprintf(msg, sizeof msg, "no story %lld", (long long)story);
    p.n = 0;
    td__pg_int(&p, 0, story);
    return read_article_list(st, P_STORY_ARTICLES, &p, out, err, msg);
}

td_status td__pg_article(td_store *st, const char *id, td_article_list **out,
                         td_error *err)
{
    pg_params p;
    char msg[128];
    snprintf(msg, sizeof msg, "no article \"%.100s\"", id);
    p.n = 0;
    td__pg_text(&p, 0, id);
    return read_article_list(st, P_ARTICLE, &p, out, err, msg);
}

static td_status article_row(void *ud, const PGresult *r, int row)
{
    walk_cb *w = ud;
    /* The strings are the result's, borrowed for the callback only. */
    td_article_row a;
    memset(&a, 0, sizeof a);
    a.seq = td__pg_col_int(r, row, 0);
    a.id = (char *)td__pg_col_text(r, row, 1);
    a.url = (char *)td__pg_col_text(r, row, 2);
    a.source = (char *)td__pg_col_text(r, row, 3);
    a.title = (char *)td__pg_col_text(r, row, 4);
    a.lang = (char *)td__pg_col_text(r, row, 5);
    a.date = td__pg_col_date(r, row, 6);
    a.story = td__pg_col_int(r, row, 7);
    a.entities = (char *)td__pg_col_text(r, row, 8);
    a.copy_group = td__pg_col_int(r, row, 9);
    a.copy_of = (char *)td__pg_col_text(r, row, 10);
    a.credits = (char *)td__pg_col_text(r, row, 11);
    return w->fn.article(w->ud, &a);
}

td_status td__pg_each_article(td_store *st, td_article_fn fn, void *ud,
                              td_error *err)
{
    walk_cb w;
    w.fn.article = fn;
    w.ud = ud;
    return td__pg_walk(st, P_EACH_ARTICLE, article_row, &w, err,
                       "cannot read articles");
}

td_status td__pg_copies(td_store *st, int64_t story, td_copy_list **out,
                        td_error *err)
{
    store_copies c;
    pg_params p;
    PGresult *r;
    td_status s = TD_OK;
    int row;

    if (td__store_copies_init(&c) != TD_OK)
        return td__store_copies_done(
            &c, td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory"),
            story, st, out, err);
    p.n = 0;
    td__pg_int(&p, 0, story);
    r = td__pg_exec(st, P_STORY_MEMBERS, &p);
    if (!td__pg_ok(r))
        s = td__pg_fail(st, r, err, "cannot read copy groups");
    for (row = 0; s == TD_OK && row < PQntuples(r); row++)
        s = td__store_copies_member(
            &c, td__pg_col_int(r, row, 0), td__pg_col_text(r, row, 1),
            td__pg_col_text(r, row, 2), td__pg_col_text(r, row, 3),
            td__pg_col_text(r, row, 4), td__pg_col_date(r, row, 5));
    PQclear(r);
    if (s == TD_OK) {
        r = td__pg_exec(st, P_STORY_EDGES, &p);
        if (!td__pg_ok(r))
            s = td__pg_fail(st, r, err, "cannot read copy edges");
        for (row = 0; s == TD_OK && row < PQntuples(r); row++)
            s = td__store_copies_edge(
                &c, td__pg_col_int(r, row, 0), td__pg_col_text(r, row, 1),
                td__pg_col_text(r, row, 2), (int)td__pg_col_int(r, row, 3),
                td__pg_col_double(r, row, 4), td__pg_col_text(r, row, 5),
                (int)td__pg_col_int(r, row, 6));
        PQclear(r);
    }
    if (s == TD_ENOMEM)
        s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    return td__store_copies_done(&c, s, story, st, out, err);
}

/* The story's size, title and last date into e. A story the index names
** but the stories table lacks (a broken store) keeps zeros. */
static td_status story_columns(td_store *st, td_entity_story *e,
                               td_error *err)
{
    pg_params p;
    PGresult *r;
    td_status s = TD_OK;
    p.n = 0;
    td__pg_int(&p, 0, e->story);
    r = td__pg_exec(st, P_ENT_STORY, &p);
    e->last_date = TD_NO_DATE;
    if (!td__pg_ok(r)) {
        s = td__pg_fail(st, r, err, "cannot read story");
    } else if (PQntuples(r) == 1) {
        e->n_articles = (uint32_t)td__pg_col_int(r, 0, 0);
        e->last_date = td__pg_col_date(r, 0, 2);
        if (!td__pg_col_copy(r, 0, 1, &e->title))
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    }
    PQclear(r);
    return s;
}

td_status td__pg_entity_stories(td_store *st, const char *key,
                                td_entity_list **out, td_error *err)
{
    td_entity_list *l;
    pg_params p;
    PGresult *r;
    size_t size = 0;
    td_status s = TD_OK;
    int row;

    if (!(l = td__store_entity_list_new(key)))
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    p.n = 0;
    td__pg_text(&p, 0, td__key_surname(key, NULL));
    r = td__pg_exec(st, P_ENT_RANGE, &p);
    if (!td__pg_ok(r))
        s = td__pg_fail(st, r, err, "cannot read the entity index");
    /* Rows come in story order: the rows of one story are adjacent. */
    for (row = 0; s == TD_OK && row < PQntuples(r); row++)
        if (td__store_entity_row(l, &size, key, td__pg_col_text(r, row, 0),
                                 td__pg_col_int(r, row, 1),
                                 (uint32_t)td__pg_col_int(r, row, 2),
                                 (uint32_t)td__pg_col_int(r, row, 3),
                                 td__pg_col_text(r, row, 4)) != TD_OK)
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    PQclear(r);
    return td__store_entity_done(st, l, s, story_columns, out, err);
}

/* A page's filters as P_STORY_PAGE's $1-$5; after: whether the cursor
** applies. */
static void page_params(pg_params *p, const td_list_query *q, int after)
{
    p->n = 0;
    td__pg_text(p, 0, q->lang);
    td__pg_date(p, 1, q->since);
    td__pg_int(p, 2, after);
    td__pg_date(p, 3, q->after_date);
    td__pg_int(p, 4, q->after_id);
}

static td_status count_page(td_store *st, const td_list_query *q, int after,
                            uint64_t *n, td_error *err)
{
    pg_params p;
    PGresult *r;
    td_status s = TD_OK;
    page_params(&p, q, after);
    r = td__pg_exec(st, P_STORY_COUNT, &p);
    if (td__pg_ok(r) && PQntuples(r) == 1)
        *n = (uint64_t)td__pg_col_int(r, 0, 0);
    else
        s = td__pg_fail(st, r, err, "cannot count stories");
    PQclear(r);
    return s;
}

td_status td__pg_story_page(td_store *st, const td_list_query *q,
                            td_story_list **out, uint64_t *total,
                            uint64_t *rest, td_error *err)
{
    pg_params p;
    td_status s;
    *out = NULL;
    if ((s = count_page(st, q, 0, total, err)) != TD_OK ||
        (rest && (s = count_page(st, q, 1, rest, err)) != TD_OK))
        return s;
    page_params(&p, q, q->has_after);
    td__pg_int(&p, 5, q->limit > INT64_MAX ? INT64_MAX : (int64_t)q->limit);
    td__pg_int(&p, 6, q->offset > INT64_MAX ? INT64_MAX
                                            : (int64_t)q->offset);
    return read_stories(st, td__pg_exec(st, P_STORY_PAGE, &p), 0, out, err,
                        "cannot list stories");
}
