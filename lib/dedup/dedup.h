/*
** dedup.h: the copies stage: near-duplicate detection (MinHash over word
** shingles + an LSH index), the copy graph's pieces (direction, evidence
** passage, copy groups) and attribution (the outlets a text credits).
** Plain data in, plain data out; the method and its parameters are in
** docs/internals/dedup.md.
*/
#ifndef TD_DEDUP_H
#define TD_DEDUP_H

#include "tidings.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters (measured in docs/internals/dedup.md). */
#define TD_DEDUP_SHINGLE     4       /* words per shingle */
#define TD_DEDUP_HASHES      64      /* MinHash slots, 16 bits kept of each */
#define TD_DEDUP_BANDS       20      /* LSH bands over slots 0..59 */
#define TD_DEDUP_ROWS        3       /* slots per band */
#define TD_DEDUP_JACCARD     0.50    /* estimated Jaccard that makes a copy */
#define TD_DEDUP_CONTAIN     0.75    /* or estimated containment of the
                                     ** shorter text in the longer one */
#define TD_DEDUP_BUCKET_CAP  32      /* docs kept per LSH bucket, newest */
#define TD_DEDUP_MAX_TOKENS  200000  /* words read per text; the rest ignored */
#define TD_DEDUP_MAX_DOCS    (1u << 30)

/* The MinHash signature of one text. A text with no word has n_shingles 0
** and matches nothing. The lead stores it as is (132 bytes) to rebuild the
** index on reopen. */
typedef struct td_dedup_sig {
    uint16_t slot[TD_DEDUP_HASHES];
    uint32_t n_shingles;     /* distinct shingles of the text */
} td_dedup_sig;

/* Signature of text[0..len) (UTF-8; case folded for ASCII, Latin-1 and
** Cyrillic). TD_ENOMEM on out of memory; text may be NULL when len is 0. */
td_status td__dedup_signature(const char *text, size_t len, td_dedup_sig *out);

/* Signature of a set of 64-bit shingle hashes (distinct or not): the core of
** td__dedup_signature, exposed for tests. */
void td__dedup_minhash(const uint64_t *shingles, size_t n, td_dedup_sig *out);

/* Estimated Jaccard similarity of the two texts' shingle sets, in [0, 1]. */
double td__dedup_jaccard(const td_dedup_sig *a, const td_dedup_sig *b);

/* Estimated containment of a's shingles in b's from the Jaccard j and the
** set sizes: j * (|a| + |b|) / ((1 + j) * |a|), clipped to [0, 1]. */
double td__dedup_containment(double j, uint32_t n_a, uint32_t n_b);

/* One near-duplicate found among the earlier documents. */
typedef struct td_dedup_match {
    uint32_t doc;          /* index id of the earlier document */
    float jaccard;         /* estimated */
    float contain_new;     /* estimated containment of the new text in it */
    float contain_old;     /* estimated containment of it in the new text */
} td_dedup_match;

/* The LSH index: signatures (16 bits x 64 slots) and per-band bucket tables.
** Not thread-safe. */
typedef struct td_dedup_index td_dedup_index;

/* New empty index; NULL on out of memory. Free with td__dedup_index_free. */
td_dedup_index *td__dedup_index_new(void);
void td__dedup_index_free(td_dedup_index *ix);   /* NULL is a no-op */

/* Finds the near-duplicates of sig among the documents added so far (at most
** max, best Jaccard first, ties lower id), then adds sig. *doc gets the new
** document's id: 0, 1, 2... in order of addition, so re-adding the stored
** signatures in the same order rebuilds the same index. matches may be NULL
** when max is 0. TD_ETOOBIG past TD_DEDUP_MAX_DOCS, TD_ENOMEM. */
td_status td__dedup_index_add(td_dedup_index *ix, const td_dedup_sig *sig,
                              uint32_t *doc, td_dedup_match *matches,
                              size_t max, size_t *n_matches);

/* The same search without adding. */
td_status td__dedup_index_query(const td_dedup_index *ix,
                                const td_dedup_sig *sig,
                                td_dedup_match *matches, size_t max,
                                size_t *n_matches);

/* Documents added, and bytes the index holds (signatures + tables). */
uint32_t td__dedup_index_count(const td_dedup_index *ix);
size_t td__dedup_index_bytes(const td_dedup_index *ix);

/* Copy graph ------------------------------------------------------------- */

/* Direction of a copy edge between a and b: 1 when a is earlier (a -> b),
** -1 when b is earlier, 0 when either is TD_NO_DATE or the dates are equal. */
int td__copy_direction(int64_t date_a, int64_t date_b);

/* The longest passage two texts share: the longest common run of words
** (compared case folded) that starts with a shared shingle. Byte offsets
** [start, end) into each text; all zero when they share no shingle. */
typedef struct td_passage {
    size_t a_start, a_end;
    size_t b_start, b_end;
    uint32_t n_words;
} td_passage;

td_status td__dedup_passage(const char *a, size_t a_len, const char *b,
                            size_t b_len, td_passage *out);

/* Copy groups: union-find over members 0, 1, 2... with each group's origin
** (its earliest dated member; ties and undated groups: the first added). */
typedef struct td_copy_groups td_copy_groups;

/* New; NULL on out of memory. Free with td__copy_groups_free. */
td_copy_groups *td__copy_groups_new(void);
void td__copy_groups_free(td_copy_groups *g);   /* NULL is a no-op */
/* Adds a member dated date (TD_NO_DATE allowed); *id gets its number. */
td_status td__copy_groups_add(td_copy_groups *g, int64_t date, uint32_t *id);
/* Joins the groups of a and b (ids that exist). */
void td__copy_groups_union(td_copy_groups *g, uint32_t a, uint32_t b);
/* The group of a: the id of its representative member. */
uint32_t td__copy_groups_find(td_copy_groups *g, uint32_t a);
/* The origin of a's group, and its size. */
uint32_t td__copy_groups_origin(td_copy_groups *g, uint32_t a);
uint32_t td__copy_groups_size(td_copy_groups *g, uint32_t a);

/* Attribution ------------------------------------------------------------ */

/* An outlet a text credits ("according to NBC News", "laut Reuters",
** "сообщает ТАСС"...). */
typedef struct td_credit {
    char *name;       /* display form: "NBC News" */
    char *key;        /* normalised: case folded, single spaces, a trailing
                      ** generic word (news, nyheter, nachrichten...) dropped:
                      ** "nbc" */
    uint32_t count;   /* credits in the text */
    size_t first;     /* byte offset of the first credited span */
} td_credit;

/* The outlets text[0..len) credits, most credited first (ties: first
** credited). *out is new (free with td__credits_free); *n gets the count, at
** most 32. TD_ENOMEM on out of memory. */
td_status td__credits_find(const char *text, size_t len, td_credit **out,
                           size_t *n);
void td__credits_free(td_credit *c, size_t n);

#ifdef __cplusplus
}
#endif
#endif
