/*
** entity.c: character references (&amp; &#8217; &eacute...) decoded in
** place, as the HTML tokenizer does in text and attribute values, with the
** input stream's newline normalisation (CR LF and CR become LF). Every
** replacement is at most as long as the reference (see
** tools/gen_entities.sh), so the text never grows.
*/
#include "extract_int.h"
#include "entity_table.h"

#include <stdint.h>
#include <string.h>

/* Code points 0x80..0x9F of a numeric reference mean windows-1252. */
static const uint16_t c1_remap[32] = {
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
    0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178};

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* The entity named exactly s[0..n), or NULL. */
static const td_char_ref *find(const char *s, size_t n)
{
    size_t k = td__find_name(td__char_refs, 0, TD_N_CHAR_REFS,
                             sizeof td__char_refs[0], s, n);
    return k == SIZE_MAX ? NULL : &td__char_refs[k];
}

/* Decodes the reference at s[i] == '&' (s[0..n)) into out; returns the
** bytes of input it used (0: not a reference) and sets *out_len. */
static size_t reference(const char *s, size_t i, size_t n, int in_attr,
                        char out[8], size_t *out_len)
{
    size_t k = i + 1, run;
    if (k < n && s[k] == '#') {
        uint32_t cp = 0;
        int hex = 0, digits = 0;
        k++;
        if (k < n && (s[k] == 'x' || s[k] == 'X')) {
            hex = 1;
            k++;
        }
        for (; k < n; k++, digits++) {
            char c = s[k];
            unsigned v;
            if (c >= '0' && c <= '9')
                v = (unsigned)(c - '0');
            else if (hex && c >= 'a' && c <= 'f')
                v = (unsigned)(c - 'a' + 10);
            else if (hex && c >= 'A' && c <= 'F')
                v = (unsigned)(c - 'A' + 10);
            else
                break;
            cp = cp > 0x10FFFF ? cp : cp * (hex ? 16 : 10) + v;
        }
        if (!digits)
            return 0;
        if (k < n && s[k] == ';')
            k++;
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = 0xFFFD;
        else if (cp >= 0x80 && cp <= 0x9F)
            cp = c1_remap[cp - 0x80];
        *out_len = td__utf8_put(out, cp);
        return k - i;
    }
    for (run = 0; k + run < n && run < 32 && is_alnum(s[k + run]); run++)
        ;
    if (run == 0)
        return 0;
    if (k + run < n && s[k + run] == ';') {
        const td_char_ref *e = find(s + k, run);
        if (e) {
            *out_len = strlen(e->utf8);
            memcpy(out, e->utf8, *out_len);
            return run + 2;
        }
    }
    /* Without ';': the longest legacy name that starts the run. */
    for (run = run < 6 ? run : 6; run >= 2; run--) {
        const td_char_ref *e = find(s + k, run);
        if (!e || !e->legacy)
            continue;
        if (in_attr && k + run < n && (s[k + run] == '=' || is_alnum(s[k + run])))
            return 0;
        *out_len = strlen(e->utf8);
        memcpy(out, e->utf8, *out_len);
        return run + 1;
    }
    return 0;
}

size_t td__entity_decode(char *s, size_t n, int in_attr)
{
    size_t i = 0, o = 0;
    const char *amp = memchr(s, '&', n), *cr = memchr(s, '\r', n);
    if (!amp && !cr)
        return n;
    while (i < n) {
        size_t next = n;
        if (amp && (size_t)(amp - s) < i)
            amp = memchr(s + i, '&', n - i);
        if (cr && (size_t)(cr - s) < i)
            cr = memchr(s + i, '\r', n - i);
        if (amp)
            next = (size_t)(amp - s);
        if (cr && (size_t)(cr - s) < next)
            next = (size_t)(cr - s);
        if (o != i)
            memmove(s + o, s + i, next - i);
        o += next - i;
        i = next;
        if (i >= n)
            break;
        if (s[i] == '\r') {
            s[o++] = '\n';
            i += i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
        } else {
            char rep[8];
            size_t rep_len = 0, used = reference(s, i, n, in_attr, rep, &rep_len);
            if (used) {
                memcpy(s + o, rep, rep_len);
                o += rep_len;
                i += used;
            } else {
                s[o++] = '&';
                i++;
            }
        }
    }
    return o;
}
