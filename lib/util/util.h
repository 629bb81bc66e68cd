/*
** util.h: the ground floor: error filling, string helpers, a growable byte
** buffer with a hard cap, and hashing. Every other module may use it.
*/
#ifndef TD_UTIL_H
#define TD_UTIL_H

#include "tidings.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Fills err (if not NULL) and returns code. where may be NULL. */
td_status td__error_set(td_error *err, td_status code, const char *where,
                        size_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* New copy of s[0..len); NULL on out of memory. Free with free(). */
char *td__strndup(const char *s, size_t len);
/* New copy of s, or NULL when s is NULL or out of memory. */
char *td__strdup(const char *s);

/* A growable byte buffer that refuses to grow past cap. Always
** NUL-terminated when data is not NULL. */
typedef struct td_buf {
    char *data;
    size_t len;
    size_t size;
    size_t cap;
} td_buf;

void td__buf_init(td_buf *b, size_t cap);
/* A buffer over the caller's storage[0..n): it never allocates (nor is it
** freed); an append past n - 1 bytes fails with TD_ETOOBIG. */
void td__buf_fixed(td_buf *b, char *storage, size_t n);
/* 1 when w[0..len) is one of the strings of the NULL-terminated list. */
int td__in_list(const char *const *list, const char *w, size_t len);
void td__buf_free(td_buf *b);
void td__buf_reset(td_buf *b);
/* TD_ETOOBIG past the cap, TD_ENOMEM when allocation fails. */
td_status td__buf_append(td_buf *b, const void *data, size_t len);
td_status td__buf_putc(td_buf *b, char c);
/* Makes room for extra more bytes (after len) without changing len:
** callers then write into data + len directly. */
td_status td__buf_reserve(td_buf *b, size_t extra);
td_status td__buf_printf(td_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Grows the array *p of *cap elements of elem_size bytes to hold at least
** need elements (doubling, from 64). TD_ENOMEM on failure or overflow,
** *p and *cap then unchanged. */
td_status td__grow(void **p, size_t *cap, size_t need, size_t elem_size);

/* Sorts a[0..n) ascending and drops repeats; returns the new count. Radix
** sort on a scratch copy (qsort when that cannot be allocated), so hashing
** hundreds of shingles or tokens per article stays cheap. */
size_t td__sort_unique_u64(uint64_t *a, size_t n);

/* Sorts n elements of elem_size bytes that begin with a uint64_t key by
** that key, ascending (keys are hashes: spread evenly). Distributes into
** buckets by the key's top bits, then insertion-sorts each bucket; qsort
** when the scratch space cannot be allocated. Not stable. */
void td__sort_by_key(void *base, size_t n, size_t elem_size);

/* Takes the data out of the buffer (caller frees); the buffer is reset. */
char *td__buf_steal(td_buf *b);

/* 64-bit hash (xxh3). */
uint64_t td__hash64(const void *data, size_t len);

/* UTF-8: writes code point cp (at most U+10FFFF, not a surrogate) to o,
** 1-4 bytes; returns how many. */
size_t td__utf8_put(char *o, uint32_t cp);
/* UTF-8: returns the length of the longest valid prefix of s[0..len). */
size_t td__utf8_valid_prefix(const char *s, size_t len);
/* New copy of s[0..len) with invalid sequences replaced by U+FFFD; NULL on
** out of memory. *n_repaired (may be NULL) gets the number of replacements. */
char *td__utf8_repair(const char *s, size_t len, size_t *n_repaired);

/* Month names, lower case, UTF-8: a row per language and form (en, de, fr,
** es, it, nl, no, then Russian in the genitive, the nominative and the
** prepositional), column + 1 is the month. Datelines use the first
** TD_MONTH_DATELINE_ROWS rows, back-references (lib/story/backref.c) all. */
#define TD_MONTH_ROWS 10
#define TD_MONTH_DATELINE_ROWS 8
extern const char *const td__month_names[TD_MONTH_ROWS][12];

/* The first full calendar date written in the first `within` bytes of a
** text ("April 28, 2009", "28 April 2009", "28. April 2009", "28 de abril
** de 2009", "28 апреля 2009", "2009-04-28"; month names in en, de, fr, es,
** it, nl, no, ru): a dateline. *out gets midnight UTC of that day.
** TD_ENOTFOUND when there is none. */
td_status td__date_find(const char *s, size_t len, size_t within, int64_t *out);

#endif
