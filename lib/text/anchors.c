/*
** anchors.c: the anchors of the analyze stage: an article's names and
** numbers in reading order, written so that a translation gives the same
** ones whatever its language or script (names as consonant skeletons of
** their entity keys, numbers as plain digits, grouped thousands, ordinals
** and CJK multipliers resolved). The cluster stage compares them across
** languages; method and measurements: docs/internals/clustering.md,
** "Translations".
*/
#include "text/analyze_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef TD_TUNING
/* Tuning builds: TD_ANCHOR_DUMP=1 prints each article's anchors as the
** strings they hash ("ANCHORS lang a b c ...") on stderr. */
static struct { uint32_t h; char s[24]; } *anchor_names;
static void anchor_remember(uint32_t h, const char *s, size_t len)
{
    size_t k = h & 0xfffff;
    if (!getenv("TD_ANCHOR_DUMP"))
        return;
    if (!anchor_names)
        anchor_names = calloc(0x100000, sizeof *anchor_names);
    if (anchor_names) {
        anchor_names[k].h = h;
        snprintf(anchor_names[k].s, sizeof anchor_names[k].s, "%.*s",
                 (int)len, s);
    }
}
void td__anchors_dump(const td_analysis *an)
{
    uint32_t i, h;
    if (!getenv("TD_ANCHOR_DUMP"))
        return;
    fprintf(stderr, "ANCHORS %s", an->lang);
    for (i = 0; i < an->n_anchors; i++) {
        h = an->anchors[i];
        fprintf(stderr, " %s", anchor_names && anchor_names[h & 0xfffff].h == h
                                   ? anchor_names[h & 0xfffff].s : "?");
    }
    fprintf(stderr, "\n");
}
#else
#define anchor_remember(h, s, len) ((void)0)
#endif

/* The anchor of a name or a number: a 32-bit hash of s with its kind
** (TD_ANCHOR_NAME, _NUMBER, _DIGIT) in the low two bits. */
static uint32_t anchor(uint32_t kind, const char *s, size_t len)
{
    uint32_t h = ((uint32_t)td__hash64(s, len) & ~3u) | kind;
    anchor_remember(h, s, len);
    return h;
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
           c == 'y';
}

/* The anchor of a name from its entity key: the consonant skeleton of
** the key cut to TD_PREFIX_LEN bytes. Transliterations and spellings of one
** name differ mostly in vowels and in how a sound is written: "Rossiya" and
** "Russia" give "rs", "Vashington" and "Washington" "vshn", "Aleksandr" and
** "Alexander" "alks", "Khezbolla" and "Hezbollah" "hzbl", where their
** 4-letter prefixes differ. Kept: the first letter (vowel or not),
** then consonants, with dzh zh > j, kh > h, ph > f, ck q > k, ts > s,
** x > ks, w > v, c > s before e i y and k elsewhere (but ch stays), an
** initial y before a vowel dropped ("Yevgeny"/"Evgeny"), and no letter
** twice in a row. Bytes that are not ASCII letters are kept as they are. */
uint32_t td__name_anchor(const char *key, size_t len)
{
    char out[TD_PREFIX_LEN + 4];
    size_t i = 0, n = 0;
    if (len >= 2 && key[0] == 'y' && is_vowel(key[1]))
        i = 1;
    while (i < len && n < TD_PREFIX_LEN) {
        char c = key[i], next = i + 1 < len ? key[i + 1] : 0;
        char emit[2];
        size_t k, n_emit = 1, step = 1;
        if ((unsigned char)c >= 0x80) {
            /* A whole UTF-8 character, or stop if it does not fit. */
            size_t cl = 1;
            while (i + cl < len && ((unsigned char)key[i + cl] & 0xC0) == 0x80)
                cl++;
            if (n + cl > TD_PREFIX_LEN)
                break;
            memcpy(out + n, key + i, cl);
            n += cl;
            i += cl;
            continue;
        }
        emit[0] = c;
        if (c == 'd' && next == 'z' && i + 2 < len && key[i + 2] == 'h')
            emit[0] = 'j', step = 3;
        else if (c == 'z' && next == 'h')
            emit[0] = 'j', step = 2;
        else if (c == 'k' && next == 'h')
            emit[0] = 'h', step = 2;
        else if (c == 'p' && next == 'h')
            emit[0] = 'f', step = 2;
        else if (c == 'c' && next == 'k')
            emit[0] = 'k', step = 2;
        else if (c == 't' && next == 's')
            emit[0] = 's', step = 2;
        else if (c == 'x')
            emit[0] = 'k', emit[1] = 's', n_emit = 2;
        else if (c == 'w')
            emit[0] = 'v';
        else if (c == 'q')
            emit[0] = 'k';
        else if (c == 'c' && next != 'h')
            emit[0] = next == 'e' || next == 'i' || next == 'y' ? 's' : 'k';
        i += step;
        for (k = 0; k < n_emit && n < TD_PREFIX_LEN; k++) {
            if (n > 0 && is_vowel(emit[k]))
                continue;
            if (n > 0 && out[n - 1] == emit[k])
                continue;
            out[n++] = emit[k];
        }
    }
    return anchor(TD_ANCHOR_NAME, out, n);
}

