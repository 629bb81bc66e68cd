/*
** cluster.c: streaming single-pass story clustering (see cluster.h).
**
** Method (docs/internals/clustering.md has the why):
**   vector   w(t) = (1 + ln tf') * idf(t) * boost(kind), L2-normalised, where
**            tf' = count + TITLE_BOOST * title_count and
**            idf(t) = ln((N + 1) / df(t)), df and N updated online first.
**   story    centroid = sum of its articles' vectors, pruned to the
**            CENTROID_TERMS heaviest terms; similarity = cos(article, centroid).
**   time     when both are dated, the gap to the story's date range beyond
**            TIME_GRACE is discounted by exp(-gap / TIME_TAU).
**   conflict when the numbers in the article's first LEAD_TOKENS tokens
**            are all absent from the story, its cosine is multiplied by
**            NUMBER_CONFLICT.
**   choose   candidates = stories sharing one of the article's QUERY_TERMS
**            heaviest terms (inverted index), the MAX_CANDIDATES sharing most
**            are scored in full; best score >= THRESHOLD joins, else new story.
**   forget   a dated article skips stories dated more than WINDOW away;
**            stories idle for MAX_IDLE articles leave memory.
*/
#include "cluster.h"
#include "vector.h"
#include "anchors.h"
#include "util/map.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Parameters: one configuration for every input. */
#ifdef TD_TUNING
#include <stdio.h>
static double tune(const char *name, double def)
{
    const char *v = getenv(name);
    return v ? atof(v) : def;
}
#define TITLE_BOOST     tune("TD_TITLE_BOOST", 2.0)
#define ENTITY_BOOST    tune("TD_ENTITY_BOOST", 2.5)
#define NUMBER_BOOST    tune("TD_NUMBER_BOOST", 2.0)
#define THRESHOLD       tune("TD_THRESHOLD", 0.25)
#define TIME_GRACE      (tune("TD_GRACE", 1.0) * 86400.0)
#define TIME_TAU        (tune("TD_TAU", 30.0) * 86400.0)
#define CROSS_LANG      tune("TD_CROSS", 1.0)
#define PREFIX_BOOST    tune("TD_PREFIX_BOOST", 1.0)
#define PIVOT_BOOST     tune("TD_PIVOT_BOOST", 0.6)
#define IDF_PRIOR       tune("TD_PRIOR", 50)
#define WINDOW          (int64_t)(tune("TD_WINDOW", 30) * 86400)
#define LEAD_TOKENS     (uint32_t)tune("TD_LEAD_TOKENS", 40)
#define NUMBER_CONFLICT tune("TD_NUMBER_CONFLICT", 0.7)
#else
#define WINDOW          (int64_t)(30 * 86400)
#define IDF_PRIOR       50
#define TITLE_BOOST     2.0
#define ENTITY_BOOST    2.5
#define NUMBER_BOOST    2.0
#define THRESHOLD       0.25
#define TIME_GRACE      (1.0 * 86400.0)
#define TIME_TAU        (30.0 * 86400.0)
#define CROSS_LANG      1.00   /* weight of the entity channel across languages */
#define PREFIX_BOOST    1.0
#define PIVOT_BOOST     0.6
#define LEAD_TOKENS     40     /* the lead: title and first sentence or two */
#define NUMBER_CONFLICT 0.7    /* lead numbers all absent from the story */
#endif
#define LEAD_NUMBERS    16     /* lead numbers kept per article */
#define CENTROID_TERMS  256
#define PRUNE_SLACK     128
#define QUERY_TERMS     24
#define MAX_CANDIDATES  32
#define QUERY_MAX_SHARE 0.01
#define QUERY_MIN_DF    100
#define QUERY_MAX_DF    1000
#define MAX_IDLE        50000
#define COMPACT_EVERY   65536
#define STORY_LANGS     8
#define ANCHOR_MEMBERS  4      /* latest articles whose anchors a story keeps */
#ifdef TD_TUNING
#define ANCHOR_MIN      tune("TD_ANCHOR_MIN", 3)
#define ANCHOR_MATCH    tune("TD_ANCHOR_MATCH", 0.4)
#define TRANSLATION     tune("TD_TRANSLATION", 0.4)
#define ANCHOR_MIX      tune("TD_MIX", 0.9)
#else
#define ANCHOR_MIN      3      /* less anchor weight says too little */
#define ANCHOR_MATCH    0.4    /* ordered share that joins a story */
#define TRANSLATION     0.4    /* ordered share that makes a translation */
#define ANCHOR_MIX      0.9    /* weight of the names + anchors mean */
#endif

/* A df map value: the count in the low 32 bits, a changed-since-flush mark. */
#define DF_COUNT        UINT64_C(0xffffffff)
#define DF_DIRTY        (UINT64_C(1) << 63)

