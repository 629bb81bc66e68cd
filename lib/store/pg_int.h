/*
** pg_int.h: the PostgreSQL backend's internals shared by its files (pg.c:
** connection, schema, writes; pg_read.c: read-back): the prepared
** statements, its store struct and small libpq helpers (binary
** parameters and results). Only the files of lib/store include it.
*/
#ifndef TD_PG_INT_H
#define TD_PG_INT_H

#include "store_int.h"

#include <libpq-fe.h>

/* The prepared statements, created at open on the connection and reused
** (named "q<index>"). */
enum {
    P_HAS_ARTICLE,
    P_ADD_ARTICLE,
    P_ARTICLE_ID,
    P_PUT_COPY_SIG,
    P_PUT_STORY,
    P_PUT_STORY_STATE,
    P_GET_STORY_META,
    P_PUT_DF_LOG,
    P_CLEAR_DF_LOG,
    P_EACH_DF_LOG,
    P_PUT_SITE_LOG,
    P_CLEAR_SITE_LOG,
    P_EACH_SITE_LOG,
    P_SET_META,
    P_GET_META,
    P_EACH_STORY_STATE,
    P_STORIES,
    P_STORY,
    P_STORY_ARTICLES,
    P_ARTICLE,
    P_EACH_ARTICLE,
    P_ADD_COPY_EDGE,
    P_JOIN_GROUP,
    P_SET_GROUP,
    P_SET_COPY_OF,
    P_ARTICLE_TEXT,
    P_EACH_COPY_SIG,
    P_EACH_COPY_EDGE,
    P_STORY_GROUPS,
    P_ARTICLE_ORIGIN,
    P_STORY_MEMBERS,
    P_STORY_EDGES,
    P_ENT_ADD,
    P_ENT_RANGE,
    P_ENT_STORY,
    P_ENT_CLEAR,
    P_SEARCH,
    P_COUNT
};

/* The walks (each_article, story states, signatures, edges) read this many
** rows a page, after the last key seen: memory stays flat whatever the
** store's size, and a callback may use the store meanwhile. */
#define PG_WALK_PAGE 1000
#define PG_WALK_PAGE_SQL "1000"

/* Runs walk statement q for the page after key (k1, k2; k2 only for two-
** column keys); see td__pg_exec. */
PGresult *td__pg_page(td_store *st, int q, int64_t k1, int64_t k2);
/* A walk's callback and its data. */
typedef struct walk_cb {
    union {
        td_story_state_fn state;
        td_sig_fn sig;
        td_edge_fn edge;
        td_article_fn article;
    } fn;
    void *ud;
} walk_cb;

/* Walks every row of walk statement q, page by page, calling row() for
** each (its values borrowed for the call); a status other than TD_OK
** stops the walk and is returned. */
td_status td__pg_walk(td_store *st, int q, td_status (*row)(void *ud,
                      const PGresult *r, int i), void *ud, td_error *err,
                      const char *what);

/* The SQL of each statement and its parameter types, one letter each:
** i BIGINT, t TEXT, b BYTEA, d DOUBLE PRECISION (pg.c). */
typedef struct pg_query {
    const char *sql;
    const char *types;
} pg_query;
extern const pg_query td__pg_query[P_COUNT];

/* The PostgreSQL store: the common part first. The connection runs in
** pipeline mode: inside a transaction, writes whose answer nobody waits
** for are queued (td__pg_send) and their results read at the next call
** that waits for one (td__pg_exec, commit), in one round trip. */
typedef struct pg_store {
    td_store base;
    PGconn *conn;
    int txn;              /* in a transaction (begin or read_begin) */
    int queued;           /* statements sent whose results are unread */
    int failed_queued;    /* the last failure was a queued statement's */
    td_buf doc;           /* scratch: an article's search words */
} pg_store;

#define PG(st) ((pg_store *)(st))

/* Up to 16 parameters of one statement, bound without copies: integers
** and floats in binary (network order), text as text, blobs as binary. */
#define PG_MAX_PARAMS 16
typedef struct pg_params {
    const char *values[PG_MAX_PARAMS];
    int lengths[PG_MAX_PARAMS];
    int formats[PG_MAX_PARAMS];
    unsigned char ints[PG_MAX_PARAMS][8];
    int n;
} pg_params;

void td__pg_int(pg_params *p, int i, int64_t v);
void td__pg_date(pg_params *p, int i, int64_t date);   /* NULL: TD_NO_DATE */
void td__pg_double(pg_params *p, int i, double v);
void td__pg_text(pg_params *p, int i, const char *s);  /* NULL stays NULL */
void td__pg_blob(pg_params *p, int i, const void *data, size_t len);

/* Runs prepared statement q with p (NULL: none) and waits for its result
** (binary), reading the queued ones first: when one of those failed, its
** result is returned instead. NULL only when the connection failed. Free
** with PQclear(). */
PGresult *td__pg_exec(td_store *st, int q, const pg_params *p);
/* Runs q without waiting when in a transaction (its failure is then told
** by the next call that waits), else waits; for statements without rows. */
td_status td__pg_send(td_store *st, int q, const pg_params *p, td_error *err,
                      const char *what);
/* Did r succeed (a command or rows)? */
int td__pg_ok(const PGresult *r);
/* TD_ESTORE with the server's message for r (or the connection's). */
td_status td__pg_fail(td_store *st, const PGresult *r, td_error *err,
                      const char *what);

/* Column readers of a binary result (any integer width; NULL as 0, as
** TD_NO_DATE, or as NULL). Text is the result's, borrowed. */
int64_t td__pg_col_int(const PGresult *r, int row, int col);
int64_t td__pg_col_date(const PGresult *r, int row, int col);
double td__pg_col_double(const PGresult *r, int row, int col);
const char *td__pg_col_text(const PGresult *r, int row, int col);
/* New copy of a text column into *out (NULL for NULL); 0 when out of memory. */
int td__pg_col_copy(const PGresult *r, int row, int col, char **out);

/* The read-back methods (pg_read.c); see store_methods. */
td_status td__pg_stories(td_store *st, int with_sources, td_story_list **out,
                         td_error *err);
td_status td__pg_story(td_store *st, int64_t story, td_story_list **out,
                       td_error *err);
td_status td__pg_story_sources(td_store *st, td_story_row *r, td_error *err);
td_status td__pg_story_articles(td_store *st, int64_t story,
                                td_article_list **out, td_error *err);
td_status td__pg_article(td_store *st, const char *id, td_article_list **out,
                         td_error *err);
td_status td__pg_each_article(td_store *st, td_article_fn fn, void *ud,
                              td_error *err);
td_status td__pg_search_stories(td_store *st, const char *const *words,
                                size_t n_words, int with_sources,
                                td_story_list **out, td_error *err);
td_status td__pg_copies(td_store *st, int64_t story, td_copy_list **out,
                        td_error *err);
td_status td__pg_entity_stories(td_store *st, const char *key,
                                td_entity_list **out, td_error *err);

#endif