/* Digits of a number token with the , . separators removed, and digits of
** other forms written as ASCII ("２０２１" in Japanese text, Arabic-Indic and
** Devanagari digits), so that a number reads the same in every language. */
size_t td__number_digits(const char *s, size_t len, char *out)
{
    size_t i = 0, n = 0, k;
    while (i < len) {
        int32_t c, zero;
        if (s[i] == ',' || s[i] == '.') {
            i++;
            continue;
        }
        if ((unsigned char)s[i] < 0x80) {
            if (n >= AZ_MAX_NUMBER)
                return 0;
            out[n++] = s[i++];
            continue;
        }
        c = td__utf8_decode(s + i, len - i, &k);
        zero = c >= 0xFF10 && c <= 0xFF19 ? 0xFF10
             : c >= 0x0660 && c <= 0x0669 ? 0x0660
             : c >= 0x06F0 && c <= 0x06F9 ? 0x06F0
             : c >= 0x0966 && c <= 0x096F ? 0x0966 : -1;
        if (zero >= 0) {
            if (n >= AZ_MAX_NUMBER)
                return 0;
            out[n++] = (char)('0' + (c - zero));
            i += k;
            continue;
        }
        if (n + k > AZ_MAX_NUMBER)
            return 0;
        memcpy(out + n, s + i, k);
        n += k;
        i += k;
    }
    return n;
}

static uint32_t number_anchor_of(const char *digits, size_t nd)
{
    return anchor(nd == 1 ? TD_ANCHOR_DIGIT : TD_ANCHOR_NUMBER, digits, nd);
}

/* 1 when s[from, to) is one space of the kinds that group thousands: a
** space, a no-break, narrow no-break or thin space. */
static int thousands_gap(const char *s, size_t from, size_t to)
{
    const unsigned char *u = (const unsigned char *)s + from;
    size_t n = to - from;
    return (n == 1 && u[0] == ' ') ||
           (n == 2 && u[0] == 0xC2 && u[1] == 0xA0) ||
           (n == 3 && u[0] == 0xE2 && u[1] == 0x80 &&
            (u[2] == 0xAF || u[2] == 0x89));
}

/* CJK multipliers written after a number: "20万" is 200,000, "4千" 4,000. */
static const struct {
    const char *utf8;
    uint64_t mult;
} cjk_multipliers[] = {
    {"\xE4\xB8\x87", 10000}, /* 万 */
    {"\xE8\x90\xAC", 10000}, /* 萬 */
    {"\xE5\x8D\x83", 1000},  /* 千 */
};

