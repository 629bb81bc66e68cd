/*
** stopwords.c: stop-word lookup in the generated table (stopwords_table.c,
** from tools/gen_stopwords.sh). The lists are sorted, but the analyzer asks
** for every token, so on first use all of them go into one hash table keyed
** by (list, word): a look-up is then one hash and usually one compare.
*/
#include "text/stopwords.h"
#include "text/text.h"
#include "util/util.h"

#include <pthread.h>
#include <string.h>

/* Slots of the table: a power of two, more than twice the words listed. */
#define STOP_SLOTS 8192

typedef struct stop_slot {
    const char *word;       /* NULL = empty */
    uint32_t len;
    uint32_t list;          /* index in td__stoplists */
} stop_slot;

static stop_slot table[STOP_SLOTS];
static int table_ok;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static uint64_t slot_of(uint32_t list, const char *w, size_t len)
{
    return (td__hash64(w, len) + list * 0x9E3779B97F4A7C15ull) &
           (STOP_SLOTS - 1);
}

static void build_table(void)
{
    size_t l, i, n = 0;
    for (l = 0; l < td__n_stoplists; l++)
        n += td__stoplists[l].n;
    if (n * 2 > STOP_SLOTS)
        return;   /* table_ok stays 0: look-ups fall back to the lists */
    for (l = 0; l < td__n_stoplists; l++)
        for (i = 0; i < td__stoplists[l].n; i++) {
            const char *w = td__stoplists[l].words[i];
            size_t len = strlen(w);
            uint64_t s = slot_of((uint32_t)l, w, len);
            while (table[s].word)
                s = (s + 1) & (STOP_SLOTS - 1);
            table[s].word = w;
            table[s].len = (uint32_t)len;
            table[s].list = (uint32_t)l;
        }
    table_ok = 1;
}

/* Compares the counted word w[0..len) with the NUL-terminated entry e. */
static int compare_word(const char *w, size_t len, const char *e)
{
    size_t elen = strlen(e);
    int c = memcmp(w, e, len < elen ? len : elen);
    if (c)
        return c;
    return len < elen ? -1 : len > elen ? 1 : 0;
}

static const td_stoplist *find_list(const char *lang)
{
    size_t lo = 0, hi = td__n_stoplists;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(lang, td__stoplists[mid].lang);
        if (c == 0)
            return &td__stoplists[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* The list of the language asked for last, per thread: the analyzer asks
** for every word of an article in one language. */
static _Thread_local char last_lang[8];
static _Thread_local const td_stoplist *last_list;

int td__is_stopword(const char *lang, const char *word, size_t len)
{
    const td_stoplist *list;
    size_t lo, hi, lang_len;
    if (!lang || !word || len == 0 || len > 64)
        return 0;
    lang_len = strnlen(lang, sizeof last_lang);
    if (lang_len < sizeof last_lang && last_lang[0] &&
        memcmp(lang, last_lang, lang_len + 1) == 0) {
        list = last_list;
    } else {
        list = find_list(lang);
        if (lang_len < sizeof last_lang) {
            memcpy(last_lang, lang, lang_len + 1);
            last_list = list;
        }
    }
    if (!list)
        return 0;
    pthread_once(&table_once, build_table);
    if (table_ok) {
        uint32_t l = (uint32_t)(list - td__stoplists);
        uint64_t s = slot_of(l, word, len);
        for (; table[s].word; s = (s + 1) & (STOP_SLOTS - 1))
            if (table[s].list == l && table[s].len == len &&
                memcmp(table[s].word, word, len) == 0)
                return 1;
        return 0;
    }
    lo = 0;
    hi = list->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_word(word, len, list->words[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}
