/*
** tidings.h: the public API of libtidings, a multilingual news-story engine.
**
** An engine (td_engine) owns one store. Articles go in one at a time or by
** path; each is analysed and assigned, as it arrives, to a story. Stories and
** articles are read back through the query functions below. The CLI and the
** HTTP server use only this header.
*/
#ifndef TIDINGS_H
#define TIDINGS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TD_VERSION "0.1.0"

/* Status codes. Append only: the numbers are part of the API. */
typedef enum td_status {
    TD_OK = 0,
    TD_ENOMEM,      /* out of memory */
    TD_EINVAL,      /* bad argument */
    TD_EIO,         /* read or write failed */
    TD_EPARSE,      /* malformed input (JSON, HTML, date...) */
    TD_EUTF8,       /* invalid UTF-8 that could not be repaired */
    TD_ETOOBIG,     /* input over a size cap */
    TD_EMISSING,    /* a required field is missing or empty */
    TD_EDUPID,      /* an article with this id is already stored */
    TD_ENOTFOUND,   /* no such article or story */
    TD_ESTORE,      /* the store (SQLite) failed */
    TD_ENUL         /* NUL byte inside text */
} td_status;

/* Returns a static, human-readable name for a status. */
const char *td_strerror(td_status code);

/* Error detail filled by functions that take a td_error *err (may be NULL). */
typedef struct td_error {
    td_status code;
    char where[512];    /* "file:line" or "file" or "" */
    size_t offset;      /* byte offset in the line or file, when known */
    char msg[512];      /* what went wrong, one line */
} td_error;

/* Sentinel for an unknown date (dates are Unix seconds, UTC). */
#define TD_NO_DATE INT64_MIN

/* One article as it comes in. All strings are UTF-8, borrowed by the call.
** Either text or html must be set; NULL means absent. */
typedef struct td_input {
    const char *id;
    const char *url;
    const char *source;
    const char *title;
    const char *text;
    const char *html;
    const char *lang;       /* declared language hint, may be NULL */
    int64_t date;           /* TD_NO_DATE when unknown */
    const char *where;      /* "file:line" for messages, may be NULL */
} td_input;

typedef struct td_engine td_engine;

/* Opens (creating if needed) the store at path; NULL means "tidings.db".
** ":memory:" gives a store that lives only in memory.
** On success *out is new; free with td_engine_free(). */
td_status td_engine_open(const char *path, td_engine **out, td_error *err);

/* Opens an existing store read-only, for reading back while another engine
** (another thread or process) writes to it: reads see the last commit and
** never wait for the writer (SQLite WAL). Adding fails with TD_EINVAL.
** Cheap: no clustering state is loaded. TD_ESTORE when path is not a store
** of this version (open it once with td_engine_open() to create or upgrade
** it); ":memory:" cannot be shared. *out is new; free with
** td_engine_free(). */
td_status td_engine_open_readonly(const char *path, td_engine **out,
                                  td_error *err);

/* Commits pending work and frees the engine. NULL is a no-op. */
void td_engine_free(td_engine *eng);

/* Analyses, clusters and stores one article. Returns TD_EDUPID (and stores
** nothing) when the id is already stored. *story_out (may be NULL) gets the
** story id the article was assigned to. */
td_status td_engine_add(td_engine *eng, const td_input *in, int64_t *story_out,
                        td_error *err);

/* Makes everything added so far durable (one SQLite transaction per batch). */
td_status td_engine_commit(td_engine *eng, td_error *err);

/* Ingest by path ------------------------------------------------------- */

typedef struct td_ingest_stats {
    uint64_t added;       /* articles stored */
    uint64_t rejected;    /* malformed records */
    uint64_t duplicates;  /* ids already stored */
    uint64_t bytes;       /* input bytes read */
} td_ingest_stats;

/* Called for every rejected record and duplicate id; err->where names it. */
typedef void (*td_reject_fn)(void *ud, const td_error *err);
/* Called after every article added (for progress display); may be NULL. */
typedef void (*td_progress_fn)(void *ud, const td_ingest_stats *stats);

