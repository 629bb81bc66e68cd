/*
** store_int.h: the store's internals shared by its files: the prepared
** statements, the td_store struct and small SQLite helpers. Only
** the files of lib/store include it.
*/
#ifndef TD_STORE_INT_H
#define TD_STORE_INT_H

#include "store.h"
#include "util/util.h"

#include <sqlite3.h>

/* Bumped when the schema changes; kept in PRAGMA user_version. */
#define STORE_SCHEMA_VERSION 7

/* Caps on the summary columns written for each article, and on the rows
** one read-back list may hold (the store file may be hostile too). */
#define STORE_MAX_ENTITIES     10
#define STORE_MAX_TERMS        20
#define STORE_MAX_COLUMN       4096
#define STORE_MAX_LIST_ROWS    ((size_t)1 << 24)
#define STORE_MAX_BLOB         ((size_t)64 << 20)

/* The prepared statements, created at open and reused. */
enum {
    Q_BEGIN,
    Q_COMMIT,
    Q_ROLLBACK,
    Q_HAS_ARTICLE,
    Q_ADD_ARTICLE,
    Q_PUT_STORY,
    Q_PUT_STORY_STATE,
    Q_GET_STORY_META,
    Q_PUT_DF_LOG,
    Q_CLEAR_DF_LOG,
    Q_SET_META,
    Q_GET_META,
    Q_EACH_STORY_STATE,
    Q_EACH_DF_LOG,
    Q_PUT_SITE_LOG,
    Q_CLEAR_SITE_LOG,
    Q_EACH_SITE_LOG,
    Q_STORIES,
    Q_STORY,
    Q_STORY_ARTICLES,
    Q_ARTICLE,
    Q_EACH_ARTICLE,
    Q_PUT_COPY_SIG,
    Q_ADD_COPY_EDGE,
    Q_JOIN_GROUP,
    Q_SET_GROUP,
    Q_SET_COPY_OF,
    Q_ARTICLE_TEXT,
    Q_EACH_COPY_SIG,
    Q_EACH_COPY_EDGE,
    Q_STORY_GROUPS,
    Q_ARTICLE_ORIGIN,
    Q_STORY_MEMBERS,
    Q_STORY_EDGES,
    Q_COUNT
};

/* The entity index's statements (entities.c), kept apart from the main
** list so that its schema and queries stay in one file. */
enum { QE_ADD, QE_RANGE, QE_STORY, QE_CLEAR, QE_COUNT };

/* A log of (key, count) entries kept as one blob per commit (counters.c). */
typedef struct counter_log {
    int q_put, q_clear, q_each;  /* its statements */
    const char *what;            /* for messages */
    td_buf pending;              /* entries not yet written */
    int logs;                    /* rows in its table, -1 when not counted */
} counter_log;

struct td_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[Q_COUNT];
    char path[512];       /* for err->where */
    td_buf entities;      /* scratch for the entities column, reused */
    td_buf terms;         /* scratch for the terms column, reused */
    counter_log counters[TD_COUNTER_KINDS];
    sqlite3_stmt *ent_stmt[QE_COUNT];  /* the entity index's (entities.c) */
    sqlite3_stmt *search; /* search.c's query, prepared at its first use */
    sqlite3_stmt *fts_add, *fts_mark; /* search.c's indexing at commit */
    int readonly;         /* opened by td__store_open_readonly() */
};

/* SQLite helpers (store.c). */
td_status td__store_fail(td_store *st, td_error *err, const char *what);
int td__store_bind_text(sqlite3_stmt *stmt, int i, const char *s);
int td__store_bind_date(sqlite3_stmt *stmt, int i, int64_t date);
int64_t td__store_column_date(sqlite3_stmt *stmt, int i);
/* The statement for a walk over rows of query q: the shared one, or, when a
** callback starts the same walk again, a new one (*own set; finalized by
** td__store_walk_done). */
td_status td__store_walk_statement(td_store *st, int q, sqlite3_stmt **stmt,
                                   int *own, td_error *err);
void td__store_walk_done(sqlite3_stmt *stmt, int own);
/* New copy of a text column into *out (NULL for NULL); 0 when out of memory. */
int td__store_column_copy(sqlite3_stmt *stmt, int i, char **out);
/* rows grown (zero-filled) to hold row n; NULL when out of memory or past
** STORE_MAX_LIST_ROWS, rows then still valid. */
void *td__store_grow_rows(void *rows, size_t n, size_t *size, size_t row_size);
void td__store_stmt_done(sqlite3_stmt *stmt);
td_status td__store_run_done(td_store *st, sqlite3_stmt *stmt, td_error *err,
                             const char *what);

/* Counter logs (counters.c): set up, free, forget pending entries (after a
** rollback), and write pending entries inside the open transaction. */
void td__store_counters_init(td_store *st);
void td__store_counters_free(td_store *st);
void td__store_counters_drop(td_store *st);
td_status td__store_counters_flush(td_store *st, td_error *err);

/* The entity index (entities.c): its schema block, run after the main
** one; its statements, prepared at open and finalized at free. */
extern const char td__store_entities_schema[];
td_status td__store_entities_prepare(td_store *st, td_error *err);
void td__store_entities_finalize(td_store *st);

/* Copies read-back (copies.c): fills r's n_sources, origin_id and
** origin_credits. */
td_status td__store_story_sources(td_store *st, td_story_row *r,
                                  td_error *err);

/* Reads the rows of a bound statement with Q_STORIES' columns into a new
** list (read.c), with each row's sources and origin when with_sources is
** set; what names the query in messages. Resets stmt. */
td_status td__store_read_stories(td_store *st, sqlite3_stmt *stmt,
                                 int with_sources, td_story_list **out,
                                 td_error *err, const char *what);

/* Search (search.c): creates the full-text index if missing (filling it
** from the stored articles), inside the schema transaction; frees its
** statement. */
td_status td__store_search_schema(td_store *st, td_error *err);
void td__store_search_free(td_store *st);
/* Indexes the articles stored since the last call; run before each commit. */
td_status td__store_search_catch_up(td_store *st, td_error *err);


#endif
