/*
** summary.c: the extractive summary of a story view, and the word reader
** the view shares. Sentences of the story's articles in one language are
** scored by centrality (cosine of their term vector with the story's, words
** reduced to their first 6 letters, stop words out, tf-idf weights over the
** story's sentences, each copy group counting once in the story vector);
** the origin article and leads get a bonus; boilerplate, headline-like and
** very short or long sentences are skipped; the picks are greedy with
** redundancy removed (MMR-style) and prefer distinct copy groups.
** Parameters and why: docs/internals/story.md.
*/
#include "story/view_int.h"
#include "text/text.h"
#include "util/map.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define STEM_CHARS      6       /* letters of a word that make its term */
#define SENT_MIN_WORDS  6
#define SENT_MAX_WORDS  45
#define SENT_MAX_BYTES  350
#define ORIGIN_BONUS    1.3     /* the origin article's sentences */
#define LEAD_BONUS      1.15    /* an article's first sentence */
#define EARLY_BONUS     1.07    /* its second and third */
#define SAME_GROUP      0.75    /* a copy group already in the summary */
#define MAX_SIMILAR     0.5     /* cosine with a pick that makes it redundant */
#define MIN_SCORE_SHARE 0.5     /* past two picks, of the best pick's score */

/* Words ------------------------------------------------------------------ */

/* Decodes the character at s[i]; returns its byte length (1 for an invalid
** byte, with *c = -1). */
static size_t decode(const char *s, size_t i, size_t len, int32_t *c)
{
    utf8proc_ssize_t k;
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
        *c = b;
        return 1;
    }
    k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                         (utf8proc_ssize_t)(len - i), c);
    if (k <= 0) {
        *c = -1;
        return 1;
    }
    return (size_t)k;
}

static int is_word_char(int32_t c)
{
    int cat;
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9');
    cat = utf8proc_category(c);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_MC) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

int td__view_word_at(const char *s, size_t len, size_t i)
{
    int32_t c;
    if (i >= len)
        return 0;
    decode(s, i, len, &c);
    return c >= 0 && is_word_char(c);
}

int td__view_word_before(const char *s, size_t i)
{
    size_t b = i;
    if (i == 0)
        return 0;
    b--;
    while (b > 0 && i - b < 4 && ((unsigned char)s[b] & 0xc0) == 0x80)
        b--;
    return td__view_word_at(s, i, b);
}

int td__view_next_word(const char *s, size_t len, size_t *pos,
                       td_view_word *w)
{
    size_t i = *pos, k, low = 0;
    uint64_t hash = 0xcbf29ce484222325ull;
    int32_t c;
    while (i < len) {
        k = decode(s, i, len, &c);
        if (c >= 0 && is_word_char(c))
            break;
        i += k;
    }
    if (i >= len) {
        *pos = len;
        return 0;
    }
    w->start = i;
    w->n_chars = 0;
    w->upper = 0;
    while (i < len) {
        int32_t lc;
        k = decode(s, i, len, &c);
        if (c < 0 || !is_word_char(c))
            break;
        if (c < 0x80) {
            lc = c >= 'A' && c <= 'Z' ? c + 32 : c;
            if (w->n_chars == 0)
                w->upper = c >= 'A' && c <= 'Z';
        } else {
            lc = utf8proc_tolower(c);
            if (w->n_chars == 0)
                w->upper = lc != c;
        }
        if (w->n_chars < STEM_CHARS)
            hash = (hash ^ (uint64_t)lc) * 0x100000001b3ull;
        if (low + 4 < sizeof w->low)
            low += (size_t)utf8proc_encode_char(lc, (utf8proc_uint8_t *)w->low
                                                        + low);
        w->n_chars++;
        i += k;
    }
    w->low[low] = '\0';
    w->end = i;
    w->hash = hash;
    *pos = i;
    return 1;
}

/* Sentences -------------------------------------------------------------- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Length of a closing quote or bracket at t[i], 0 when there is none. */
static size_t closer_len(const char *t, size_t i, size_t len)
{
    const unsigned char *u = (const unsigned char *)t + i;
    if (t[i] == '"' || t[i] == '\'' || t[i] == ')' || t[i] == ']')
        return 1;
    if (i + 1 < len && u[0] == 0xc2 && u[1] == 0xbb)          /* » */
        return 2;
    if (i + 2 < len && u[0] == 0xe2 && u[1] == 0x80 &&
        (u[2] == 0x9d || u[2] == 0x99 || u[2] == 0x9c))       /* ” ’ “ */
        return 3;
    return 0;
}

