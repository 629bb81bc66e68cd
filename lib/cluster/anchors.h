/*
** anchors.h: how much of two articles' ordered names and numbers agree
** (anchors.c), the clusterer's evidence for a translation or a close copy
** in another language, where few words are shared.
*/
#ifndef TD_CLUSTER_ANCHORS_H
#define TD_CLUSTER_ANCHORS_H

#include "article.h"

#include <stddef.h>
#include <stdint.h>

/* The weights, in halves, of the names and of the numbers of a[0..n): a
** one-digit number counts half as much as a name or a longer number. */
void td__anchor_weights(const uint32_t *a, size_t n, unsigned *names,
                        unsigned *numbers);
/* The share, 0..1, of the two anchor lists found in both in the same order
** (their weights as td__anchor_weights gives them). */
double td__anchor_share(const uint32_t *a, size_t na, unsigned names_a,
                        unsigned numbers_a, const uint32_t *b, size_t nb,
                        unsigned names_b, unsigned numbers_b);

#endif