/* Reads path (file, directory recursively, or "-" for stdin) and adds each
** article: JSON Lines (.jsonl, .json, .ndjson), plain text (.txt), HTML
** (.html, .htm); any of these may be gzipped (.gz). Returns TD_OK unless the
** path itself cannot be read; per-record problems go to on_reject and are
** counted in stats (which accumulates across calls). */
td_status td_engine_ingest_path(td_engine *eng, const char *path,
                                td_ingest_stats *stats, td_reject_fn on_reject,
                                td_progress_fn on_progress, void *ud,
                                td_error *err);

/* Read back -------------------------------------------------------------- */

/* A story summary row. All strings owned by the list. */
typedef struct td_story_row {
    int64_t id;
    uint32_t n_articles;
    char *langs;          /* "en,it,no" sorted by count */
    int64_t first_date;   /* TD_NO_DATE when no dated article */
    int64_t last_date;
    char *title;          /* the most central article's title */
    char *entities;       /* top entities, "; "-separated */
    uint32_t n_sources;   /* independent sources: distinct copy groups among
                          ** the story's articles (a text and its copies
                          ** count once) */
    char *origin_id;      /* the earliest article (dated before undated, then
                          ** ingest order) of the story's largest copy group */
    char *origin_credits; /* outlets the origin credits, "NBC News; Reuters",
                          ** or NULL when it credits none */
} td_story_row;

typedef struct td_story_list {
    td_story_row *rows;
    size_t n;
} td_story_list;

/* Lists all stories, largest first (ties: lower id first).
** *out is new; free with td_story_list_free(). */
td_status td_engine_stories(td_engine *eng, td_story_list **out, td_error *err);
void td_story_list_free(td_story_list *list);

/* One story's row (the list has n 1), without listing them all.
** TD_ENOTFOUND for an unknown story. *out is new; free with
** td_story_list_free(). */
td_status td_engine_story(td_engine *eng, int64_t story, td_story_list **out,
                          td_error *err);

/* Longest query td_engine_search_stories() takes, in bytes. */
#define TD_SEARCH_MAX 512

/* Full-text search: the stories (as td_engine_stories(), same order) with
** at least one article whose title or text has every word of query, each
** as a word prefix ("quake" finds "quakes"), case and diacritics ignored
** ("cafe" finds "Café", "лавров" finds "Лаврова"). Words are split at white
** space and taken literally: no operators. A query without a word matches
** nothing. TD_EUTF8 (err->offset set) for invalid UTF-8, TD_ETOOBIG over
** TD_SEARCH_MAX bytes. *out is new; free with td_story_list_free(). */
td_status td_engine_search_stories(td_engine *eng, const char *query,
                                   td_story_list **out, td_error *err);

/* The rows of td_engine_stories() (query NULL) or of
** td_engine_search_stories() (query set), same order and errors, without
** their copies fields: n_sources 0, origin_id and origin_credits NULL.
** Those cost two queries a story; a caller that filters, sorts or pages
** the list fills them for the rows it shows with td_engine_story_sources().
** *out is new; free with td_story_list_free(). */
td_status td_engine_story_rows(td_engine *eng, const char *query,
                               td_story_list **out, td_error *err);
/* A page of the story list in activity order: newest last activity first,
** undated stories last, then by id (the HTTP API's list), read in the
** store's order without reading every story. */
typedef struct td_list_query {
    const char *lang;    /* NULL: any; else one of the story's languages
                         ** (ASCII case ignored) */
    int64_t since;       /* TD_NO_DATE: any; else last activity >= since */
    int has_after;       /* start after the story (after_date, after_id) */
    int64_t after_date;  /* its last activity, TD_NO_DATE when undated */
    int64_t after_id;
    uint64_t offset;     /* rows skipped (after that story, if any) */
    uint64_t limit;
} td_list_query;
/* The page's rows, without their copies fields (as td_engine_story_rows),
** into *out; *total gets the number of stories passing the filters, *start
** the position of the page's first row among them. *out is new; free with
** td_story_list_free(). */
td_status td_engine_story_page(td_engine *eng, const td_list_query *q,
                               td_story_list **out, uint64_t *total,
                               uint64_t *start, td_error *err);
