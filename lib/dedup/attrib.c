/*
** attrib.c: the outlets a text credits. A cue ("according to", "laut",
** "selon", "según", "secondo", "volgens", "ifølge", "по данным", "reports",
** "сообщает"...) is matched on case folded words; the outlet is the run of
** capitalised words after it (or before it, for verbs like "NBC News
** reported"), normalised to a key by case folding, single spaces and
** dropping a trailing generic word ("News", "Nyheter", "Nachrichten"...).
** See docs/internals/dedup.md.
*/
#include "dedup_int.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_WORDS    20000   /* words of a text scanned */
#define MAX_SCAN     (256u << 10)  /* bytes of a text scanned */
#define MAX_OUTLETS  32
#define MAX_SPAN     5       /* words of an outlet name */
#define MAX_HITS     256     /* credits counted per text */

enum { AFTER = 1, BEFORE = 2, BOTH = 3 };

typedef struct cue {
    const char *words;   /* case folded, single spaces */
    int side;
    int skip;            /* lower-case words allowed between cue and name */
} cue;

static const cue cues[] = {
    /* en */
    {"according to", AFTER, 2}, {"as reported by", AFTER, 0},
    {"reported by", AFTER, 0}, {"citing", AFTER, 0}, {"cited by", AFTER, 0},
    {"quoted by", AFTER, 0}, {"told", AFTER, 0}, {"revealed by", AFTER, 0},
    {"disclosure", BEFORE, 0}, {"revelation", BEFORE, 0},
    {"reports", BEFORE, 0}, {"reported", BEFORE, 0},
    /* de */
    {"laut", AFTER, 3}, {"unter berufung auf", AFTER, 1},
    {"berichtet", BOTH, 0}, {"berichtete", BOTH, 0}, {"meldet", BOTH, 0},
    {"zufolge", BEFORE, 0},
    /* fr */
    {"selon", AFTER, 2}, {"d après", AFTER, 2}, {"rapporté par", AFTER, 0},
    {"cité par", AFTER, 0}, {"citant", AFTER, 0}, {"rapporte", BOTH, 0},
    /* es */
    {"según", AFTER, 2}, {"de acuerdo con", AFTER, 2},
    {"citado por", AFTER, 0}, {"citando", AFTER, 0}, {"informó", BOTH, 0},
    {"informa", BOTH, 0},
    /* it */
    {"secondo", AFTER, 2}, {"riferisce", BOTH, 0}, {"riporta", BOTH, 0},
    {"scrive", BOTH, 0},
    /* nl */
    {"volgens", AFTER, 2}, {"aldus", AFTER, 0}, {"meldt", BOTH, 0},
    /* no */
    {"ifølge", AFTER, 2}, {"melder", BOTH, 0}, {"skriver", BOTH, 0},
    {"rapporterer", BOTH, 0},
    /* ru */
    {"по данным", AFTER, 2}, {"как сообщает", AFTER, 0},
    {"со ссылкой на", AFTER, 1}, {"по сообщению", AFTER, 1},
    {"сообщает", BOTH, 0}, {"передает", AFTER, 0}, {"пишет", BOTH, 0},
};

/* Articles skipped before a name ("according to the BBC"). */
static const char *const articles[] = {
    "the", "a", "an", "der", "die", "das", "den", "dem", "des", "le", "la",
    "les", "l", "el", "los", "las", "il", "lo", "gli", "het", "een", NULL};

/* Words skipped between a cue and a name whatever their case: "laut einem
** Bericht der Zeitung", "informó la agencia EFE", "melder også NTB". */
static const char *const filler[] = {
    "einem", "einer", "eines", "bericht", "berichten", "angaben", "meldung",
    "informationen", "recherchen", "agency", "agencia", "agence", "agenzia",
    "agentur", "агентство", "media", "also", "auch", "aussi", "también",
    "anche", "ook", "også", "также", "newspaper", "zeitung", "journal",
    "quotidien", "diario", "giornale", "krant", "avisen", "газета", NULL};

