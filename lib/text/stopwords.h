/*
** stopwords.h: the shape of the generated stop-word table
** (lib/text/stopwords_table.c, made by tools/gen_stopwords.sh). Internal to
** lib/text/; td__is_stopword() in text.h is the interface.
*/
#ifndef TD_TEXT_STOPWORDS_H
#define TD_TEXT_STOPWORDS_H

#include <stddef.h>

typedef struct td_stoplist {
    const char *lang;            /* ISO 639-1 code */
    const char *const *words;    /* sorted by strcmp (byte order) */
    size_t n;
} td_stoplist;

/* Sorted by lang. */
extern const td_stoplist td__stoplists[];
extern const size_t td__n_stoplists;

#endif