/* Fills row's n_sources, origin_id and origin_credits (replacing what they
** held); row belongs to a list that td_story_list_free() frees. */
td_status td_engine_story_sources(td_engine *eng, td_story_row *row,
                                  td_error *err);

/* Groups reads: on a read-only engine, every read between begin and end
** sees the same commit (one SQLite read transaction), so a story and its
** articles agree while a writer commits. On a writing engine both are
** no-ops (its reads see its own writes). end without begin is a no-op. */
td_status td_engine_read_begin(td_engine *eng, td_error *err);
void td_engine_read_end(td_engine *eng);

/* One stored article and its analysis. Strings owned by the record. */
typedef struct td_article_row {
    int64_t seq;          /* ingest order, from 1 */
    char *id;
    char *url;
    char *source;
    char *title;
    char *text;
    char *lang;           /* detected language */
    int64_t date;
    int64_t story;
    char *entities;       /* "; "-separated, most frequent first */
    char *terms;          /* top weighted stems, " "-separated */
    int64_t copy_group;   /* shared by articles that are copies of one
                          ** another: the seq of the group's first-ingested
                          ** member (its own seq when it has no copy) */
    char *copy_of;        /* id of the article it most likely copies, or NULL */
    char *credits;        /* outlets the text credits, most credited first,
                          ** "; "-separated, or NULL */
} td_article_row;

typedef struct td_article_list {
    td_article_row *rows;
    size_t n;
} td_article_list;

/* Articles of one story, by date then ingest order. Free with
** td_article_list_free(). TD_ENOTFOUND for an unknown story. */
td_status td_engine_story_articles(td_engine *eng, int64_t story,
                                   td_article_list **out, td_error *err);

/* One article by id. Free with td_article_list_free() (n is 1). */
td_status td_engine_article(td_engine *eng, const char *id,
                            td_article_list **out, td_error *err);

/* Calls fn for every article in ingest order (text and terms left NULL).
** Stops early and returns fn's status when it is not TD_OK. */
typedef td_status (*td_article_fn)(void *ud, const td_article_row *row);
td_status td_engine_each_article(td_engine *eng, td_article_fn fn, void *ud,
                                 td_error *err);

void td_article_list_free(td_article_list *list);

/* Copies ----------------------------------------------------------------- */
/* Near-duplicate texts (docs/internals/dedup.md): articles whose texts are
** copies of one another, or translations of one another (docs/internals/
** clustering.md, "Translations"), form a copy group; an edge links two
** articles found to share text or to translate one another, with its
** direction and evidence. */

/* One article of a copy group. Strings owned by the list. */
typedef struct td_copy_member {
    char *id;
    char *source;
    int64_t date;         /* TD_NO_DATE when unknown */
    char *copy_of;        /* id of the article it most likely copies, or NULL */
    char *credits;        /* "; "-separated credited outlets, or NULL */
} td_copy_member;

/* A copy group: members earliest first (dated before undated, then ingest
** order), so members[0] is the group's origin. */
typedef struct td_copy_group {
    int64_t id;           /* the copy_group of its members */
    td_copy_member *members;
    size_t n_members;
} td_copy_group;

/* An edge of the copy graph: from is the earlier text, to the later one. */
typedef struct td_copy_edge {
    int64_t group;        /* the copy group both ends belong to */
    char *from_id;
    char *to_id;
    int dated;            /* 1: from is earlier by date; 0: direction unknown
                          ** (a date missing or equal), from is the one
                          ** ingested first */
    double similarity;    /* estimated Jaccard of the two texts' shingles;
                          ** for a translation, the share of names and
                          ** numbers found in the same order */
    char *passage;        /* the longest shared passage (from to's text),
                          ** cut to 300 bytes; NULL for a translation */
    int translation;      /* 1: to is a translation of from (another
                          ** language), found by its names and numbers */
} td_copy_edge;

typedef struct td_copy_list {
    td_copy_group *groups;  /* largest first, ties: earliest origin first;
                            ** groups[0].members[0] is the story's origin */
    size_t n_groups;
    td_copy_edge *edges;    /* by group, then ingest order of to */
    size_t n_edges;
} td_copy_list;

