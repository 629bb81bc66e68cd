/*
** quotes.c: the quotes of a story view. Quoted statements in "...", “...”,
** «...», „...“, ‚...‘, ‘...’, '...' and ‹...› of at least 4 words; the
** speaker is a capitalised name next to a said-verb (en de fr es it no ru:
** said, sagte, a déclaré, dijo, ha detto, sa, заявил...) or before a colon
** that opens the quote. Quotes are grouped across articles by their
** normalised words (td__normalize), near-equal ones (word overlap >= 0.8 of
** the shorter) too, and counted by articles and copy groups (sources).
** Parameters and why: docs/internals/story.md.
*/
#include "story/view_int.h"
#include "text/text.h"
#include "util/map.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define QUOTE_MIN_WORDS   4
#define CONTEXT_BYTES     250     /* read around a quote for its speaker */
#define SPEAKER_WORDS     5
#define QUOTES_PER_TEXT   64
#define NEAR_OVERLAP      0.8
#define NEAR_GROUPS_MAX   1000    /* distinct quotes compared pairwise */

/* Quotation marks ---------------------------------------------------------- */

typedef struct mark_pair {
    const char *open;
    const char *close[2];
    int apostrophe;      /* the closer doubles as an apostrophe */
    int spaced;          /* French style: « text », spaces inside allowed */
} mark_pair;

static const mark_pair pairs[] = {
    {"\"", {"\"", NULL}, 0, 0},
    {"\xe2\x80\x9c", {"\xe2\x80\x9d", "\""}, 0, 0},               /* “ ” */
    {"\xe2\x80\x9e", {"\xe2\x80\x9c", "\xe2\x80\x9d"}, 0, 0},     /* „ “ ” */
    {"\xc2\xab", {"\xc2\xbb", NULL}, 0, 1},                    /* « » */
    {"\xe2\x80\x9a", {"\xe2\x80\x98", "\xe2\x80\x99"}, 1, 0},     /* ‚ ‘ ’ */
    {"\xe2\x80\x98", {"\xe2\x80\x99", NULL}, 1, 0},               /* ‘ ’ */
    {"\xe2\x80\xb9", {"\xe2\x80\xba", NULL}, 0, 1},            /* ‹ › */
    {"'", {"'", NULL}, 1, 0},
};

/* Length of a space at t[i]: ' ', no-break space, narrow no-break space;
** 0 when there is none. */
static size_t space_len(const char *t, size_t i, size_t len)
{
    if (i < len && t[i] == ' ')
        return 1;
    if (i + 1 < len && (unsigned char)t[i] == 0xc2 &&
        (unsigned char)t[i + 1] == 0xa0)
        return 2;
    if (i + 2 < len && (unsigned char)t[i] == 0xe2 &&
        (unsigned char)t[i + 1] == 0x80 && (unsigned char)t[i + 2] == 0xaf)
        return 3;
    return 0;
}

/* 1 when a space ends just before t[i]. */
static int space_before(const char *t, size_t i)
{
    return (i >= 1 && t[i - 1] == ' ') ||
           (i >= 2 && space_len(t, i - 2, i) == 2) ||
           (i >= 3 && space_len(t, i - 3, i) == 3);
}

static int starts_with(const char *t, size_t i, size_t len, const char *m)
{
    size_t n = strlen(m);
    return i + n <= len && memcmp(t + i, m, n) == 0;
}

/* Finds the closer of pair p in t[from..), on the same line and within
** TD_VIEW_QUOTE_BYTES; *close_len gets its length. Returns its offset or
** (size_t)-1. */
static size_t find_closer(const char *t, size_t len, size_t from,
                          const mark_pair *p, size_t *close_len)
{
    size_t i, k, lim = from + TD_VIEW_QUOTE_BYTES;
    if (lim > len)
        lim = len;
    for (i = from; i < lim && t[i] != '\n'; i++) {
        for (k = 0; k < 2 && p->close[k]; k++) {
            size_t n = strlen(p->close[k]);
            if (!starts_with(t, i, len, p->close[k]))
                continue;
            /* An apostrophe inside a word ("don't", "Lavrov’s") does not
            ** close, nor does a mark after a space. */
            if (p->apostrophe && td__view_word_at(t, len, i + n))
                continue;
            if (i == from || (!p->spaced && space_before(t, i)))
                continue;
            *close_len = n;
            return i;
        }
    }
    return (size_t)-1;
}

