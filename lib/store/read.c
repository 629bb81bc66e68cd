/*
** read.c: the store's read-back: stories, a story's articles, one article
** and the walk over all articles, into the public td_story_list and
** td_article_list of tidings.h (and their _free functions).
*/
#include "store_int.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read-back -------------------------------------------------------------- */

/* New copy of a text column; NULL column gives NULL. Returns 0 only when
** out of memory. */
int td__store_column_copy(sqlite3_stmt *stmt, int i, char **out)
{
    const unsigned char *s;
    *out = NULL;
    if (sqlite3_column_type(stmt, i) == SQLITE_NULL)
        return 1;
    s = sqlite3_column_text(stmt, i);
    if (!s)
        return sqlite3_errcode(sqlite3_db_handle(stmt)) != SQLITE_NOMEM;
    *out = td__strndup((const char *)s, (size_t)sqlite3_column_bytes(stmt, i));
    return *out != NULL;
}

/* Returns rows, grown (zero-filled) when needed to hold row n; NULL when
** out of memory or past STORE_MAX_LIST_ROWS, rows then still valid. */
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

td_status td__store_stories(td_store *st, td_story_list **out, td_error *err)
{
    return td__store_read_stories(st, st->stmt[Q_STORIES], 1, out, err,
                                  "cannot list stories");
}

td_status td__store_story_rows(td_store *st, td_story_list **out,
                               td_error *err)
{
    return td__store_read_stories(st, st->stmt[Q_STORIES], 0, out, err,
                                  "cannot list stories");
}

td_status td__store_story(td_store *st, int64_t story, td_story_list **out,
                          td_error *err)
{
    td_status s;
    sqlite3_bind_int64(st->stmt[Q_STORY], 1, story);
    s = td__store_read_stories(st, st->stmt[Q_STORY], 1, out, err,
                               "cannot read story");
    td__store_stmt_done(st->stmt[Q_STORY]);
    if (s == TD_OK && (*out)->n == 0) {
        td_story_list_free(*out);
        *out = NULL;
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0, "no story %lld",
                          (long long)story);
    }
    return s;
}

td_status td__store_read_stories(td_store *st, sqlite3_stmt *stmt,
                                 int with_sources, td_story_list **out,
                                 td_error *err, const char *what)
{
    td_story_list *list;
    size_t size = 0, i;
    td_status s = TD_OK;
    int rc;

    *out = NULL;
    list = calloc(1, sizeof *list);
    if (!list)
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        td_story_row *r = td__store_grow_rows(list->rows, list->n, &size, sizeof *r);
        int64_t n;
        if (!r) {
            s = td__error_set(err, TD_ENOMEM, st->path, 0,
                              "out of memory listing stories");
            break;
        }
        list->rows = r;
        r = &list->rows[list->n++];
        r->id = sqlite3_column_int64(stmt, 0);
        n = sqlite3_column_int64(stmt, 1);
        r->n_articles = n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
        r->first_date = td__store_column_date(stmt, 3);
        r->last_date = td__store_column_date(stmt, 4);
        if (!td__store_column_copy(stmt, 2, &r->langs) ||
            !td__store_column_copy(stmt, 5, &r->title) ||
            !td__store_column_copy(stmt, 6, &r->entities)) {
            s = td__error_set(err, TD_ENOMEM, st->path, 0,
                              "out of memory listing stories");
            break;
        }
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__store_fail(st, err, what);
    sqlite3_reset(stmt);
    for (i = 0; s == TD_OK && with_sources && i < list->n; i++)
        s = td__store_story_sources(st, &list->rows[i], err);
    if (s != TD_OK) {
        td_story_list_free(list);
        return s;
    }
    *out = list;
    return TD_OK;
}