typedef struct story {
    int64_t id;
    uint32_t n_articles;
    int64_t first_date;
    int64_t last_date;
    int64_t last_seq;     /* n_docs when it last took an article */
    uint32_t prunes;      /* times pruning dropped terms (to EPOCH_MAX) */
    td_wterm *c;          /* centroid (sum), sorted by key */
    size_t n, cap;
    double norm;          /* |c| */
    double norm_named;    /* |c| over names, prefixes, numbers, pivots */
    double norm_names;    /* the same without pivots */
    uint32_t langs[STORY_LANGS]; /* languages seen, packed codes, 0 = none */
    /* Anchors of its latest articles with ANCHOR_MIN or more (a ring). */
    struct {
        int64_t seq;      /* the article's place in the stream (n_docs) */
        uint32_t lang;
        uint32_t n;
        uint32_t a[TD_MAX_ANCHORS];
        unsigned names, numbers; /* their weights (td__anchor_weights) */
    } member[ANCHOR_MEMBERS];
    uint32_t n_members, next_member;
    int dirty;
} story;

/* A posting: the story id above EPOCH_BITS bits of the story's prune count
** when the term was indexed. Terms leave a centroid only when it is pruned,
** so while the count is unchanged the story still holds the term and the
** lookup need not search its centroid. A count that reached EPOCH_MAX is
** never trusted. */
#define EPOCH_BITS      24
#define EPOCH_MAX       ((UINT32_C(1) << EPOCH_BITS) - 1)
#define STORY_ID_MAX    ((INT64_C(1) << (64 - EPOCH_BITS)) - 1)

typedef struct posting {
    uint64_t *ids;
    uint32_t n, cap;
} posting;

struct td_cluster {
    td_map df;            /* term key -> document frequency, DF_DIRTY set
                          ** when it changed since the last flush */
    uint64_t *dirty;      /* keys with DF_DIRTY set, in the order marked */
    size_t n_dirty, cap_dirty;
    uint32_t *term_df;    /* df of the last article's terms, by term index */
    size_t cap_term_df;
    td_map stories;       /* story id -> story* */
    td_map index;         /* term key -> posting index + 1 */
    posting *postings;
    size_t n_postings, cap_postings;
    td_cluster_counters k;
    int64_t since_compact;
    td_wterm *vec;        /* last article's vector */
    size_t vec_n, vec_cap;
    td_wterm *scratch;
    size_t scratch_cap;
    td_map cand;          /* story id -> shared query terms, per article */
    td_probe probe;       /* the last article's vector, indexed */
    size_t n_lead_numbers; /* last article's numbers met in its first
                          ** LEAD_TOKENS tokens (at most LEAD_NUMBERS) */
    uint8_t *vec_lead;    /* 1 for those in vec, by index */
    size_t cap_vec_lead;
};

td_cluster *td__cluster_new(void)
{
    td_cluster *cl = calloc(1, sizeof *cl);
    if (!cl)
        return NULL;
    td__map_init(&cl->df);
    td__map_init(&cl->stories);
    td__map_init(&cl->index);
    td__map_init(&cl->cand);
    cl->k.next_story = 1;
    return cl;
}

static void story_free(story *s)
{
    if (s) {
        free(s->c);
        free(s);
    }
}

void td__cluster_free(td_cluster *cl)
{
    size_t i = 0;
    uint64_t key, val;
    if (!cl)
        return;
    while (td__map_next(&cl->stories, &i, &key, &val))
        story_free((story *)(uintptr_t)val);
    for (i = 0; i < cl->n_postings; i++)
        free(cl->postings[i].ids);
    free(cl->postings);
    td__map_free(&cl->df);
    free(cl->dirty);
    free(cl->term_df);
    td__map_free(&cl->stories);
    td__map_free(&cl->index);
    td__map_free(&cl->cand);
    free(cl->vec);
    free(cl->scratch);
    free(cl->vec_lead);
    td__probe_free(&cl->probe);
    free(cl);
}

void td__cluster_get_counters(const td_cluster *cl, td_cluster_counters *c)
{
    *c = cl->k;
}

void td__cluster_set_counters(td_cluster *cl, const td_cluster_counters *c)
{
    cl->k = *c;
}

size_t td__cluster_active(const td_cluster *cl)
{
    return cl->stories.n;
}

/* A story that can no longer take articles: idle for MAX_IDLE articles.
** The rule depends only on the stream (counters), so a store reopened
** mid-stream decides the same, and memory stays bounded. */
static int story_stale(const td_cluster *cl, const story *s)
{
    return cl->k.n_docs - s->last_seq > MAX_IDLE;
}

/* A dated article does not join a story dated more than WINDOW away; an
** undated one may join any live story. */
static int out_of_window(const story *s, int64_t date)
{
    if (date == TD_NO_DATE || s->first_date == TD_NO_DATE)
        return 0;
    return date - s->last_date > WINDOW || s->first_date - date > WINDOW;
}

