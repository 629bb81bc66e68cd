/*
** sqlite_entities.c: the SQLite store's entity index: for each entity key and story, how
** many articles of the story name it, how often, and when last. Written
** with each article in the article's transaction (td__store_add_entities),
** read by `tidings entity NAME` as an index range, not a scan of the
** articles (matched in entities.c). Its schema is its own block, created
** with the rest at open.
*/
#include "sqlite_int.h"
#include "util/family.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* Rows are keyed by the key's last word first: every spelling of one
** surname ("lavrov", "sergei lavrov", "sergey lavrov") is one index range,
** and the fuzzy matching of lookups is done on that range in C. */
const char td__sqlite_entities_schema[] =
    "CREATE TABLE IF NOT EXISTS entity_stories("
    " surname TEXT NOT NULL, key TEXT NOT NULL, story INTEGER NOT NULL,"
    " articles INTEGER NOT NULL, mentions INTEGER NOT NULL,"
    " last_date INTEGER, display TEXT,"
    " PRIMARY KEY(surname, key, story)) WITHOUT ROWID;"
    /* A store that had articles before the index existed (schema 3) is
    ** marked for a backfill, which the engine runs at open. */
    "INSERT OR IGNORE INTO meta(name, value)"
    " SELECT 'entity_backfill', 1 WHERE EXISTS(SELECT 1 FROM articles)"
    " AND NOT EXISTS(SELECT 1 FROM entity_stories);";

static const char *const entity_sql[QE_COUNT] = {
    /* A NULL date never replaces a known one; a later one does. */
    [QE_ADD] =
        "INSERT INTO entity_stories(surname, key, story, articles, mentions,"
        " last_date, display) VALUES(?1, ?2, ?3, 1, ?4, ?5, ?6)"
        " ON CONFLICT(surname, key, story) DO UPDATE SET"
        " articles = articles + 1, mentions = mentions + excluded.mentions,"
        " last_date = CASE WHEN excluded.last_date >"
        " COALESCE(last_date, excluded.last_date - 1)"
        " THEN excluded.last_date ELSE last_date END",
    [QE_RANGE] =
        "SELECT key, story, articles, mentions, display FROM entity_stories"
        " WHERE surname = ?1 ORDER BY story",
    [QE_STORY] = "SELECT n_articles, title, last_date FROM stories WHERE id = ?1",
    [QE_CLEAR] = "DELETE FROM entity_stories",
};

td_status td__sqlite_entities_prepare(td_store *st, td_error *err)
{
    int i;
    for (i = 0; i < QE_COUNT; i++)
        if (sqlite3_prepare_v3(SQ(st)->db, entity_sql[i], -1,
                               SQLITE_PREPARE_PERSISTENT, &SQ(st)->ent_stmt[i],
                               NULL) != SQLITE_OK)
            return td__sqlite_fail(st, err, "cannot prepare statement");
    return TD_OK;
}

void td__sqlite_entities_finalize(td_store *st)
{
    int i;
    for (i = 0; i < QE_COUNT; i++) {
        sqlite3_finalize(SQ(st)->ent_stmt[i]);
        SQ(st)->ent_stmt[i] = NULL;
    }
}

td_status td__sqlite_add_entities(td_store *st, int64_t story, int64_t date,
                                  const td_store_entity *ents, size_t n,
                                  td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->ent_stmt[QE_ADD];
    size_t i;
    td_status s = TD_OK;
    for (i = 0; i < n && s == TD_OK; i++) {
        const td_store_entity *e = &ents[i];
        if (!e->key || !*e->key)
            continue;
        sqlite3_bind_text(stmt, 1, td__key_surname(e->key, NULL), -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, e->key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 3, story);
        sqlite3_bind_int64(stmt, 4, e->mentions);
        td__sqlite_bind_date(stmt, 5, date);
        td__sqlite_bind_text(stmt, 6, e->display);
        s = td__sqlite_run_done(st, stmt, err, "cannot index entity");
    }
    return s;
}

td_status td__sqlite_clear_entities(td_store *st, td_error *err)
{
    return td__sqlite_run_done(st, SQ(st)->ent_stmt[QE_CLEAR], err,
                              "cannot clear the entity index");
}

/* Lookup ------------------------------------------------------------------ */

/* The story's size, title and last date into r. A story the index names
** but the stories table lacks (a broken file) keeps zeros. */
static td_status story_columns(td_store *st, td_entity_story *r, td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->ent_stmt[QE_STORY];
    td_status s = TD_OK;
    int rc;
    sqlite3_bind_int64(stmt, 1, r->story);
    rc = sqlite3_step(stmt);
    r->last_date = TD_NO_DATE;
    if (rc == SQLITE_ROW) {
        r->n_articles = (uint32_t)sqlite3_column_int64(stmt, 0);
        r->last_date = td__sqlite_column_date(stmt, 2);
        if (!td__sqlite_column_copy(stmt, 1, &r->title))
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    } else if (rc != SQLITE_DONE) {
        s = td__sqlite_fail(st, err, "cannot read story");
    }
    td__sqlite_stmt_done(stmt);
    return s;
}

td_status td__sqlite_entity_stories(td_store *st, const char *key,
                                    td_entity_list **out, td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->ent_stmt[QE_RANGE];
    td_entity_list *l;
    size_t size = 0;
    td_status s = TD_OK;
    int rc = SQLITE_DONE;

    *out = NULL;
    if (!(l = td__store_entity_list_new(key)))
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    sqlite3_bind_text(stmt, 1, td__key_surname(key, NULL), -1,
                      SQLITE_STATIC);
    /* Rows come in story order: the rows of one story are adjacent. */
    while (s == TD_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
        if (td__store_entity_row(l, &size, key,
                                 (const char *)sqlite3_column_text(stmt, 0),
                                 sqlite3_column_int64(stmt, 1),
                                 (uint32_t)sqlite3_column_int64(stmt, 2),
                                 (uint32_t)sqlite3_column_int64(stmt, 3),
                                 (const char *)sqlite3_column_text(stmt, 4))
            != TD_OK)
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__sqlite_fail(st, err, "cannot read the entity index");
    td__sqlite_stmt_done(stmt);
    return td__store_entity_done(st, l, s, story_columns, out, err);
}
