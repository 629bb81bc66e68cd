/*
** sqlite_read.c: the SQLite backend's read-back: stories, a story's
** articles, one article and the walk over all articles, into the public
** td_story_list and td_article_list of tidings.h.
*/
#include "sqlite_int.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read-back -------------------------------------------------------------- */

/* New copy of a text column; NULL column gives NULL. Returns 0 only when
** out of memory. */
int td__sqlite_column_copy(sqlite3_stmt *stmt, int i, char **out)
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

td_status td__sqlite_stories(td_store *st, int with_sources,
                             td_story_list **out, td_error *err)
{
    return td__sqlite_read_stories(st, SQ(st)->stmt[Q_STORIES], with_sources,
                                   out, err, "cannot list stories");
}

td_status td__sqlite_story(td_store *st, int64_t story, td_story_list **out,
                           td_error *err)
{
    td_status s;
    sqlite3_bind_int64(SQ(st)->stmt[Q_STORY], 1, story);
    s = td__sqlite_read_stories(st, SQ(st)->stmt[Q_STORY], 1, out, err,
                                "cannot read story");
    td__sqlite_stmt_done(SQ(st)->stmt[Q_STORY]);
    return s;
}

td_status td__sqlite_read_stories(td_store *st, sqlite3_stmt *stmt,
                                 int with_sources, td_story_list **out,
                                 td_error *err, const char *what)
{
    td_story_list *list;
    size_t size = 0, i;
    td_status s = TD_OK;
    int rc;

    *out = NULL;
    list = td__store_story_list_new();
    if (!list)
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        td_story_row *r = td__store_story_row_add(list, &size);
        int64_t n;
        if (!r) {
            s = td__error_set(err, TD_ENOMEM, st->path, 0,
                              "out of memory listing stories");
            break;
        }
        r->id = sqlite3_column_int64(stmt, 0);
        n = sqlite3_column_int64(stmt, 1);
        r->n_articles = n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
        r->first_date = td__sqlite_column_date(stmt, 3);
        r->last_date = td__sqlite_column_date(stmt, 4);
        if (!td__sqlite_column_copy(stmt, 2, &r->langs) ||
            !td__sqlite_column_copy(stmt, 5, &r->title) ||
            !td__sqlite_column_copy(stmt, 6, &r->entities)) {
            s = td__error_set(err, TD_ENOMEM, st->path, 0,
                              "out of memory listing stories");
            break;
        }
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__sqlite_fail(st, err, what);
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
    r->date = td__sqlite_column_date(stmt, 7);
    r->story = sqlite3_column_int64(stmt, 8);
    r->copy_group = sqlite3_column_int64(stmt, 11);
    return td__sqlite_column_copy(stmt, 12, &r->copy_of) &&
           td__sqlite_column_copy(stmt, 13, &r->credits) &&
           td__sqlite_column_copy(stmt, 1, &r->id) && td__sqlite_column_copy(stmt, 2, &r->url) &&
           td__sqlite_column_copy(stmt, 3, &r->source) &&
           td__sqlite_column_copy(stmt, 4, &r->title) && td__sqlite_column_copy(stmt, 5, &r->text) &&
           td__sqlite_column_copy(stmt, 6, &r->lang) &&
           td__sqlite_column_copy(stmt, 9, &r->entities) &&
           td__sqlite_column_copy(stmt, 10, &r->terms);
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
        td__sqlite_stmt_done(stmt);
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    }
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        td_article_row *row = td__store_article_row_add(list, &size);
        if (!row || !read_article_row(stmt, row)) {
            s = td__error_set(err, TD_ENOMEM, st->path, 0,
                              "out of memory reading articles");
            break;
        }
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__sqlite_fail(st, err, "cannot read articles");
    if (s == TD_OK && list->n == 0)
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0, "%s", not_found);
    td__sqlite_stmt_done(stmt);
    if (s != TD_OK) {
        td_article_list_free(list);
        return s;
    }
    *out = list;
    return TD_OK;
}

td_status td__sqlite_story_articles(td_store *st, int64_t story,
                                   td_article_list **out, td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_STORY_ARTICLES];
    char msg[64];
    snprintf(msg, sizeof msg, "no story %lld", (long long)story);
    sqlite3_bind_int64(stmt, 1, story);
    return read_article_list(st, stmt, out, err, msg);
}

td_status td__sqlite_article(td_store *st, const char *id,
                             td_article_list **out, td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_ARTICLE];
    char msg[128];
    snprintf(msg, sizeof msg, "no article \"%.100s\"", id);
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    return read_article_list(st, stmt, out, err, msg);
}

td_status td__sqlite_each_article(td_store *st, td_article_fn fn, void *ud,
                                 td_error *err)
{
    sqlite3_stmt *stmt;
    td_status s;
    int own, rc;

    s = td__sqlite_walk_statement(st, Q_EACH_ARTICLE, &stmt, &own, err);
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
        row.date = td__sqlite_column_date(stmt, 6);
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
        s = td__sqlite_fail(st, err, "cannot read articles");
    td__sqlite_walk_done(stmt, own);
    return s;
}
