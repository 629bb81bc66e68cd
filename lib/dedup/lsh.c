/*
** lsh.c: the LSH index over MinHash signatures.
**
** Method (docs/internals/dedup.md): slots 0..59 of a signature form
** TD_DEDUP_BANDS bands of TD_DEDUP_ROWS slots; two documents that agree on
** every slot of some band are candidates, verified with the full signature.
** Each band has an open-addressing table (linear probing) of 4-byte document
** ids, placed by the band's hash and compared through the stored signature,
** so a posting costs 4 bytes / load. A bucket keeps its TD_DEDUP_BUCKET_CAP
** newest documents (the oldest is overwritten), which bounds the work per
** document however large the index grows. Signatures live in fixed blocks so
** that growth never copies them.
*/
#include "dedup_int.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_DOCS   4096      /* signatures per block */
#define MIN_CAP      1024      /* slots per band table, at least */
#define MAX_LOAD_NUM 4         /* tables grow past 4/5 full... */
#define MAX_LOAD_DEN 5
#define GROW_NUM     5         /* ...by a quarter: load stays 0.64-0.8 */
#define GROW_DEN     4
#define MAX_CANDIDATES (TD_DEDUP_BANDS * TD_DEDUP_BUCKET_CAP)
#define CONTAIN_MIN_JACCARD 0.20  /* below, containment is noise */

typedef struct sig_block {
    uint16_t slot[BLOCK_DOCS][TD_DEDUP_HASHES];
    uint32_t n_shingles[BLOCK_DOCS];
} sig_block;

struct td_dedup_index {
    sig_block **blocks;
    size_t n_blocks;
    size_t blocks_size;
    uint32_t n;                           /* documents added */
    uint32_t n_indexed;                   /* of which with shingles */
    size_t cap;                           /* slots per band table */
    uint32_t *table[TD_DEDUP_BANDS];      /* doc + 1; 0 is empty */
};

static const uint16_t *doc_slots(const td_dedup_index *ix, uint32_t d)
{
    return ix->blocks[d / BLOCK_DOCS]->slot[d % BLOCK_DOCS];
}

static uint32_t doc_size(const td_dedup_index *ix, uint32_t d)
{
    return ix->blocks[d / BLOCK_DOCS]->n_shingles[d % BLOCK_DOCS];
}

/* Home slot of band `band` of slots s in a table of cap slots. */
static size_t band_home(const uint16_t *s, unsigned band, size_t cap)
{
    const uint16_t *r = s + band * TD_DEDUP_ROWS;
    uint64_t k = 0;
    unsigned i;
    for (i = 0; i < TD_DEDUP_ROWS; i++)
        k = (k << 16) | r[i];
    k ^= (uint64_t)(band + 1) << 56;
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return (size_t)(((k >> 32) * (uint64_t)cap) >> 32);
}

static int band_equal(const uint16_t *a, const uint16_t *b, unsigned band)
{
    return memcmp(a + band * TD_DEDUP_ROWS, b + band * TD_DEDUP_ROWS,
                  TD_DEDUP_ROWS * sizeof *a) == 0;
}

/* Walks band `band`'s bucket of s: appends the documents in it to cand
** (when not NULL), and when insert is not 0 stores document insert - 1 at
** the end of the probe run, or over the bucket's oldest document when the
** bucket is full. */
static void probe(td_dedup_index *ix, unsigned band, const uint16_t *s,
                  uint32_t *cand, size_t *n_cand, uint32_t insert)
{
    uint32_t *t = ix->table[band];
    size_t pos = band_home(s, band, ix->cap), oldest_pos = 0, count = 0;
    uint32_t oldest = UINT32_MAX;
    while (t[pos]) {
        uint32_t d = t[pos] - 1;
        if (band_equal(doc_slots(ix, d), s, band)) {
            if (cand && *n_cand < MAX_CANDIDATES)
                cand[(*n_cand)++] = d;
            if (d < oldest) {
                oldest = d;
                oldest_pos = pos;
            }
            count++;
        }
        if (++pos == ix->cap)
            pos = 0;
    }
    if (insert)
        t[count >= TD_DEDUP_BUCKET_CAP ? oldest_pos : pos] = insert;
}

td_dedup_index *td__dedup_index_new(void)
{
    return calloc(1, sizeof(td_dedup_index));
}

void td__dedup_index_free(td_dedup_index *ix)
{
    size_t i;
    if (!ix)
        return;
    for (i = 0; i < ix->n_blocks; i++)
        free(ix->blocks[i]);
    free(ix->blocks);
    for (i = 0; i < TD_DEDUP_BANDS; i++)
        free(ix->table[i]);
    free(ix);
}