/* The copy groups of one story's articles (only members in the story; an
** article with no copy is a group of one) and the edges between them.
** *out is new; free with td_copy_list_free(). TD_ENOTFOUND for an unknown
** story. */
td_status td_engine_copies(td_engine *eng, int64_t story, td_copy_list **out,
                           td_error *err);
void td_copy_list_free(td_copy_list *list);   /* NULL is a no-op */

/* Story view ------------------------------------------------------------ */
/* What a reader needs to understand a story in a minute, computed on demand
** from the stored articles (nothing is kept at ingest): an extractive
** summary, the quotes carried across sources, the people, organisations and
** places, the timeline and the related stories. Method and parameters:
** docs/internals/story.md. Every string is owned by the view. */

/* A summary sentence, as the article has it (white space collapsed). */
typedef struct td_view_sentence {
    char *text;
    char *article_id;     /* the article it comes from */
} td_view_sentence;

/* A quoted statement and the articles that carry it. */
typedef struct td_view_quote {
    char *text;           /* the words inside the quotation marks, as the
                          ** first article carrying it has them */
    char *speaker;        /* the name the text gives the speaker, or NULL */
    char *article_id;     /* the first article (by date) carrying it */
    char *lang;           /* that article's language */
    uint32_t n_articles;  /* articles carrying it (same or near-same words) */
    uint32_t n_sources;   /* distinct copy groups among them */
} td_view_quote;

/* A named entity (person, organisation or place: the type is not known)
** merged across spellings and scripts ("Lavrov", "Лавров"). */
typedef struct td_view_entity {
    char *name;           /* the most frequent spelling */
    char *key;            /* matching key (lower case, Latin script) */
    uint32_t n_articles;  /* articles naming it */
    uint32_t mentions;    /* times its spellings occur in those texts */
} td_view_entity;

/* Articles of one hour or day (UTC; see td_story_view.bucket). */
typedef struct td_view_day {
    int64_t day;          /* Unix seconds at its start (00:00 UTC for a day) */
    uint32_t n_articles;
    char *langs;          /* "en:3,de:1", most articles first */
} td_view_day;

/* Another story sharing at least two of this one's top entities, or one
** when the later of the two refers back to the earlier one's time. */
typedef struct td_view_related {
    int64_t story;
    char *title;
    uint32_t n_articles;
    int64_t first_date;   /* TD_NO_DATE when it has no dated article */
    int64_t last_date;
    int when;             /* -1: it ended before this story began; 1: it
                          ** began after this one ended; 0: they overlap
                          ** or a date is unknown */
    uint32_t n_shared;
    char *shared;         /* the shared entities, "; "-separated: the reason */
    char *backref;        /* NULL, or the words by which an article of the
                          ** later story names the earlier one's time ("in
                          ** July" gives "July"; "last month"): a reason */
    char *backref_article; /* that article's id (NULL with backref NULL) */
} td_view_related;

typedef struct td_story_view {
    int64_t story;
    uint32_t n_articles;
    char lang[8];                 /* main language: most articles */
    td_view_sentence *summary;    /* 2-4 sentences in lang (fewer when the
                                  ** story has fewer usable sentences) */
    size_t n_summary;
    td_view_sentence *summary_en; /* from the English articles; n 0 when
                                  ** lang is "en" or there is none */
    size_t n_summary_en;
    td_view_quote *quotes;        /* most sources first, at most 20 */
    size_t n_quotes;
    td_view_entity *entities;     /* most articles first, at most 20 */
    size_t n_entities;
    td_view_day *days;            /* hours or days with articles, oldest
                                  ** first (no empty ones) */
    int64_t bucket;               /* their length in seconds: 3600 when the
                                  ** dated articles span under 3 days, else
                                  ** 86400 */
    size_t n_days;
    uint32_t n_undated;           /* articles without a date */
    char *first_report;           /* id of the earliest dated article, or
                                  ** NULL when none is dated */
    int64_t peak_day;             /* the start of the hour or day with most
                                  ** articles (earliest on ties), TD_NO_DATE
                                  ** when none */
    td_view_related *related;     /* most shared entities first, at most 10 */
    size_t n_related;
} td_story_view;

