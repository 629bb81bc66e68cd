/*
** memo.h: a direct-mapped cache of short strings (key -> value), for work
** that is repeated on the same words over and over (stems, case folding):
** word frequencies are Zipf-like, so a few hundred thousand slots answer
** most lookups. A newer entry simply replaces an older one in its slot.
*/
#ifndef TD_MEMO_H
#define TD_MEMO_H

#include <stddef.h>
#include <stdint.h>

/* Keys and values up to TD_MEMO_MAX bytes; longer ones are not cached. */
#define TD_MEMO_MAX 27

typedef struct td_memo td_memo;

/* A cache of 2^slots_log2 entries; NULL when out of memory (callers then
** go without: every function accepts a NULL cache). */
td_memo *td__memo_new(unsigned slots_log2);
void td__memo_free(td_memo *m);

/* The value cached for key (whose hash the caller computed, so that it can
** mix in context such as a language), its length in *len; NULL when absent.
** The pointer is valid until the next td__memo_put. */
const char *td__memo_get(const td_memo *m, uint64_t hash, const char *key,
                         size_t key_len, size_t *len);
/* Caches key -> value; does nothing when either is too long. */
void td__memo_put(td_memo *m, uint64_t hash, const char *key, size_t key_len,
                  const char *value, size_t len);

#endif
