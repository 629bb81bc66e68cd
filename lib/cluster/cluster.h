/*
** cluster.h: the cluster stage: streaming, single-pass story clustering.
**
** Each article's analysis becomes a TF-IDF vector (IDF kept online); it is
** compared with the centroids of candidate stories found through an inverted
** index over the stories' terms, and joins the best one when the similarity
** (with a time-gap discount) passes a threshold, or starts a new story.
** Method and parameters: docs/internals/clustering.md.
*/
#ifndef TD_CLUSTER_H
#define TD_CLUSTER_H

#include "../article.h"

/* One weighted term of a vector; vectors are sorted by key. */
typedef struct td_wterm {
    uint64_t key;
    float w;
    uint8_t kind;       /* td_term_kind */
} td_wterm;

typedef struct td_cluster td_cluster;

/* The decision for one article. */
typedef struct td_cluster_result {
    int64_t story;      /* the story it joined or started */
    int is_new;         /* 1 when it started a new story */
    double score;       /* similarity to the story it joined, 0 when new */
    uint32_t n_candidates; /* stories compared in full */
    /* When it joined the story as a translation of one of its articles (in
    ** another language, most names and numbers in the same order): that
    ** article's place in the stream (n_docs when it was added) and the
    ** ordered share; 0 and 0 otherwise. */
    int64_t translation_of;
    double translation_share;
} td_cluster_result;

/* New clusterer with the built-in parameters; NULL on out of memory.
** Free with td__cluster_free(). */
td_cluster *td__cluster_new(void);
void td__cluster_free(td_cluster *cl);

/* Assigns one article (its analysis and date, TD_NO_DATE when unknown). */
td_status td__cluster_add(td_cluster *cl, const td_analysis *an, int64_t date,
                          td_cluster_result *out);

/* The L2-normalised vector of the article last added. Borrowed; valid until
** the next td__cluster_add(). */
const td_wterm *td__cluster_last_vector(const td_cluster *cl, size_t *n);

/* Cosine of a normalised vector with a story's centroid; -1 when the story
** is not held in memory. */
double td__cluster_similarity(const td_cluster *cl, int64_t story,
                              const td_wterm *v, size_t n);

/* Counters that must persist with the state. */
typedef struct td_cluster_counters {
    int64_t n_docs;      /* articles seen */
    int64_t next_story;  /* id the next new story gets */
} td_cluster_counters;

void td__cluster_get_counters(const td_cluster *cl, td_cluster_counters *c);
void td__cluster_set_counters(td_cluster *cl, const td_cluster_counters *c);

/* Persistence. flush calls on_story for every story changed since the last
** flush (with its state blob) and on_df for every changed document
** frequency, then forgets stories that can no longer take articles (so
** memory stays bounded). A callback error stops it and is returned. */
typedef td_status (*td_cluster_story_fn)(void *ud, int64_t story,
                                         const void *blob, size_t len);
typedef td_status (*td_cluster_df_fn)(void *ud, uint64_t key, uint32_t n);
td_status td__cluster_flush(td_cluster *cl, td_cluster_story_fn on_story,
                            td_cluster_df_fn on_df, void *ud);

/* Loading saved state (set the counters first). load_story ignores stories
** that can no longer take articles; TD_EPARSE for a corrupt blob. */
td_status td__cluster_load_story(td_cluster *cl, int64_t story,
                                 const void *blob, size_t len);
td_status td__cluster_load_df(td_cluster *cl, uint64_t key, uint32_t n);

/* The k heaviest terms of v (ties: lower key) into out, keeping key order;
** returns how many (min(n, k)). out may be v itself. */
size_t td__wterm_top(const td_wterm *v, size_t n, size_t k, td_wterm *out);

/* Number of stories held in memory (for tests and bench). */
size_t td__cluster_active(const td_cluster *cl);

#endif