/* The value of number token i when a CJK multiplier follows it, as digits
** in buf (*n of them): "20万6737" is 206737, "3.5万" 35000, "4千円" 4000,
** which English writes in digits. Returns how many later tokens it took
** (the "6737"), or -1 when no multiplier follows or the value is not a
** whole number. */
static long cjk_number(const td_analyzer *az, size_t i, const char *s,
                       char *buf, size_t *n)
{
    const td_token *t = &az->toks[i];
    const char *p = s + t->start;
    size_t k, end = t->start + t->len, m, cl;
    uint64_t whole = 0, frac = 0, scale = 1, mult = 0, value;
    int decimals = -1;
    long took = 0;
    for (m = 0; m < sizeof cjk_multipliers / sizeof cjk_multipliers[0]; m++)
        if (strncmp(s + end, cjk_multipliers[m].utf8, 3) == 0)
            mult = cjk_multipliers[m].mult;
    if (!mult)
        return -1;
    for (k = 0; k < t->len; k += cl) {
        int32_t c = td__utf8_decode(p + k, t->len - k, &cl);
        int digit = c >= '0' && c <= '9' ? c - '0'
                  : c >= 0xFF10 && c <= 0xFF19 ? c - 0xFF10 : -1;
        if (digit < 0) {
            if ((c == '.' || c == 0xFF0E) && decimals < 0)
                decimals = 0;
            else if (c != ',' && c != 0xFF0C)
                return -1;
            continue;
        }
        if (whole > UINT64_C(100000000000))
            return -1;
        if (decimals < 0)
            whole = whole * 10 + (uint64_t)digit;
        else if (decimals++ < 4) {
            frac = frac * 10 + (uint64_t)digit;
            scale *= 10;
        }
    }
    if ((frac * mult) % scale)
        return -1;
    value = whole * mult + frac * mult / scale;
    /* "20万6737": the rest, right after the multiplier (which may be a
    ** token of its own). */
    for (k = i + 1; k <= i + 2 && k < az->n_toks &&
                    (k < az->n_title) == (i < az->n_title); k++) {
        char rest[AZ_MAX_NUMBER];
        size_t nr, r;
        uint64_t v = 0;
        if (az->toks[k].start != end + 3 || !az->toks[k].is_number)
            continue;
        nr = td__number_digits(s + az->toks[k].start, az->toks[k].len, rest);
        for (r = 0; r < nr && rest[r] >= '0' && rest[r] <= '9'; r++)
            v = v * 10 + (uint64_t)(rest[r] - '0');
        if (nr > 0 && r == nr && v < mult) {
            value += v;
            took = (long)(k - i);
        }
        break;
    }
    *n = (size_t)snprintf(buf, AZ_MAX_NUMBER, "%llu",
                          (unsigned long long)value);
    return took;
}

/* Sets the anchor of number token i (digits[0..nd) as number_digits gave
** them). A number written in groups of three after a space ("15 785 641",
** "300 000": French, Russian, Czech) is one anchor, as "15,785,641" is in
** English; its later groups get none. Returns the last token it took. */
size_t td__number_anchor(td_analyzer *az, size_t i, const char *title,
                         const char *text, const char *digits, size_t nd)
{
    const char *s = td__az_token_text(az, i, title, text);
    char buf[AZ_MAX_NUMBER];
    size_t j = i, n = nd;
    if (nd == 0)
        return i;
    if (strcmp(az->lang, "ja") == 0 || strcmp(az->lang, "zh") == 0) {
        long took = cjk_number(az, i, s, buf, &n);
        if (took >= 0) {
            az->tok_anchor[i] = number_anchor_of(buf, n);
            return i + (size_t)took;
        }
    }
    memcpy(buf, digits, nd);
    while (nd <= 3 && j + 1 < az->n_toks &&
           (j + 1 < az->n_title) == (i < az->n_title) &&
           az->toks[j + 1].is_number && az->toks[j + 1].len == 3 &&
           n + 3 <= AZ_MAX_NUMBER &&
           thousands_gap(s, az->toks[j].start + az->toks[j].len,
                         az->toks[j + 1].start)) {
        const char *g = s + az->toks[j + 1].start;
        if (!(g[0] >= '0' && g[0] <= '9' && g[1] >= '0' && g[1] <= '9' &&
              g[2] >= '0' && g[2] <= '9'))
            break;
        memcpy(buf + n, g, 3);
        n += 3;
        j++;
    }
    az->tok_anchor[i] = number_anchor_of(buf, n);
    return j;
}

/* The anchor of an ordinal or a number with its unit in one word ("24th",
** "1er", "10km"), which other languages write as a number ("24.", "２４日",
** "10 km"): 1-3 ASCII digits, then one or two ASCII letters. */
void td__ordinal_anchor(td_analyzer *az, size_t i, const char *s)
{
    const td_token *t = &az->toks[i];
    const char *p = s + t->start;
    size_t d = 0, k;
    while (d < t->len && d < 4 && p[d] >= '0' && p[d] <= '9')
        d++;
    if (d == 0 || d > 3 || t->len - d < 1 || t->len - d > 2)
        return;
    for (k = d; k < t->len; k++)
        if (!((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z')))
            return;
    az->tok_anchor[i] = number_anchor_of(p, d);
}