/* 1 when the word before the '.' at t[dot] is an abbreviation: one letter
** (an initial) or a title or short form in the list. */
static int is_abbreviation(const char *t, size_t dot)
{
    static const char *const list[] = {"mr", "mrs", "ms", "dr", "prof",
        "st", "jr", "sr", "gen", "col", "lt", "sen", "rep", "gov", "no",
        "nr", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "aug",
        "sept", "oct", "nov", "dec", "ca", "bzw", "usw", "dott", "sig",
        "mme", "av", "art", "pres"};
    size_t b = dot, n, i;
    char w[8];
    while (b > 0 && ((t[b - 1] >= 'a' && t[b - 1] <= 'z') ||
                     (t[b - 1] >= 'A' && t[b - 1] <= 'Z')))
        b--;
    n = dot - b;
    if (n == 1)
        return 1;
    if (n == 0 || n >= sizeof w)
        return 0;
    for (i = 0; i < n; i++)
        w[i] = (char)(t[b + i] >= 'A' && t[b + i] <= 'Z' ? t[b + i] + 32
                                                         : t[b + i]);
    w[n] = '\0';
    for (i = 0; i < sizeof list / sizeof list[0]; i++)
        if (strcmp(w, list[i]) == 0)
            return 1;
    return 0;
}

/* Splits t[0..len) at . ! ? ... (past closing quotes, before white space,
** not after an abbreviation nor before a lower-case word) and at line ends.
** Writes at most max [start, end) ranges; returns how many. */
static size_t split_sentences(const char *t, size_t len, size_t *starts,
                              size_t *ends, size_t max)
{
    size_t n = 0, i = 0, start;
    while (n < max) {
        while (i < len && is_space(t[i]))
            i++;
        if (i >= len)
            break;
        start = i;
        for (;;) {
            size_t j, k;
            int mark;
            if (i >= len || t[i] == '\n')
                break;
            mark = t[i] == '.' || t[i] == '!' || t[i] == '?';
            j = i + 1;
            if (!mark && i + 2 < len && (unsigned char)t[i] == 0xe2 &&
                (unsigned char)t[i + 1] == 0x80 &&
                (unsigned char)t[i + 2] == 0xa6) {              /* … */
                mark = 1;
                j = i + 3;
            }
            if (!mark) {
                i++;
                continue;
            }
            while (j < len && (t[j] == '.' || t[j] == '!' || t[j] == '?'))
                j++;
            while (j < len && (k = closer_len(t, j, len)) != 0)
                j += k;
            if (j < len && !is_space(t[j])) {
                i = j;
                continue;
            }
            if (t[i] == '.' && j == i + 1 && is_abbreviation(t, i)) {
                i = j;
                continue;
            }
            k = j;
            while (k < len && (t[k] == ' ' || t[k] == '\t'))
                k++;
            if (k < len && t[k] >= 'a' && t[k] <= 'z') {
                i = j;
                continue;
            }
            i = j;
            break;
        }
        starts[n] = start;
        ends[n] = i;
        n++;
    }
    return n;
}

