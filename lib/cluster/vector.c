/*
** vector.c: arithmetic on sparse term vectors (td_wterm arrays sorted by
** key): dot products and norms over all terms or over the language-
** independent ones, one article's dot products with many centroids through
** a probe table, membership, and the k heaviest terms in key order.
*/
#include "vector.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The k-th largest of w[0..n) (1-based k <= n), by quickselect; w is
** reordered. */
static float kth_largest(float *w, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1, target = k - 1;
    while (lo < hi) {
        float pivot = w[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (w[i] > pivot)
                i++;
            while (w[j] < pivot)
                j--;
            if (i <= j) {
                float t = w[i];
                w[i] = w[j];
                w[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (target <= j)
            hi = j;
        else if (target >= i)
            lo = i;
        else
            return w[target];
    }
    return w[target];
}

/* The k-th largest weight of v[0..n) without scratch memory: the weight
** with fewer than k weights above it and at least k at or above it. */
static float kth_largest_slow(const td_wterm *v, size_t n, size_t k)
{
    size_t i, j;
    for (i = 0; i < n; i++) {
        size_t above = 0, at_or_above = 0;
        for (j = 0; j < n; j++) {
            above += v[j].w > v[i].w;
            at_or_above += v[j].w >= v[i].w;
        }
        if (above < k && at_or_above >= k)
            return v[i].w;
    }
    return v[0].w;   /* not reached for 1 <= k <= n */
}

size_t td__wterm_top(const td_wterm *v, size_t n, size_t k, td_wterm *out)
{
    float *w, thr;
    size_t i, above = 0, o = 0, ties;
    if (n <= k) {
        if (n > 0)   /* v and out may be NULL when there is no term */
            memmove(out, v, n * sizeof *v);
        return n;
    }
    if (k == 0)
        return 0;
    w = malloc(n * sizeof *w);
    if (w) {
        for (i = 0; i < n; i++)
            w[i] = v[i].w;
        thr = kth_largest(w, n, k);
        free(w);
    } else {
        /* Out of memory: the same threshold in O(n^2), so the result does
        ** not depend on memory. */
        thr = kth_largest_slow(v, n, k);
    }
    for (i = 0; i < n; i++)
        above += v[i].w > thr;
    /* Ties at the threshold: the lowest keys, which come first. */
    ties = k - above;
    for (i = 0; i < n; i++) {
        if (v[i].w > thr || (v[i].w == thr && ties > 0)) {
            if (v[i].w == thr)
                ties--;
            out[o++] = v[i];
        }
    }
    return o;
}

/* Name prefixes and pivot translations serve only across languages: they
** never count in the same-language cosine. */
int td__vec_cross_only(uint8_t kind)
{
    return kind == TD_TERM_PREFIX || kind == TD_TERM_PIVOT;
}

double td__vec_dot(const td_wterm *a, size_t na, const td_wterm *b, size_t nb)
{
    size_t i = 0, j = 0;
    double sum = 0;
    while (i < na && j < nb) {
        if (a[i].key == b[j].key) {
            if (!td__vec_cross_only(a[i].kind))
                sum += (double)a[i].w * b[j].w;
            i++;
            j++;
        } else if (a[i].key < b[j].key)
            i++;
        else
            j++;
    }
    return sum;
}

/* Norm over the terms the full cosine uses. */
double td__vec_norm(const td_wterm *v, size_t n)
{
    double sum = 0;
    size_t i;
    for (i = 0; i < n; i++)
        if (!td__vec_cross_only(v[i].kind))
            sum += (double)v[i].w * v[i].w;
    return sqrt(sum);
}

/* Dot product and norm over the language-independent terms: entities,
** their prefixes, numbers and pivot translations mean the same in any
** language, stems do not. */
static int named_kind(uint8_t kind, int with_pivots)
{
    return kind != TD_TERM_WORD && (with_pivots || kind != TD_TERM_PIVOT);
}

double td__vec_norm_named(const td_wterm *v, size_t n, int with_pivots)
{
    double sum = 0;
    size_t i;
    for (i = 0; i < n; i++)
        if (named_kind(v[i].kind, with_pivots))
            sum += (double)v[i].w * v[i].w;
    return sqrt(sum);
}

int td__vec_has_key(const td_wterm *v, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].key == key)
            return 1;
        if (v[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The filter's bit for a key: high bits, so that it does not follow the
** slot (low bits). */
static size_t probe_bit(uint64_t key)
{
    return (size_t)(key >> 40) & (TD_PROBE_BITS - 1);
}

td_status td__probe_build(td_probe *p, const td_wterm *v, const uint8_t *mark,
                          size_t n)
{
    size_t size = 64, i;
    td_status rc;
    while (size < n * 2)
        size *= 2;
    if ((rc = td__grow((void **)&p->slot, &p->cap, size, sizeof *p->slot)) !=
        TD_OK)
        return rc;
    memset(p->slot, 0, size * sizeof *p->slot);
    memset(p->bits, 0, sizeof p->bits);
    p->mask = size - 1;
    p->v = v;
    p->mark = mark;
    for (i = 0; i < n; i++) {
        size_t h = (size_t)v[i].key & p->mask, b = probe_bit(v[i].key);
        while (p->slot[h])
            h = (h + 1) & p->mask;
        p->slot[h] = (uint32_t)(i + 1);
        p->bits[b / 64] |= UINT64_C(1) << (b % 64);
    }
    return TD_OK;
}

void td__probe_dots(const td_probe *p, const td_wterm *c, size_t nc,
                    td_dots *out)
{
    size_t j;
    double all = 0, named = 0, names = 0;
    unsigned marked = 0;
    for (j = 0; j < nc; j++) {
        uint64_t key = c[j].key;
        size_t b = probe_bit(key), h;
        uint32_t s;
        if (!(p->bits[b / 64] >> (b % 64) & 1))
            continue;
        for (h = (size_t)key & p->mask; (s = p->slot[h]) != 0;
             h = (h + 1) & p->mask) {
            const td_wterm *a = &p->v[s - 1];
            double prod;
            if (a->key != key)
                continue;
            prod = (double)a->w * c[j].w;
            if (!td__vec_cross_only(a->kind))
                all += prod;
            if (named_kind(a->kind, 1))
                named += prod;
            if (named_kind(a->kind, 0))
                names += prod;
            marked += p->mark[s - 1];
            break;
        }
    }
    out->all = all;
    out->named = named;
    out->names = names;
    out->marked = marked;
}

void td__probe_free(td_probe *p)
{
    free(p->slot);
    p->slot = NULL;
    p->cap = 0;
}