static story *story_get(const td_cluster *cl, int64_t id)
{
    uint64_t *v = td__map_get(&cl->stories, (uint64_t)id);
    return v ? (story *)(uintptr_t)*v : NULL;
}

static uint32_t pack_lang(const char *lang)
{
    uint32_t code = 0;
    size_t i;
    for (i = 0; i < 4 && lang[i]; i++)
        code |= (uint32_t)(unsigned char)lang[i] << (8 * i);
    return code;
}

static int story_has_lang(const story *s, uint32_t lang)
{
    int i;
    for (i = 0; i < STORY_LANGS && s->langs[i]; i++)
        if (s->langs[i] == lang)
            return 1;
    return 0;
}

static void story_add_lang(story *s, uint32_t lang)
{
    int i;
    for (i = 0; i < STORY_LANGS; i++) {
        if (s->langs[i] == lang)
            return;
        if (!s->langs[i]) {
            s->langs[i] = lang;
            return;
        }
    }
}

static td_status grow_terms(td_wterm **v, size_t *cap, size_t need)
{
    return td__grow((void **)v, cap, need, sizeof **v);
}

static td_status index_add(td_cluster *cl, uint64_t term, const story *s)
{
    int added;
    uint64_t *slot = td__map_put(&cl->index, term, &added);
    posting *p;
    if (!slot)
        return TD_ENOMEM;
    if (added) {
        if (cl->n_postings == cl->cap_postings) {
            size_t c = cl->cap_postings ? cl->cap_postings * 2 : 1024;
            posting *np = realloc(cl->postings, c * sizeof *np);
            if (!np) {
                td__map_del(&cl->index, term);
                return TD_ENOMEM;
            }
            cl->postings = np;
            cl->cap_postings = c;
        }
        memset(&cl->postings[cl->n_postings], 0, sizeof(posting));
        *slot = ++cl->n_postings;
    }
    p = &cl->postings[*slot - 1];
    if (p->n == p->cap) {
        uint32_t c = p->cap ? p->cap * 2 : 4;
        uint64_t *ids = realloc(p->ids, c * sizeof *ids);
        if (!ids)
            return TD_ENOMEM;
        p->ids = ids;
        p->cap = c;
    }
    p->ids[p->n++] = (uint64_t)s->id << EPOCH_BITS | s->prunes;
    return TD_OK;
}

/* The story a posting names, when it is in memory. */
static story *posting_story(const td_cluster *cl, uint64_t e)
{
    return story_get(cl, (int64_t)(e >> EPOCH_BITS));
}

/* 1 when story s, named by posting e of term, still holds the term. */
static int posting_holds(const story *s, uint64_t e, uint64_t term)
{
    if ((e & EPOCH_MAX) == s->prunes && s->prunes != EPOCH_MAX)
        return 1;
    return td__vec_has_key(s->c, s->n, term);
}

/* Drops postings of stories that left memory or no longer hold the term.
** Results do not change (counting skips such postings anyway); memory does. */
static void index_compact(td_cluster *cl)
{
    size_t i = 0;
    uint64_t term, slot;
    while (td__map_next(&cl->index, &i, &term, &slot)) {
        posting *p = &cl->postings[slot - 1];
        uint32_t r, w = 0;
        for (r = 0; r < p->n; r++) {
            story *s = posting_story(cl, p->ids[r]);
            if (s && posting_holds(s, p->ids[r], term))
                p->ids[w++] = p->ids[r];
        }
        p->n = w;
    }
    cl->since_compact = 0;
}

/* Adds v into the story's centroid, prunes it, indexes new terms. */
static td_status story_absorb(td_cluster *cl, story *s, const td_wterm *v,
                              size_t n)
{
    size_t i = 0, j = 0, o = 0, k;
    td_status rc = grow_terms(&cl->scratch, &cl->scratch_cap, s->n + n);
    if (rc != TD_OK)
        return rc;
    while (i < s->n || j < n) {
        if (j >= n || (i < s->n && s->c[i].key < v[j].key)) {
            cl->scratch[o++] = s->c[i++];
        } else if (i >= s->n || v[j].key < s->c[i].key) {
            cl->scratch[o++] = v[j++];
        } else {
            cl->scratch[o] = s->c[i++];
            cl->scratch[o++].w += v[j++].w;
        }
    }
    /* Pruning with slack: the cost is paid once per PRUNE_SLACK growth. */
    if (o > CENTROID_TERMS + PRUNE_SLACK) {
        o = td__wterm_top(cl->scratch, o, CENTROID_TERMS, cl->scratch);
        if (s->prunes < EPOCH_MAX)
            s->prunes++;
    }
    rc = grow_terms(&s->c, &s->cap, o);
    if (rc != TD_OK)
        return rc;
    /* Index the terms that are new to the centroid. */
    for (k = 0, i = 0; k < o; k++) {
        while (i < s->n && s->c[i].key < cl->scratch[k].key)
            i++;
        if (i >= s->n || s->c[i].key != cl->scratch[k].key) {
            rc = index_add(cl, cl->scratch[k].key, s);
            if (rc != TD_OK)
                return rc;
        }
    }
    if (o > 0)   /* an article and story with no terms leave both NULL */
        memcpy(s->c, cl->scratch, o * sizeof *s->c);
    s->n = o;
    s->norm = td__vec_norm(s->c, s->n);
    s->norm_named = td__vec_norm_named(s->c, s->n, 1);
    s->norm_names = td__vec_norm_named(s->c, s->n, 0);
    return TD_OK;
}

