/*
** stem.c: Snowball stemming (libstemmer). One stemmer per language is
** created on first use and cached in the td_stemmer; languages Snowball does
** not cover (pl, cs, uk...) keep their words unchanged. Word frequencies are
** Zipf-like, so a direct-mapped cache of recent (language, word) -> stem
** answers most calls without running Snowball.
*/
#include "text/text.h"

#include "util/memo.h"
#include "util/util.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

/* Words longer than this (bytes) are returned unstemmed. */
#define STEM_MAX_WORD 128
#define STEM_SLOTS 32

typedef struct stem_slot {
    char lang[8];
    struct sb_stemmer *sb;   /* NULL when the language has none */
} stem_slot;

/* The cache: 2^17 (language, word) -> stem entries. */
#define CACHE_SLOTS_LOG2 17

struct td_stemmer {
    stem_slot slots[STEM_SLOTS];
    size_t n;
    td_memo *cache;         /* NULL when allocation failed */
};

static const char *const algorithms[][2] = {
    {"ar", "arabic"},     {"ca", "catalan"},   {"da", "danish"},
    {"de", "german"},     {"el", "greek"},     {"en", "english"},
    {"es", "spanish"},    {"eu", "basque"},    {"fi", "finnish"},
    {"fr", "french"},     {"ga", "irish"},     {"hi", "hindi"},
    {"hu", "hungarian"},  {"hy", "armenian"},  {"id", "indonesian"},
    {"it", "italian"},    {"lt", "lithuanian"}, {"ne", "nepali"},
    {"nl", "dutch"},      {"no", "norwegian"}, {"pt", "portuguese"},
    {"ro", "romanian"},   {"ru", "russian"},   {"sr", "serbian"},
    {"sv", "swedish"},    {"ta", "tamil"},     {"tr", "turkish"},
    {"yi", "yiddish"}};

td_stemmer *td__stemmer_new(void)
{
    td_stemmer *st = calloc(1, sizeof(td_stemmer));
    if (st)
        st->cache = td__memo_new(CACHE_SLOTS_LOG2);  /* optional */
    return st;
}

void td__stemmer_free(td_stemmer *st)
{
    size_t i;
    if (!st)
        return;
    for (i = 0; i < st->n; i++)
        if (st->slots[i].sb)
            sb_stemmer_delete(st->slots[i].sb);
    td__memo_free(st->cache);
    free(st);
}

static struct sb_stemmer *stemmer_for(td_stemmer *st, const char *lang)
{
    size_t i;
    const char *algorithm = NULL;
    stem_slot *slot;
    if (!lang || strlen(lang) >= sizeof slot->lang)
        return NULL;
    for (i = 0; i < st->n; i++)
        if (strcmp(st->slots[i].lang, lang) == 0)
            return st->slots[i].sb;
    for (i = 0; i < sizeof algorithms / sizeof algorithms[0]; i++)
        if (strcmp(algorithms[i][0], lang) == 0)
            algorithm = algorithms[i][1];
    if (!algorithm || st->n >= STEM_SLOTS)
        return NULL;
    slot = &st->slots[st->n++];
    strcpy(slot->lang, lang);
    /* NULL (no such algorithm or out of memory) is cached too. */
    slot->sb = sb_stemmer_new(algorithm, "UTF_8");
    return slot->sb;
}

const char *td__stem(td_stemmer *st, const char *lang, const char *word,
                     size_t len, size_t *out_len)
{
    struct sb_stemmer *sb;
    const sb_symbol *r;
    uint64_t hash = 0;
    *out_len = len;
    if (!st || !word || len == 0 || len > STEM_MAX_WORD)
        return word;
    if (st->cache && len <= TD_MEMO_MAX) {
        /* The language is part of the key: "die" is no stem of "die". */
        const char *hit;
        hash = td__hash64(word, len) ^ td__hash64(lang ? lang : "",
                                                 strnlen(lang ? lang : "", 7));
        if ((hit = td__memo_get(st->cache, hash, word, len, out_len)))
            return hit;
    }
    sb = stemmer_for(st, lang);
    if (!sb)
        return word;
    r = sb_stemmer_stem(sb, (const sb_symbol *)word, (int)len);
    if (!r)
        return word;
    *out_len = (size_t)sb_stemmer_length(sb);
    if (hash)
        td__memo_put(st->cache, hash, word, len, (const char *)r, *out_len);
    return (const char *)r;
}
