/*
** tokenize.c: word segmentation with ICU's word break rules (UAX #29 plus
** dictionaries for scripts without spaces). The UTF-8 text is copied to
** UTF-16 once with the byte offset of every unit, so tokens come out as byte
** ranges of the input. Only word and number tokens are kept.
*/
#include "text/text_int.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <utf8proc.h>

/* Longest text segmented at once (bytes); offsets are 32-bit. */
#define TOKENIZE_MAX_BYTES TD_MAX_RECORD

void td__tokenizer_init(td_tokenizer *tk)
{
    memset(tk, 0, sizeof *tk);
}

void td__tokenizer_free(td_tokenizer *tk)
{
    if (!tk)
        return;
    if (tk->brk)
        ubrk_close((UBreakIterator *)tk->brk);
    free(tk->u16);
    free(tk->off);
    memset(tk, 0, sizeof *tk);
}

/* Copies s to UTF-16 in tk->u16 with offsets; invalid bytes become U+FFFD.
** Returns the number of units, or -1 on out of memory. */
static long to_utf16(td_tokenizer *tk, const char *s, size_t len)
{
    size_t i = 0, n = 0;
    /* A byte gives at most one unit; a 4-byte sequence gives two. */
    if (len + 1 > tk->cap) {
        size_t want = len + 64;
        uint16_t *u = realloc(tk->u16, want * sizeof *u);
        uint32_t *o;
        if (!u)
            return -1;
        tk->u16 = u;
        o = realloc(tk->off, (want + 1) * sizeof *o);
        if (!o)
            return -1;
        tk->off = o;
        tk->cap = want;
    }
    while (i < len) {
        size_t k;
        int32_t c;
        if ((unsigned char)s[i] < 0x80) {
            tk->u16[n] = (uint16_t)s[i];
            tk->off[n++] = (uint32_t)i++;
            continue;
        }
        c = td__utf8_decode(s + i, len - i, &k);
        if (c >= 0x10000) {
            c -= 0x10000;
            tk->u16[n] = (uint16_t)(0xD800 + (c >> 10));
            tk->off[n++] = (uint32_t)i;
            tk->u16[n] = (uint16_t)(0xDC00 + (c & 0x3FF));
            tk->off[n++] = (uint32_t)i;
        } else {
            tk->u16[n] = (uint16_t)c;
            tk->off[n++] = (uint32_t)i;
        }
        i += k;
    }
    tk->off[n] = (uint32_t)len;
    return (long)n;
}

/* Flags of the token s[0..len): number, upper-case initial. */
static void token_flags(const char *s, size_t len, td_token *t)
{
    size_t i = 0;
    int digits = 0, other = 0, first_letter_seen = 0;
    while (i < len) {
        size_t k;
        int32_t c;
        utf8proc_category_t cat;
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) { /* ASCII without a table look-up */
            if (b >= '0' && b <= '9') {
                digits++;
            } else {
                if (b != ',' && b != '.')
                    other++;
                if (!first_letter_seen &&
                    ((b | 0x20) >= 'a' && (b | 0x20) <= 'z')) {
                    first_letter_seen = 1;
                    t->is_upper = (b <= 'Z');
                }
            }
            i++;
            continue;
        }
        c = td__utf8_decode(s + i, len - i, &k);
        cat = utf8proc_category(c);
        if (cat == UTF8PROC_CATEGORY_ND)
            digits++;
        else if (c != ',' && c != '.')
            other++;
        if (!first_letter_seen && cat >= UTF8PROC_CATEGORY_LU &&
            cat <= UTF8PROC_CATEGORY_LO) {
            first_letter_seen = 1;
            t->is_upper = (cat == UTF8PROC_CATEGORY_LU ||
                           cat == UTF8PROC_CATEGORY_LT);
        }
        i += k;
    }
    t->is_number = (digits > 0 && other == 0);
}