/* Speakers ----------------------------------------------------------------- */

typedef struct said_verb {
    const char *word;    /* lower case (ASCII folded only) */
    int name_after;      /* only "VERB Name" ("according to Name") */
} said_verb;

static const said_verb verbs[] = {
    {"said", 0}, {"says", 0}, {"told", 0}, {"stated", 0}, {"added", 0},
    {"warned", 0}, {"wrote", 0}, {"according to", 1},
    {"sagte", 0}, {"sagt", 0}, {"erkl\xc3\xa4rte", 0}, {"betonte", 0},
    {"laut", 1},
    {"a d\xc3\xa9" "clar\xc3\xa9", 0}, {"a dit", 0}, {"d\xc3\xa9" "clare", 0},
    {"a affirm\xc3\xa9", 0}, {"a ajout\xc3\xa9", 0}, {"selon", 1},
    {"dijo", 0}, {"afirm\xc3\xb3", 0}, {"declar\xc3\xb3", 0},
    {"asegur\xc3\xb3", 0}, {"se\xc3\xb1" "al\xc3\xb3", 0},
    {"seg\xc3\xba" "n", 1},
    {"ha detto", 0}, {"ha dichiarato", 0}, {"ha affermato", 0},
    {"ha spiegato", 0}, {"secondo", 1},
    {"sa", 0}, {"sier", 0}, {"uttalte", 0}, {"if\xc3\xb8lge", 1},
    {"\xd0\xb7\xd0\xb0\xd1\x8f\xd0\xb2\xd0\xb8\xd0\xbb", 0},       /* заявил */
    {"\xd0\xb7\xd0\xb0\xd1\x8f\xd0\xb2\xd0\xb8\xd0\xbb\xd0\xb0", 0},
    {"\xd1\x81\xd0\xba\xd0\xb0\xd0\xb7\xd0\xb0\xd0\xbb", 0},       /* сказал */
    {"\xd1\x81\xd0\xba\xd0\xb0\xd0\xb7\xd0\xb0\xd0\xbb\xd0\xb0", 0},
    {"\xd0\xbe\xd1\x82\xd0\xbc\xd0\xb5\xd1\x82\xd0\xb8\xd0\xbb", 0}, /* отметил */
    {"\xd0\xbf\xd0\xbe \xd1\x81\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xb0\xd0\xbc", 1},
    {"\xd0\x9f\xd0\xbe \xd1\x81\xd0\xbb\xd0\xbe\xd0\xb2\xd0\xb0\xd0\xbc", 1},
};

/* 1 when the word is one a name does not start with in lang: articles,
** pronouns, conjunctions (all stop words). */
static int not_a_name(const td_view_word *w, const char *lang)
{
    size_t n = strlen(w->low);
    return td__is_stopword(lang, w->low, n) || td__is_stopword("en", w->low, n);
}

/* The capitalised words (at most SPEAKER_WORDS) starting at p, after spaces
** and commas; leading stop words dropped. Returns 1 and the range. */
static int name_after(const char *t, size_t p, size_t lim, const char *lang,
                      size_t *rs, size_t *re)
{
    td_view_word w;
    size_t n = 0, q;
    while (p < lim && (t[p] == ' ' || t[p] == ','))
        p++;
    while (n < SPEAKER_WORDS && p < lim) {
        q = p;
        if (!td__view_next_word(t, lim, &q, &w) || w.start != p || !w.upper)
            break;
        if (n == 0 && not_a_name(&w, lang)) {
            p = w.end;
        } else {
            if (n == 0)
                *rs = w.start;
            *re = w.end;
            n++;
            p = w.end;
        }
        if (p + 1 < lim && (t[p] == ' ' || t[p] == '-') && t[p + 1] != ' ')
            p++;
        else
            break;
    }
    return n > 0;
}

/* The word ending at byte e, found by reading forward from the start of
** the run of word bytes before e. */
static int word_ending_at(const char *t, size_t lo, size_t e, td_view_word *w)
{
    size_t b = e, p;
    td_view_word cur;
    int found = 0;
    while (b > lo && (((unsigned char)t[b - 1] >= 0x80) ||
                      (t[b - 1] >= 'a' && t[b - 1] <= 'z') ||
                      (t[b - 1] >= 'A' && t[b - 1] <= 'Z') ||
                      (t[b - 1] >= '0' && t[b - 1] <= '9')))
        b--;
    p = b;
    while (td__view_next_word(t, e, &p, &cur)) {
        *w = cur;
        found = 1;
    }
    return found && w->end == e;
}