/* Capitalised words that are not outlets. */
static const char *const not_names[] = {
    "he", "she", "it", "they", "we", "i", "this", "that", "there", "er",
    "sie", "es", "il", "elle", "ils", "on", "él", "ella", "lei", "lui",
    "hij", "zij", "han", "hun", "de", "он", "она", "они", "это", "but",
    "and", "the", "a", "an", "dette", "det", "dies", "dieses", "ceci", "cela",
    "esto", "eso", "questo", "ciò", "dit", "dat", "об", NULL};

/* Generic last words of outlet names; "NBC Nyheter" is "NBC News". */
static const char *const generic[] = {
    "news", "nyheter", "nyheder", "nachrichten", "noticias", "notizie",
    "nieuws", "nouvelles", "новости", NULL};

typedef struct word {
    size_t start, end;        /* bytes in the text */
    size_t fold, fold_len;    /* folded form in the fold buffer */
    int cap;                  /* first letter upper case */
    int brk;                  /* punctuation between this word and the next */
} word;

static int is_upper(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
           (c >= 0x391 && c <= 0x3A9) || (c >= 0x400 && c <= 0x42F);
}


/* Splits text into words with their folded forms. A gap holding sentence or
** clause punctuation is a break; quotes and dashes inside names are not. */
static td_status split(const char *text, size_t len, word *w, size_t *n_out,
                       td_buf *fold)
{
    size_t i = 0, n = 0, cl;
    unsigned char *out;
    /* A folded code point never takes more than 4 bytes: room for all. */
    if (len > (SIZE_MAX - 8) / 4 || td__buf_reserve(fold, len * 4 + 4) != TD_OK)
        return TD_ENOMEM;
    out = (unsigned char *)fold->data;
    while (i < len && n < MAX_WORDS) {
        uint32_t c = (unsigned char)text[i];
        if (c < 0x80)
            cl = 1;      /* most text: no decoding */
        else
            c = td__dedup_decode(text, len, i, &cl);
        if (c < 0x80 ? !td__dedup_ascii_word((unsigned char)c)
                     : !td__dedup_is_word(c)) {
            if (n && (c == '.' || c == ',' || c == ';' || c == ':' ||
                      c == '!' || c == '?' || c == '(' || c == ')' ||
                      c == '\n' || c == '[' || c == ']' || c == '|'))
                w[n - 1].brk = 1;
            i += cl;
            continue;
        }
        w[n].start = i;
        w[n].cap = is_upper(c);
        w[n].brk = 0;
        w[n].fold = fold->len;
        while (i < len) {
            unsigned char b = (unsigned char)text[i];
            if (b < 0x80) {
                unsigned char f = td__dedup_ascii_fold[b];
                if (!f)
                    break;
                out[fold->len++] = f;
                i++;
                continue;
            }
            c = td__dedup_decode(text, len, i, &cl);
            if (!td__dedup_is_word(c))
                break;
            fold->len += td__utf8_put((char *)out + fold->len, td__dedup_fold(c));
            i += cl;
        }
        w[n].end = i;
        w[n].fold_len = fold->len - w[n].fold;
        n++;
    }
    fold->data[fold->len] = '\0';
    *n_out = n;
    return TD_OK;
}
#define N_CUES (sizeof cues / sizeof cues[0])
#define NO_CUE 0xFFFFu

/* Number of words cue c spans when it matches at word i, else 0. */
static size_t match_cue(const cue *c, const word *w, size_t n, size_t i,
                        const char *fold)
{
    const char *p = c->words;
    size_t k = 0;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t l = sp ? (size_t)(sp - p) : strlen(p);
        if (i + k >= n || w[i + k].fold_len != l ||
            memcmp(fold + w[i + k].fold, p, l) != 0)
            return 0;
        if (sp && w[i + k].brk)
            return 0;
        k++;
        p += l + (sp ? 1 : 0);
    }
    return k;
}

typedef struct hit {
    size_t first, last;   /* words of the name */
} hit;

