/*
** store.h: the store stage: SQLite (WAL mode) holding articles, their story
** assignment, story summaries, the clustering state needed to continue
** (document frequencies, per-story state blobs, counters in meta), and the
** copy graph (signatures, edges, each article's copy group and copy_of).
** The store does not know what a state blob means; cluster/ does.
*/
#ifndef TD_STORE_H
#define TD_STORE_H

#include "../article.h"

typedef struct td_store td_store;

/* Opens or creates the store at path (":memory:" allowed), creating missing
** tables. TD_ESTORE (err->msg from SQLite, err->where the path) when the
** file is not a database or its schema is newer than this build.
** *out is new; free with td__store_free(). */
td_status td__store_open(const char *path, td_store **out, td_error *err);
/* Opens an existing store of the current schema read-only, for reading
** back while another connection (thread or process) writes: WAL lets it
** read the last commit without waiting. TD_ESTORE when the file is missing,
** not a store, or of another schema version (open it once for writing to
** upgrade it). *out is new; free with td__store_free(). */
td_status td__store_open_readonly(const char *path, td_store **out,
                                  td_error *err);
/* Commits an open transaction and closes. NULL is a no-op. */
void td__store_free(td_store *st);

/* Transactions: begin is a no-op when one is open; commit and rollback are
** no-ops when none is. Without one, every write commits by itself. */
td_status td__store_begin(td_store *st, td_error *err);
td_status td__store_commit(td_store *st, td_error *err);
td_status td__store_rollback(td_store *st, td_error *err);

/* A read transaction on a read-only store: the reads between begin and
** end see one commit. begin is a no-op when a transaction is open. */
td_status td__store_read_begin(td_store *st, td_error *err);
void td__store_read_end(td_store *st);

/* 1 when an article with this id is stored, 0 when not, -1 on error. */
int td__store_has_article(td_store *st, const char *id);

/* What the copies bookkeeping (lib/copies.c) decided for one article. */
typedef struct td_store_copy {
    int64_t seq;          /* the article's seq (ingest order), given by the
                          ** caller so the dedup index ids stay seq - 1 */
    int64_t copy_group;   /* 0 when alone (read back as its seq) */
    int64_t copy_of;      /* seq of the article it copies, 0 for none */
    const char *credits;  /* "NBC News; Reuters", or NULL */
    const void *sig;      /* the signature blob (stored with the date), or
                          ** NULL for none */
    size_t sig_len;
} td_store_copy;

/* Stores one article with its analysis and story. Its seq (ingest order) is
** copy->seq, or the next integer when copy is NULL (no copy columns). The entities column gets the first 10 entities' display
** forms joined by "; ", the terms column the 20 most frequent word terms
** (ties: earlier first) joined by " "; an NULL leaves lang, entities and
** terms NULL. TD_EDUPID when the id is already stored, TD_EMISSING when
** art has no id. */
td_status td__store_add_article(td_store *st, const td_article *art,
                                const td_analysis *an, int64_t story,
                                const td_store_copy *copy, td_error *err);

/* Entity index (entities.c) --------------------------------------------- */

/* One entity of an article for the index. Strings borrowed. */
typedef struct td_store_entity {
    const char *key;      /* its entity key (td__key_from_norm of its norm) */
    const char *display;  /* a spelling to show */
    uint32_t mentions;    /* times the analyzer found it in the article */
} td_store_entity;

/* Adds one article's entities (distinct keys) to the index rows of its
** story: articles + 1, mentions added, last date the later one. */
td_status td__store_add_entities(td_store *st, int64_t story, int64_t date,
                                 const td_store_entity *ents, size_t n,
                                 td_error *err);
/* Empties the index (before a backfill). */
td_status td__store_clear_entities(td_store *st, td_error *err);
/* The stories naming key (see td_engine_entity_stories for the matching
** and the order). *out is new; free with td_entity_list_free(). */
td_status td__store_entity_stories(td_store *st, const char *key,
                                   td_entity_list **out, td_error *err);

/* Copies (schema in docs/internals/store.md) ----------------------------- */

/* An edge of the copy graph between an earlier-ingested article a and a
** later one b, with the longest passage they share (byte offsets). */
typedef struct td_store_edge {
    int64_t a_seq, b_seq;
    int direction;        /* td__copy_direction(date of a, date of b) */
    double similarity;
    int64_t a_start, a_end, b_start, b_end;
    const char *passage;  /* cut by the caller; may be NULL */
    int kind;             /* TD_EDGE_TEXT or TD_EDGE_TRANSLATION */
} td_store_edge;

/* Kinds of copy edges: shared text (MinHash, with a passage), or a
** translation (names and numbers in the same order, no passage). */
#define TD_EDGE_TEXT        0
#define TD_EDGE_TRANSLATION 1

td_status td__store_add_copy_edge(td_store *st, const td_store_edge *e,
                                  td_error *err);
/* Joins copy group from into group into (into < from): every article of
** from, and the first members of both (stored as alone), get copy_group
** into. */
td_status td__store_join_copy_group(td_store *st, int64_t into, int64_t from,
                                    td_error *err);
/* Sets copy_of of article seq to of, unless it already has one. */
td_status td__store_set_copy_of(td_store *st, int64_t seq, int64_t of,
                                td_error *err);