/* The capitalised words ending at e (before spaces and commas). */
static int name_before(const char *t, size_t lo, size_t e, const char *lang,
                       size_t *rs, size_t *re)
{
    td_view_word w, first;
    size_t n = 0;
    while (e > lo && (t[e - 1] == ' ' || t[e - 1] == ','))
        e--;
    while (n < SPEAKER_WORDS && e > lo && word_ending_at(t, lo, e, &w) &&
           w.upper) {
        if (n == 0)
            *re = w.end;
        first = w;
        n++;
        if (w.start < lo + 2 || (t[w.start - 1] != ' ' && t[w.start - 1] != '-'))
            break;
        e = w.start - 1;
    }
    /* A name never starts with an article or pronoun: drop them. */
    while (n) {
        td_view_word x;
        size_t p = first.start;
        if (!not_a_name(&first, lang))
            break;
        p = first.end;
        n--;
        if (!n || !td__view_next_word(t, *re, &p, &x))
            return 0;
        first = x;
    }
    if (n)
        *rs = first.start;
    return n > 0;
}

/* Finds the speaker of the quote t[open..close_end) in its sentence. */
static int find_speaker(const char *t, size_t len, const char *lang,
                        size_t open, size_t close_end, size_t *rs, size_t *re)
{
    size_t lo = open > CONTEXT_BYTES ? open - CONTEXT_BYTES : 0;
    size_t hi = close_end + CONTEXT_BYTES < len ? close_end + CONTEXT_BYTES
                                                : len;
    size_t i, v, best = (size_t)-1, brs = 0, bre = 0;
    char low[2 * CONTEXT_BYTES + TD_VIEW_QUOTE_BYTES + 16];
    size_t p;
    /* The sentence around the quote: back to a line end or ". ", forward
    ** to the next one. */
    for (i = open; i > lo; i--)
        if (t[i - 1] == '\n' || (i >= 2 && t[i - 1] == ' ' &&
                                 (t[i - 2] == '.' || t[i - 2] == '!' ||
                                  t[i - 2] == '?'))) {
            lo = i;
            break;
        }
    for (i = close_end; i < hi; i++)
        if (t[i] == '\n' || ((t[i] == '.' || t[i] == '!' || t[i] == '?') &&
                             (i + 1 >= len || t[i + 1] == ' ' ||
                              t[i + 1] == '\n'))) {
            hi = i;
            break;
        }
    /* Name: «...» */
    p = open;
    while (p > lo && t[p - 1] == ' ')
        p--;
    if (p > lo && t[p - 1] == ':' && name_before(t, lo, p - 1, lang, rs, re))
        return 1;
    if (hi - lo >= sizeof low)
        return 0;
    for (i = lo; i < hi; i++)
        low[i - lo] = (char)(t[i] >= 'A' && t[i] <= 'Z' ? t[i] + 32 : t[i]);
    low[hi - lo] = '\0';
    for (v = 0; v < sizeof verbs / sizeof verbs[0]; v++) {
        size_t vlen = strlen(verbs[v].word);
        const char *m = low;
        while ((m = strstr(m, verbs[v].word)) != NULL) {
            size_t at = lo + (size_t)(m - low), end = at + vlen, dist;
            size_t s0 = 0, s1 = 0;
            int ok = 0;
            m += vlen;
            if ((at >= open && at < close_end) ||
                td__view_word_before(t, at) || td__view_word_at(t, len, end))
                continue;
            dist = at >= close_end ? at - close_end : open - end;
            if (dist >= best)
                continue;
            if (at >= close_end) {
                ok = name_after(t, end, hi, lang, &s0, &s1);
                if (!ok && !verbs[v].name_after)
                    ok = name_before(t, close_end, at, lang, &s0, &s1);
            } else {
                ok = name_after(t, end, open, lang, &s0, &s1);
                if (!ok && !verbs[v].name_after)
                    ok = name_before(t, lo, at, lang, &s0, &s1);
            }
            if (ok) {
                best = dist;
                brs = s0;
                bre = s1;
            }
        }
    }
    if (best == (size_t)-1)
        return 0;
    *rs = brs;
    *re = bre;
    return 1;
}

/* Scanning ----------------------------------------------------------------- */