/* Makes the band tables hold one more document below the load limit,
** rebuilding them from the signatures (in id order, so that the buckets'
** caps drop the same documents again). */
static td_status grow_tables(td_dedup_index *ix)
{
    uint32_t *fresh[TD_DEDUP_BANDS];
    size_t cap = ix->cap, b;
    uint32_t d;
    if ((uint64_t)(ix->n_indexed + 1) * MAX_LOAD_DEN <=
        (uint64_t)cap * MAX_LOAD_NUM)
        return TD_OK;
    cap = cap < MIN_CAP ? MIN_CAP : cap / GROW_DEN * GROW_NUM;
    for (b = 0; b < TD_DEDUP_BANDS; b++) {
        fresh[b] = calloc(cap, sizeof(uint32_t));
        if (!fresh[b]) {
            while (b--)
                free(fresh[b]);
            return TD_ENOMEM;
        }
    }
    for (b = 0; b < TD_DEDUP_BANDS; b++) {
        free(ix->table[b]);
        ix->table[b] = fresh[b];
    }
    ix->cap = cap;
    for (d = 0; d < ix->n; d++) {
        if (!doc_size(ix, d))
            continue;
        for (b = 0; b < TD_DEDUP_BANDS; b++)
            probe(ix, (unsigned)b, doc_slots(ix, d), NULL, NULL, d + 1);
    }
    return TD_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_match(const void *a, const void *b)
{
    const td_dedup_match *x = a, *y = b;
    if (x->jaccard != y->jaccard)
        return x->jaccard > y->jaccard ? -1 : 1;
    return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* Verifies the candidates and writes the matches, best first. */
static size_t verify(const td_dedup_index *ix, const td_dedup_sig *sig,
                     uint32_t *cand, size_t n_cand, td_dedup_match *matches,
                     size_t max)
{
    td_dedup_match found[MAX_CANDIDATES];
    td_dedup_sig other;
    size_t i, n = 0;
    qsort(cand, n_cand, sizeof *cand, cmp_u32);
    for (i = 0; i < n_cand; i++) {
        double j, cn, co;
        if (i > 0 && cand[i] == cand[i - 1])
            continue;
        memcpy(other.slot, doc_slots(ix, cand[i]), sizeof other.slot);
        other.n_shingles = doc_size(ix, cand[i]);
        j = td__dedup_jaccard(sig, &other);
        cn = td__dedup_containment(j, sig->n_shingles, other.n_shingles);
        co = td__dedup_containment(j, other.n_shingles, sig->n_shingles);
        if (j < TD_DEDUP_JACCARD &&
            (j < CONTAIN_MIN_JACCARD ||
             (cn < TD_DEDUP_CONTAIN && co < TD_DEDUP_CONTAIN)))
            continue;
        found[n].doc = cand[i];
        found[n].jaccard = (float)j;
        found[n].contain_new = (float)cn;
        found[n].contain_old = (float)co;
        n++;
    }
    qsort(found, n, sizeof *found, cmp_match);
    if (n > max)
        n = max;
    if (n)
        memcpy(matches, found, n * sizeof *found);
    return n;
}

td_status td__dedup_index_query(const td_dedup_index *ix,
                                const td_dedup_sig *sig,
                                td_dedup_match *matches, size_t max,
                                size_t *n_matches)
{
    uint32_t cand[MAX_CANDIDATES];
    size_t n_cand = 0;
    unsigned b;
    *n_matches = 0;
    if (!sig->n_shingles || !ix->n_indexed)
        return TD_OK;
    for (b = 0; b < TD_DEDUP_BANDS; b++)
        probe((td_dedup_index *)ix, b, sig->slot, cand, &n_cand, 0);
    *n_matches = verify(ix, sig, cand, n_cand, matches, max);
    return TD_OK;
}

td_status td__dedup_index_add(td_dedup_index *ix, const td_dedup_sig *sig,
                              uint32_t *doc, td_dedup_match *matches,
                              size_t max, size_t *n_matches)
{
    uint32_t cand[MAX_CANDIDATES], d = ix->n;
    size_t n_cand = 0;
    sig_block *blk;
    unsigned b;
    td_status rc;

    *n_matches = 0;
    if (ix->n >= TD_DEDUP_MAX_DOCS)
        return TD_ETOOBIG;
    if (d / BLOCK_DOCS == ix->n_blocks) {
        if (ix->n_blocks == ix->blocks_size) {
            size_t size = ix->blocks_size ? ix->blocks_size * 2 : 16;
            sig_block **grown = realloc(ix->blocks, size * sizeof *grown);
            if (!grown)
                return TD_ENOMEM;
            ix->blocks = grown;
            ix->blocks_size = size;
        }
        if (!(ix->blocks[ix->n_blocks] = malloc(sizeof(sig_block))))
            return TD_ENOMEM;
        ix->n_blocks++;
    }
    if (sig->n_shingles && (rc = grow_tables(ix)) != TD_OK)
        return rc;
    blk = ix->blocks[d / BLOCK_DOCS];
    memcpy(blk->slot[d % BLOCK_DOCS], sig->slot, sizeof sig->slot);
    blk->n_shingles[d % BLOCK_DOCS] = sig->n_shingles;
    ix->n++;
    *doc = d;
    if (!sig->n_shingles)
        return TD_OK;
    /* One walk per band both lists the bucket and stores the new document;
    ** the new document itself is appended after the walk, never listed. */
    for (b = 0; b < TD_DEDUP_BANDS; b++)
        probe(ix, b, sig->slot, cand, &n_cand, d + 1);
    ix->n_indexed++;
    *n_matches = verify(ix, sig, cand, n_cand, matches, max);
    return TD_OK;
}

uint32_t td__dedup_index_count(const td_dedup_index *ix)
{
    return ix->n;
}

size_t td__dedup_index_bytes(const td_dedup_index *ix)
{
    return sizeof *ix + ix->blocks_size * sizeof *ix->blocks +
           ix->n_blocks * sizeof(sig_block) +
           (size_t)TD_DEDUP_BANDS * ix->cap * sizeof(uint32_t);
}
