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
    free(m->slots);
    memset(m, 0, sizeof *m);
}

void td__map_clear(td_map *m)
{
    if (m->slots && m->n)
        memset(m->slots, 0, (m->mask + 1) * sizeof *m->slots);
    m->n = 0;
    m->has_zero = 0;
}

uint64_t *td__map_get(const td_map *m, uint64_t key)
{
    size_t i;
    if (key == 0)
        return m->has_zero ? (uint64_t *)&m->zero_val : NULL;
    if (!m->slots)
        return NULL;
    for (i = slot_of(key, m->mask); m->slots[i].key; i = (i + 1) & m->mask)
        if (m->slots[i].key == key)
            return &m->slots[i].val;
    return NULL;
}

static int grow(td_map *m)
{
    size_t cap = m->slots ? (m->mask + 1) * 2 : 16, i;
    td_map_slot *bigger = calloc(cap, sizeof *bigger);
    if (!bigger)
        return -1;
    for (i = 0; m->slots && i <= m->mask; i++) {
        size_t j;
        if (!m->slots[i].key)
            continue;
        for (j = slot_of(m->slots[i].key, cap - 1); bigger[j].key;
             j = (j + 1) & (cap - 1))
            ;
        bigger[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = bigger;
    m->mask = cap - 1;
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
    if (key == 0) {
        m->has_zero = 1;
        m->zero_val = 0;
        m->n++;
        if (added)
            *added = 1;
        return &m->zero_val;
    }
    /* Keep the load factor under 3/4. */
    if (!m->slots || (m->n + 1) * 4 > (m->mask + 1) * 3)
        if (grow(m) != 0)
            return NULL;
    for (i = slot_of(key, m->mask); m->slots[i].key; i = (i + 1) & m->mask)
        ;
    m->slots[i].key = key;
    m->slots[i].val = 0;
    m->n++;
    if (added)
        *added = 1;
    return &m->slots[i].val;
}

int td__map_del(td_map *m, uint64_t key)
{
    size_t i, j;
    if (key == 0) {
        if (!m->has_zero)
            return 0;
        m->has_zero = 0;
        m->n--;
        return 1;
    }
    if (!m->slots)
        return 0;
    for (i = slot_of(key, m->mask); m->slots[i].key; i = (i + 1) & m->mask)
        if (m->slots[i].key == key)
            break;
    if (!m->slots[i].key)
        return 0;
    /* Backward-shift: move later members of the probe run into the hole
    ** when their home slot does not lie strictly between hole and them. */
    j = i;
    for (;;) {
        size_t home;
        j = (j + 1) & m->mask;
        if (!m->slots[j].key)
            break;
        home = slot_of(m->slots[j].key, m->mask);
        if ((j > i && (home <= i || home > j)) ||
            (j < i && (home <= i && home > j))) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i].key = 0;
    m->n--;
    return 1;
}

int td__map_next(const td_map *m, size_t *i, uint64_t *key, uint64_t *val)
{
    size_t cap = m->slots ? m->mask + 1 : 0;
    for (; *i < cap; (*i)++) {
        if (m->slots[*i].key) {
            if (key)
                *key = m->slots[*i].key;
            if (val)
                *val = m->slots[*i].val;
            (*i)++;
            return 1;
        }
    }
    if (*i == cap && m->has_zero) {
        if (key)
            *key = 0;
        if (val)
            *val = m->zero_val;
        (*i)++;
        return 1;
    }
    return 0;
}
