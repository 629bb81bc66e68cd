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
/* The same over names, prefixes, numbers (and pivots when with_pivots). */
double td__vec_dot_named(const td_wterm *a, size_t na, const td_wterm *b,
                         size_t nb, int with_pivots);
double td__vec_norm_named(const td_wterm *v, size_t n, int with_pivots);
/* 1 when key is in v. */
int td__vec_has_key(const td_wterm *v, size_t n, uint64_t key);

#endif
