/*
** metrics.c: clustering agreement measures used by `tidings eval`:
** BCubed precision/recall/F1, pairwise precision/recall/F1 and the adjusted
** Rand index, all from one contingency table of (predicted, gold) labels;
** and that table's cells, for listing what a clustering got wrong.
*/
#include "tidings.h"
#include "util/map.h"

#include <stdlib.h>
#include <string.h>

static double pairs(double n)
{
    return n * (n - 1) / 2;
}

/* Maps arbitrary labels to 0..k-1 in first-seen order; returns k or -1. */
static long dense(const int64_t *labels, size_t n, uint32_t *out)
{
    td_map m;
    size_t i;
    long k = 0;
    td__map_init(&m);
    for (i = 0; i < n; i++) {
        int added;
        uint64_t *v = td__map_put(&m, (uint64_t)labels[i], &added);
        if (!v) {
            td__map_free(&m);
            return -1;
        }
        if (added)
            *v = (uint64_t)k++;
        out[i] = (uint32_t)*v;
    }
    td__map_free(&m);
    return k;
}

td_status td_eval_clustering(const int64_t *pred, const int64_t *gold,
                             size_t n, td_cluster_scores *out)
{
    uint32_t *p = malloc((n + 1) * sizeof *p), *g = malloc((n + 1) * sizeof *g);
    double *psize = NULL, *gsize = NULL;
    td_map cells;
    long kp, kg;
    size_t i;
    double tp = 0, pp = 0, gp = 0, b3p = 0, b3r = 0, all, expected, max_idx;
    td_status rc = TD_ENOMEM;

    memset(out, 0, sizeof *out);
    td__map_init(&cells);
    if (!p || !g)
        goto done;
    kp = dense(pred, n, p);
    kg = dense(gold, n, g);
    if (kp < 0 || kg < 0)
        goto done;
    psize = calloc((size_t)kp + 1, sizeof *psize);
    gsize = calloc((size_t)kg + 1, sizeof *gsize);
    if (!psize || !gsize)
        goto done;
    for (i = 0; i < n; i++) {
        uint64_t *c = td__map_put(&cells, (uint64_t)p[i] * (uint64_t)n + g[i], NULL);
        if (!c)
            goto done;
        (*c)++;
        psize[p[i]]++;
        gsize[g[i]]++;
    }
    /* BCubed: every item of a cell shares its cell's counts. */
    for (i = 0; i < n; i++) {
        double cell = (double)*td__map_get(&cells, (uint64_t)p[i] * (uint64_t)n + g[i]);
        b3p += cell / psize[p[i]];
        b3r += cell / gsize[g[i]];
    }
    {
        size_t it = 0;
        uint64_t key, val;
        while (td__map_next(&cells, &it, &key, &val))
            tp += pairs((double)val);
    }
    for (i = 0; i < (size_t)kp; i++)
        pp += pairs(psize[i]);
    for (i = 0; i < (size_t)kg; i++)
        gp += pairs(gsize[i]);

    out->n = n;
    out->n_pred = (size_t)kp;
    out->n_gold = (size_t)kg;
    if (n) {
        out->b3_p = b3p / (double)n;
        out->b3_r = b3r / (double)n;
    }
    if (out->b3_p + out->b3_r > 0)
        out->b3_f1 = 2 * out->b3_p * out->b3_r / (out->b3_p + out->b3_r);
    out->pair_p = pp > 0 ? tp / pp : 1.0;
    out->pair_r = gp > 0 ? tp / gp : 1.0;
    if (out->pair_p + out->pair_r > 0)
        out->pair_f1 = 2 * out->pair_p * out->pair_r / (out->pair_p + out->pair_r);
    /* ARI = (index - expected) / (max - expected). */
    all = pairs((double)n);
    expected = all > 0 ? pp * gp / all : 0;
    max_idx = (pp + gp) / 2;
    out->ari = max_idx - expected != 0 ? (tp - expected) / (max_idx - expected)
                                       : 1.0;
    rc = TD_OK;
done:
    td__map_free(&cells);
    free(p);
    free(g);
    free(psize);
    free(gsize);
    return rc;
}

static int item_order(const void *a, const void *b)
{
    const td_eval_cell *x = a, *y = b;
    if (x->gold != y->gold)
        return x->gold < y->gold ? -1 : 1;
    if (x->pred != y->pred)
        return x->pred < y->pred ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static int cell_order(const void *a, const void *b)
{
    const td_eval_cell *x = a, *y = b;
    if (x->gold != y->gold)
        return x->gold < y->gold ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->pred < y->pred ? -1 : x->pred > y->pred;
}

td_status td_eval_cells(const int64_t *pred, const int64_t *gold, size_t n,
                        td_eval_cell **out, size_t *n_out)
{
    /* One entry per item, sorted by (gold, pred, index): each run is a
    ** cell, and its first entry holds the cell's lowest index. */
    td_eval_cell *v = malloc((n + 1) * sizeof *v);
    size_t i, k = 0;
    *out = NULL;
    *n_out = 0;
    if (!v)
        return TD_ENOMEM;
    for (i = 0; i < n; i++) {
        v[i].pred = pred[i];
        v[i].gold = gold[i];
        v[i].first = i;
        v[i].count = 1;
    }
    qsort(v, n, sizeof *v, item_order);
    for (i = 0; i < n; i++) {
        if (k && v[k - 1].gold == v[i].gold && v[k - 1].pred == v[i].pred)
            v[k - 1].count++;
        else
            v[k++] = v[i];
    }
    qsort(v, k, sizeof *v, cell_order);
    *out = v;
    *n_out = k;
    return TD_OK;
}