/* Fills r from a row of ARTICLE_COLUMNS. Returns 0 when out of memory
** (r then holds what was copied; article_row_clear() frees it). */
static int read_article_row(sqlite3_stmt *stmt, td_article_row *r)
{
    r->seq = sqlite3_column_int64(stmt, 0);
    r->date = td__store_column_date(stmt, 7);
    r->story = sqlite3_column_int64(stmt, 8);
    r->copy_group = sqlite3_column_int64(stmt, 11);
    return td__store_column_copy(stmt, 12, &r->copy_of) &&
           td__store_column_copy(stmt, 13, &r->credits) &&
           td__store_column_copy(stmt, 1, &r->id) && td__store_column_copy(stmt, 2, &r->url) &&
           td__store_column_copy(stmt, 3, &r->source) &&
           td__store_column_copy(stmt, 4, &r->title) && td__store_column_copy(stmt, 5, &r->text) &&
           td__store_column_copy(stmt, 6, &r->lang) &&
           td__store_column_copy(stmt, 9, &r->entities) &&
           td__store_column_copy(stmt, 10, &r->terms);
}

/* Runs a bound ARTICLE_COLUMNS query into a new list; TD_ENOTFOUND (with
** message not_found) when it gives no row. Resets the statement. */
static td_status read_article_list(td_store *st, sqlite3_stmt *stmt,
                                   td_article_list **out, td_error *err,
                                   const char *not_found)
{
    td_article_list *list;
    size_t size = 0;
    td_status s = TD_OK;
    int rc;

    *out = NULL;
    list = calloc(1, sizeof *list);
    if (!list) {
        td__store_stmt_done(stmt);
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    }
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        td_article_row *rows = td__store_grow_rows(list->rows, list->n, &size,
                                         sizeof *rows);
        if (rows)
            list->rows = rows;
        if (!rows || !read_article_row(stmt, &list->rows[list->n++])) {
            s = td__error_set(err, TD_ENOMEM, st->path, 0,
                              "out of memory reading articles");
            break;
        }
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__store_fail(st, err, "cannot read articles");
    if (s == TD_OK && list->n == 0)
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0, "%s", not_found);
    td__store_stmt_done(stmt);
    if (s != TD_OK) {
        td_article_list_free(list);
        return s;
    }
    *out = list;
    return TD_OK;
}

td_status td__store_story_articles(td_store *st, int64_t story,
                                   td_article_list **out, td_error *err)
{
    sqlite3_stmt *stmt = st->stmt[Q_STORY_ARTICLES];
    char msg[64];
    snprintf(msg, sizeof msg, "no story %lld", (long long)story);
    sqlite3_bind_int64(stmt, 1, story);
    return read_article_list(st, stmt, out, err, msg);
}

td_status td__store_article(td_store *st, const char *id,
                            td_article_list **out, td_error *err)
{
    sqlite3_stmt *stmt = st->stmt[Q_ARTICLE];
    char msg[128];
    if (!id) {
        *out = NULL;
        return td__error_set(err, TD_EINVAL, st->path, 0, "no article id");
    }
    snprintf(msg, sizeof msg, "no article \"%.100s\"", id);
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    return read_article_list(st, stmt, out, err, msg);
}

td_status td__store_each_article(td_store *st, td_article_fn fn, void *ud,
                                 td_error *err)
{
    sqlite3_stmt *stmt;
    td_status s;
    int own, rc;

    s = td__store_walk_statement(st, Q_EACH_ARTICLE, &stmt, &own, err);
    if (s != TD_OK)
        return s;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        /* The strings are SQLite's, borrowed for the callback only: no
        ** copy per row. */
        td_article_row row;
        memset(&row, 0, sizeof row);
        row.seq = sqlite3_column_int64(stmt, 0);
        row.id = (char *)sqlite3_column_text(stmt, 1);
        row.url = (char *)sqlite3_column_text(stmt, 2);
        row.source = (char *)sqlite3_column_text(stmt, 3);
        row.title = (char *)sqlite3_column_text(stmt, 4);
        row.lang = (char *)sqlite3_column_text(stmt, 5);
        row.date = td__store_column_date(stmt, 6);
        row.story = sqlite3_column_int64(stmt, 7);
        row.entities = (char *)sqlite3_column_text(stmt, 8);
        row.copy_group = sqlite3_column_int64(stmt, 9);
        row.copy_of = (char *)sqlite3_column_text(stmt, 10);
        row.credits = (char *)sqlite3_column_text(stmt, 11);
        s = fn(ud, &row);
        if (s != TD_OK)
            break;
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__store_fail(st, err, "cannot read articles");
    td__store_walk_done(stmt, own);
    return s;
}
