/*
** normalize.c: Unicode normalisation for matching: NFKC + case fold + accent
** stripping (utf8proc), transliteration of non-Latin scripts to Latin (ICU,
** only for strings that hold non-Latin letters: transliterators are slow),
** and the entity key that also collapses doubled letters.
*/
#include "text/text_int.h"
#include "util/memo.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <utf8proc.h>

/* Cyrillic by the BGN/PCGN romanisation (closest to English press spellings:
** "Сергей" -> "Sergey", "Хрущёв" -> "Khrushchev"), Greek by UNGEGN, other
** scripts by ICU's default, then everything down to ASCII. */
#define TRANSLIT_ID \
    "Russian-Latin/BGN; Greek-Latin/UNGEGN; Any-Latin; Latin-ASCII"
#define TRANSLIT_FALLBACK_ID "Any-Latin; Latin-ASCII"

/* Case folds cached per normaliser (2^15 words, 2 MiB). */
#define FOLD_CACHE_LOG2 15

/* No single string handled here may exceed this (bytes in or out). */
#define NORM_MAX_BYTES TD_MAX_FIELD

int32_t td__utf8_decode(const char *s, size_t len, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[0];
    *n = 1;
    if (c < 0x80)
        return (int32_t)c;
    if (c >= 0xC2 && c <= 0xDF) {
        if (len >= 2 && (u[1] & 0xC0) == 0x80) {
            *n = 2;
            return (int32_t)(((c & 0x1F) << 6) | (u[1] & 0x3F));
        }
    } else if (c >= 0xE0 && c <= 0xEF) {
        if (len >= 3 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 &&
            !(c == 0xE0 && u[1] < 0xA0) && !(c == 0xED && u[1] >= 0xA0)) {
            *n = 3;
            return (int32_t)(((c & 0x0F) << 12) | ((u[1] & 0x3F) << 6) |
                             (u[2] & 0x3F));
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        if (len >= 4 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80 &&
            (u[3] & 0xC0) == 0x80 && !(c == 0xF0 && u[1] < 0x90) &&
            !(c == 0xF4 && u[1] >= 0x90)) {
            *n = 4;
            return (int32_t)(((c & 0x07) << 18) | ((u[1] & 0x3F) << 12) |
                             ((u[2] & 0x3F) << 6) | (u[3] & 0x3F));
        }
    }
    return 0xFFFD; /* invalid: one byte consumed */
}

static int is_latin_cp(int32_t c)
{
    return c < 0x370 || (c >= 0x1D00 && c <= 0x1EFF) ||
           (c >= 0x2C60 && c <= 0x2C7F) || (c >= 0xA720 && c <= 0xA7FF) ||
           (c >= 0xAB30 && c <= 0xAB6F) || (c >= 0xFB00 && c <= 0xFB06);
}

static int is_letter_cat(utf8proc_category_t cat)
{
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

int td__has_non_latin(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t n;
        int32_t c;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        c = td__utf8_decode(s + i, len - i, &n);
        i += n;
        if (!is_latin_cp(c) && is_letter_cat(utf8proc_category(c)))
            return 1;
    }
    return 0;
}

void td__norm_init(td_norm *nm)
{
    memset(nm, 0, sizeof *nm);
    td__buf_init(&nm->tmp, NORM_MAX_BYTES * 2);
    td__buf_init(&nm->tmp2, NORM_MAX_BYTES * 2);
    td__buf_init(&nm->tmp3, NORM_MAX_BYTES * 2);
}

void td__norm_free(td_norm *nm)
{
    if (!nm)
        return;
    free(nm->cps);
    free(nm->u16);
    free(nm->u8);
    td__buf_free(&nm->tmp);
    td__buf_free(&nm->tmp2);
    td__buf_free(&nm->tmp3);
    if (nm->translit)
        utrans_close((UTransliterator *)nm->translit);
    td__memo_free(nm->folds);
    memset(nm, 0, sizeof *nm);
}

static int ascii_only(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

static td_status append_ascii_lower(const char *s, size_t len, td_buf *out)
{
    size_t i;
    td_status st = td__buf_append(out, s, len);
    if (st != TD_OK)
        return st;
    for (i = out->len - len; i < out->len; i++)
        if (out->data[i] >= 'A' && out->data[i] <= 'Z')
            out->data[i] = (char)(out->data[i] + 32);
    return TD_OK;
}

/* Runs utf8proc over s with the given options (NFKC + case fold, plus
** STRIPMARK when strip is set) and appends the UTF-8 result. Invalid UTF-8
** is repaired first. */
static td_status utf8proc_pass(td_norm *nm, const char *s, size_t len,
                               int strip, td_buf *out)
{
    utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPAT |
                             UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
    utf8proc_ssize_t n, m;
    char *repaired = NULL;
    td_status st;
    if (strip)
        opts |= UTF8PROC_STRIPMARK;
    if (len > NORM_MAX_BYTES)
        return TD_ETOOBIG;
    if (len == 0)
        return td__buf_append(out, "", 0);
    if (td__utf8_valid_prefix(s, len) != len) {
        repaired = td__utf8_repair(s, len, NULL);
        if (!repaired)
            return TD_ENOMEM;
        len = strlen(repaired);
        s = repaired;
    }
    for (;;) {
        n = utf8proc_decompose((const utf8proc_uint8_t *)s,
                               (utf8proc_ssize_t)len, nm->cps,
                               (utf8proc_ssize_t)nm->cps_cap, opts);
        if (n < 0) {
            free(repaired);
            return TD_EUTF8;
        }
        if ((size_t)n <= nm->cps_cap)
            break;
        {
            size_t want = (size_t)n + 64;
            int32_t *p = realloc(nm->cps, want * sizeof *p);
            if (!p) {
                free(repaired);
                return TD_ENOMEM;
            }
            nm->cps = p;
            nm->cps_cap = want;
        }
    }
    free(repaired);
    m = utf8proc_reencode(nm->cps, n, opts);
    if (m < 0)
        return TD_EUTF8;
    st = td__buf_append(out, nm->cps, (size_t)m);
    return st;
}

td_status td__norm_casefold(td_norm *nm, const char *s, size_t len,
                            td_buf *out)
{
    uint64_t hash = 0;
    size_t before = out->len, n, i;
    const char *hit;
    td_status st;
    /* Most words are ASCII: copied lower case while their bytes are
    ** checked, in one pass; kept only when no byte had its high bit set. */
    if (td__buf_reserve(out, len) == TD_OK) {
        char *o = out->data + out->len;
        unsigned char seen = 0;
        for (i = 0; i < len; i++) {
            unsigned char b = (unsigned char)s[i];
            seen |= b;
            o[i] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
        if (!(seen & 0x80)) {
            out->len += len;
            out->data[out->len] = '\0';
            return TD_OK;
        }
        out->data[out->len] = '\0';
    } else if (ascii_only(s, len)) {
        return append_ascii_lower(s, len, out);   /* its error */
    }
    /* Words repeat (Zipf): most non-ASCII words were folded before. */
    if (len <= TD_MEMO_MAX) {
        if (!nm->folds && !nm->folds_failed) {
            nm->folds = td__memo_new(FOLD_CACHE_LOG2);
            nm->folds_failed = nm->folds == NULL;
        }
        hash = td__hash64(s, len);
        if ((hit = td__memo_get(nm->folds, hash, s, len, &n)))
            return td__buf_append(out, hit, n);
    }
    st = utf8proc_pass(nm, s, len, 0, out);
    if (st == TD_OK && hash)
        td__memo_put(nm->folds, hash, s, len, out->data + before,
                     out->len - before);
    return st;
}

static UTransliterator *get_translit(td_norm *nm)
{
    UErrorCode err = U_ZERO_ERROR;
    UChar id[128];
    UTransliterator *t;
    if (nm->translit || nm->translit_failed)
        return (UTransliterator *)nm->translit;
    u_uastrncpy(id, TRANSLIT_ID, (int32_t)(sizeof id / sizeof id[0]));
    t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    if (U_FAILURE(err)) {
        err = U_ZERO_ERROR;
        u_uastrncpy(id, TRANSLIT_FALLBACK_ID,
                    (int32_t)(sizeof id / sizeof id[0]));
        t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    }
    if (U_FAILURE(err) || !t) {
        nm->translit_failed = 1;
        return NULL;
    }
    nm->translit = t;
    return t;
}

static td_status ensure_u16(td_norm *nm, size_t units)
{
    uint16_t *p;
    if (units <= nm->u16_cap)
        return TD_OK;
    p = realloc(nm->u16, units * sizeof *p);
    if (!p)
        return TD_ENOMEM;
    nm->u16 = p;
    nm->u16_cap = units;
    return TD_OK;
}

/* Transliterates valid UTF-8 s to Latin and appends the UTF-8 result.
** Without a transliterator the text is appended unchanged. */
static td_status translit_pass(td_norm *nm, const char *s, size_t len,
                               td_buf *out)
{
    UTransliterator *t = get_translit(nm);
    UErrorCode err = U_ZERO_ERROR;
    int32_t n16 = 0, limit, cap;
    int attempt;
    td_status st;
    if (!t || len == 0)
        return td__buf_append(out, s, len);
    if (len > NORM_MAX_BYTES / 8)
        return TD_ETOOBIG;
    /* A code point may grow several times ("щ" -> "shch", Han -> pinyin). */
    for (attempt = 0; attempt < 3; attempt++) {
        cap = (int32_t)(len * (size_t)(4 << attempt) + 16);
        if ((st = ensure_u16(nm, (size_t)cap)) != TD_OK)
            return st;
        err = U_ZERO_ERROR;
        u_strFromUTF8WithSub((UChar *)nm->u16, cap, &n16, s, (int32_t)len,
                             0xFFFD, NULL, &err);
        if (U_FAILURE(err))
            return TD_EUTF8;
        limit = n16;
        utrans_transUChars(t, (UChar *)nm->u16, &n16, cap, 0, &limit, &err);
        if (err != U_BUFFER_OVERFLOW_ERROR)
            break;
    }
    if (U_FAILURE(err))
        return td__buf_append(out, s, len); /* give up: keep the script */
    {
        int32_t n8 = 0;
        size_t room = (size_t)n16 * 3 + 1;
        if (room > nm->u8_cap) {
            char *p = realloc(nm->u8, room);
            if (!p)
                return TD_ENOMEM;
            nm->u8 = p;
            nm->u8_cap = room;
        }
        err = U_ZERO_ERROR;
        u_strToUTF8WithSub(nm->u8, (int32_t)room, &n8,
                           (const UChar *)nm->u16, n16, 0xFFFD, NULL, &err);
        if (U_FAILURE(err))
            return TD_EUTF8;
        return td__buf_append(out, nm->u8, (size_t)n8);
    }
}

td_status td__norm_translit(td_norm *nm, const char *s, size_t len,
                            td_buf *out)
{
    char *fixed = NULL;
    td_status st;
    if (ascii_only(s, len))
        return td__buf_append(out, s, len);
    if (td__utf8_valid_prefix(s, len) != len) {
        fixed = td__utf8_repair(s, len, NULL);
        if (!fixed)
            return TD_ENOMEM;
        s = fixed;
        len = strlen(fixed);
    }
    st = translit_pass(nm, s, len, out);
    free(fixed);
    return st;
}

/* Latin letters that carry no combining mark to strip but still differ from
** the ASCII spelling used in other languages' press ("Støre" / "Store"). */
static const char *latin_fold(int32_t c)
{
    switch (c) {
    case 0xF8: return "o";   /* ø */
    case 0xE6: return "ae";  /* æ */
    case 0x153: return "oe"; /* œ */
    case 0x111: return "d";  /* đ */
    case 0xF0: return "d";   /* ð */
    case 0x142: return "l";  /* ł */
    case 0x131: return "i";  /* ı */
    case 0x127: return "h";  /* ħ */
    case 0xFE: return "th";  /* þ */
    case 0x167: return "t";  /* ŧ */
    case 0x14B: return "n";  /* ŋ */
    case 0x2B9: case 0x2BA: case 0x2BC: return ""; /* primes from translit */
    default: return NULL;
    }
}

/* Appends s with the letters of latin_fold() replaced. */
static td_status append_latin_folded(const char *s, size_t len, td_buf *out)
{
    size_t i = 0, run = 0;
    td_status st;
    while (i < len) {
        size_t n;
        int32_t c;
        const char *rep;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        c = td__utf8_decode(s + i, len - i, &n);
        rep = latin_fold(c);
        if (rep) {
            if ((st = td__buf_append(out, s + run, i - run)) != TD_OK)
                return st;
            if ((st = td__buf_append(out, rep, strlen(rep))) != TD_OK)
                return st;
            run = i + n;
        }
        i += n;
    }
    return td__buf_append(out, s + run, len - run);
}

td_status td__norm_normalize(td_norm *nm, const char *s, size_t len,
                             td_buf *out)
{
    td_status st;
    if (ascii_only(s, len))
        return append_ascii_lower(s, len, out);
    /* Fold first so the transliterator sees one case; strip marks only
    ** after it: "й" must reach it whole to become "y", not "i". */
    td__buf_reset(&nm->tmp);
    if ((st = utf8proc_pass(nm, s, len, 0, &nm->tmp)) != TD_OK)
        return st;
    td__buf_reset(&nm->tmp2);
    if (td__has_non_latin(nm->tmp.data, nm->tmp.len)) {
        st = translit_pass(nm, nm->tmp.data, nm->tmp.len, &nm->tmp2);
        if (st != TD_OK)
            return st;
        td__buf_reset(&nm->tmp);
        st = utf8proc_pass(nm, nm->tmp2.data, nm->tmp2.len, 1, &nm->tmp);
        if (st != TD_OK)
            return st;
        return append_latin_folded(nm->tmp.data, nm->tmp.len, out);
    }
    st = utf8proc_pass(nm, nm->tmp.data, nm->tmp.len, 1, &nm->tmp2);
    if (st != TD_OK)
        return st;
    return append_latin_folded(nm->tmp2.data, nm->tmp2.len, out);
}

static int is_apostrophe(int32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x2BC || c == 0x2018 ||
           c == 0x60 || c == 0xB4;
}

td_status td__key_from_norm(const char *norm, size_t len, td_buf *out)
{
    size_t i, start = out->len;
    int32_t prev = -1;
    int pending_space = 0;
    td_status st;
    /* Apostrophes vanish ("o'brien" -> "obrien"); other non-alphanumerics
    ** become single spaces; a run of one repeated letter becomes one. */
    for (i = 0; i < len;) {
        size_t n;
        int32_t c = td__utf8_decode(norm + i, len - i, &n);
        int letter, digit;
        if (c < 0x80) {
            letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            digit = c >= '0' && c <= '9';
        } else {
            utf8proc_category_t cat = utf8proc_category(c);
            letter = is_letter_cat(cat);
            digit = cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO;
        }
        if (letter || digit) {
            if (pending_space && out->len > start) {
                if ((st = td__buf_putc(out, ' ')) != TD_OK)
                    return st;
                prev = -1;
            }
            pending_space = 0;
            if (!(letter && c == prev)) {
                if ((st = td__buf_append(out, norm + i, n)) != TD_OK)
                    return st;
            }
            prev = c;
        } else if (!is_apostrophe(c)) {
            pending_space = 1;
            prev = -1;
        }
        i += n;
    }
    return td__buf_append(out, "", 0);
}

td_status td__norm_entity_key(td_norm *nm, const char *s, size_t len,
                              td_buf *out)
{
    td_status st;
    td__buf_reset(&nm->tmp3);
    if ((st = td__norm_normalize(nm, s, len, &nm->tmp3)) != TD_OK)
        return st;
    return td__key_from_norm(nm->tmp3.data, nm->tmp3.len, out);
}

/* The public one-shot functions share one normaliser under a lock; the
** analyzer has its own and needs none. */
static td_norm shared_norm;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static int shared_ready;

typedef td_status (*norm_fn)(td_norm *, const char *, size_t, td_buf *);

static char *run_shared(norm_fn fn, const char *s, size_t len)
{
    td_buf out;
    td_status st;
    if (!s)
        len = 0;
    td__buf_init(&out, NORM_MAX_BYTES * 4);
    pthread_mutex_lock(&shared_lock);
    if (!shared_ready) {
        td__norm_init(&shared_norm);
        shared_ready = 1;
    }
    st = fn(&shared_norm, s ? s : "", len, &out);
    pthread_mutex_unlock(&shared_lock);
    if (st != TD_OK) {
        td__buf_free(&out);
        return NULL;
    }
    return td__buf_steal(&out);
}

char *td__normalize(const char *s, size_t len)
{
    return run_shared(td__norm_normalize, s, len);
}

char *td__casefold(const char *s, size_t len)
{
    return run_shared(td__norm_casefold, s, len);
}

char *td__translit(const char *s, size_t len)
{
    return run_shared(td__norm_translit, s, len);
}

char *td__entity_key(const char *s, size_t len)
{
    return run_shared(td__norm_entity_key, s, len);
}