/* Length of an elided article or preposition in front of a word: "l'",
** "d'", "qu'", "dell'" (French, Italian, Catalan), before a vowel, "h", an
** upper-case letter or any non-ASCII letter ("l'Élysée"); 0 when there is
** none. English contractions ("they're", "we've") do not qualify. */
static size_t elision_prefix(const char *s, size_t len)
{
    size_t i = 0, after;
    unsigned char c;
    while (i < len && i < 6 && s[i] >= 'a' && s[i] <= 'z')
        i++;
    if (i == 0 || i > 5 || i >= len)
        return 0;
    if (s[i] == '\'')
        after = i + 1;
    else if (len - i >= 3 && memcmp(s + i, "\xE2\x80\x99", 3) == 0)
        after = i + 3;
    else
        return 0;
    if (len - after < 2)
        return 0;
    c = (unsigned char)s[after];
    if (c >= 0x80 || (c >= 'A' && c <= 'Z') || (c && strchr("aeiouyh", c)))
        return after;
    return 0;
}

/* 1 when the gap s[0..len) between two words ends a sentence. */
static int gap_ends_sentence(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.' || c == '!' || c == '?' || c == '\n')
            return 1;
        /* U+2026 "…", U+3002 "。", U+FF01 "！", U+FF1F "？" */
        if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0xA6)
            return 1;
        if (c == 0xE3 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x82)
            return 1;
        if (c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBC &&
            ((unsigned char)s[i + 2] == 0x81 ||
             (unsigned char)s[i + 2] == 0x9F))
            return 1;
    }
    return 0;
}

td_status td__tokenizer_run(td_tokenizer *tk, const char *s, size_t len,
                            td_token **toks, size_t *n, size_t *cap,
                            size_t max_tokens)
{
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi;
    long n16;
    int32_t prev, next;
    size_t prev_end = 0;
    int first = 1;
    if (!s || len == 0)
        return TD_OK;
    if (len > TOKENIZE_MAX_BYTES)
        return TD_ETOOBIG;
    n16 = to_utf16(tk, s, len);
    if (n16 < 0)
        return TD_ENOMEM;
    if (!tk->brk) {
        tk->brk = ubrk_open(UBRK_WORD, "", NULL, 0, &err);
        if (U_FAILURE(err)) {
            tk->brk = NULL;
            return TD_ENOMEM;
        }
    }
    bi = (UBreakIterator *)tk->brk;
    ubrk_setText(bi, (const UChar *)tk->u16, (int32_t)n16, &err);
    if (U_FAILURE(err))
        return TD_ENOMEM;
    prev = ubrk_first(bi);
    for (next = ubrk_next(bi); next != UBRK_DONE;
         prev = next, next = ubrk_next(bi)) {
        td_token *t;
        size_t start, end;
        if (ubrk_getRuleStatus(bi) < UBRK_WORD_NONE_LIMIT)
            continue;
        if (*n >= max_tokens)
            break;
        if (*n >= *cap) {
            size_t want = *cap ? *cap * 2 : 256;
            td_token *p = realloc(*toks, want * sizeof *p);
            if (!p)
                return TD_ENOMEM;
            *toks = p;
            *cap = want;
        }
        start = tk->off[prev];
        end = tk->off[next];
        start += elision_prefix(s + start, end - start);
        t = &(*toks)[(*n)++];
        memset(t, 0, sizeof *t);
        t->start = start;
        t->len = end - start;
        token_flags(s + start, t->len, t);
        t->sent_start = first || gap_ends_sentence(s + prev_end,
                                                   start - prev_end);
        first = 0;
        prev_end = end;
    }
    return TD_OK;
}

td_status td__tokenize(const char *s, size_t len, td_token **out, size_t *n)
{
    td_tokenizer tk;
    size_t cap = 0;
    td_status st;
    *out = NULL;
    *n = 0;
    td__tokenizer_init(&tk);
    st = td__tokenizer_run(&tk, s, s ? len : 0, out, n, &cap, (size_t)-1);
    td__tokenizer_free(&tk);
    if (st != TD_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}
