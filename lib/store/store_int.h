/*
** store_int.h: the store's internals shared by its two backends, SQLite
** (sqlite*.c) and PostgreSQL (pg*.c). A td_store is a table of backend
** methods plus what both keep (path, scratch columns, counter logs), like
** SQLite's VFS: store.c turns each td__store_* call into one indirect call.
** What the backends share beyond that (summary columns, counter logs, copy
** groups, entity matching, search words) is written once, here and in
** store.c, counters.c, copies.c, entities.c and words.c.
*/
#ifndef TD_STORE_INT_H
#define TD_STORE_INT_H

#include "store.h"
#include "util/map.h"
#include "util/util.h"

/* Bumped when the schema changes; kept in SQLite's PRAGMA user_version and
** in PostgreSQL's meta row "schema_version". */
#define STORE_SCHEMA_VERSION 9

/* Caps on the summary columns written for each article, and on the rows
** one read-back list may hold (the store file may be hostile too). */
#define STORE_MAX_ENTITIES     20
#define STORE_MAX_TERMS        20
#define STORE_MAX_COLUMN       4096
#define STORE_MAX_LIST_ROWS    ((size_t)1 << 24)
#define STORE_MAX_BLOB         ((size_t)64 << 20)

/* A log of (key, count) entries kept as one blob per commit (counters.c). */
typedef struct counter_log {
    const char *what;            /* for messages */
    td_buf pending;              /* entries not yet written */
    int logs;                    /* rows in its table, -1 when not counted */
} counter_log;

/* The integer updates of the copy columns (store_methods.update). */
enum {
    STORE_JOIN_GROUP,   /* copy_group = p1 where copy_group = p2 */
    STORE_SET_GROUP,    /* copy_group = p1 where seq = p2 */
    STORE_SET_COPY_OF   /* copy_of = p2 where seq = p1 and copy_of is NULL */
};

/* A blob of a counter log, borrowed for the callback only. */
typedef td_status (*store_blob_fn)(void *ud, const void *data, size_t len);

/* What a backend implements; the meaning of each is that of the td__store_*
** function of the same name in store.h unless said here. */
typedef struct store_methods {
    const char *name;    /* "sqlite", "postgresql" */
    int fold_words;      /* search words folded here (PostgreSQL), or left
                         ** to the index's tokenizer (SQLite FTS5) */
    void (*close)(td_store *st);   /* frees; the transaction is settled */
    int (*in_transaction)(td_store *st);
    td_status (*begin)(td_store *st, td_error *err);
    td_status (*commit)(td_store *st, td_error *err);     /* no flush */
    td_status (*rollback)(td_store *st, td_error *err);
    td_status (*read_begin)(td_store *st, td_error *err);
    void (*read_end)(td_store *st);
    int (*has_article)(td_store *st, const char *id);
    td_status (*add_article)(td_store *st, const td_article *art,
                             const td_analysis *an, int64_t story,
                             const td_store_copy *copy, td_error *err);
    td_status (*add_entities)(td_store *st, int64_t story, int64_t date,
                              const td_store_entity *ents, size_t n,
                              td_error *err);
    td_status (*clear_entities)(td_store *st, td_error *err);
    td_status (*entity_stories)(td_store *st, const char *key,
                                td_entity_list **out, td_error *err);
    td_status (*add_copy_edge)(td_store *st, const td_store_edge *e,
                               td_error *err);
    td_status (*update)(td_store *st, int what, int64_t p1, int64_t p2,
                        td_error *err);
    td_status (*article_text)(td_store *st, int64_t seq, char **text,
                              td_error *err);
    td_status (*each_copy_sig)(td_store *st, td_sig_fn fn, void *ud,
                               td_error *err);
    td_status (*each_copy_edge)(td_store *st, td_edge_fn fn, void *ud,
                                td_error *err);
    td_status (*put_story)(td_store *st, const td_story_summary *sum,
                           const void *state, size_t state_len,
                           td_error *err);
    td_status (*put_story_state)(td_store *st, int64_t story,
                                 const void *state, size_t len,
                                 td_error *err);
    td_status (*get_story_meta)(td_store *st, int64_t story, void **meta,
                                size_t *len, td_error *err);
    /* Counter logs: walk the blobs of a kind in the order written, append
    ** one, delete them all. */
    td_status (*log_each)(td_store *st, td_counter_kind kind,
                          store_blob_fn fn, void *ud, td_error *err);
    td_status (*log_put)(td_store *st, td_counter_kind kind,
                         const void *data, size_t len, td_error *err);
    td_status (*log_clear)(td_store *st, td_counter_kind kind,
                           td_error *err);
    td_status (*set_meta)(td_store *st, const char *name, int64_t value,
                          td_error *err);
    td_status (*get_meta)(td_store *st, const char *name, int64_t *value,
                          td_error *err);
    td_status (*each_story_state)(td_store *st, td_story_state_fn fn,
                                  void *ud, td_error *err);
    /* Every listed story, with the copies fields when with_sources. */
    td_status (*stories)(td_store *st, int with_sources, td_story_list **out,
                         td_error *err);
    /* One story's row (an empty list when there is none). */
    td_status (*story)(td_store *st, int64_t story, td_story_list **out,
                       td_error *err);
    td_status (*story_sources)(td_store *st, td_story_row *r, td_error *err);
    /* A page of the list and the counts (td__store_story_page). */
    td_status (*story_page)(td_store *st, const td_list_query *q,
                            td_story_list **out, uint64_t *total,
                            uint64_t *rest, td_error *err);
    td_status (*story_articles)(td_store *st, int64_t story,
                                td_article_list **out, td_error *err);
    td_status (*article)(td_store *st, const char *id, td_article_list **out,
                         td_error *err);
    td_status (*each_article)(td_store *st, td_article_fn fn, void *ud,
                              td_error *err);
    /* The query is checked (UTF-8, size) and cut into its words, folded as
    ** td__store_search_words() folds texts; n_words may be 0. */
    td_status (*search_stories)(td_store *st, const char *const *words,
                                size_t n_words, int with_sources,
                                td_story_list **out, td_error *err);
    td_status (*copies)(td_store *st, int64_t story, td_copy_list **out,
                        td_error *err);
} store_methods;

