/*
** sqlite_search.c: full-text search over article titles and texts with SQLite
** FTS5. The index is an external-content FTS5 table over `articles` (the
** texts are not stored twice), kept in step by triggers, so an article and
** its index entry are written in the same transaction. A user's query is
** never handed to FTS5 as syntax: each word (words.c) becomes a quoted
** prefix term. See docs/internals/store.md ("Search").
*/
#include "sqlite_int.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* unicode61 folds case in every script it knows (Latin, Cyrillic, Greek...)
** and, with remove_diacritics 2, "é" to "e" and "ё" to "е", so "Cafe" finds
** "café". detail=none keeps no positions, only which articles hold a word:
** queries are words ANDed, never phrases, and that halves what FTS5 writes
** per article; columnsize=0 drops the per-row token counts, which only
** ranking would read. Our connections run a table-driven copy of
** unicode61 with the same tokens (sqlite_tokenize.c).
**
** New articles are indexed at commit (td__sqlite_search_catch_up), all of
** the batch in one statement, not by an insert trigger: FTS5 writes its
** pending terms out as a new segment at every statement savepoint, and a
** trigger makes each article's INSERT a statement with a savepoint, so a
** trigger cost one segment (and its merges) per article, about a quarter of
** ingest time. meta 'fts_seq' is the last seq indexed; it moves in the same
** transaction as the articles, so a rollback or a crash leaves the two in
** step. Deletes and text updates (none today) are still kept by triggers.
**
** Two FTS5 settings (kept in articles_fts_config, so every writer uses
** them): 'hashsize' 8 MiB lets FTS5 hold a whole batch's terms in memory
** (2,000 articles of 3 KB need about 4 MiB) and write them as one segment
** at commit; with the default 1 MiB a batch became four or five segments,
** which automerge then read and wrote again. 'automerge' 16 (default 4)
** merges a level once it has 16 segments, not 4: each posting is then
** rewritten about log16 instead of log4 of the number of batches times, at
** the price of a search reading up to 15 segments a level (a prefix query
** over 10 unmerged segments cost 283k instructions against 172k merged).
** Measured in docs/internals/bench.md (session 4).
**
** Everything else is IF NOT EXISTS: a separate block that runs with the
** rest of the schema at every upgrade. */
static const char search_schema_sql[] =
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    " title, text, content='articles', content_rowid='seq',"
    " tokenize='unicode61 remove_diacritics 2', detail=none, columnsize=0);"
    "INSERT INTO articles_fts(articles_fts, rank) VALUES('hashsize', 8388608);"
    "INSERT INTO articles_fts(articles_fts, rank) VALUES('automerge', 16);"
    "DROP TRIGGER IF EXISTS articles_fts_insert;"
    "CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles"
    " BEGIN INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    " VALUES('delete', old.seq, old.title, old.text); END;"
    "CREATE TRIGGER IF NOT EXISTS articles_fts_update"
    " AFTER UPDATE OF title, text ON articles"
    " BEGIN INSERT INTO articles_fts(articles_fts, rowid, title, text)"
    " VALUES('delete', old.seq, old.title, old.text);"
    " INSERT INTO articles_fts(rowid, title, text)"
    " VALUES(new.seq, new.title, new.text); END;";

/* Run at every schema upgrade, once the index holds every article (filled
** by the old insert trigger, or rebuilt just before). */
static const char search_mark_all_sql[] =
    "INSERT OR REPLACE INTO meta(name, value)"
    " SELECT 'fts_seq', COALESCE(MAX(seq), 0) FROM articles";

/* The batch's articles, then the mark past them. */
static const char catch_up_sql[] =
    "INSERT INTO articles_fts(rowid, title, text)"
    " SELECT seq, title, text FROM articles WHERE seq >"
    " (SELECT COALESCE(MAX(value), 0) FROM meta WHERE name = 'fts_seq')";

/* Stories (columns as Q_STORIES) with an article matching ?1. */
static const char search_sql[] =
    "SELECT id, n_articles, langs, first_date, last_date, title, entities"
    " FROM stories WHERE n_articles > 0 AND id IN ("
    "  SELECT a.story FROM articles_fts JOIN articles a"
    "  ON a.seq = articles_fts.rowid WHERE articles_fts MATCH ?1)"
    " ORDER BY n_articles DESC, id ASC";

