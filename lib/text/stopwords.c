/*
** stopwords.c: stop-word lookup: binary search of the language's sorted list
** in the generated table (stopwords_table.c, from tools/gen_stopwords.sh).
*/
#include "text/stopwords.h"
#include "text/text.h"

#include <string.h>

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

int td__is_stopword(const char *lang, const char *word, size_t len)
{
    const td_stoplist *list;
    size_t lo, hi;
    if (!lang || !word || len == 0 || len > 64)
        return 0;
    list = find_list(lang);
    if (!list)
        return 0;
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