/* What every backend's store starts with. */
struct td_store {
    const store_methods *m;
    char path[512];       /* for err->where (a URI without its password) */
    int readonly;         /* opened by td__store_open_readonly() */
    td_buf entities;      /* scratch for the entities column, reused */
    td_buf terms;         /* scratch for the terms column, reused */
    counter_log counters[TD_COUNTER_KINDS];
};

/* The backends' open functions: *out is new (free with td__store_free). */
td_status td__sqlite_open(const char *path, int readonly, td_store **out,
                          td_error *err);
td_status td__pg_open(const char *uri, int readonly, td_store **out,
                      td_error *err);
/* Sets up and frees the common part of a store (store.c). */
void td__store_base_init(td_store *st, const store_methods *m,
                         const char *path, int readonly);
void td__store_base_free(td_store *st);

/* Fills st->entities and st->terms from the analysis (store.c). Items are
** dropped (never an error) when a column would pass STORE_MAX_COLUMN;
** TD_ENOMEM. */
td_status td__store_summary_columns(td_store *st, const td_analysis *an);

/* rows grown (zero-filled) to hold row n; NULL when out of memory or past
** STORE_MAX_LIST_ROWS, rows then still valid (store.c). */
void *td__store_grow_rows(void *rows, size_t n, size_t *size, size_t row_size);
/* A new empty list; NULL when out of memory. */
td_story_list *td__store_story_list_new(void);
/* Appends a zeroed row to list; NULL when out of memory. */
td_story_row *td__store_story_row_add(td_story_list *list, size_t *size);
td_article_row *td__store_article_row_add(td_article_list *list,
                                          size_t *size);

/* Counter logs (counters.c): set up, free, forget pending entries (after a
** rollback), and write pending entries inside the open transaction. */
void td__store_counters_init(td_store *st);
void td__store_counters_free(td_store *st);
void td__store_counters_drop(td_store *st);
td_status td__store_counters_flush(td_store *st, td_error *err);

/* A story's independent sources (copies.c): fed its (copy group, seq)
** rows earliest first, it gives the number of groups and the seq of the
** story's origin (the first member of the largest group). */
typedef struct store_sources {
    td_map index;                /* group id -> slot in counts */
    struct group_count *counts;
    size_t n, size;
} store_sources;
void td__store_sources_init(store_sources *g);
/* TD_ENOMEM or TD_OK. */
td_status td__store_sources_add(store_sources *g, int64_t group, int64_t seq);
/* Number of groups; *origin_seq the origin's seq (0 when none). Frees g. */
size_t td__store_sources_done(store_sources *g, int64_t *origin_seq);

/* A story's copy list (copies.c), built from its members earliest first
** (strings copied) and its edges, then ordered. */
typedef struct store_copies {
    td_copy_list *list;
    td_map index;                /* group id -> slot */
    size_t groups_size, edges_size;
} store_copies;
td_status td__store_copies_init(store_copies *c);
td_status td__store_copies_member(store_copies *c, int64_t group,
                                  const char *copy_of, const char *credits,
                                  const char *id, const char *source,
                                  int64_t date);
/* a was ingested first; direction as stored. */
td_status td__store_copies_edge(store_copies *c, int64_t group,
                                const char *a_id, const char *b_id,
                                int direction, double similarity,
                                const char *passage, int kind);
/* *out is the list (TD_ENOTFOUND when it has no member: freed), ordered;
** on error frees it. */
td_status td__store_copies_done(store_copies *c, td_status s, int64_t story,
                                td_store *st, td_copy_list **out,
                                td_error *err);

/* The entity index's matching (entities.c): one index row of the surname
** range of key (td__key_surname), in story order, added to l when it
** matches. TD_ENOMEM or TD_OK. */
td_status td__store_entity_row(td_entity_list *l, size_t *size,
                               const char *key, const char *row_key,
                               int64_t story, uint32_t articles,
                               uint32_t mentions, const char *display);
/* A new list for key (NULL when out of memory), and its end: each row's
** story columns filled by the backend's columns(), ordered newest last
** activity first, into *out; on error (s, or one of columns()) freed. */
typedef td_status (*store_story_columns_fn)(td_store *st, td_entity_story *r,
                                            td_error *err);
td_entity_list *td__store_entity_list_new(const char *key);
td_status td__store_entity_done(td_store *st, td_entity_list *l, td_status s,
                                store_story_columns_fn columns,
                                td_entity_list **out, td_error *err);

/* Search words (words.c). The words of a query: every run of letters and
** numbers, folded (case, diacritics) the way td__store_search_text folds
** texts when fold is set. *words is new (free()); the strings are in b,
** valid until it is freed or reset. */
td_status td__store_query_words(const char *query, int fold, td_buf *b,
                                const char ***words, size_t *n_words);
/* The letters and numbers of title and text, folded, one space between
** words, into b (for PostgreSQL's index; SQLite's FTS5 folds its own). At
** most max bytes, whole words; words over max_word bytes left out. */
td_status td__store_search_text(const char *title, const char *text,
                                td_buf *b, size_t max, size_t max_word);
/* Length of the code point at q when it is part of a word (a letter,
** number or private-use character, unicode61's token characters), else 0. */
size_t td__store_word_char(const char *q);

#endif