td_status td__sqlite_search_schema(td_store *st, td_error *err)
{
    int64_t had = 0;
    sqlite3_stmt *stmt = NULL;
    int rc;

    rc = sqlite3_prepare_v2(SQ(st)->db, "SELECT 1 FROM sqlite_master WHERE"
                            " name = 'articles_fts'", -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(stmt);
        had = rc == SQLITE_ROW;
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_OK ||
        sqlite3_exec(SQ(st)->db, search_schema_sql, NULL, NULL, NULL) != SQLITE_OK)
        return td__sqlite_fail(st, err, "cannot create search index");
    /* A store from before the index (schema 3) gets its articles indexed
    ** now, in the caller's schema transaction. */
    if (!had && sqlite3_exec(SQ(st)->db, "INSERT INTO articles_fts(articles_fts)"
                             " VALUES('rebuild')", NULL, NULL, NULL)
                    != SQLITE_OK)
        return td__sqlite_fail(st, err, "cannot fill search index");
    if (sqlite3_exec(SQ(st)->db, search_mark_all_sql, NULL, NULL, NULL)
        != SQLITE_OK)
        return td__sqlite_fail(st, err, "cannot mark search index");
    return TD_OK;
}

td_status td__sqlite_search_catch_up(td_store *st, td_error *err)
{
    td_status s;
    if (!SQ(st)->fts_add &&
        (sqlite3_prepare_v3(SQ(st)->db, catch_up_sql, -1,
                            SQLITE_PREPARE_PERSISTENT, &SQ(st)->fts_add, NULL)
             != SQLITE_OK ||
         sqlite3_prepare_v3(SQ(st)->db, search_mark_all_sql, -1,
                            SQLITE_PREPARE_PERSISTENT, &SQ(st)->fts_mark, NULL)
             != SQLITE_OK))
        return td__sqlite_fail(st, err, "cannot prepare search indexing");
    s = td__sqlite_run_done(st, SQ(st)->fts_add, err,
                                     "cannot index articles for search");
    if (s == TD_OK)
        s = td__sqlite_run_done(st, SQ(st)->fts_mark, err,
                               "cannot index articles for search");
    return s;
}

void td__sqlite_search_free(td_store *st)
{
    sqlite3_finalize(SQ(st)->search);
    sqlite3_finalize(SQ(st)->fts_add);
    sqlite3_finalize(SQ(st)->fts_mark);
    SQ(st)->search = SQ(st)->fts_add = SQ(st)->fts_mark = NULL;
}

/* Turns the words of a user's query into FTS5 syntax in b: each as a
** quoted string with a '*' after it, so a word matches as a prefix
** ("quake" finds "quakes", "Лавров" finds "Лаврова"). Words are ANDed. One
** token per string is also what the index allows: it keeps no positions
** (detail=none), so it has no phrases. Words hold only letters and
** numbers: no quote to escape. */
static td_status fts_query(const char *const *words, size_t n_words,
                           td_buf *b)
{
    td_status s = TD_OK;
    size_t i;
    for (i = 0; s == TD_OK && i < n_words; i++)
        s = td__buf_printf(b, "%s\"%s\"*", i ? " " : "", words[i]);
    return s;
}

td_status td__sqlite_search_stories(td_store *st, const char *const *words,
                                    size_t n_words, int with_sources,
                                    td_story_list **out, td_error *err)
{
    td_buf b;
    td_status s;

    td__buf_init(&b, (size_t)1 << 20);
    s = fts_query(words, n_words, &b);
    if (s != TD_OK) {
        td__buf_free(&b);
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    }
    if (!SQ(st)->search &&
        sqlite3_prepare_v3(SQ(st)->db, search_sql, -1,
                           SQLITE_PREPARE_PERSISTENT, &SQ(st)->search, NULL)
            != SQLITE_OK) {
        td__buf_free(&b);
        return td__sqlite_fail(st, err, "cannot prepare search");
    }
    /* No word (an empty or blank query) matches nothing: bind a phrase
    ** without tokens. */
    sqlite3_bind_text(SQ(st)->search, 1, n_words ? b.data : "\"\"", -1,
                      SQLITE_STATIC);
    s = td__sqlite_read_stories(st, SQ(st)->search, with_sources, out, err,
                                "cannot search");
    td__sqlite_stmt_done(SQ(st)->search);
    td__buf_free(&b);
    return s;
}