/* New copy of s[0..len) with runs of white space made one space. */
static char *collapse_copy(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    size_t i, o = 0;
    if (!out)
        return NULL;
    for (i = 0; i < len; i++) {
        if (is_space(s[i])) {
            if (o && out[o - 1] != ' ')
                out[o++] = ' ';
        } else {
            out[o++] = s[i];
        }
    }
    while (o && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

/* Boilerplate: links, credits, calls to subscribe or share. */
static int looks_boilerplate(const char *s, size_t len)
{
    static const char *const marks[] = {"http", "www.", "@", "\xc2\xa9",
        "cookie", "subscribe", "newsletter", "read more", "read also",
        "click here", "sign up", "all rights reserved", "follow us",
        "advertisement", "photo:", "getty images", "copyright",
        "lesen sie auch", "lire aussi", "leggi anche", "les ogs\xc3\xa5",
        /* One string cut in two (the parentheses say so to clang). */
        ("\xd1\x87\xd0\xb8\xd1\x82\xd0\xb0\xd0\xb9\xd1\x82\xd0\xb5 \xd1\x82"
         "\xd0\xb0\xd0\xba\xd0\xb6\xd0\xb5")};   /* читайте также */
    char low[SENT_MAX_BYTES + 1];
    size_t i, m;
    if (len > SENT_MAX_BYTES)
        return 1;
    for (i = 0; i < len; i++)
        low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    low[len] = '\0';
    for (m = 0; m < sizeof marks / sizeof marks[0]; m++)
        if (strstr(low, marks[m]))
            return 1;
    return 0;
}

/* 1 when the sentence ends like one: . ! ? ... possibly inside a closing
** quote or bracket. Headlines and captions do not. */
static int ends_as_sentence(const char *s, size_t len)
{
    while (len) {
        size_t k = 0;
        if (len >= 1 && closer_len(s, len - 1, len))
            k = 1;
        else if (len >= 2 && closer_len(s, len - 2, len) == 2)
            k = 2;
        else if (len >= 3 && closer_len(s, len - 3, len) == 3)
            k = 3;
        if (!k)
            break;
        len -= k;
    }
    if (!len)
        return 0;
    if (s[len - 1] == '.' || s[len - 1] == '!' || s[len - 1] == '?')
        return 1;
    return len >= 3 && memcmp(s + len - 3, "\xe2\x80\xa6", 3) == 0;
}

/* Summary ---------------------------------------------------------------- */

typedef struct term_ref {
    uint32_t term;      /* index into the story's term table */
    uint32_t tf;
} term_ref;

typedef struct sentence {
    uint32_t art;       /* row of the article */
    uint32_t pos;       /* its place in the article */
    size_t start, end;
    size_t first_ref, n_refs;
    double norm;        /* length of its tf-idf vector */
    double score;
    int eligible;
} sentence;

typedef struct term_stat {
    uint32_t sf;        /* sentences holding it */
    uint32_t last_art;  /* last article counted in weight, + 1 */
    float weight;       /* copy groups holding it (each article 1/size) */
    double idf;
} term_stat;

typedef struct summary_ctx {
    sentence *sents;
    size_t n_sents, size_sents;
    term_ref *refs;
    size_t n_refs, size_refs;
    term_stat *terms;
    size_t n_terms, size_terms;
    td_map term_index;  /* word hash -> index + 1 */
    uint64_t *words;    /* one sentence's word hashes */
    size_t size_words;
} summary_ctx;

static int grow(void **p, size_t *size, size_t need, size_t elem)
{
    size_t size2;
    void *q;
    if (need <= *size)
        return 1;
    size2 = *size ? *size * 2 : 256;
    while (size2 < need)
        size2 *= 2;
    q = realloc(*p, size2 * elem);
    if (!q)
        return 0;
    *p = q;
    *size = size2;
    return 1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_ref(const void *a, const void *b)
{
    const term_ref *x = a, *y = b;
    return x->term < y->term ? -1 : x->term > y->term;
}

/* Reads the terms of one sentence into ctx (refs sorted by term). */
static td_status add_sentence(summary_ctx *c, const td_article_row *r,
                              uint32_t art, uint32_t pos, size_t start,
                              size_t end, const float *group_w)
{
    size_t p = start, n_words = 0, n_terms = 0, i;
    td_view_word w;
    sentence *s;
    while (td__view_next_word(r->text, end, &p, &w)) {
        size_t blen = strlen(w.low);
        n_words++;
        if (w.n_chars < 2 || td__is_stopword(r->lang, w.low, blen))
            continue;
        if (!grow((void **)&c->words, &c->size_words, n_terms + 1,
                  sizeof *c->words))
            return TD_ENOMEM;
        c->words[n_terms++] = w.hash;
    }
    if (!grow((void **)&c->sents, &c->size_sents, c->n_sents + 1,
              sizeof *c->sents) ||
        !grow((void **)&c->refs, &c->size_refs, c->n_refs + n_terms,
              sizeof *c->refs))
        return TD_ENOMEM;
    s = &c->sents[c->n_sents++];
    memset(s, 0, sizeof *s);
    s->art = art;
    s->pos = pos;
    s->start = start;
    s->end = end;
    s->first_ref = c->n_refs;
    s->eligible = n_words >= SENT_MIN_WORDS && n_words <= SENT_MAX_WORDS &&
                  ends_as_sentence(r->text + start, end - start) &&
                  !looks_boilerplate(r->text + start, end - start);
    /* No term yet means no buffer: qsort must not see NULL. */
    if (n_terms)
        qsort(c->words, n_terms, sizeof *c->words, cmp_u64);
    for (i = 0; i < n_terms; i++) {
        int added;
        uint64_t *slot;
        term_stat *t;
        if (i && c->words[i] == c->words[i - 1]) {
            c->refs[c->n_refs - 1].tf++;
            continue;
        }
        if (!(slot = td__map_put(&c->term_index, c->words[i], &added)))
            return TD_ENOMEM;
        if (added) {
            if (!grow((void **)&c->terms, &c->size_terms, c->n_terms + 1,
                      sizeof *c->terms)) {
                td__map_del(&c->term_index, c->words[i]);
                return TD_ENOMEM;
            }
            memset(&c->terms[c->n_terms], 0, sizeof *c->terms);
            *slot = ++c->n_terms;
        }
        t = &c->terms[*slot - 1];
        t->sf++;
        if (t->last_art != art + 1) {
            t->last_art = art + 1;
            t->weight += group_w[art];
        }
        c->refs[c->n_refs].term = (uint32_t)(*slot - 1);
        c->refs[c->n_refs].tf = 1;
        c->n_refs++;
    }
    s->n_refs = c->n_refs - s->first_ref;
    if (s->n_refs)
        qsort(c->refs + s->first_ref, s->n_refs, sizeof *c->refs, cmp_ref);
    return TD_OK;
}

static double ref_weight(const summary_ctx *c, const term_ref *r)
{
    return (1.0 + log((double)r->tf)) * c->terms[r->term].idf;
}

/* Cosine of two sentences' tf-idf vectors (refs sorted by term). */
static double sentence_cosine(const summary_ctx *c, const sentence *a,
                              const sentence *b)
{
    const term_ref *x = c->refs + a->first_ref, *y = c->refs + b->first_ref;
    size_t i = 0, j = 0;
    double dot = 0;
    if (a->norm <= 0 || b->norm <= 0)
        return 0;
    while (i < a->n_refs && j < b->n_refs) {
        if (x[i].term < y[j].term) {
            i++;
        } else if (x[i].term > y[j].term) {
            j++;
        } else {
            dot += ref_weight(c, &x[i]) * ref_weight(c, &y[j]);
            i++;
            j++;
        }
    }
    return dot / (a->norm * b->norm);
}

static int cmp_score(const void *a, const void *b)
{
    const sentence *x = *(const sentence *const *)a;
    const sentence *y = *(const sentence *const *)b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->art != y->art)
        return x->art < y->art ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int cmp_place(const void *a, const void *b)
{
    const sentence *x = *(const sentence *const *)a;
    const sentence *y = *(const sentence *const *)b;
    if (x->art != y->art)
        return x->art < y->art ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void td__view_sentences_free(td_view_sentence *s, size_t n)
{
    size_t i;
    if (!s)
        return;
    for (i = 0; i < n; i++) {
        free(s[i].text);
        free(s[i].article_id);
    }
    free(s);
}

/* Scores every sentence and picks the summary into picks (at most max). */
static size_t choose(summary_ctx *c, const td_article_list *arts,
                     size_t origin, sentence **order, sentence **picks,
                     size_t max)
{
    double centroid_norm = 0, best = 0;
    size_t i, j, n_order = 0, n_picks = 0;
    for (i = 0; i < c->n_terms; i++) {
        term_stat *t = &c->terms[i];
        double cw;
        t->idf = log(1.0 + (double)c->n_sents / (double)t->sf);
        cw = t->weight * t->idf;
        centroid_norm += cw * cw;
    }
    centroid_norm = sqrt(centroid_norm);
    for (i = 0; i < c->n_sents; i++) {
        sentence *s = &c->sents[i];
        const term_ref *r = c->refs + s->first_ref;
        double dot = 0, norm = 0;
        for (j = 0; j < s->n_refs; j++) {
            double w = ref_weight(c, &r[j]);
            norm += w * w;
            dot += w * c->terms[r[j].term].weight * c->terms[r[j].term].idf;
        }
        s->norm = sqrt(norm);
        if (!s->eligible || s->norm <= 0 || centroid_norm <= 0)
            continue;
        s->score = dot / (s->norm * centroid_norm);
        if (s->art == origin)
            s->score *= ORIGIN_BONUS;
        s->score *= s->pos == 0 ? LEAD_BONUS : s->pos < 3 ? EARLY_BONUS : 1.0;
        order[n_order++] = s;
    }
    if (n_order > 1)   /* order is NULL when there is no sentence */
        qsort(order, n_order, sizeof *order, cmp_score);
    /* Greedy: the best remaining sentence not redundant with a pick; a
    ** copy group already used lowers a sentence's score, so the picks are
    ** re-ranked each round over the candidates left. */
    while (n_picks < max) {
        sentence *pick = NULL;
        double pick_score = 0;
        for (i = 0; i < n_order; i++) {
            sentence *s = order[i];
            double score;
            int skip = 0;
            if (!s)
                continue;
            score = s->score;
            if (pick && s->score <= pick_score)
                break;
            for (j = 0; j < n_picks && !skip; j++) {
                if (arts->rows[picks[j]->art].copy_group ==
                    arts->rows[s->art].copy_group)
                    score *= SAME_GROUP;
                if (sentence_cosine(c, s, picks[j]) >= MAX_SIMILAR)
                    skip = 1;
            }
            if (skip) {
                order[i] = NULL;
                continue;
            }
            if (!pick || score > pick_score) {
                pick = s;
                pick_score = score;
            }
        }
        if (!pick)
            break;
        if (n_picks == 0)
            best = pick_score;
        else if (n_picks >= 2 && pick_score < MIN_SCORE_SHARE * best)
            break;
        picks[n_picks++] = pick;
        for (i = 0; i < n_order; i++)
            if (order[i] == pick)
                order[i] = NULL;
    }
    qsort(picks, n_picks, sizeof *picks, cmp_place);
    return n_picks;
}

td_status td__summary_pick(const td_article_list *arts, const char *lang,
                           size_t origin, size_t max, td_view_sentence **out,
                           size_t *n)
{
    summary_ctx c;
    td_map group_size;
    float *group_w = NULL;
    size_t *starts = NULL, *ends = NULL, i, j, n_picks = 0;
    sentence **order = NULL, *picks[TD_VIEW_SUMMARY_MAX];
    td_status rc = TD_ENOMEM;

    *out = NULL;
    *n = 0;
    if (max > TD_VIEW_SUMMARY_MAX)
        max = TD_VIEW_SUMMARY_MAX;
    memset(&c, 0, sizeof c);
    td__map_init(&c.term_index);
    td__map_init(&group_size);
    if (!arts->n)
        return TD_OK;
    group_w = calloc(arts->n, sizeof *group_w);
    starts = malloc(TD_VIEW_SENT_PER_ART * sizeof *starts);
    ends = malloc(TD_VIEW_SENT_PER_ART * sizeof *ends);
    if (!group_w || !starts || !ends)
        goto done;
    /* Each copy group weighs one in the story vector: its articles share. */
    for (i = 0; i < arts->n; i++) {
        const td_article_row *r = &arts->rows[i];
        uint64_t *v;
        if (!r->lang || strcmp(r->lang, lang) != 0)
            continue;
        if (!(v = td__map_put(&group_size, (uint64_t)r->copy_group, NULL)))
            goto done;
        (*v)++;
    }
    for (i = 0; i < arts->n; i++) {
        const td_article_row *r = &arts->rows[i];
        uint64_t *v;
        if (!r->lang || strcmp(r->lang, lang) != 0)
            continue;
        v = td__map_get(&group_size, (uint64_t)r->copy_group);
        group_w[i] = 1.0f / (float)(v && *v ? *v : 1);
    }
    for (i = 0; i < arts->n && c.n_sents < TD_VIEW_SENT_MAX; i++) {
        const td_article_row *r = &arts->rows[i];
        size_t ns;
        if (!r->text || !r->lang || strcmp(r->lang, lang) != 0)
            continue;
        ns = split_sentences(r->text, strlen(r->text), starts, ends,
                             TD_VIEW_SENT_PER_ART);
        for (j = 0; j < ns && c.n_sents < TD_VIEW_SENT_MAX; j++)
            if ((rc = add_sentence(&c, r, (uint32_t)i, (uint32_t)j,
                                   starts[j], ends[j], group_w)) != TD_OK)
                goto done;
    }
    rc = TD_ENOMEM;
    if (c.n_sents && !(order = malloc(c.n_sents * sizeof *order)))
        goto done;
    n_picks = choose(&c, arts, origin, order, picks, max);
    if (n_picks && !(*out = calloc(n_picks, sizeof **out)))
        goto done;
    for (i = 0; i < n_picks; i++) {
        const td_article_row *r = &arts->rows[picks[i]->art];
        (*out)[i].text = collapse_copy(r->text + picks[i]->start,
                                       picks[i]->end - picks[i]->start);
        (*out)[i].article_id = td__strdup(r->id ? r->id : "");
        *n = i + 1;
        if (!(*out)[i].text || !(*out)[i].article_id) {
            td__view_sentences_free(*out, *n);
            *out = NULL;
            *n = 0;
            goto done;
        }
    }
    rc = TD_OK;
done:
    free(order);
    free(group_w);
    free(starts);
    free(ends);
    free(c.sents);
    free(c.refs);
    free(c.terms);
    free(c.words);
    td__map_free(&c.term_index);
    td__map_free(&group_size);
    return rc;
}
