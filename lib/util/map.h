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

/* A slot holds its key and value side by side, so that a lookup reads one
** cache line; key 0 marks an empty slot, and the key 0 itself is kept
** outside the table. */
typedef struct td_map_slot {
    uint64_t key;
    uint64_t val;
} td_map_slot;

typedef struct td_map {
    td_map_slot *slots;
    size_t n;      /* live entries, the key 0 included */
    size_t mask;   /* capacity - 1; capacity is a power of two, 0 when empty */
    int has_zero;  /* the key 0 is in the map, with zero_val */
    uint64_t zero_val;
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
** table's, not insertion order (the key 0 last). */
int td__map_next(const td_map *m, size_t *i, uint64_t *key, uint64_t *val);

#endif
