/*
** text.h: the analyze stage: language identification, Unicode normalisation,
** word segmentation, stop words, Snowball stems, transliteration to Latin,
** candidate named entities and numbers. Text in, td_analysis out.
**
** The pieces are exposed one by one so that each can be tested alone.
*/
#ifndef TD_TEXT_H
#define TD_TEXT_H

#include "../article.h"
#include "../util/util.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Language identification (CLD2). Writes an ISO 639-1 code ("en", "no",
** "ru"...) or "und" into lang (8 bytes). hint is a declared language or
** NULL; it is used only when the text is too short to decide.
** Returns 1 when the guess is reliable, 0 otherwise. */
int td__lang_detect(const char *text, size_t len, const char *hint,
                    char lang[8]);

/* Normalisation for matching: NFKC, case fold, accents stripped, and
** Cyrillic/Greek transliterated to Latin. New string; free with free().
** NULL on out of memory. "Лавров" -> "lavrov", "LAVROV" -> "lavrov". */
char *td__normalize(const char *s, size_t len);

/* Key for matching entity names despite small spelling drift: td__normalize,
** then only letters, digits and single spaces are kept, and each run of one
** repeated letter collapses to one ("Haass" -> "has", "Haas" -> "has").
** New string; free with free(). NULL on out of memory. */
char *td__entity_key(const char *s, size_t len);
/* The same key of an already normalised string (a td_entity's norm),
** appended to out: no ICU, cheap enough for every article's entities. */
td_status td__key_from_norm(const char *norm, size_t len, td_buf *out);

/* Case fold + NFKC only (keeps accents and script). New; free with free(). */
char *td__casefold(const char *s, size_t len);

/* Transliteration of any script to Latin (ICU Any-Latin; Latin-ASCII after
** it). New; free with free(). */
char *td__translit(const char *s, size_t len);

/* A word token: a byte range of the input. */
typedef struct td_token {
    size_t start;
    size_t len;
    uint8_t is_number;  /* all digits (after removing , . separators) */
    uint8_t is_upper;   /* first letter is upper case */
    uint8_t sent_start; /* first word of a sentence */
} td_token;

/* Word segmentation (ICU word break rules). Only word and number tokens are
** returned, punctuation and spaces are skipped. *out is new (free with
** free()); *n gets the count. */
td_status td__tokenize(const char *s, size_t len, td_token **out, size_t *n);

/* 1 when word (already case folded) is a stop word of lang. */
int td__is_stopword(const char *lang, const char *word, size_t len);

/* Snowball stemmer for lang; lang without a stemmer returns the word. */
typedef struct td_stemmer td_stemmer;
td_stemmer *td__stemmer_new(void);   /* new; free with td__stemmer_free */
void td__stemmer_free(td_stemmer *st);
/* Stems word (case folded UTF-8) for lang. Returns a pointer valid until the
** next call on st; *out_len gets its length. */
const char *td__stem(td_stemmer *st, const char *lang, const char *word,
                     size_t len, size_t *out_len);

/* The whole analysis of one article. An analyzer holds the ICU and Snowball
** objects and is reused across articles; it is not thread-safe. */
typedef struct td_analyzer td_analyzer;
td_analyzer *td__analyzer_new(void);  /* new; free with td__analyzer_free */
void td__analyzer_free(td_analyzer *az);

/* Fills out (zeroed by the caller or cleared) from title and text (either may
** be NULL). lang_hint may be NULL. */
td_status td__analyze(td_analyzer *az, const char *title, const char *text,
                      const char *lang_hint, td_analysis *out);

#ifdef __cplusplus
}
#endif
#endif
