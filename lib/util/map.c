/*
** map.c: uint64 -> uint64 open-addressing hash map (see map.h).
*/
#include "map.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(uint64_t key, size_t mask)
{
    /* A strong 64-bit mix so that sequential keys spread. */
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53ULL;
    key ^= key >> 33;
    return (size_t)key & mask;
}

void td__map_init(td_map *m)
{
    memset(m, 0, sizeof *m);
}

void td__map_free(td_map *m)
{
    free(m->keys);
    free(m->vals);
    free(m->used);
    memset(m, 0, sizeof *m);
}

void td__map_clear(td_map *m)
{
    if (m->used && m->n)
        memset(m->used, 0, m->mask + 1);
    m->n = 0;
}

uint64_t *td__map_get(const td_map *m, uint64_t key)
{
    size_t i;
    if (!m->used)
        return NULL;
    for (i = slot_of(key, m->mask); m->used[i]; i = (i + 1) & m->mask)
        if (m->keys[i] == key)
            return &m->vals[i];
    return NULL;
}

static int grow(td_map *m)
{
    size_t cap = m->used ? (m->mask + 1) * 2 : 16, i;
    td_map bigger;
    bigger.keys = malloc(cap * sizeof *bigger.keys);
    bigger.vals = malloc(cap * sizeof *bigger.vals);
    bigger.used = calloc(cap, 1);
    if (!bigger.keys || !bigger.vals || !bigger.used) {
        free(bigger.keys);
        free(bigger.vals);
        free(bigger.used);
        return -1;
    }
    bigger.mask = cap - 1;
    bigger.n = m->n;
    for (i = 0; m->used && i <= m->mask; i++) {
        size_t j;
        if (!m->used[i])
            continue;
        for (j = slot_of(m->keys[i], bigger.mask); bigger.used[j];
             j = (j + 1) & bigger.mask)
            ;
        bigger.used[j] = 1;
        bigger.keys[j] = m->keys[i];
        bigger.vals[j] = m->vals[i];
    }
    td__map_free(m);
    *m = bigger;
    return 0;
}

uint64_t *td__map_put(td_map *m, uint64_t key, int *added)
{
    size_t i;
    uint64_t *v = td__map_get(m, key);
    if (added)
        *added = 0;
    if (v)
        return v;
    /* Keep the load factor under 3/4. */
    if (!m->used || (m->n + 1) * 4 > (m->mask + 1) * 3)
        if (grow(m) != 0)
            return NULL;
    for (i = slot_of(key, m->mask); m->used[i]; i = (i + 1) & m->mask)
        ;
    m->used[i] = 1;
    m->keys[i] = key;
    m->vals[i] = 0;
    m->n++;
    if (added)
        *added = 1;
    return &m->vals[i];
}

int td__map_del(td_map *m, uint64_t key)
{
    size_t i, j;
    if (!m->used)
        return 0;
    for (i = slot_of(key, m->mask); m->used[i]; i = (i + 1) & m->mask)
        if (m->keys[i] == key)
            break;
    if (!m->used[i])
        return 0;
    /* Backward-shift: move later members of the probe run into the hole
    ** when their home slot does not lie strictly between hole and them. */
    j = i;
    for (;;) {
        size_t home;
        j = (j + 1) & m->mask;
        if (!m->used[j])
            break;
        home = slot_of(m->keys[j], m->mask);
        if ((j > i && (home <= i || home > j)) ||
            (j < i && (home <= i && home > j))) {
            m->keys[i] = m->keys[j];
            m->vals[i] = m->vals[j];
            i = j;
        }
    }
    m->used[i] = 0;
    m->n--;
    return 1;
}

int td__map_next(const td_map *m, size_t *i, uint64_t *key, uint64_t *val)
{
    for (; m->used && *i <= m->mask; (*i)++) {
        if (m->used[*i]) {
            if (key)
                *key = m->keys[*i];
            if (val)
                *val = m->vals[*i];
            (*i)++;
            return 1;
        }
    }
    return 0;
}
