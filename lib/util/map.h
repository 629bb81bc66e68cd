/*
** map.h: an open-addressing hash map from uint64 keys to uint64 values
** (linear probing, backward-shift deletion). Used for document frequencies,
** the story table and the inverted index. Keys are hashed again inside, so
** sequential ids are fine.
*/
#ifndef TD_MAP_H
#define TD_MAP_H

#include "tidings.h"

#include <stddef.h>
#include <stdint.h>

typedef struct td_map {
    uint64_t *keys;
    uint64_t *vals;
    uint8_t *used;
    size_t n;      /* live entries */
    size_t mask;   /* capacity - 1; capacity is a power of two, 0 when empty */
} td_map;

void td__map_init(td_map *m);
void td__map_free(td_map *m);
/* Removes every entry but keeps the table's memory. */
void td__map_clear(td_map *m);
/* Pointer to the value of key, or NULL. Valid until the next insert. */
uint64_t *td__map_get(const td_map *m, uint64_t key);
/* Pointer to the value of key, inserted as 0 when absent; NULL on out of
** memory. *added (may be NULL) says whether it was inserted. */
uint64_t *td__map_put(td_map *m, uint64_t key, int *added);
/* Removes key; returns 1 when it was there. */
int td__map_del(td_map *m, uint64_t key);

/* Iteration: for (i = 0; td__map_next(m, &i, &k, &v); ) ... Order is the
** table's, not insertion order. */
int td__map_next(const td_map *m, size_t *i, uint64_t *key, uint64_t *val);

#endif