/* The text of article seq. *text is new (free with free()); NULL when the
** article has no text. TD_ENOTFOUND when there is no such article. */
td_status td__store_article_text(td_store *st, int64_t seq, char **text,
                                 td_error *err);

/* Walks the stored signatures in seq order and the edges in (b_seq, a_seq)
** order; blobs and strings are borrowed for the callback only. */
typedef td_status (*td_sig_fn)(void *ud, int64_t seq, int64_t date,
                               const void *sig, size_t len);
typedef td_status (*td_edge_fn)(void *ud, const td_store_edge *e);
td_status td__store_each_copy_sig(td_store *st, td_sig_fn fn, void *ud,
                                  td_error *err);
td_status td__store_each_copy_edge(td_store *st, td_edge_fn fn, void *ud,
                                   td_error *err);

/* A story's summary as the read-back functions show it. Strings borrowed. */
typedef struct td_story_summary {
    int64_t id;
    uint32_t n_articles;
    const char *langs;
    int64_t first_date;
    int64_t last_date;
    const char *title;
    const char *entities;
} td_story_summary;

/* Inserts or replaces a story's summary and story/'s description blob
** (state, may be NULL; read back with td__store_get_story_meta()). Leaves
** the clustering state blob alone. Stories with n_articles 0 are not
** listed by td__store_stories(). */
td_status td__store_put_story(td_store *st, const td_story_summary *sum,
                              const void *state, size_t state_len,
                              td_error *err);

/* Inserts or replaces cluster/'s state blob of a story (walked by
** td__store_each_story_state()); leaves the summary alone. */
td_status td__store_put_story_state(td_store *st, int64_t story,
                                    const void *state, size_t len,
                                    td_error *err);

/* The description blob last given to td__store_put_story(). *meta is new
** (free with free()), *len its size; TD_ENOTFOUND when there is none. */
td_status td__store_get_story_meta(td_store *st, int64_t story, void **meta,
                                   size_t *len, td_error *err);

/* Counter logs: (key, count) pairs written with the next commit; the last
** value put for a key wins. */
typedef enum td_counter_kind {
    TD_COUNTER_DF = 0,     /* document frequencies of terms (cluster/) */
    TD_COUNTER_SITE = 1,   /* pages of a site that held a line (extract/) */
    TD_COUNTER_KINDS
} td_counter_kind;

typedef td_status (*td_df_fn)(void *ud, uint64_t key, uint32_t n);
td_status td__store_put_count(td_store *st, td_counter_kind kind, uint64_t key,
                              uint32_t n, td_error *err);
/* Every key with its latest count, in unsigned key order. */
td_status td__store_each_count(td_store *st, td_counter_kind kind,
                               td_df_fn fn, void *ud, td_error *err);

/* Inserts or replaces one document frequency. */
td_status td__store_put_df(td_store *st, uint64_t key, uint32_t n,
                           td_error *err);

/* Integer settings and counters. get returns TD_ENOTFOUND when absent. */
td_status td__store_set_meta(td_store *st, const char *name, int64_t value,
                             td_error *err);
td_status td__store_get_meta(td_store *st, const char *name, int64_t *value,
                             td_error *err);

/* Walk the clustering state: stories that have a state blob in id order,
** df in unsigned key order.
** The state bytes are borrowed for the callback only. A callback status
** other than TD_OK stops the walk and is returned. */
typedef td_status (*td_story_state_fn)(void *ud, int64_t story,
                                       const void *state, size_t len);
td_status td__store_each_story_state(td_store *st, td_story_state_fn fn,
                                     void *ud, td_error *err);
td_status td__store_each_df(td_store *st, td_df_fn fn, void *ud,
                            td_error *err);

/* Read-back for the public API (see tidings.h for ordering and ownership).
** Lists are new; free with td_story_list_free() / td_article_list_free().
** story_articles and article give TD_ENOTFOUND when nothing matches.
** each_article streams rows whose strings are borrowed for the callback
** only (text and terms NULL). */
td_status td__store_stories(td_store *st, td_story_list **out, td_error *err);
/* The same rows without the copies fields (n_sources 0, origin NULL). */
td_status td__store_story_rows(td_store *st, td_story_list **out,
                               td_error *err);
/* Fills r's n_sources, origin_id and origin_credits (copies.c); the two
** strings must be NULL. */
td_status td__store_story_sources(td_store *st, td_story_row *r,
                                  td_error *err);
/* A page of the story list (td_engine_story_page). */
td_status td__store_story_page(td_store *st, const td_list_query *q,
                               td_story_list **out, uint64_t *total,
                               uint64_t *start, td_error *err);
td_status td__store_story(td_store *st, int64_t story, td_story_list **out,
                          td_error *err);
td_status td__store_story_articles(td_store *st, int64_t story,
                                   td_article_list **out, td_error *err);
td_status td__store_article(td_store *st, const char *id,
                            td_article_list **out, td_error *err);
td_status td__store_each_article(td_store *st, td_article_fn fn, void *ud,
                                 td_error *err);
/* Stories with an article whose title or text matches query (see
** td_engine_search_stories(); search.c), in td__store_stories() order;
** with their copies fields when with_sources is set. */
td_status td__store_search_stories(td_store *st, const char *query,
                                   int with_sources, td_story_list **out,
                                   td_error *err);
/* The copy groups of a story (see td_engine_copies()). */
td_status td__store_copies(td_store *st, int64_t story, td_copy_list **out,
                           td_error *err);

#endif