/* The article's vector from its analysis and the current frequencies. */
static td_status make_vector(td_cluster *cl, const td_analysis *an)
{
    size_t i, n = 0;
    double N = (double)cl->k.n_docs, norm;
    td_status rc = grow_terms(&cl->vec, &cl->vec_cap, an->n_terms + 1);
    if (rc != TD_OK ||
        (rc = td__grow((void **)&cl->vec_lead, &cl->cap_vec_lead,
                       an->n_terms + 1, 1)) != TD_OK)
        return rc;
    cl->n_lead_numbers = 0;
    for (i = 0; i < an->n_terms; i++) {
        const td_term *t = &an->terms[i];
        uint32_t df = cl->term_df[i];
        double tf = t->count + TITLE_BOOST * t->title_count;
        double idf = log((N + 1.0 + IDF_PRIOR) / (double)(df ? df : 1));
        double boost = t->kind == TD_TERM_ENTITY   ? ENTITY_BOOST
                       : t->kind == TD_TERM_NUMBER ? NUMBER_BOOST
                       : t->kind == TD_TERM_PREFIX ? PREFIX_BOOST
                       : t->kind == TD_TERM_PIVOT  ? PIVOT_BOOST
                                                   : 1.0;
        double w = (1.0 + log(tf > 1 ? tf : 1)) * idf * boost;
        if (w <= 0)
            continue;
        cl->vec_lead[n] = 0;
        if (t->kind == TD_TERM_NUMBER && t->first_pos < LEAD_TOKENS &&
            cl->n_lead_numbers < LEAD_NUMBERS) {
            cl->n_lead_numbers++;
            cl->vec_lead[n] = 1;
        }
        cl->vec[n].key = t->key;
        cl->vec[n].w = (float)w;
        cl->vec[n].kind = t->kind;
        cl->term_df[n] = df;  /* n <= i: now indexed like the vector */
        n++;
    }
    /* Analysis terms come sorted by key, so the vector is too. */
    norm = td__vec_norm(cl->vec, n);
    for (i = 0; i < n && norm > 0; i++)
        cl->vec[i].w = (float)(cl->vec[i].w / norm);
    cl->vec_n = n;
    return TD_OK;
}

/* Counts the article's terms into the document frequencies (one lookup per
** term) and keeps each term's new df in term_df for make_vector. */
static td_status count_df(td_cluster *cl, const td_analysis *an)
{
    size_t i;
    if (an->n_terms > cl->cap_term_df) {
        uint32_t *p = realloc(cl->term_df, an->n_terms * sizeof *p);
        if (!p)
            return TD_ENOMEM;
        cl->term_df = p;
        cl->cap_term_df = an->n_terms;
    }
    for (i = 0; i < an->n_terms; i++) {
        uint64_t *df = td__map_put(&cl->df, an->terms[i].key, NULL);
        if (!df)
            return TD_ENOMEM;
        if (!(*df & DF_DIRTY)) {
            if (td__grow((void **)&cl->dirty, &cl->cap_dirty, cl->n_dirty + 1,
                         sizeof *cl->dirty) != TD_OK)
                return TD_ENOMEM;
            cl->dirty[cl->n_dirty++] = an->terms[i].key;
            *df |= DF_DIRTY;
        }
        (*df)++;
        cl->term_df[i] = (uint32_t)(*df & DF_COUNT);
    }
    cl->k.n_docs++;
    return TD_OK;
}

static double time_factor(const story *s, int64_t date)
{
    double gap = 0;
    if (date == TD_NO_DATE || s->first_date == TD_NO_DATE)
        return 1.0;
    if (date < s->first_date)
        gap = (double)(s->first_date - date);
    else if (date > s->last_date)
        gap = (double)(date - s->last_date);
    if (gap <= TIME_GRACE)
        return 1.0;
    return exp(-(gap - TIME_GRACE) / TIME_TAU);
}

typedef struct cand {
    int64_t id;
    uint32_t shared;
} cand;

