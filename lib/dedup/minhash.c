/*
** minhash.c: MinHash signatures of word shingles and the evidence passage.
**
** Method (docs/internals/dedup.md): the case folded words of a text form
** shingles of TD_DEDUP_SHINGLE words, each hashed with xxh3 to 64 bits. Slot
** i of the signature is the minimum over the distinct shingles x of
** h_i(x) = high 32 bits of (a_i * x + b_i) mod 2^64 (a_i odd, fixed seeds),
** of which the low 16 bits are kept (b-bit MinHash: two different minima
** agree with probability 2^-16, corrected for in the estimate).
*/
#include "dedup_int.h"
#include "util/map.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define MINHASH_SEED 0x6465647570303031ull   /* "dedup001" */

static uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* The 64 hashes of a shingle are independent lanes: built a second time for
** AVX2 (chosen at load time where the CPU has it), the compiler computes
** four at once, with the same results. */
#if defined(__GNUC__) && defined(__x86_64__)
__attribute__((target_clones("avx2", "default")))
#endif
void td__dedup_minhash(const uint64_t *shingles, size_t n, td_dedup_sig *out)
{
    uint64_t mul[TD_DEDUP_HASHES], add[TD_DEDUP_HASHES], state = MINHASH_SEED;
    uint32_t low[TD_DEDUP_HASHES];
    size_t i, s;

    for (i = 0; i < TD_DEDUP_HASHES; i++) {
        mul[i] = splitmix(&state) | 1;
        add[i] = splitmix(&state);
        low[i] = UINT32_MAX;
    }
    for (s = 0; s < n; s++) {
        uint64_t x = shingles[s];
        for (i = 0; i < TD_DEDUP_HASHES; i++) {
            uint32_t v = (uint32_t)((mul[i] * x + add[i]) >> 32);
            low[i] = v < low[i] ? v : low[i];
        }
    }
    for (i = 0; i < TD_DEDUP_HASHES; i++)
        out->slot[i] = (uint16_t)low[i];
    out->n_shingles = (uint32_t)(n > UINT32_MAX ? UINT32_MAX : n);
}

/* Shingle hashes of a word sequence: one per window of TD_DEDUP_SHINGLE
** words, or a single one over all words when the text is shorter. *n_out
** gets the count; out has room for max(n - k + 1, 1). */
static size_t shingle_hashes(const td_dedup_word *w, size_t n, uint64_t *out)
{
    uint64_t window[TD_DEDUP_SHINGLE];
    size_t i, j, k = TD_DEDUP_SHINGLE, m;
    if (n == 0)
        return 0;
    if (n < k) {
        for (j = 0; j < n; j++)
            window[j] = w[j].hash;
        out[0] = td__hash64(window, n * sizeof window[0]);
        return 1;
    }
    m = n - k + 1;
    for (i = 0; i < m; i++) {
        for (j = 0; j < k; j++)
            window[j] = w[i + j].hash;
        out[i] = td__hash64(window, sizeof window);
    }
    return m;
}

/* Moves the distinct values of a[0..n) to the front of a (in an order of
** their own) and returns their count. MinHash needs the set, not an order:
** an open-addressing table of the values (already hashes, so their low bits
** index it) costs a fraction of a sort. Text built to make its shingles
** collide in the table would make probing quadratic: past a probe budget
** the sort takes over. */
size_t td__dedup_distinct(uint64_t *a, size_t n)
{
    uint64_t *table;
    size_t size = 64, mask, i, d = 0, probes = 0, budget;
    int seen_zero = 0;
    if (n < 2)
        return n;
    while (size < n * 2)
        size *= 2;
    mask = size - 1;
    budget = n * 8 + 64;
    table = size <= SIZE_MAX / sizeof *table ? calloc(size, sizeof *table)
                                              : NULL;
    if (!table)
        return td__sort_unique_u64(a, n);
    for (i = 0; i < n; i++) {
        uint64_t x = a[i];
        size_t j;
        if (x == 0) {   /* 0 marks an empty slot: tracked on its own */
            if (!seen_zero) {
                seen_zero = 1;
                a[d++] = x;
            }
            continue;
        }
        for (j = (size_t)x & mask; table[j] && table[j] != x;
             j = (j + 1) & mask)
            probes++;
        if (probes > budget) {
            /* a[0..d) holds distinct values, a[i..n) the rest unseen:
            ** join them and sort. */
            free(table);
            memmove(a + d, a + i, (n - i) * sizeof *a);
            return td__sort_unique_u64(a, d + (n - i));
        }
        if (!table[j]) {
            table[j] = x;
            a[d++] = x;
        }
    }
    free(table);
    return d;
}