/* 1 when t[s..e) holds a statement: QUOTE_MIN_WORDS words, one lower case. */
static int is_statement(const char *t, size_t s, size_t e)
{
    td_view_word w;
    size_t n = 0, p = s;
    int lower = 0;
    while (td__view_next_word(t, e, &p, &w)) {
        n++;
        if (!w.upper)
            lower = 1;
    }
    return n >= QUOTE_MIN_WORDS && lower;
}

size_t td__quotes_scan(const char *text, size_t len, const char *lang,
                       td_quote_span *out, size_t max)
{
    size_t i = 0, n = 0, k;
    if (!lang)
        lang = "und";
    while (i < len) {
        const mark_pair *p = NULL;
        size_t open_len = 0, close, close_len = 0, s, e;
        unsigned char c = (unsigned char)text[i];
        /* Every opening mark starts with one of these bytes. */
        if (c != '"' && c != '\'' && c != 0xc2 && c != 0xe2) {
            i++;
            continue;
        }
        for (k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
            if (starts_with(text, i, len, pairs[k].open)) {
                p = &pairs[k];
                open_len = strlen(p->open);
                break;
            }
        if (!p) {
            i++;
            continue;
        }
        /* An opener follows a non-word and precedes a non-space. */
        if (td__view_word_before(text, i) || i + open_len >= len ||
            text[i + open_len] == '\n' ||
            (!p->spaced && space_len(text, i + open_len, len))) {
            i += open_len;
            continue;
        }
        close = find_closer(text, len, i + open_len, p, &close_len);
        if (close == (size_t)-1) {
            i += open_len;
            continue;
        }
        s = i + open_len;
        e = close;
        while (s < e && space_len(text, s, e))
            s += space_len(text, s, e);
        for (;;) {
            if (e > s && text[e - 1] == ',')
                e--;
            else if (e > s && space_before(text, e))
                e -= text[e - 1] == ' ' ? 1 : (unsigned char)text[e - 1] == 0xa0
                                                  ? 2 : 3;
            else
                break;
        }
        if (is_statement(text, s, e)) {
            if (n < max) {
                td_quote_span *q = &out[n];
                q->start = s;
                q->end = e;
                q->speaker_start = q->speaker_end = 0;
                if (!find_speaker(text, len, lang, i, close + close_len,
                                  &q->speaker_start, &q->speaker_end))
                    q->speaker_start = q->speaker_end = 0;
            }
            n++;
        }
        i = close + close_len;
    }
    return n;
}

/* Grouping ----------------------------------------------------------------- */

typedef struct occurrence {
    uint32_t art;
    size_t start, end, speaker_start, speaker_end;
} occurrence;

typedef struct quote_group {
    uint64_t *words;      /* sorted hashes of its key's words */
    size_t n_words;
    occurrence first;     /* earliest article */
    occurrence speaker;   /* earliest occurrence naming a speaker; art is
                          ** UINT32_MAX when none does */
    uint32_t *arts;       /* articles carrying it, ascending, distinct */
    size_t n_arts, size_arts;
    size_t parent;        /* union-find over near-equal quotes */
} quote_group;

/* The grouping key of a quote: normalised, letters and digits only, one
** space between words. New; NULL on out of memory. */
static char *quote_key(const char *s, size_t len)
{
    char *norm = td__normalize(s, len);
    size_t i, o = 0;
    if (!norm)
        return NULL;
    for (i = 0; norm[i]; i++) {
        unsigned char c = (unsigned char)norm[i];
        if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            (c >= 'A' && c <= 'Z'))
            norm[o++] = (char)c;
        else if (o && norm[o - 1] != ' ')
            norm[o++] = ' ';
    }
    while (o && norm[o - 1] == ' ')
        o--;
    norm[o] = '\0';
    return norm;
}

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Distinct sorted word hashes of a key. */
static td_status key_words(const char *key, quote_group *g)
{
    size_t n = 1, i, s = 0, o = 0;
    for (i = 0; key[i]; i++)
        n += key[i] == ' ';
    if (!(g->words = malloc(n * sizeof *g->words)))
        return TD_ENOMEM;
    for (i = 0;; i++) {
        if (key[i] == ' ' || !key[i]) {
            if (i > s)
                g->words[o++] = fnv(key + s, i - s);
            s = i + 1;
            if (!key[i])
                break;
        }
    }
    g->n_words = td__sort_unique_u64(g->words, o);
    return TD_OK;
}

