/*
** tokenize.c: word segmentation by the Unicode word break rules (UAX #29).
** Most news text is in alphabetic scripts, where the rules reduce to: runs
** of letters, digits and connectors, joined across one apostrophe or full stop
** between letters ("U.S", "don't") or one comma, full stop or
** semicolon between digits ("1,000.5"), with combining marks and format
** characters attached to what precedes them. That is done here directly on
** the UTF-8 bytes. Text holding scripts that need dictionaries (CJK, Thai,
** Lao, Khmer, Myanmar) or rules of their own (Hebrew, kana, Hangul) goes to
** ICU's break iterator instead: it is copied to UTF-16 once with the byte
** offset of every unit, so tokens come out as byte ranges of the input.
** Only word and number tokens are kept.
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

/* What the tokenizer knows of each ASCII byte: its word break class (low
** three bits) and, for token_flags, whether it is a digit, "other"
** (neither a digit nor the separators , and .), a letter, upper case. ICU's
** root rules (CLDR) count "@" as a letter, which keeps "@handle" and
** "name@host.com" whole; colons do not join. Word break classes (UAX #29)
** of the alphabetic scripts: */
enum {
    WB_OTHER, WB_LETTER, WB_NUMERIC, WB_EXTEND, WB_CONNECT, WB_MIDLETTER,
    WB_MIDNUMLET, WB_MIDNUM
};
enum { TF_DIGIT = 1, TF_OTHER = 2, TF_LETTER = 4, TF_UPPER = 8 };
#define ASCII(wb, tf) ((unsigned char)((wb) | ((tf) << 3)))
#define O_ ASCII(WB_OTHER, TF_OTHER)
#define LO ASCII(WB_LETTER, TF_OTHER | TF_LETTER)
#define UP ASCII(WB_LETTER, TF_OTHER | TF_LETTER | TF_UPPER)
#define DG ASCII(WB_NUMERIC, TF_DIGIT)
#define AT ASCII(WB_LETTER, TF_OTHER)
#define US ASCII(WB_CONNECT, TF_OTHER)
#define AP ASCII(WB_MIDNUMLET, TF_OTHER)
#define DT ASCII(WB_MIDNUMLET, 0)
#define CM ASCII(WB_MIDNUM, 0)
#define SC ASCII(WB_MIDNUM, TF_OTHER)
static const unsigned char ascii_class[128] = {
    O_, O_, O_, O_, O_, O_, O_, O_,   /* controls */
    O_, O_, O_, O_, O_, O_, O_, O_,
    O_, O_, O_, O_, O_, O_, O_, O_,
    O_, O_, O_, O_, O_, O_, O_, O_,
    O_, O_, O_, O_, O_, O_, O_, AP,   /*  !"#$%&' */
    O_, O_, O_, O_, CM, O_, DT, O_,   /* ()*+,-./ */
    DG, DG, DG, DG, DG, DG, DG, DG,   /* 01234567 */
    DG, DG, O_, SC, O_, O_, O_, O_,   /* 89:;<=>? */
    AT, UP, UP, UP, UP, UP, UP, UP,   /* @ABCDEFG */
    UP, UP, UP, UP, UP, UP, UP, UP,   /* HIJKLMNO */
    UP, UP, UP, UP, UP, UP, UP, UP,   /* PQRSTUVW */
    UP, UP, UP, O_, O_, O_, O_, US,   /* XYZ[\]^_ */
    O_, LO, LO, LO, LO, LO, LO, LO,   /* `abcdefg */
    LO, LO, LO, LO, LO, LO, LO, LO,   /* hijklmno */
    LO, LO, LO, LO, LO, LO, LO, LO,   /* pqrstuvw */
    LO, LO, LO, O_, O_, O_, O_, O_,   /* xyz{|}~ DEL */
};
#undef O_
#undef LO
#undef UP
#undef DG
#undef AT
#undef US
#undef AP
#undef DT
#undef CM
#undef SC
#undef ASCII

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
        if (b < 0x80) { /* ASCII by the table above */
            unsigned f = (unsigned)ascii_class[b] >> 3;
            digits += (int)(f & TF_DIGIT);
            other += (int)((f & TF_OTHER) >> 1);
            if (!first_letter_seen && (f & TF_LETTER)) {
                first_letter_seen = 1;
                t->is_upper = (f & TF_UPPER) != 0;
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


static int wb_class_slow(int32_t c)
{
    switch (c) {
    case 0x00B7: case 0x0387: case 0x055F: case 0x2027:
        return WB_MIDLETTER;
    case 0x2018: case 0x2019: case 0x2024: case 0xFE52: case 0xFF07:
    case 0xFF0E:
        return WB_MIDNUMLET;
    case 0x037E: case 0x0589: case 0x060C: case 0x060D: case 0x066C:
    case 0x07F8: case 0x2044: case 0xFE10: case 0xFE14: case 0xFE50:
    case 0xFE54: case 0xFF0C: case 0xFF1B:
        return WB_MIDNUM;
    case 0x202F:                     /* narrow no-break space: "10 000" */
        return WB_CONNECT;
    case 0x200B:                     /* zero width space breaks */
        return WB_OTHER;
    case 0x200C: case 0x200D:
        return WB_EXTEND;
    }
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_NL:
        return WB_LETTER;
    case UTF8PROC_CATEGORY_ND:
        return WB_NUMERIC;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_CF:
        return WB_EXTEND;
    case UTF8PROC_CATEGORY_PC:
        return WB_CONNECT;
    default:
        return WB_OTHER;
    }
}

/* Inline: called for every byte of the text. */
static inline int wb_class(const char *s, size_t len, size_t i, size_t *k)
{
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
        *k = 1;
        return ascii_class[b] & 7;
    }
    return wb_class_slow(td__utf8_decode(s + i, len - i, k));
}