td_status td__dedup_signature(const char *text, size_t len, td_dedup_sig *out)
{
    td_dedup_word *w;
    uint64_t *sh;
    size_t nw, ns, d;
    td_status rc;

    memset(out, 0xFF, sizeof out->slot);
    out->n_shingles = 0;
    if (!text || !len)
        return TD_OK;
    rc = td__dedup_words(text, len, &w, &nw);
    if (rc != TD_OK)
        return rc;
    if (nw == 0) {
        free(w);
        return TD_OK;
    }
    sh = malloc((nw + 1) * sizeof *sh);
    if (!sh) {
        free(w);
        return TD_ENOMEM;
    }
    ns = shingle_hashes(w, nw, sh);
    free(w);
    /* Distinct shingles: the set size is needed for containment, and hashing
    ** each shingle once halves the work on repetitive text. */
    d = td__dedup_distinct(sh, ns);
    td__dedup_minhash(sh, d, out);
    free(sh);
    return TD_OK;
}

double td__dedup_jaccard(const td_dedup_sig *a, const td_dedup_sig *b)
{
    /* Two different 32-bit minima share their low 16 bits with probability
    ** c = 2^-16, so P(match) = J + (1 - J) c; solve for J. */
    const double c = 1.0 / 65536.0;
    unsigned same = 0, i;
    double p, j;
    if (!a->n_shingles || !b->n_shingles)
        return 0.0;
    for (i = 0; i < TD_DEDUP_HASHES; i++)
        same += a->slot[i] == b->slot[i];
    p = (double)same / TD_DEDUP_HASHES;
    j = (p - c) / (1.0 - c);
    return j < 0.0 ? 0.0 : j;
}

double td__dedup_containment(double j, uint32_t n_a, uint32_t n_b)
{
    double c;
    if (n_a == 0 || j <= 0.0)
        return 0.0;
    c = j * ((double)n_a + (double)n_b) / ((1.0 + j) * (double)n_a);
    return c > 1.0 ? 1.0 : c;
}

/* Occurrences of one shingle followed in A when looking for runs: a text
** that repeats a phrase more often than this is boilerplate there. */
#define PASSAGE_CHAIN 16

td_status td__dedup_passage(const char *a, size_t a_len, const char *b,
                            size_t b_len, td_passage *out)
{
    td_dedup_word *wa = NULL, *wb = NULL;
    uint64_t *sa = NULL, *sb = NULL;
    uint32_t *next = NULL;
    size_t na, nb, ma, mb, i, j, best = 0, bi = 0, bj = 0;
    td_map first;
    td_status rc;

    memset(out, 0, sizeof *out);
    td__map_init(&first);
    if ((rc = td__dedup_words(a, a_len, &wa, &na)) != TD_OK ||
        (rc = td__dedup_words(b, b_len, &wb, &nb)) != TD_OK)
        goto done;
    rc = TD_ENOMEM;
    if (na < TD_DEDUP_SHINGLE || nb < TD_DEDUP_SHINGLE) {
        rc = TD_OK;
        goto done;
    }
    sa = malloc(na * sizeof *sa);
    sb = malloc(nb * sizeof *sb);
    next = malloc(na * sizeof *next);
    if (!sa || !sb || !next)
        goto done;
    ma = shingle_hashes(wa, na, sa);
    mb = shingle_hashes(wb, nb, sb);
    /* first[h] = 1 + the last position of h in A; next[] chains back. */
    for (i = 0; i < ma; i++) {
        uint64_t *v = td__map_put(&first, sa[i], NULL);
        if (!v)
            goto done;
        next[i] = (uint32_t)*v;
        *v = i + 1;
    }
    for (j = 0; j < mb; j++) {
        uint64_t *v = td__map_get(&first, sb[j]);
        size_t p, steps = 0;
        if (!v)
            continue;
        for (p = (size_t)*v; p && steps < PASSAGE_CHAIN; p = next[p - 1], steps++) {
            size_t t;
            i = p - 1;
            /* Extend only from the start of a run, so that each run is
            ** walked once. */
            if (i > 0 && j > 0 && wa[i - 1].hash == wb[j - 1].hash)
                continue;
            for (t = 0; i + t < na && j + t < nb &&
                        wa[i + t].hash == wb[j + t].hash; t++)
                ;
            if (t > best) {
                best = t;
                bi = i;
                bj = j;
            }
        }
    }
    if (best) {
        out->a_start = wa[bi].start;
        out->a_end = wa[bi + best - 1].end;
        out->b_start = wb[bj].start;
        out->b_end = wb[bj + best - 1].end;
        out->n_words = (uint32_t)best;
    }
    rc = TD_OK;
done:
    td__map_free(&first);
    free(wa);
    free(wb);
    free(sa);
    free(sb);
    free(next);
    return rc;
}