/* Builds the view of one story. *out is new; free with
** td_story_view_free(). TD_ENOTFOUND for an unknown story, TD_ENOMEM. */
td_status td_engine_story_view(td_engine *eng, int64_t story,
                               td_story_view **out, td_error *err);
/* Frees a view; NULL is a no-op. */
void td_story_view_free(td_story_view *view);

/* Entities -------------------------------------------------------------- */
/* The stories an entity appears in, from an index the store writes with
** each article (docs/internals/store.md): a name is matched across
** spellings and scripts by its entity key ("Lavrov", "Лавров"), and by the
** story view's fuzzy rules: "Sergey Lavrov" finds "Sergei Lavrov" (same
** surname and first letter) and "Lavrov" alone; "Lavrov" finds both. */

/* One story naming the entity. Strings owned by the list. */
typedef struct td_entity_story {
    int64_t story;
    char *title;
    uint32_t n_articles;  /* the story's size */
    int64_t last_date;    /* the story's last activity, TD_NO_DATE if unknown */
    uint32_t articles;    /* its articles naming the entity: the sum over
                          ** the matched spellings (the analyzer merges an
                          ** article's spellings of one name), at most
                          ** n_articles */
    uint32_t mentions;    /* times the analyzer found the entity in them */
    char *name;           /* the matched spelling named in most articles;
                          ** of equals, one in Latin letters */
    uint32_t name_articles; /* the articles naming that spelling */
} td_entity_story;

typedef struct td_entity_list {
    char *key;            /* the entity key of the name looked up */
    td_entity_story *rows; /* newest last activity first, undated last,
                          ** ties: higher story id first */
    size_t n;
} td_entity_list;

/* The stories naming the entity name (any spelling or script). *out is
** new (n 0 when none); free with td_entity_list_free(). TD_EINVAL when the
** name has no letters or digits. */
td_status td_engine_entity_stories(td_engine *eng, const char *name,
                                   td_entity_list **out, td_error *err);
void td_entity_list_free(td_entity_list *list);   /* NULL is a no-op */

/* Evaluation ------------------------------------------------------------ */

/* Agreement of a predicted clustering with a gold one. */
typedef struct td_cluster_scores {
    size_t n;                 /* items */
    size_t n_gold;            /* gold groups */
    size_t n_pred;            /* predicted clusters */
    double b3_p, b3_r, b3_f1; /* BCubed: per-item averages, F1 of the means */
    double pair_p, pair_r, pair_f1; /* over unordered pairs of items */
    double ari;               /* adjusted Rand index */
} td_cluster_scores;

/* Scores pred against gold (labels are any integers; equal = same group).
** Pairwise precision is 1 when no pair is predicted together, recall 1
** when no pair is together in gold. TD_ENOMEM on out of memory. */
td_status td_eval_clustering(const int64_t *pred, const int64_t *gold,
                             size_t n, td_cluster_scores *out);

/* One cell of the contingency table of pred against gold: the count items
** labelled pred and gold, of which first is the lowest index. */
typedef struct td_eval_cell {
    int64_t pred, gold;
    size_t count, first;
} td_eval_cell;

/* The non-empty cells of pred against gold in *out (free() it), *n_out of
** them, sorted by gold label, then largest first, then by pred label. A
** gold group in more than one cell is split; a pred label in more than one
** mixes groups. TD_ENOMEM on out of memory (*out NULL). */
td_status td_eval_cells(const int64_t *pred, const int64_t *gold, size_t n,
                        td_eval_cell **out, size_t *n_out);

/* Dates: parses ISO 8601 ("2023-07-06", "2023-07-06T12:00:00Z", with
** offsets) into Unix seconds; TD_EPARSE when it is not a date. */
td_status td_date_parse(const char *s, int64_t *out);
/* Formats Unix seconds as "YYYY-MM-DD" (buf of at least 11 bytes), or ""
** for TD_NO_DATE. Returns buf. */
char *td_date_format(int64_t t, char *buf, size_t cap);


