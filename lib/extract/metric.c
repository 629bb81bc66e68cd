/*
** metric.c: the shingle metric of the extraction benchmark. Tokens are runs
** of \w characters (Unicode letters, numbers, '_'), case kept; shingles are
** 4-token windows, a text of 1-3 tokens is one shingle and an empty one has
** none. A page's TP/FP/FN are the multiset overlap of the two shingle bags;
** shingles are compared by a 64-bit hash of their tokens.
*/
#include "extract.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define SHINGLE_N 4

/* Python's \w: letters (L*), numbers (N*) and the underscore. */
static int is_word_cp(utf8proc_int32_t cp)
{
    utf8proc_category_t c;
    if (cp == '_')
        return 1;
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
               (cp >= 'A' && cp <= 'Z');
    c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

/* Hashes of the tokens of s into a new array (*out, free()), count in *n. */
static td_status token_hashes(const char *s, uint64_t **out, size_t *n)
{
    size_t len = s ? strlen(s) : 0, i = 0, cap = 0, start = 0;
    int in_word = 0;
    uint64_t *v = NULL;
    *out = NULL;
    *n = 0;
    while (i <= len) {
        utf8proc_int32_t cp = -1;
        utf8proc_ssize_t step = 1;
        if (i < len) {
            step = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                    (utf8proc_ssize_t)(len - i), &cp);
            if (step < 1) {
                step = 1;
                cp = -1;
            }
        }
        if (i < len && is_word_cp(cp)) {
            if (!in_word)
                start = i;
            in_word = 1;
        } else if (in_word) {
            if (*n == cap) {
                uint64_t *grown;
                cap = cap ? cap * 2 : 256;
                grown = realloc(v, cap * sizeof *v);
                if (!grown) {
                    free(v);
                    return TD_ENOMEM;
                }
                v = grown;
            }
            v[(*n)++] = td__hash64(s + start, i - start);
            in_word = 0;
        }
        i += (size_t)step;
    }
    *out = v;
    return TD_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorted shingle hashes of s. */
static td_status shingles(const char *s, uint64_t **out, size_t *n)
{
    uint64_t *tok;
    size_t n_tok, k;
    td_status rc = token_hashes(s, &tok, &n_tok);
    *out = NULL;
    *n = 0;
    if (rc != TD_OK || n_tok == 0) {
        free(tok);
        return rc;
    }
    if (n_tok < SHINGLE_N) {
        tok[0] = td__hash64(tok, n_tok * sizeof *tok);
        *out = tok;
        *n = 1;
        return TD_OK;
    }
    for (k = 0; k + SHINGLE_N <= n_tok; k++)
        tok[k] = td__hash64(tok + k, SHINGLE_N * sizeof *tok);
    *n = n_tok - SHINGLE_N + 1;
    qsort(tok, *n, sizeof *tok, cmp_u64);
    *out = tok;
    return TD_OK;
}

td_status td_eval_extract_page(const char *pred, const char *gold,
                               td_shingle_counts *out)
{
    uint64_t *p, *g;
    size_t np, ng, i = 0, j = 0;
    td_status rc;
    memset(out, 0, sizeof *out);
    rc = shingles(pred, &p, &np);
    if (rc != TD_OK)
        return rc;
    rc = shingles(gold, &g, &ng);
    if (rc != TD_OK) {
        free(p);
        return rc;
    }
    while (i < np && j < ng) {
        if (p[i] == g[j]) {
            out->tp++;
            i++;
            j++;
        } else if (p[i] < g[j]) {
            i++;
        } else {
            j++;
        }
    }
    out->fp = np - out->tp;
    out->fn = ng - out->tp;
    free(p);
    free(g);
    return TD_OK;
}

void td_eval_extract_scores(const td_shingle_counts *c, double *p, int *has_p,
                            double *r, int *has_r)
{
    *has_p = c->tp + c->fp > 0;
    *has_r = c->tp + c->fn > 0;
    if (c->fp == 0 && c->fn == 0) {
        *p = *r = 1.0;
        return;
    }
    *p = c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 0.0;
    *r = c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 0.0;
}
