/*
** text_int.h: internals shared by the files of lib/text/ (normalize.c,
** tokenize.c, analyze.c). The normaliser state keeps its scratch buffers and
** ICU transliterator so that the analyzer can normalise without mallocs.
*/
#ifndef TD_TEXT_INT_H
#define TD_TEXT_INT_H

#include "text/text.h"
#include "util/util.h"

#include <stdint.h>

/* Scratch of the normaliser: reused across calls, not thread-safe. */
typedef struct td_norm {
    int32_t *cps;          /* code points, then UTF-8 written over them */
    size_t cps_cap;        /* in int32 units */
    uint16_t *u16;         /* UTF-16 for the transliterator */
    size_t u16_cap;        /* in uint16 units */
    char *u8;              /* UTF-8 back from the transliterator */
    size_t u8_cap;
    td_buf tmp, tmp2, tmp3; /* intermediate UTF-8 */
    void *translit;        /* UTransliterator *, opened lazily; NULL if none */
    int translit_failed;   /* 1 once opening it has failed: do not retry */
    struct td_memo *folds; /* non-ASCII word -> case fold; NULL until used */
    int folds_failed;      /* 1 once creating it has failed: go without */
} td_norm;

void td__norm_init(td_norm *nm);
void td__norm_free(td_norm *nm);

/* Each appends its result to out (which is not reset). */
td_status td__norm_casefold(td_norm *nm, const char *s, size_t len,
                            td_buf *out);
td_status td__norm_normalize(td_norm *nm, const char *s, size_t len,
                             td_buf *out);
td_status td__norm_translit(td_norm *nm, const char *s, size_t len,
                            td_buf *out);
/* Entity key of s (see td__entity_key) appended to out. */
td_status td__norm_entity_key(td_norm *nm, const char *s, size_t len,
                              td_buf *out);

/* 1 when s holds a letter of a script other than Latin (after NFKC). */
int td__has_non_latin(const char *s, size_t len);

/* Decodes one code point at s[0..len) (len > 0); invalid bytes give U+FFFD
** and consume one byte. *n gets the bytes consumed. Never reads past len. */
int32_t td__utf8_decode(const char *s, size_t len, size_t *n);

/* Tokenizer state reused across calls: the ICU break iterator and the UTF-16
** copy of the text with the byte offset of each UTF-16 unit. */
typedef struct td_tokenizer {
    void *brk;             /* UBreakIterator * */
    uint16_t *u16;
    uint32_t *off;         /* off[i] = byte offset of u16[i]; off[n] = len */
    size_t cap;            /* units allocated in u16 and off (off has +1) */
    int icu_only;          /* tests: always use ICU, never the fast path */
} td_tokenizer;

void td__tokenizer_init(td_tokenizer *tk);
void td__tokenizer_free(td_tokenizer *tk);
/* Appends the tokens of s to *toks (grown with realloc; *cap its size),
** at most max_tokens in all. Text in alphabetic scripts only (Latin,
** Greek, Cyrillic, Armenian, Georgian, Arabic...) is segmented by a direct
** implementation of the UAX #29 rules those scripts need; text with scripts
** that need dictionaries or special rules (CJK, Thai, Hebrew...) by ICU.
** Both give the same tokens (tests/unit/test_text.c compares them). */
td_status td__tokenizer_run(td_tokenizer *tk, const char *s, size_t len,
                            td_token **toks, size_t *n, size_t *cap,
                            size_t max_tokens);

#endif
