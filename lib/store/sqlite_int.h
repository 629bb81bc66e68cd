/*
** sqlite_int.h: the SQLite backend's internals shared by its files
** (sqlite*.c): the prepared statements, its store struct and small SQLite
** helpers. Only the files of lib/store include it.
*/
#ifndef TD_SQLITE_INT_H
#define TD_SQLITE_INT_H

#include "store_int.h"

#include <sqlite3.h>

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
    Q_STORY_PAGE,
    Q_STORY_COUNT,
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

/* The SQLite store: the common part first. */
typedef struct sqlite_store {
    td_store base;
    sqlite3 *db;
    sqlite3_stmt *stmt[Q_COUNT];
    sqlite3_stmt *ent_stmt[QE_COUNT];  /* the entity index's (entities.c) */
    sqlite3_stmt *search; /* sqlite_search.c's query, prepared at first use */
    sqlite3_stmt *fts_add, *fts_mark; /* sqlite_search.c's indexing at commit */
} sqlite_store;

#define SQ(st) ((sqlite_store *)(st))

/* SQLite helpers (sqlite.c). */
td_status td__sqlite_fail(td_store *st, td_error *err, const char *what);
int td__sqlite_bind_text(sqlite3_stmt *stmt, int i, const char *s);
int td__sqlite_bind_date(sqlite3_stmt *stmt, int i, int64_t date);
int64_t td__sqlite_column_date(sqlite3_stmt *stmt, int i);
/* The statement for a walk over rows of query q: the shared one, or, when a
** callback starts the same walk again, a new one (*own set; finalized by
** td__sqlite_walk_done). */
td_status td__sqlite_walk_statement(td_store *st, int q, sqlite3_stmt **stmt,
                                   int *own, td_error *err);
void td__sqlite_walk_done(sqlite3_stmt *stmt, int own);
/* New copy of a text column into *out (NULL for NULL); 0 when out of memory. */
int td__sqlite_column_copy(sqlite3_stmt *stmt, int i, char **out);
void td__sqlite_stmt_done(sqlite3_stmt *stmt);
td_status td__sqlite_run_done(td_store *st, sqlite3_stmt *stmt, td_error *err,
                             const char *what);

/* The entity index (sqlite_entities.c): its schema block, run after the
** main one; its statements, prepared at open and finalized at free. */
extern const char td__sqlite_entities_schema[];
td_status td__sqlite_entities_prepare(td_store *st, td_error *err);
void td__sqlite_entities_finalize(td_store *st);

/* The methods of the other files (sqlite_read.c, sqlite_copies.c,
** sqlite_entities.c, sqlite_search.c); see store_methods. */
td_status td__sqlite_add_entities(td_store *st, int64_t story, int64_t date,
                                  const td_store_entity *ents, size_t n,
                                  td_error *err);
td_status td__sqlite_clear_entities(td_store *st, td_error *err);
td_status td__sqlite_entity_stories(td_store *st, const char *key,
                                    td_entity_list **out, td_error *err);
td_status td__sqlite_add_copy_edge(td_store *st, const td_store_edge *e,
                                   td_error *err);
td_status td__sqlite_update(td_store *st, int what, int64_t p1, int64_t p2,
                            td_error *err);
td_status td__sqlite_article_text(td_store *st, int64_t seq, char **text,
                                  td_error *err);
td_status td__sqlite_each_copy_sig(td_store *st, td_sig_fn fn, void *ud,
                                   td_error *err);
td_status td__sqlite_each_copy_edge(td_store *st, td_edge_fn fn, void *ud,
                                    td_error *err);
td_status td__sqlite_story_sources(td_store *st, td_story_row *r,
                                   td_error *err);
td_status td__sqlite_copies(td_store *st, int64_t story, td_copy_list **out,
                            td_error *err);
td_status td__sqlite_stories(td_store *st, int with_sources,
                             td_story_list **out, td_error *err);
td_status td__sqlite_story(td_store *st, int64_t story, td_story_list **out,
                           td_error *err);
td_status td__sqlite_story_page(td_store *st, const td_list_query *q,
                                td_story_list **out, uint64_t *total,
                                uint64_t *rest, td_error *err);
td_status td__sqlite_story_articles(td_store *st, int64_t story,
                                    td_article_list **out, td_error *err);
td_status td__sqlite_article(td_store *st, const char *id,
                             td_article_list **out, td_error *err);
td_status td__sqlite_each_article(td_store *st, td_article_fn fn, void *ud,
                                  td_error *err);
td_status td__sqlite_search_stories(td_store *st, const char *const *words,
                                    size_t n_words, int with_sources,
                                    td_story_list **out, td_error *err);

/* Reads the rows of a bound statement with Q_STORIES' columns into a new
** list (sqlite_read.c), with each row's sources and origin when
** with_sources is set; what names the query in messages. Resets stmt. */
td_status td__sqlite_read_stories(td_store *st, sqlite3_stmt *stmt,
                                 int with_sources, td_story_list **out,
                                 td_error *err, const char *what);

/* Search (sqlite_search.c): creates the full-text index if missing (filling it
** from the stored articles), inside the schema transaction; frees its
** statement. */
td_status td__sqlite_search_schema(td_store *st, td_error *err);
void td__sqlite_search_free(td_store *st);
/* Indexes the articles stored since the last call; run before each commit. */
td_status td__sqlite_search_catch_up(td_store *st, td_error *err);
/* Puts a faster unicode61 (the same tokens as SQLite's) on db's FTS5
** (sqlite_tokenize.c); without it, db keeps SQLite's own. */
void td__sqlite_tokenizer_register(sqlite3 *db);


#endif