/* 1 when every character of s is in a script the fast path handles. */
static int alphabetic_only(const char *s, size_t len)
{
    size_t i = 0, k;
    while (i < len) {
        int32_t c;
        uint64_t w;
        if (len - i >= 8) {   /* skip ASCII eight bytes at a time */
            memcpy(&w, s + i, sizeof w);
            if (!(w & 0x8080808080808080ull)) {
                i += 8;
                continue;
            }
        }
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        c = td__utf8_decode(s + i, len - i, &k);
        i += k;
        if ((c >= 0x0590 && c <= 0x05FF) ||     /* Hebrew */
            (c >= 0x0E00 && c <= 0x0EFF) ||     /* Thai, Lao */
            (c >= 0x1000 && c <= 0x109F) ||     /* Myanmar */
            (c >= 0x1100 && c <= 0x11FF) ||     /* Hangul jamo */
            (c >= 0x1780 && c <= 0x17FF) ||     /* Khmer */
            (c >= 0x1950 && c <= 0x1AAF) ||     /* Tai Le ... Tai Tham */
            (c >= 0x2E80 && c < 0xFE00) ||      /* CJK, kana, Hangul... */
            (c >= 0xFF00 && c <= 0xFFEF) ||     /* half/full width forms */
            (c >= 0x10000 && c < 0x1F000) ||    /* historic scripts */
            c >= 0x20000)                       /* CJK extensions */
            return 0;
    }
    return 1;
}

/* Byte just past the word that starts at i (a letter, digit or connector;
** ICU keeps a run of two or more connectors such as "____" as a word too,
** but not a lone one). */
static size_t word_end(const char *s, size_t len, size_t i)
{
    size_t k, k2, j;
    int last = wb_class(s, len, i, &k), cls, next;
    i += k;
    while (i < len) {
        cls = wb_class(s, len, i, &k);
        if (cls == WB_EXTEND) {
            i += k;
            continue;
        }
        if (cls == WB_LETTER || cls == WB_NUMERIC || cls == WB_CONNECT) {
            last = cls;
            i += k;
            continue;
        }
        /* One middle character between two letters or two digits. */
        if ((last == WB_LETTER && (cls == WB_MIDLETTER || cls == WB_MIDNUMLET)) ||
            (last == WB_NUMERIC && (cls == WB_MIDNUM || cls == WB_MIDNUMLET))) {
            j = i + k;
            while (j < len && (next = wb_class(s, len, j, &k2)) == WB_EXTEND)
                j += k2;
            if (j < len && next == last) {
                i = j;
                continue;
            }
        }
        break;
    }
    return i;
}

/* Where tokens go: the growing array and what the next token needs to know
** about the one before. */
typedef struct sink {
    td_token **toks;
    size_t *n, *cap;
    size_t prev_end;
    int first;
} sink;

/* Appends the word s[start..end). */
static td_status emit(sink *k, const char *s, size_t start, size_t end)
{
    td_token *t;
    if (*k->n >= *k->cap) {
        size_t want = *k->cap ? *k->cap * 2 : 256;
        td_token *p = realloc(*k->toks, want * sizeof *p);
        if (!p)
            return TD_ENOMEM;
        *k->toks = p;
        *k->cap = want;
    }
    start += elision_prefix(s + start, end - start);
    t = &(*k->toks)[(*k->n)++];
    memset(t, 0, sizeof *t);
    t->start = start;
    t->len = end - start;
    token_flags(s + start, t->len, t);
    t->sent_start = k->first || gap_ends_sentence(s + k->prev_end,
                                                  start - k->prev_end);
    k->first = 0;
    k->prev_end = end;
    return TD_OK;
}

static td_status run_fast(const char *s, size_t len, sink *k,
                          size_t max_tokens)
{
    size_t i = 0, step, end;
    td_status st;
    while (i < len) {
        int cls = wb_class(s, len, i, &step);
        if (cls != WB_LETTER && cls != WB_NUMERIC && cls != WB_CONNECT) {
            i += step;
            continue;
        }
        end = word_end(s, len, i);
        if (cls == WB_CONNECT && end == i + step) {   /* a lone "_" */
            i = end;
            continue;
        }
        if (*k->n >= max_tokens)
            break;
        if ((st = emit(k, s, i, end)) != TD_OK)
            return st;
        i = end;
    }
    return TD_OK;
}

static td_status run_icu(td_tokenizer *tk, const char *s, size_t len,
                         sink *k, size_t max_tokens)
{
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi;
    long n16;
    int32_t prev, next;
    td_status st;
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
        if (ubrk_getRuleStatus(bi) < UBRK_WORD_NONE_LIMIT)
            continue;
        if (*k->n >= max_tokens)
            break;
        if ((st = emit(k, s, tk->off[prev], tk->off[next])) != TD_OK)
            return st;
    }
    return TD_OK;
}

td_status td__tokenizer_run(td_tokenizer *tk, const char *s, size_t len,
                            td_token **toks, size_t *n, size_t *cap,
                            size_t max_tokens)
{
    sink k;
    if (!s || len == 0)
        return TD_OK;
    if (len > TOKENIZE_MAX_BYTES)
        return TD_ETOOBIG;
    k.toks = toks;
    k.n = n;
    k.cap = cap;
    k.prev_end = 0;
    k.first = 1;
    if (!tk->icu_only && alphabetic_only(s, len))
        return run_fast(s, len, &k, max_tokens);
    return run_icu(tk, s, len, &k, max_tokens);
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
