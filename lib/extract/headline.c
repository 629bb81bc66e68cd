/*
** headline.c: which opening line of a plain-text document is its title.
** Scraped text files often open with page furniture before the headline: a
** date ("December 8, 2023"), a menu word or two ("Sorting by", "×"), the
** site's name; and many repeat the headline, once as the page title and
** once above the body, sometimes with a site prefix glued on
** ("GENERICO.ruRussiaNBC News: The United States ..." then "NBC News: The
** United States ..."). The rules read only the shape of the lines, in any
** language:
**   1. a line of at least REPEAT_WORDS words that comes again among the
**      first HEAD_LINES lines (the same, or as the end of an earlier line)
**      is the headline, in its shorter form; its earlier copy goes too;
**   2. else the first line of at least TITLE_WORDS words;
**   3. else the first non-blank line (the old rule).
** A word here is a run of non-space bytes holding a letter (any script:
** any byte >= 0x80 counts), so "8," and "2023" are not words.
*/
#include "extract.h"

#include <string.h>


#define HEAD_LINES   8   /* opening lines looked at */
#define REPEAT_WORDS 4   /* a repeated line this long is the headline */
#define TITLE_WORDS  3   /* else the first line this long */

typedef struct span {
    size_t start, end;   /* trimmed, end exclusive */
    int words;
} span;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int count_words(const char *s, size_t start, size_t end)
{
    int n = 0, in = 0, letter = 0;
    size_t i;
    for (i = start; i <= end; i++) {
        unsigned char c = i < end ? (unsigned char)s[i] : ' ';
        if (is_space(c)) {
            n += in && letter;
            in = letter = 0;
            continue;
        }
        in = 1;
        if (c >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
            letter = 1;
    }
    return n;
}

/* Whether line b's text is the end of line a's (or the whole of it), runs
** of spaces counting as one ("engage |  Ukraine" and "engage | Ukraine"). */
static int ends_with(const char *s, const span *a, const span *b)
{
    size_t i = a->end, j = b->end;
    while (j > b->start) {
        int sa, sb;
        if (i == a->start)
            return 0;
        sa = is_space((unsigned char)s[i - 1]);
        sb = is_space((unsigned char)s[j - 1]);
        if (sa != sb)
            return 0;
        if (sa) {
            while (i > a->start && is_space((unsigned char)s[i - 1]))
                i--;
            while (j > b->start && is_space((unsigned char)s[j - 1]))
                j--;
            continue;
        }
        if (s[i - 1] != s[j - 1])
            return 0;
        i--;
        j--;
    }
    return 1;
}

void td__text_headline(const char *s, size_t len, td_headline *h)
{
    span lines[HEAD_LINES];
    size_t pos = 0, n = 0, i, j;
    while (pos < len && n < HEAD_LINES) {
        size_t e = pos, b;
        while (e < len && s[e] != '\n')
            e++;
        b = pos;
        while (b < e && is_space((unsigned char)s[b]))
            b++;
        pos = e < len ? e + 1 : e;
        while (e > b && is_space((unsigned char)s[e - 1]))
            e--;
        if (b == e)
            continue;
        lines[n].start = b;
        lines[n].end = e;
        lines[n].words = count_words(s, b, e);
        n++;
    }
    memset(h, 0, sizeof *h);
    if (n == 0)
        return;
    for (j = 1; j < n; j++) {
        if (lines[j].words < REPEAT_WORDS)
            continue;
        for (i = 0; i < j; i++)
            if (ends_with(s, &lines[i], &lines[j])) {
                h->start = lines[j].start;
                h->end = lines[j].end;
                h->copy_start = lines[i].start;
                h->copy_end = lines[i].end;
                return;
            }
    }
    for (i = 0; i < n; i++)
        if (lines[i].words >= TITLE_WORDS) {
            h->start = lines[i].start;
            h->end = lines[i].end;
            return;
        }
    h->start = lines[0].start;
    h->end = lines[0].end;
}

/* Moves s[from..to) out of s[0..*len) (NUL included). */
static void cut(char *s, size_t *len, size_t from, size_t to)
{
    memmove(s + from, s + to, *len - to + 1);
    *len -= to - from;
}

int td__text_take_headline(char *s, size_t *len, const td_headline *h)
{
    size_t i;
    int other = 0;
    if (h->end == h->start)
        return 0;
    /* Only when something is left: a one-line text keeps its line. */
    for (i = 0; i < *len && !other; i++)
        if ((i < h->start || i >= h->end) &&
            (i < h->copy_start || i >= h->copy_end) &&
            !strchr(" \t\r\n\f\v", s[i]))
            other = 1;
    if (!other)
        return 0;
    /* The later range first, so that the earlier one stays in place. */
    cut(s, len, h->start, h->end);
    if (h->copy_end > h->copy_start)
        cut(s, len, h->copy_start, h->copy_end);
    return 1;
}