static int near_equal(const quote_group *a, const quote_group *b)
{
    size_t i = 0, j = 0, common = 0;
    size_t shorter = a->n_words < b->n_words ? a->n_words : b->n_words;
    if (shorter < QUOTE_MIN_WORDS)
        return 0;
    while (i < a->n_words && j < b->n_words) {
        if (a->words[i] < b->words[j])
            i++;
        else if (a->words[i] > b->words[j])
            j++;
        else {
            common++;
            i++;
            j++;
        }
    }
    return (double)common >= NEAR_OVERLAP * (double)shorter;
}

static size_t find_root(quote_group *g, size_t i)
{
    while (g[i].parent != i) {
        g[i].parent = g[g[i].parent].parent;
        i = g[i].parent;
    }
    return i;
}

static td_status add_art(quote_group *g, uint32_t art)
{
    if (g->n_arts && g->arts[g->n_arts - 1] == art)
        return TD_OK;
    if (g->n_arts == g->size_arts) {
        size_t size = g->size_arts ? g->size_arts * 2 : 4;
        uint32_t *a = realloc(g->arts, size * sizeof *a);
        if (!a)
            return TD_ENOMEM;
        g->arts = a;
        g->size_arts = size;
    }
    g->arts[g->n_arts++] = art;
    return TD_OK;
}

void td__view_quotes_free(td_view_quote *q, size_t n)
{
    size_t i;
    if (!q)
        return;
    for (i = 0; i < n; i++) {
        free(q[i].text);
        free(q[i].speaker);
        free(q[i].article_id);
        free(q[i].lang);
    }
    free(q);
}

typedef struct ranked {
    size_t group;
    uint32_t n_articles, n_sources;
    int has_speaker;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->n_sources != y->n_sources)
        return x->n_sources > y->n_sources ? -1 : 1;
    if (x->n_articles != y->n_articles)
        return x->n_articles > y->n_articles ? -1 : 1;
    if (x->has_speaker != y->has_speaker)
        return x->has_speaker ? -1 : 1;
    return x->group < y->group ? -1 : x->group > y->group;
}

/* Merges the near-equal groups into their roots and ranks the roots. */
static td_status merge_and_rank(const td_article_list *arts, quote_group *g,
                                size_t n, ranked *out, size_t *n_out)
{
    size_t i, j, cmp_n = n < NEAR_GROUPS_MAX ? n : NEAR_GROUPS_MAX;
    int64_t *sources = NULL;
    *n_out = 0;
    for (i = 0; i < cmp_n; i++)
        for (j = i + 1; j < cmp_n; j++)
            if (find_root(g, i) != find_root(g, j) && near_equal(&g[i], &g[j]))
                g[find_root(g, j)].parent = find_root(g, i);
    for (i = 0; i < n; i++) {
        size_t r = find_root(g, i);
        if (r == i)
            continue;
        for (j = 0; j < g[i].n_arts; j++) {
            /* Appended unsorted; sorted and made distinct below. */
            if (g[r].n_arts == g[r].size_arts) {
                size_t size = g[r].size_arts * 2 + 4;
                uint32_t *a = realloc(g[r].arts, size * sizeof *a);
                if (!a)
                    return TD_ENOMEM;
                g[r].arts = a;
                g[r].size_arts = size;
            }
            g[r].arts[g[r].n_arts++] = g[i].arts[j];
        }
        if (g[i].first.art < g[r].first.art)
            g[r].first = g[i].first;
        if (g[i].speaker.art < g[r].speaker.art)
            g[r].speaker = g[i].speaker;
    }
    for (i = 0; i < n; i++) {
        quote_group *q = &g[i];
        size_t k, m = 0;
        if (find_root(g, i) != i)
            continue;
        qsort(q->arts, q->n_arts, sizeof *q->arts, cmp_u32);
        for (k = 0; k < q->n_arts; k++)
            if (!m || q->arts[m - 1] != q->arts[k])
                q->arts[m++] = q->arts[k];
        q->n_arts = m;
        if (!(sources = malloc(m * sizeof *sources)))
            return TD_ENOMEM;
        for (k = 0; k < m; k++)
            sources[k] = arts->rows[q->arts[k]].copy_group;
        qsort(sources, m, sizeof *sources, cmp_i64);
        out[*n_out].group = i;
        out[*n_out].n_articles = (uint32_t)m;
        out[*n_out].n_sources = 0;
        out[*n_out].has_speaker = q->speaker.art != UINT32_MAX;
        for (k = 0; k < m; k++)
            if (!k || sources[k] != sources[k - 1])
                out[*n_out].n_sources++;
        (*n_out)++;
        free(sources);
        sources = NULL;
    }
    if (*n_out)
        qsort(out, *n_out, sizeof *out, cmp_ranked);
    return TD_OK;
}