static int cand_order(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->shared != y->shared)
        return x->shared > y->shared ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The best anchor share of the article (its anchor weights names and
** numbers) with an article of the story in another language; 0 when it
** has too little anchor weight. Members all have enough. */
static double anchor_match(const story *s, const td_analysis *an,
                           unsigned names, unsigned numbers, uint32_t lang,
                           int64_t *seq)
{
    double best = 0;
    uint32_t m;
    *seq = 0;
    if (names + numbers < 2 * ANCHOR_MIN)
        return 0;
    for (m = 0; m < s->n_members; m++) {
        double r;
        if (s->member[m].lang == lang)
            continue;
        r = td__anchor_share(an->anchors, an->n_anchors, names, numbers,
                             s->member[m].a, s->member[m].n,
                             s->member[m].names, s->member[m].numbers);
        if (r > best) {
            best = r;
            *seq = s->member[m].seq;
        }
    }
    return best;
}

static void story_add_member(story *s, const td_analysis *an, uint32_t lang,
                             int64_t seq)
{
    uint32_t slot;
    unsigned names, numbers;
    td__anchor_weights(an->anchors, an->n_anchors, &names, &numbers);
    if (names + numbers < 2 * ANCHOR_MIN)
        return;
    slot = s->next_member;
    s->next_member = (slot + 1) % ANCHOR_MEMBERS;
    if (s->n_members < ANCHOR_MEMBERS)
        s->n_members++;
    s->member[slot].seq = seq;
    s->member[slot].lang = lang;
    s->member[slot].n = an->n_anchors;
    s->member[slot].names = names;
    s->member[slot].numbers = numbers;
    memcpy(s->member[slot].a, an->anchors, an->n_anchors * sizeof an->anchors[0]);
}