/* The name starting at word i going right; 0 when there is none. */
static int name_after(const word *w, size_t n, size_t i, int skip,
                      const char *fold, hit *h)
{
    size_t k, free_skips = 0;
    while (i < n && (!w[i].cap ||
                     td__in_list(filler, fold + w[i].fold, w[i].fold_len))) {
        if (free_skips < 4 &&
            (td__in_list(articles, fold + w[i].fold, w[i].fold_len) ||
             td__in_list(filler, fold + w[i].fold, w[i].fold_len)))
            free_skips++;
        else if (skip-- <= 0)
            return 0;
        if (w[i].brk)
            return 0;
        i++;
    }
    if (i >= n)
        return 0;
    for (k = i; k < n && k - i < MAX_SPAN && w[k].cap; k++)
        if (w[k].brk) {
            k++;
            break;
        }
    h->first = i;
    h->last = k - 1;
    return 1;
}

/* The name ending at word i - 1 going left; 0 when there is none. */
static int name_before(const word *w, size_t i, hit *h)
{
    size_t k = i;
    if (i == 0 || !w[i - 1].cap || w[i - 1].brk)
        return 0;
    while (k > 0 && i - k < MAX_SPAN && w[k - 1].cap &&
           (k == i || !w[k - 1].brk))
        k--;
    h->first = k;
    h->last = i - 1;
    return 1;
}

typedef struct outlet {
    char *key;
    char *name;
    uint32_t count, name_count;
    int name_generic, name_upper;
    size_t first;
} outlet;

/* Normalised key and display form of words [h->first, h->last]: a leading
** article stays in the display form ("The Guardian") but not in the key. */
static td_status name_of(const char *text, const word *w, const char *fold,
                         hit h, td_buf *key, td_buf *disp, int *generic_end,
                         int *upper)
{
    size_t k, j;
    td__buf_reset(key);
    td__buf_reset(disp);
    *generic_end = 0;
    *upper = 0;
    size_t kf = h.first;
    while (kf < h.last && td__in_list(articles, fold + w[kf].fold, w[kf].fold_len))
        kf++;
    if (kf == h.last && td__in_list(not_names, fold + w[kf].fold, w[kf].fold_len))
        return TD_ENOTFOUND;
    for (k = h.first; k <= h.last; k++) {
        int gen = k == h.last && k > h.first &&
                  td__in_list(generic, fold + w[k].fold, w[k].fold_len);
        if (k > h.first && td__buf_putc(disp, ' ') != TD_OK)
            return TD_ENOMEM;
        if (gen) {
            *generic_end = 1;
            if (td__buf_append(disp, "News", 4) != TD_OK)
                return TD_ENOMEM;
            continue;
        }
        if (td__buf_append(disp, text + w[k].start, w[k].end - w[k].start) != TD_OK)
            return TD_ENOMEM;
        if (k < kf)
            continue;
        if ((k > kf && td__buf_putc(key, ' ') != TD_OK) ||
            td__buf_append(key, fold + w[k].fold, w[k].fold_len) != TD_OK)
            return TD_ENOMEM;
        for (j = w[k].start; j < w[k].end; j++)
            *upper += text[j] >= 'A' && text[j] <= 'Z';
    }
    return TD_OK;
}

