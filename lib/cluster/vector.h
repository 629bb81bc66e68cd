/*
** vector.h: sparse term vector arithmetic for the clusterer (vector.c).
** Vectors are td_wterm arrays sorted by key (cluster.h).
*/
#ifndef TD_VECTOR_H
#define TD_VECTOR_H

#include "cluster.h"

/* 1 for the kinds that count only across languages (prefixes, pivots). */
int td__vec_cross_only(uint8_t kind);
/* Dot product and norm over the terms the same-language cosine uses. */
double td__vec_dot(const td_wterm *a, size_t na, const td_wterm *b, size_t nb);
double td__vec_norm(const td_wterm *v, size_t n);
/* Norm over names, prefixes, numbers (and pivots when with_pivots). */
double td__vec_norm_named(const td_wterm *v, size_t n, int with_pivots);
/* The dot products of one vector with many (an article's with its
** candidate stories' centroids): td__probe_build indexes the vector once in
** a hash table behind a bit filter, td__probe_dots then reads a centroid
** front to back. A merge of two sorted key lists mispredicts a branch at
** most of its steps; here a step whose key is not in the article (most of
** them) is one bit test. */
#define TD_PROBE_BITS 8192
typedef struct td_dots {
    double all;     /* over the terms of td__vec_dot */
    double named;   /* over names, prefixes, numbers and pivots */
    double names;   /* the same without pivots */
    unsigned marked; /* marked terms of the probe's vector met */
} td_dots;
typedef struct td_probe {
    const td_wterm *v;   /* the indexed vector, not owned */
    const uint8_t *mark; /* 1 for the terms counted in td_dots.marked */
    uint32_t *slot;      /* index into v + 1; 0 is empty */
    size_t cap, mask;
    uint64_t bits[TD_PROBE_BITS / 64];
} td_probe;
td_status td__probe_build(td_probe *p, const td_wterm *v, const uint8_t *mark,
                          size_t n);
/* The sums equal, bit for bit, those of a merge in key order: c is sorted
** by key and its matching products are added in its order. */
void td__probe_dots(const td_probe *p, const td_wterm *c, size_t nc,
                    td_dots *out);
void td__probe_free(td_probe *p);

/* 1 when key is in v. */
int td__vec_has_key(const td_wterm *v, size_t n, uint64_t key);

#endif