td_status td__cluster_add(td_cluster *cl, const td_analysis *an, int64_t date,
                          td_cluster_result *out)
{
    td_status rc;
    size_t i, n_query, n_cand = 0;
    td_wterm *query;
    cand cands[MAX_CANDIDATES];
    uint64_t key, val;
    story *best = NULL;
    double best_score = 0, best_share = 0, share, vec_named, vec_names;
    double named_best;
    int64_t best_of = 0, of = 0;
    uint32_t lang;
    unsigned anchor_names, anchor_numbers;

    memset(out, 0, sizeof *out);
    if ((rc = count_df(cl, an)) != TD_OK || (rc = make_vector(cl, an)) != TD_OK)
        return rc;

    /* The heaviest terms query the index. */
    if ((rc = grow_terms(&cl->scratch, &cl->scratch_cap, cl->vec_n)) != TD_OK)
        return rc;
    query = cl->scratch;
    /* Terms in more than QUERY_MAX_SHARE of all articles, or in more than
    ** QUERY_MAX_DF, would list too many stories to be worth it (and the work
    ** would grow with the store); they still count in the score. */
    for (i = 0, n_query = 0; i < cl->vec_n; i++) {
        uint32_t df = cl->term_df[i];
        if ((double)df > QUERY_MIN_DF &&
            ((double)df > QUERY_MAX_SHARE * (double)cl->k.n_docs ||
             df > QUERY_MAX_DF))
            continue;
        query[n_query++] = cl->vec[i];
    }
    n_query = td__wterm_top(query, n_query, QUERY_TERMS, query);

    td__map_clear(&cl->cand);
    for (i = 0; i < n_query; i++) {
        uint64_t *slot = td__map_get(&cl->index, query[i].key);
        posting *p;
        uint32_t r;
        if (!slot)
            continue;
        p = &cl->postings[*slot - 1];
        for (r = 0; r < p->n; r++) {
            story *s = posting_story(cl, p->ids[r]);
            uint64_t *count;
            int added;
            if (!s || story_stale(cl, s) || out_of_window(s, date) ||
                !posting_holds(s, p->ids[r], query[i].key))
                continue;
            count = td__map_put(&cl->cand, (uint64_t)s->id, &added);
            if (!count)
                return TD_ENOMEM;
            /* A story can sit twice in one posting list (term dropped by
            ** pruning, then back); count it once per term. */
            if (added || (*count >> 32) != i + 1)
                *count = ((uint64_t)(i + 1) << 32) | ((*count & 0xffffffffu) + 1);
        }
    }
    /* The MAX_CANDIDATES first in cand_order, kept sorted by insertion:
    ** the same stories a full sort would give, without sorting the
    ** thousands that a common query term can list. */
    for (i = 0; td__map_next(&cl->cand, &i, &key, &val);) {
        cand c;
        size_t at;
        c.id = (int64_t)key;
        c.shared = (uint32_t)(val & 0xffffffffu);
        if (n_cand == MAX_CANDIDATES &&
            cand_order(&c, &cands[n_cand - 1]) >= 0)
            continue;
        if (n_cand < MAX_CANDIDATES)
            n_cand++;
        for (at = n_cand - 1; at > 0 && cand_order(&c, &cands[at - 1]) < 0;
             at--)
            cands[at] = cands[at - 1];
        cands[at] = c;
    }
    lang = pack_lang(an->lang);
    td__anchor_weights(an->anchors, an->n_anchors, &anchor_names,
                       &anchor_numbers);
    vec_named = td__vec_norm_named(cl->vec, cl->vec_n, 1);
    vec_names = td__vec_norm_named(cl->vec, cl->vec_n, 0);
    if (n_cand &&
        (rc = td__probe_build(&cl->probe, cl->vec, cl->vec_lead,
                              cl->vec_n)) != TD_OK)
        return rc;
    for (i = 0; i < n_cand; i++) {
        story *s = story_get(cl, cands[i].id);
        td_dots dots;
        double score;
        if (!s || s->norm <= 0)
            continue;
        td__probe_dots(&cl->probe, s->c, s->n, &dots);
        score = dots.all / s->norm;
        /* When the article's lead names numbers (a date, an age, a
        ** toll, a score) and the story holds none of them: the specifics
        ** an article puts first are its event's, so another event of the
        ** same kind shows here first (two earthquakes share their words,
        ** not their magnitude). The lead numbers are marked in the probe. */
        if (cl->n_lead_numbers && !dots.marked)
            score *= NUMBER_CONFLICT;
        /* Across languages stems cannot meet: names and numbers decide,
        ** with or without the dictionary translations, whichever says
        ** more (translations are thin for some languages and absent for
        ** others, and then only dilute the names). */
        named_best = 0;
        if (!story_has_lang(s, lang)) {
            double named = 0, names = 0;
            if (vec_named > 0 && s->norm_named > 0)
                named = dots.named / (vec_named * s->norm_named);
            if (vec_names > 0 && s->norm_names > 0)
                names = dots.names / (vec_names * s->norm_names);
            if (names > named)
                named = names;
            if (CROSS_LANG * named > score)
                score = CROSS_LANG * named;
            named_best = named;
        }
        /* A translation: most of the names and numbers in the same order. */
        share = 0;
        if (s->n_members) {
            double r = anchor_match(s, an, anchor_names, anchor_numbers,
                                    lang, &of);
            share = r >= TRANSLATION ? r : 0;
#ifdef TD_TUNING
            if (getenv("TD_DEBUG"))
                fprintf(stderr, "  story %lld anchors %.3f (article has %u) "
                        "names %.3f cos %.3f\n", (long long)s->id, r,
                        an->n_anchors, named_best,
                        dots.all / s->norm);
#endif
            if (r >= ANCHOR_MATCH && r > score)
                score = r;
            /* Names shared and in much the same order, neither enough
            ** alone (a rewritten translation, or a translation of a
            ** translation): the two channels' mean, slightly discounted. */
            if (named_best > 0 && ANCHOR_MIX * (named_best + r) / 2 > score)
                score = ANCHOR_MIX * (named_best + r) / 2;
        }
        score *= time_factor(s, date);
#ifdef TD_TUNING
        if (getenv("TD_DEBUG"))
            fprintf(stderr, "  cand %lld score %.4f conflict %d n %u\n",
                    (long long)s->id, score,
                    cl->n_lead_numbers && !dots.marked,
                    s->n_articles);
#endif
        if (score > best_score ||
            (score == best_score && best && s->id < best->id)) {
            best_score = score;
            best = s;
            best_share = share;
            best_of = of;
        }
    }
    out->n_candidates = (uint32_t)n_cand;

#ifdef TD_TUNING
    if (getenv("TD_DEBUG"))
        fprintf(stderr, "doc %lld best %lld score %.9f cands %zu\n",
                (long long)cl->k.n_docs, best ? (long long)best->id : -1LL,
                best_score, n_cand);
#endif
    if (best && best_score >= THRESHOLD && best_share > 0) {
        out->translation_of = best_of;
        out->translation_share = best_share;
    }
    if (!best || best_score < THRESHOLD) {
        int added;
        uint64_t *slot;
        if (cl->k.next_story > STORY_ID_MAX)   /* 2^40 stories: not reached */
            return TD_EINVAL;
        best = calloc(1, sizeof *best);
        if (!best)
            return TD_ENOMEM;
        best->id = cl->k.next_story++;
        best->first_date = best->last_date = TD_NO_DATE;
        slot = td__map_put(&cl->stories, (uint64_t)best->id, &added);
        if (!slot) {
            free(best);
            return TD_ENOMEM;
        }
        *slot = (uint64_t)(uintptr_t)best;
        out->is_new = 1;
        best_score = 0;
    }
    if ((rc = story_absorb(cl, best, cl->vec, cl->vec_n)) != TD_OK)
        return rc;
    best->n_articles++;
    best->last_seq = cl->k.n_docs;
    story_add_lang(best, lang);
    story_add_member(best, an, lang, (int64_t)cl->k.n_docs);
    if (date != TD_NO_DATE) {
        if (best->first_date == TD_NO_DATE || date < best->first_date)
            best->first_date = date;
        if (best->last_date == TD_NO_DATE || date > best->last_date)
            best->last_date = date;
    }
    best->dirty = 1;
    out->story = best->id;
    out->score = best_score;
    if (++cl->since_compact >= COMPACT_EVERY)
        index_compact(cl);
    return TD_OK;
}

