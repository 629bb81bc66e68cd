/*
** words.c: a fast word scanner for shingling: UTF-8 decoding, a word/space
** decision per code point and a simple case fold (ASCII, Latin-1, Greek,
** Cyrillic), each word hashed with xxh3. About 10x cheaper than the ICU
** tokenizer of text/ and enough for comparing texts with each other.
*/
#include "dedup_int.h"
#include "util/util.h"

#include <stdlib.h>

/* Digits and letters as they are kept in a word, 0 for the rest. */
const unsigned char td__dedup_ascii_fold[128] = {
    0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
    '0', '1', '2', '3', '4', '5', '6', '7',
    '8', '9', 0, 0, 0, 0, 0, 0,
    0, 'a', 'b', 'c', 'd', 'e', 'f', 'g',
    'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w',
    'x', 'y', 'z', 0, 0, 0, 0, 0,
    0, 'a', 'b', 'c', 'd', 'e', 'f', 'g',
    'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w',
    'x', 'y', 'z', 0, 0, 0, 0, 0,
};

uint32_t td__dedup_decode(const char *s, size_t len, size_t i, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s + i;
    size_t left = len - i, need, k;
    uint32_t c;
    if (u[0] < 0x80) {
        *n = 1;
        return u[0];
    }
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        need = 2;
        c = u[0] & 0x1F;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        need = 3;
        c = u[0] & 0x0F;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        need = 4;
        c = u[0] & 0x07;
    } else {
        *n = 1;
        return 0xFFFD;
    }
    if (left < need) {
        *n = 1;
        return 0xFFFD;
    }
    for (k = 1; k < need; k++) {
        if ((u[k] & 0xC0) != 0x80) {
            *n = 1;
            return 0xFFFD;
        }
        c = (c << 6) | (u[k] & 0x3F);
    }
    *n = need;
    return c;
}

int td__dedup_is_word(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
               (c >= 'A' && c <= 'Z');
    if (c < 0xC0)                       /* Latin-1 punctuation and signs */
        return c == 0xAA || c == 0xB5 || c == 0xBA;
    if (c == 0xD7 || c == 0xF7 || c == 0xFFFD)
        return 0;
    if (c >= 0x2000 && c <= 0x2BFF)     /* punctuation, symbols, arrows */
        return 0;
    if (c >= 0x3000 && c <= 0x303F)     /* CJK punctuation */
        return 0;
    if (c >= 0xFE30 && c <= 0xFE6F)
        return 0;
    if (c >= 0xFF00 && c <= 0xFF0F)
        return 0;
    return 1;
}

uint32_t td__dedup_fold(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c < 0xC0)
        return c;
    if (c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c >= 0x391 && c <= 0x3A9)
        return c + 32;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    return c;
}

/* Longest word hashed in full; a longer one is hashed on its first bytes. */
#define WORD_MAX 256


td_status td__dedup_words(const char *text, size_t len, td_dedup_word **out,
                          size_t *n)
{
    td_dedup_word *w = NULL, *grown;
    size_t nw = 0, size = 0, i = 0, cl, fl;
    unsigned char folded[WORD_MAX + 4];
    uint32_t c;

    *out = NULL;
    *n = 0;
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    while (i < len && nw < TD_DEDUP_MAX_TOKENS) {
        size_t start;
        unsigned char b = (unsigned char)text[i];
        /* Skip what separates words: spaces, punctuation, invalid bytes.
        ** ASCII bytes are judged and folded here, the rest decoded. */
        if (b < 0x80) {
            if (!td__dedup_ascii_word(b)) {
                i++;
                continue;
            }
        } else {
            c = td__dedup_decode(text, len, i, &cl);
            if (!td__dedup_is_word(c)) {
                i += cl;
                continue;
            }
        }
        start = i;
        fl = 0;
        while (i < len) {
            b = (unsigned char)text[i];
            if (b < 0x80) {
                unsigned char f = td__dedup_ascii_fold[b];
                if (!f)
                    break;
                if (fl < WORD_MAX)
                    folded[fl++] = f;
                i++;
                continue;
            }
            c = td__dedup_decode(text, len, i, &cl);
            if (!td__dedup_is_word(c))
                break;
            if (fl < WORD_MAX)
                fl += td__utf8_put((char *)folded + fl, td__dedup_fold(c));
            i += cl;
        }
        if (nw == size) {
            size = size ? size * 2 : 256;
            grown = realloc(w, size * sizeof *w);
            if (!grown) {
                free(w);
                return TD_ENOMEM;
            }
            w = grown;
        }
        w[nw].hash = td__hash64(folded, fl);
        w[nw].start = (uint32_t)start;
        w[nw].end = (uint32_t)i;
        nw++;
    }
    *out = w;
    *n = nw;
    return TD_OK;
}