/* Extraction ------------------------------------------------------------ */
/* The extract stage on its own: the article body and metadata of one page,
** and the shingle metric that scores a body against a hand-made one. */

/* What was extracted from one page. Every string is owned by the result
** (valid UTF-8) or NULL when not found. */
typedef struct td_extract_result {
    char *title;
    char *text;       /* article body, paragraphs separated by '\n' */
    char *date;       /* ISO 8601: "2023-07-06" or "2023-07-06T10:00:00Z" */
    char *authors;    /* "; "-separated */
    char *site;       /* site name (og:site_name, publisher) */
    char *url;        /* canonical URL */
    char *lang;       /* language of the text ("en"; the page's declared
                      ** one is a hint); from td_extract_file only, the
                      ** declared one from td_extract_html */
    int64_t date_unix; /* the date as Unix seconds, TD_NO_DATE when unknown */
} td_extract_result;

/* Extracts an HTML page (any charset; converted to UTF-8) of len bytes.
** On success *out is new; free with td_extract_result_free(). */
td_status td_extract_html(const char *html, size_t len,
                          td_extract_result **out, td_error *err);

/* Plain text: line-level boilerplate removal ("Read also: ...", "Leave a
** Reply", photo credits...); the first line is not taken as the title.
** On success *out is new; free with td_extract_result_free(). */
td_status td_extract_text(const char *text, size_t len,
                          td_extract_result **out, td_error *err);

/* Reads one file (.html, .htm, .txt, each optionally .gz; other names are
** sniffed: '<' first means HTML) and extracts it. Input past 8 MB is cut.
** *bytes (may be NULL) gets the bytes read after decompression. On success
** *out is new; free with td_extract_result_free(). */
td_status td_extract_file(const char *path, td_extract_result **out,
                          uint64_t *bytes, td_error *err);

/* Frees a result; NULL is a no-op. */
void td_extract_result_free(td_extract_result *res);

/* Shingle counts of one page: tokens are runs of Unicode letters, digits
** and '_'; shingles are 4-token windows (fewer than 4 tokens make one). */
typedef struct td_shingle_counts {
    uint64_t tp, fp, fn;  /* multiset overlap of predicted vs gold */
} td_shingle_counts;

/* Counts the shingles of pred against gold (NULL is ""). TD_ENOMEM. */
td_status td_eval_extract_page(const char *pred, const char *gold,
                               td_shingle_counts *out);

/* Per-page precision and recall of counts: 1 each when fp = fn = 0;
** *has_p (*has_r) is 0 when the page has no predicted (gold) shingle and
** so does not count in the mean precision (recall). */
void td_eval_extract_scores(const td_shingle_counts *c, double *p, int *has_p,
                            double *r, int *has_r);

/* Past one machine ------------------------------------------------------ */
/* The pipeline split in two (docs/internals/scale-out.md): the stateless
** stages (read, extract, analyze, dedup signature) run anywhere and give a
** prepared article; the engine adds prepared articles in input order. The
** Kafka workers and clusterer are built on these. */

typedef struct td_preparer td_preparer;   /* per thread; not thread-safe */
typedef struct td_prepared td_prepared;   /* an analyzed article */

/* New preparer (*out; free with td_preparer_free(), NULL is a no-op). */
td_status td_preparer_new(td_preparer **out, td_error *err);
void td_preparer_free(td_preparer *p);

/* Reads one JSON Lines article record (the format `tidings ingest` reads),
** extracts, analyses and signs it. where names it in messages (may be
** NULL). On TD_OK *out is new; free with td_prepared_free(). A rejected
** record returns its status with err filled and *out NULL. */
td_status td_prepare_record(td_preparer *p, const char *record, size_t len,
                            const char *where, td_prepared **out,
                            td_error *err);
void td_prepared_free(td_prepared *p);    /* NULL is a no-op */

/* Adds a prepared article as td_engine_add would add the record it was made
** from (the same story, copies and stored fields). Input order matters:
** add in the order `tidings ingest` would read the records. */
td_status td_engine_add_prepared(td_engine *eng, const td_prepared *p,
                                 int64_t *story_out, td_error *err);