const td_wterm *td__cluster_last_vector(const td_cluster *cl, size_t *n)
{
    *n = cl->vec_n;
    return cl->vec;
}

double td__cluster_similarity(const td_cluster *cl, int64_t id,
                              const td_wterm *v, size_t n)
{
    const story *s = story_get(cl, id);
    if (!s)
        return -1;
    return s->norm > 0 ? td__vec_dot(v, n, s->c, s->n) / s->norm : 0;
}

/* State blob: n_articles u32, first_date i64, last_date i64, last_seq i64,
** n u32, langs 8 x u32, then n x (key u64, w f32, kind u8), then (absent
** in stores written before anchors) n_members u8, next_member u8 and per
** member seq i64, lang u32, n u8, n x anchor u32; native order. */
#define BLOB_HEAD (4 + 8 + 8 + 8 + 4 + 4 * STORY_LANGS)
#define BLOB_TERM (8 + 4 + 1)
#define MEMBER_HEAD (8 + 4 + 1)

static td_status story_blob(const story *s, unsigned char **buf, size_t *cap,
                            size_t *len)
{
    size_t need = BLOB_HEAD + s->n * BLOB_TERM + 2, i;
    unsigned char *p;
    uint32_t n32 = (uint32_t)s->n, m;
    for (m = 0; m < s->n_members; m++)
        need += MEMBER_HEAD + 4 * (size_t)s->member[m].n;
    if (need > *cap) {
        p = realloc(*buf, need);
        if (!p)
            return TD_ENOMEM;
        *buf = p;
        *cap = need;
    }
    p = *buf;
    memcpy(p, &s->n_articles, 4);
    memcpy(p + 4, &s->first_date, 8);
    memcpy(p + 12, &s->last_date, 8);
    memcpy(p + 20, &s->last_seq, 8);
    memcpy(p + 28, &n32, 4);
    memcpy(p + 32, s->langs, sizeof s->langs);
    p += BLOB_HEAD;
    for (i = 0; i < s->n; i++, p += BLOB_TERM) {
        memcpy(p, &s->c[i].key, 8);
        memcpy(p + 8, &s->c[i].w, 4);
        p[12] = s->c[i].kind;
    }
    *p++ = (unsigned char)s->n_members;
    *p++ = (unsigned char)s->next_member;
    for (m = 0; m < s->n_members; m++) {
        memcpy(p, &s->member[m].seq, 8);
        memcpy(p + 8, &s->member[m].lang, 4);
        p[12] = (unsigned char)s->member[m].n;
        memcpy(p + MEMBER_HEAD, s->member[m].a, 4 * (size_t)s->member[m].n);
        p += MEMBER_HEAD + 4 * (size_t)s->member[m].n;
    }
    *len = need;
    return TD_OK;
}

td_status td__cluster_flush(td_cluster *cl, td_cluster_story_fn on_story,
                            td_cluster_df_fn on_df, void *ud)
{
    size_t i = 0;
    uint64_t key, val;
    unsigned char *buf = NULL;
    size_t cap = 0, len;
    td_status rc = TD_OK;
    int64_t *gone = NULL;
    size_t n_gone = 0;

    while (td__map_next(&cl->stories, &i, &key, &val)) {
        story *s = (story *)(uintptr_t)val;
        if (s->dirty) {
            if ((rc = story_blob(s, &buf, &cap, &len)) != TD_OK ||
                (rc = on_story(ud, s->id, buf, len)) != TD_OK)
                goto done;
            s->dirty = 0;
        }
    }
    for (i = 0; i < cl->n_dirty; i++) {
        uint64_t *df = td__map_get(&cl->df, cl->dirty[i]);
        if (!df)
            continue;
        if ((rc = on_df(ud, cl->dirty[i], (uint32_t)(*df & DF_COUNT))) != TD_OK)
            goto done;
        *df &= ~DF_DIRTY;
    }
    cl->n_dirty = 0;

    /* Forget stories that can take no more articles. */
    gone = malloc((cl->stories.n + 1) * sizeof *gone);
    if (!gone) {
        rc = TD_ENOMEM;
        goto done;
    }
    i = 0;
    while (td__map_next(&cl->stories, &i, &key, &val))
        if (story_stale(cl, (story *)(uintptr_t)val))
            gone[n_gone++] = (int64_t)key;
    /* Their postings stay until the next periodic compaction: lookups skip
    ** postings of stories not in memory, and compacting on every flush would
    ** cost a pass over the whole index per batch. */
    for (i = 0; i < n_gone; i++) {
        story_free(story_get(cl, gone[i]));
        td__map_del(&cl->stories, (uint64_t)gone[i]);
    }
done:
    free(gone);
    free(buf);
    return rc;
}

