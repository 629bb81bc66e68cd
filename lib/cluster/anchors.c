/*
** anchors.c: the ordered-anchor evidence the clusterer takes for a
** translation or a close copy across languages (anchors.h). An article's
** anchors are its names and numbers in text order, as 32-bit hashes with
** their kind (lib/article.h); two texts that tell the same thing in two
** languages keep most of them, and in the same order.
*/
#include "anchors.h"

#include <string.h>

/* An anchor's weight, in halves: a one-digit number says half as much as a
** name or a longer number (it recurs in most texts). */
static unsigned anchor_weight(uint32_t a)
{
    return TD_ANCHOR_KIND(a) == TD_ANCHOR_DIGIT ? 1 : 2;
}

/* The weights of the names and of the numbers of a[0..n). */
void td__anchor_weights(const uint32_t *a, size_t n, unsigned *names,
                        unsigned *numbers)
{
    size_t i;
    *names = *numbers = 0;
    for (i = 0; i < n; i++) {
        if (TD_ANCHOR_KIND(a[i]) == TD_ANCHOR_NAME)
            *names += anchor_weight(a[i]);
        else
            *numbers += anchor_weight(a[i]);
    }
}

/* Weight of the heaviest common subsequence of a[0..na) and b[0..nb). */
static unsigned lcs(const uint32_t *a, size_t na, const uint32_t *b,
                    size_t nb)
{
    uint8_t row[2][TD_MAX_ANCHORS + 1]; /* at most 2 x 64 */
    size_t i, j;
    memset(row, 0, sizeof row);
    for (i = 1; i <= na; i++) {
        uint8_t *cur = row[i & 1], *prev = row[(i - 1) & 1];
        cur[0] = 0;
        for (j = 1; j <= nb; j++) {
            if (a[i - 1] == b[j - 1])
                cur[j] = (uint8_t)(prev[j - 1] + anchor_weight(a[i - 1]));
            else
                cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
        }
    }
    return row[na & 1][nb];
}

/* The anchors of a that may occur in b (a 256-bit filter of b's), in order,
** into out; returns how many. Those that cannot are in no common
** subsequence, so leaving them out does not change the LCS, and the table
** shrinks from na x nb to the few anchors two texts share. */
static size_t anchors_in(const uint32_t *a, size_t na, const uint32_t *b,
                         size_t nb, uint32_t *out)
{
    uint64_t seen[4] = {0, 0, 0, 0};
    size_t i, n = 0;
    for (i = 0; i < nb; i++)
        seen[(b[i] >> 2 & 255) / 64] |= UINT64_C(1) << ((b[i] >> 2) % 64);
    for (i = 0; i < na; i++)
        if (seen[(a[i] >> 2 & 255) / 64] >> ((a[i] >> 2) % 64) & 1)
            out[n++] = a[i];
    return n;
}

/* The share of two articles' anchors found in both in the same order: the
** weight of the common subsequence over what both should share, the names
** of the one with fewer names and the numbers of the one with more
** numbers. A translation keeps every number, whatever the language, but
** loses names its script cannot show (kanji names are no anchors) or
** spells differently; a short text of a few numbers should not find most
** of them, by chance, in a long one. names_x and numbers_x are the
** weights td__anchor_weights gives. */
double td__anchor_share(const uint32_t *a, size_t na, unsigned names_a,
                        unsigned numbers_a, const uint32_t *b, size_t nb,
                        unsigned names_b, unsigned numbers_b)
{
    unsigned whole = (names_a < names_b ? names_a : names_b) +
                     (numbers_a > numbers_b ? numbers_a : numbers_b);
    uint32_t a2[TD_MAX_ANCHORS], b2[TD_MAX_ANCHORS];
    size_t na2, nb2;
    if (!whole)
        return 0;
    na2 = anchors_in(a, na, b, nb, a2);
    nb2 = na2 ? anchors_in(b, nb, a, na, b2) : 0;
    return (double)lcs(a2, na2, b2, nb2) / whole;
}