/* Kafka (lib/stream/) ---------------------------------------------------- */

typedef struct td_stream_opts {
    const char *brokers;      /* bootstrap servers, "host:port,..." */
    const char *in_topic;     /* worker: raw records; cluster: analyzed */
    const char *out_topic;    /* worker: analyzed articles; produce: raw */
    const char *group;        /* consumer group; NULL for the default
                              ** ("tidings-worker", "tidings-cluster") */
    const volatile int *stop; /* polled: nonzero stops the loop (a signal
                              ** handler sets it); may be NULL */
    int idle_exit_ms;         /* 0: run until stopped; else stop after this
                              ** long without a message */
    uint64_t until_seq;       /* cluster: stop once this seq is stored */
    uint64_t first_seq;       /* produce: the first record's seq (0 is 1) */
    uint64_t crash_after;     /* worker, for tests: after this many records
                              ** leave without committing (0: never) */
    int session_timeout_ms;   /* worker, cluster: the consumer group's
                              ** session timeout: how long a dead member
                              ** holds its partitions and, with the mock
                              ** cluster, how long a group takes to form;
                              ** 0: 10000 */
    int quiet;                /* no per-record messages on stderr */
} td_stream_opts;

typedef struct td_stream_stats {
    uint64_t records;     /* messages read (produce: records sent) */
    uint64_t bytes;       /* message bytes sent (produce, worker) */
    uint64_t added;       /* cluster: articles stored */
    uint64_t rejected;    /* rejected records */
    uint64_t duplicates;  /* cluster: ids already stored */
    uint64_t replayed;    /* cluster: messages skipped as already stored
                          ** or already buffered (replays) */
    uint64_t reanalysed;  /* cluster: articles analysed again after the
                          ** site boilerplate step changed their text */
    uint64_t next_seq;    /* produce: the seq after the last one sent;
                          ** cluster: the next seq expected */
    int64_t first_ms;     /* worker, cluster: monotonic clock (ms) when the
                          ** first message was handled, 0 before */
    int64_t last_ms;      /* and when the last one was (for throughput) */
} td_stream_stats;

/* Reads path as td_engine_ingest_path does and sends each record to
** o->out_topic as a JSON Lines record keyed by its seq (8 bytes big-endian,
** from o->first_seq). Rejected records go to on_reject, are counted and
** not sent. Stats accumulate. */
td_status td_stream_produce(const td_stream_opts *o, const char *path,
                            td_stream_stats *stats, td_reject_fn on_reject,
                            void *ud, td_error *err);

/* Consumes raw records from o->in_topic in group o->group, prepares each
** and sends it (or its rejection) to o->out_topic; commits the offsets of
** a batch once all of it is delivered. Runs until stopped or idle. */
td_status td_stream_worker(const td_stream_opts *o, td_stream_stats *stats,
                           td_error *err);

/* Consumes analyzed articles from o->in_topic, adds them to eng in seq
** order (a bounded reorder buffer), commits the store, then the offsets.
** Resumes after the last seq the store holds; replays are skipped. */
td_status td_stream_cluster(td_engine *eng, const td_stream_opts *o,
                            td_stream_stats *stats, td_reject_fn on_reject,
                            void *ud, td_error *err);

/* librdkafka's in-process mock cluster, for tests and benchmarks: it
** listens on loopback ports, so other processes can use it too. */
typedef struct td_stream_mock td_stream_mock;
/* Starts n_brokers brokers; *out new, free with td_stream_mock_free(). */
td_status td_stream_mock_new(int n_brokers, td_stream_mock **out,
                             td_error *err);
/* Creates a topic with n partitions (replication factor 1). */
td_status td_stream_mock_topic(td_stream_mock *m, const char *topic,
                               int partitions, td_error *err);
/* The bootstrap servers; borrowed, valid until the mock is freed. */
const char *td_stream_mock_brokers(const td_stream_mock *m);
void td_stream_mock_free(td_stream_mock *m);   /* NULL is a no-op */


#ifdef __cplusplus
}
#endif
#endif
