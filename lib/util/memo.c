/*
** memo.c: the direct-mapped string cache of memo.h.
*/
#include "util/memo.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
    uint64_t hash;          /* 0 = empty (stored hashes have bit 0 set) */
    uint8_t key_len;
    uint8_t len;
    char key[TD_MEMO_MAX];
    char value[TD_MEMO_MAX + 1];
} slot;

struct td_memo {
    slot *slots;
    uint64_t mask;
};

/* The slot of a stored hash: its high bits, since bit 0 is always set (the
** low bits would leave every even slot empty). */
static size_t slot_of(const td_memo *m, uint64_t hash)
{
    return (size_t)((hash >> 32) & m->mask);
}

td_memo *td__memo_new(unsigned slots_log2)
{
    td_memo *m;
    if (slots_log2 > 24)
        return NULL;
    m = malloc(sizeof *m);
    if (!m)
        return NULL;
    m->mask = ((uint64_t)1 << slots_log2) - 1;
    m->slots = calloc((size_t)m->mask + 1, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void td__memo_free(td_memo *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m);
}

const char *td__memo_get(const td_memo *m, uint64_t hash, const char *key,
                         size_t key_len, size_t *len)
{
    const slot *s;
    if (!m || key_len > TD_MEMO_MAX)
        return NULL;
    hash |= 1;
    s = &m->slots[slot_of(m, hash)];
    if (s->hash != hash || s->key_len != key_len ||
        memcmp(s->key, key, key_len) != 0)
        return NULL;
    *len = s->len;
    return s->value;
}

void td__memo_put(td_memo *m, uint64_t hash, const char *key, size_t key_len,
                  const char *value, size_t len)
{
    slot *s;
    if (!m || key_len > TD_MEMO_MAX || len > TD_MEMO_MAX)
        return;
    hash |= 1;
    s = &m->slots[slot_of(m, hash)];
    s->hash = hash;
    s->key_len = (uint8_t)key_len;
    s->len = (uint8_t)len;
    memcpy(s->key, key, key_len);
    memcpy(s->value, value, len);
    s->value[len] = '\0';
}