/* Reads the members part of a story blob (p[0..len), all of what follows
** the terms); TD_EPARSE unless it is exactly well formed. */
static td_status load_members(story *s, const unsigned char *p, size_t len)
{
    uint32_t m;
    if (len < 2 || p[0] > ANCHOR_MEMBERS || p[1] >= ANCHOR_MEMBERS)
        return TD_EPARSE;
    s->n_members = p[0];
    s->next_member = p[1];
    p += 2;
    len -= 2;
    for (m = 0; m < s->n_members; m++) {
        size_t n;
        if (len < MEMBER_HEAD)
            return TD_EPARSE;
        n = p[12];
        if (n < 1 || n > TD_MAX_ANCHORS || len < MEMBER_HEAD + 4 * n)
            return TD_EPARSE;
        memcpy(&s->member[m].seq, p, 8);
        memcpy(&s->member[m].lang, p + 8, 4);
        s->member[m].n = (uint32_t)n;
        memcpy(s->member[m].a, p + MEMBER_HEAD, 4 * n);
        td__anchor_weights(s->member[m].a, n, &s->member[m].names,
                           &s->member[m].numbers);
        p += MEMBER_HEAD + 4 * n;
        len -= MEMBER_HEAD + 4 * n;
    }
    return len == 0 ? TD_OK : TD_EPARSE;
}

td_status td__cluster_load_story(td_cluster *cl, int64_t id, const void *blob,
                                 size_t len)
{
    const unsigned char *p = blob;
    uint32_t n32, i;
    story *s;
    uint64_t *slot;
    td_status rc;
    int added;

    size_t end;

    if (len < BLOB_HEAD || id < 1 || id > STORY_ID_MAX)
        return TD_EPARSE;
    memcpy(&n32, p + 28, 4);
    end = BLOB_HEAD + (size_t)n32 * BLOB_TERM;
    if (n32 > CENTROID_TERMS + PRUNE_SLACK || len < end)
        return TD_EPARSE;
    s = calloc(1, sizeof *s);
    if (!s)
        return TD_ENOMEM;
    s->id = id;
    memcpy(&s->n_articles, p, 4);
    memcpy(&s->first_date, p + 4, 8);
    memcpy(&s->last_date, p + 12, 8);
    memcpy(&s->last_seq, p + 20, 8);
    memcpy(s->langs, p + 32, sizeof s->langs);
    /* A story last took an article between the first and the latest one;
    ** other values are corrupt and would overflow story_stale(). */
    if (s->last_seq < 0 || s->last_seq > cl->k.n_docs) {
        free(s);
        return TD_EPARSE;
    }
    if (story_stale(cl, s)) {
        free(s);
        return TD_OK;
    }
    if ((rc = grow_terms(&s->c, &s->cap, n32 ? n32 : 1)) != TD_OK) {
        story_free(s);
        return rc;
    }
    p += BLOB_HEAD;
    for (i = 0; i < n32; i++, p += BLOB_TERM) {
        memcpy(&s->c[i].key, p, 8);
        memcpy(&s->c[i].w, p + 8, 4);
        s->c[i].kind = p[12];
        if ((i && s->c[i].key <= s->c[i - 1].key) || p[12] > TD_TERM_PIVOT) {
            story_free(s);
            return TD_EPARSE;
        }
    }
    s->n = n32;
    if (len > end && (rc = load_members(s, p, len - end)) != TD_OK) {
        story_free(s);
        return rc;
    }
    s->norm = td__vec_norm(s->c, s->n);
    s->norm_named = td__vec_norm_named(s->c, s->n, 1);
    s->norm_names = td__vec_norm_named(s->c, s->n, 0);
    slot = td__map_put(&cl->stories, (uint64_t)id, &added);
    if (!slot) {
        story_free(s);
        return TD_ENOMEM;
    }
    if (!added) {
        /* Postings of the story it replaces name it too: never trust. */
        story_free((story *)(uintptr_t)*slot);
        s->prunes = EPOCH_MAX;
    }
    *slot = (uint64_t)(uintptr_t)s;
    for (i = 0; i < n32; i++)
        if ((rc = index_add(cl, s->c[i].key, s)) != TD_OK)
            return rc;
    return TD_OK;
}

td_status td__cluster_load_df(td_cluster *cl, uint64_t key, uint32_t n)
{
    uint64_t *df = td__map_put(&cl->df, key, NULL);
    if (!df)
        return TD_ENOMEM;
    *df = n;  /* loaded: not dirty */
    return TD_OK;
}
