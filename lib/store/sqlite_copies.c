/*
** sqlite_copies.c: the copy graph in the SQLite store: signatures (to
** rebuild the LSH index on reopen), edges with their evidence passage,
** copy group updates, and the rows of a story's copy groups and sources
** (assembled by copies.c).
*/
#include "sqlite_int.h"

#include <stdlib.h>
#include <string.h>

td_status td__sqlite_add_copy_edge(td_store *st, const td_store_edge *e,
                                   td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_ADD_COPY_EDGE];
    sqlite3_bind_int64(stmt, 1, e->b_seq);
    sqlite3_bind_int64(stmt, 2, e->a_seq);
    sqlite3_bind_int(stmt, 3, e->direction);
    sqlite3_bind_double(stmt, 4, e->similarity);
    sqlite3_bind_int64(stmt, 5, e->a_start);
    sqlite3_bind_int64(stmt, 6, e->a_end);
    sqlite3_bind_int64(stmt, 7, e->b_start);
    sqlite3_bind_int64(stmt, 8, e->b_end);
    td__sqlite_bind_text(stmt, 9, e->passage);
    sqlite3_bind_int(stmt, 10, e->kind);
    return td__sqlite_run_done(st, stmt, err, "cannot store copy edge");
}

td_status td__sqlite_update(td_store *st, int what, int64_t p1, int64_t p2,
                            td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[what == STORE_JOIN_GROUP  ? Q_JOIN_GROUP
                                      : what == STORE_SET_GROUP ? Q_SET_GROUP
                                                                : Q_SET_COPY_OF];
    sqlite3_bind_int64(stmt, 1, p1);
    sqlite3_bind_int64(stmt, 2, p2);
    return td__sqlite_run_done(st, stmt, err,
                               what == STORE_SET_COPY_OF
                                   ? "cannot set copy_of"
                                   : "cannot join copy groups");
}

td_status td__sqlite_article_text(td_store *st, int64_t seq, char **text,
                                  td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_ARTICLE_TEXT];
    td_status s = TD_OK;
    int rc;
    sqlite3_bind_int64(stmt, 1, seq);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        if (!td__sqlite_column_copy(stmt, 0, text))
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    } else if (rc == SQLITE_DONE) {
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0,
                          "no article with seq %lld", (long long)seq);
    } else {
        s = td__sqlite_fail(st, err, "cannot read article text");
    }
    td__sqlite_stmt_done(stmt);
    return s;
}

td_status td__sqlite_each_copy_sig(td_store *st, td_sig_fn fn, void *ud,
                                   td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_EACH_COPY_SIG];
    td_status s = TD_OK;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        s = fn(ud, sqlite3_column_int64(stmt, 0),
               td__sqlite_column_date(stmt, 1), sqlite3_column_blob(stmt, 2),
               (size_t)sqlite3_column_bytes(stmt, 2));
        if (s != TD_OK)
            break;
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__sqlite_fail(st, err, "cannot read signatures");
    td__sqlite_stmt_done(stmt);
    return s;
}

td_status td__sqlite_each_copy_edge(td_store *st, td_edge_fn fn, void *ud,
                                    td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_EACH_COPY_EDGE];
    td_status s = TD_OK;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        td_store_edge e;
        e.b_seq = sqlite3_column_int64(stmt, 0);
        e.a_seq = sqlite3_column_int64(stmt, 1);
        e.direction = sqlite3_column_int(stmt, 2);
        e.similarity = sqlite3_column_double(stmt, 3);
        e.a_start = sqlite3_column_int64(stmt, 4);
        e.a_end = sqlite3_column_int64(stmt, 5);
        e.b_start = sqlite3_column_int64(stmt, 6);
        e.b_end = sqlite3_column_int64(stmt, 7);
        e.passage = (const char *)sqlite3_column_text(stmt, 8);
        e.kind = sqlite3_column_int(stmt, 9);
        s = fn(ud, &e);
        if (s != TD_OK)
            break;
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__sqlite_fail(st, err, "cannot read copy edges");
    td__sqlite_stmt_done(stmt);
    return s;
}

/* Read-back -------------------------------------------------------------- */

td_status td__sqlite_story_sources(td_store *st, td_story_row *r,
                                   td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_STORY_GROUPS];
    store_sources g;
    int64_t origin;
    td_status s = TD_OK;
    int rc;

    td__store_sources_init(&g);
    sqlite3_bind_int64(stmt, 1, r->id);
    while (s == TD_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
        s = td__store_sources_add(&g, sqlite3_column_int64(stmt, 0),
                                  sqlite3_column_int64(stmt, 1));
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__sqlite_fail(st, err, "cannot read copy groups");
    else if (s != TD_OK)
        s = td__error_set(err, s, st->path, 0, "out of memory");
    td__sqlite_stmt_done(stmt);
    r->n_sources = (uint32_t)td__store_sources_done(&g, &origin);
    if (s != TD_OK || r->n_sources == 0)
        return s;
    stmt = SQ(st)->stmt[Q_ARTICLE_ORIGIN];
    sqlite3_bind_int64(stmt, 1, origin);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        if (!td__sqlite_column_copy(stmt, 0, &r->origin_id) ||
            !td__sqlite_column_copy(stmt, 1, &r->origin_credits))
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    } else if (rc != SQLITE_DONE) {
        s = td__sqlite_fail(st, err, "cannot read story origin");
    }
    td__sqlite_stmt_done(stmt);
    return s;
}

td_status td__sqlite_copies(td_store *st, int64_t story, td_copy_list **out,
                            td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_STORY_MEMBERS];
    store_copies c;
    td_status s = TD_OK;
    int rc = SQLITE_DONE;

    if (td__store_copies_init(&c) != TD_OK)
        return td__store_copies_done(
            &c, td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory"),
            story, st, out, err);
    sqlite3_bind_int64(stmt, 1, story);
    while (s == TD_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
        s = td__store_copies_member(
            &c, sqlite3_column_int64(stmt, 0),
            (const char *)sqlite3_column_text(stmt, 1),
            (const char *)sqlite3_column_text(stmt, 2),
            (const char *)sqlite3_column_text(stmt, 3),
            (const char *)sqlite3_column_text(stmt, 4),
            td__sqlite_column_date(stmt, 5));
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__sqlite_fail(st, err, "cannot read copy groups");
    td__sqlite_stmt_done(stmt);

    stmt = SQ(st)->stmt[Q_STORY_EDGES];
    sqlite3_bind_int64(stmt, 1, story);
    while (s == TD_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
        s = td__store_copies_edge(
            &c, sqlite3_column_int64(stmt, 0),
            (const char *)sqlite3_column_text(stmt, 1),
            (const char *)sqlite3_column_text(stmt, 2),
            sqlite3_column_int(stmt, 3), sqlite3_column_double(stmt, 4),
            (const char *)sqlite3_column_text(stmt, 5),
            sqlite3_column_int(stmt, 6));
    if (s == TD_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        s = td__sqlite_fail(st, err, "cannot read copy edges");
    td__sqlite_stmt_done(stmt);
    if (s == TD_ENOMEM)
        s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    return td__store_copies_done(&c, s, story, st, out, err);
}