td_status td__quotes_find(const td_article_list *arts, td_view_quote **out,
                          size_t *n)
{
    td_quote_span spans[QUOTES_PER_TEXT];
    quote_group *groups = NULL;
    size_t n_groups = 0, size_groups = 0, i, j, n_ranked = 0;
    ranked *rank = NULL;
    td_map index;
    td_status rc = TD_ENOMEM;

    *out = NULL;
    *n = 0;
    td__map_init(&index);
    for (i = 0; i < arts->n; i++) {
        const td_article_row *r = &arts->rows[i];
        size_t ns;
        if (!r->text)
            continue;
        ns = td__quotes_scan(r->text, strlen(r->text), r->lang, spans,
                             QUOTES_PER_TEXT);
        if (ns > QUOTES_PER_TEXT)
            ns = QUOTES_PER_TEXT;
        for (j = 0; j < ns; j++) {
            const td_quote_span *sp = &spans[j];
            char *key = quote_key(r->text + sp->start, sp->end - sp->start);
            uint64_t *slot, hash;
            quote_group *g;
            occurrence occ;
            int added;
            if (!key)
                goto done;
            if (!*key) {
                free(key);
                continue;
            }
            hash = fnv(key, strlen(key));
            slot = td__map_put(&index, hash, &added);
            if (!slot) {
                free(key);
                goto done;
            }
            occ.art = (uint32_t)i;
            occ.start = sp->start;
            occ.end = sp->end;
            occ.speaker_start = sp->speaker_start;
            occ.speaker_end = sp->speaker_end;
            if (added) {
                if (n_groups == size_groups) {
                    size_t size = size_groups ? size_groups * 2 : 64;
                    quote_group *gs = realloc(groups, size * sizeof *gs);
                    if (!gs) {
                        free(key);
                        td__map_del(&index, hash);
                        goto done;
                    }
                    groups = gs;
                    size_groups = size;
                }
                g = &groups[n_groups];
                memset(g, 0, sizeof *g);
                g->parent = n_groups;
                g->first = occ;
                g->speaker.art = UINT32_MAX;
                *slot = ++n_groups;
                if (key_words(key, g) != TD_OK) {
                    free(key);
                    goto done;
                }
            }
            free(key);
            g = &groups[*slot - 1];
            if (occ.speaker_end > occ.speaker_start &&
                g->speaker.art == UINT32_MAX)
                g->speaker = occ;
            if (add_art(g, (uint32_t)i) != TD_OK)
                goto done;
        }
    }
    if (n_groups && !(rank = malloc(n_groups * sizeof *rank)))
        goto done;
    if (merge_and_rank(arts, groups, n_groups, rank, &n_ranked) != TD_OK)
        goto done;
    if (n_ranked > TD_VIEW_QUOTES_MAX)
        n_ranked = TD_VIEW_QUOTES_MAX;
    if (n_ranked && !(*out = calloc(n_ranked, sizeof **out)))
        goto done;
    for (i = 0; i < n_ranked; i++) {
        const quote_group *g = &groups[rank[i].group];
        const td_article_row *r = &arts->rows[g->first.art];
        td_view_quote *q = &(*out)[i];
        *n = i + 1;
        q->n_articles = rank[i].n_articles;
        q->n_sources = rank[i].n_sources;
        q->text = td__strndup(r->text + g->first.start,
                              g->first.end - g->first.start);
        q->article_id = td__strdup(r->id ? r->id : "");
        q->lang = td__strdup(r->lang ? r->lang : "und");
        if (g->speaker.art != UINT32_MAX) {
            const td_article_row *sr = &arts->rows[g->speaker.art];
            q->speaker = td__strndup(sr->text + g->speaker.speaker_start,
                                     g->speaker.speaker_end -
                                         g->speaker.speaker_start);
            if (!q->speaker)
                goto done;
        }
        if (!q->text || !q->article_id || !q->lang)
            goto done;
    }
    rc = TD_OK;
done:
    if (rc != TD_OK) {
        td__view_quotes_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    for (i = 0; i < n_groups; i++) {
        free(groups[i].words);
        free(groups[i].arts);
    }
    free(groups);
    free(rank);
    td__map_free(&index);
    return rc;
}
