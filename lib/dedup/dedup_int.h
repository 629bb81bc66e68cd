/*
** dedup_int.h: internals shared by the dedup files: the fast word scanner
** used for shingles and evidence passages (the attribution scanner has its
** own, case-aware one).
*/
#ifndef TD_DEDUP_INT_H
#define TD_DEDUP_INT_H

#include "dedup.h"

/* A word of a text: its case folded hash and byte range [start, end). */
typedef struct td_dedup_word {
    uint64_t hash;
    uint32_t start;
    uint32_t end;
} td_dedup_word;

/* The words of text[0..len), at most TD_DEDUP_MAX_TOKENS and none starting
** past 4 GiB. *out is new (free with free()), NULL when there is no word.
** TD_ENOMEM on out of memory. */
td_status td__dedup_words(const char *text, size_t len, td_dedup_word **out,
                          size_t *n);

/* Moves the distinct values of a[0..n) to the front of a, in no particular
** order, and returns their count (minhash.c). */
size_t td__dedup_distinct(uint64_t *a, size_t n);

/* Decodes the code point at s[i] (i < len); *n gets its byte length (1 for
** an invalid byte, which decodes as U+FFFD). */
uint32_t td__dedup_decode(const char *s, size_t len, size_t i, size_t *n);

/* 1 when code point c is part of a word (letters, digits, marks). */
int td__dedup_is_word(uint32_t c);
/* Each ASCII byte folded as the scanners keep it in a word (digits, lower
** case letters, upper case ones made lower case), 0 for bytes that separate
** words (words.c). */
extern const unsigned char td__dedup_ascii_fold[128];

/* td__dedup_is_word for one ASCII byte, inline for the scanners' fast path. */
static inline int td__dedup_ascii_word(unsigned char b)
{
    return td__dedup_ascii_fold[b & 0x7F] != 0;
}

/* Simple case fold of one code point: ASCII, Latin-1, Greek, Cyrillic. */
uint32_t td__dedup_fold(uint32_t c);

#endif