static int cmp_outlet(const void *a, const void *b)
{
    const outlet *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Counts one credit: a new outlet or one more for a known key; the display
** form prefers a name with its generic word, then the most upper case. */
static td_status credit(outlet *o, size_t *n_o, const td_buf *key,
                        const td_buf *disp, int gen, int upper, size_t at)
{
    size_t i;
    for (i = 0; i < *n_o; i++)
        if (strcmp(o[i].key, key->data) == 0)
            break;
    if (i == *n_o) {
        if (*n_o == MAX_OUTLETS)
            return TD_OK;
        o[i].key = td__strdup(key->data);
        o[i].name = td__strdup(disp->data);
        if (!o[i].key || !o[i].name) {
            free(o[i].key);
            free(o[i].name);
            return TD_ENOMEM;
        }
        o[i].count = 0;
        o[i].first = at;
        o[i].name_generic = gen;
        o[i].name_upper = upper;
        (*n_o)++;
    } else if (gen > o[i].name_generic ||
               (gen == o[i].name_generic && upper > o[i].name_upper)) {
        char *s = td__strdup(disp->data);
        if (!s)
            return TD_ENOMEM;
        free(o[i].name);
        o[i].name = s;
        o[i].name_generic = gen;
        o[i].name_upper = upper;
    }
    o[i].count++;
    return TD_OK;
}

td_status td__credits_find(const char *text, size_t len, td_credit **out,
                           size_t *n)
{
    word *w = NULL;
    outlet o[MAX_OUTLETS];
    size_t nw = 0, n_o = 0, i, c, hits = 0, first_len[N_CUES];
    uint16_t head[256], next[N_CUES];
    td_buf fold, key, disp;
    td_status rc = TD_ENOMEM;
    td_credit *res = NULL;

    *out = NULL;
    *n = 0;
    td__buf_init(&fold, (size_t)MAX_SCAN * 4 + 8);
    td__buf_init(&key, 1024);
    td__buf_init(&disp, 1024);
    if (!text || !len) {
        rc = TD_OK;
        goto done;
    }
    /* MAX_WORDS words never take more than MAX_SCAN bytes of real text;
    ** past that, cut on a character boundary. */
    if (len > MAX_SCAN) {
        len = MAX_SCAN;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    w = malloc(MAX_WORDS * sizeof *w);
    if (!w)
        goto done;
    if ((rc = split(text, len, w, &nw, &fold)) != TD_OK)
        goto done;
    rc = TD_ENOMEM;
    /* Most words start no cue: the cues are chained by their first byte (in
    ** table order, which is the order they are tried in), and a word's
    ** length is compared with the cue's first word before a full match. */
    memset(head, 0xFF, sizeof head);
    for (c = N_CUES; c-- > 0;) {
        const char *sp = strchr(cues[c].words, ' ');
        unsigned char b = (unsigned char)cues[c].words[0];
        first_len[c] = sp ? (size_t)(sp - cues[c].words) : strlen(cues[c].words);
        next[c] = head[b];
        head[b] = (uint16_t)c;
    }
    for (i = 0; i < nw && hits < MAX_HITS; i++) {
        unsigned char b = (unsigned char)fold.data[w[i].fold];
        for (c = head[b]; c != NO_CUE; c = next[c]) {
            size_t span;
            hit h;
            int found = 0, gen, upper;
            if (w[i].fold_len != first_len[c])
                continue;
            span = match_cue(&cues[c], w, nw, i, fold.data);
            if (!span)
                continue;
            if ((cues[c].side & AFTER) && !w[i + span - 1].brk)
                found = name_after(w, nw, i + span, cues[c].skip, fold.data, &h);
            if (!found && (cues[c].side & BEFORE))
                found = name_before(w, i, &h);
            if (!found)
                break;
            rc = name_of(text, w, fold.data, h, &key, &disp, &gen, &upper);
            if (rc == TD_ENOTFOUND)
                break;
            if (rc != TD_OK ||
                (rc = credit(o, &n_o, &key, &disp, gen, upper,
                             w[h.first].start)) != TD_OK)
                goto done;
            hits++;
            i += span - 1;
            break;
        }
    }
    rc = TD_OK;
    if (n_o) {
        qsort(o, n_o, sizeof *o, cmp_outlet);
        res = malloc(n_o * sizeof *res);
        if (!res) {
            rc = TD_ENOMEM;
            goto done;
        }
        for (i = 0; i < n_o; i++) {
            res[i].name = o[i].name;
            res[i].key = o[i].key;
            res[i].count = o[i].count;
            res[i].first = o[i].first;
        }
        *out = res;
        *n = n_o;
        n_o = 0;
    }
done:
    for (i = 0; i < n_o; i++) {
        free(o[i].key);
        free(o[i].name);
    }
    free(w);
    td__buf_free(&fold);
    td__buf_free(&key);
    td__buf_free(&disp);
    return rc;
}

void td__credits_free(td_credit *c, size_t n)
{
    size_t i;
    if (!c)
        return;
    for (i = 0; i < n; i++) {
        free(c[i].name);
        free(c[i].key);
    }
    free(c);
}
