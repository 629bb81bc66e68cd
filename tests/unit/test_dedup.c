/* test_dedup.c: near-duplicates: the MinHash estimator's error bound, the
** LSH index on realistic edits of hand-written articles (tests/fixtures/
** dedup/), the evidence passage, direction, copy groups. With
** TD_DEDUP_TABLE=1 in the environment it also prints the accuracy table of
** docs/internals/dedup.md. */
#include "check.h"
#include "dedup/dedup.h"
#include "dedup/dedup_int.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURES "tests/fixtures/dedup/"

static uint64_t rng_state = 12345;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t below(size_t n)
{
    return (size_t)(rnd() % n);
}

static char *slurp(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    return check_read_file(path);
}

/* Estimator ---------------------------------------------------------------- */

TEST(minhash_error_bound)
{
    static uint64_t a[4000], b[4000];
    int pair, outside = 0, n_pairs = 2000;
    double sum_err = 0;
    td_dedup_sig sa, sb;
    for (pair = 0; pair < n_pairs; pair++) {
        size_t na = 20 + below(2000), nb = 20 + below(2000), shared, i;
        double exact, est, tol;
        shared = below((na < nb ? na : nb) + 1);
        for (i = 0; i < shared; i++)
            a[i] = b[i] = rnd();
        for (i = shared; i < na; i++)
            a[i] = rnd();
        for (i = shared; i < nb; i++)
            b[i] = rnd();
        td__dedup_minhash(a, na, &sa);
        td__dedup_minhash(b, nb, &sb);
        exact = (double)shared / (double)(na + nb - shared);
        est = td__dedup_jaccard(&sa, &sb);
        /* 4 binomial standard errors (99.99 % two-sided) plus one slot. */
        tol = 4 * sqrt(exact * (1 - exact) / TD_DEDUP_HASHES) +
              1.0 / TD_DEDUP_HASHES;
        if (fabs(est - exact) > tol)
            outside++;
        sum_err += fabs(est - exact);
    }
    CHECK(outside <= 2);
    CHECK(sum_err / n_pairs < 0.05);
    /* The same set gives the same signature; disjoint sets about 0. */
    td__dedup_minhash(a, 500, &sa);
    td__dedup_minhash(a, 500, &sb);
    CHECK(td__dedup_jaccard(&sa, &sb) == 1.0);
    td__dedup_minhash(b + 1000, 500, &sb);
    CHECK(td__dedup_jaccard(&sa, &sb) < 0.05);
}

/* The distinct shingles MinHash is taken over: the same set and count as a
** sort, with repeats, a zero (the table's empty mark) and values built to
** fall in one table slot (past the probe budget the sort takes over). */
static int same_set(uint64_t *a, size_t na, uint64_t *b, size_t nb)
{
    na = td__sort_unique_u64(a, na);
    return na == nb && memcmp(a, b, na * sizeof *a) == 0;
}

TEST(distinct_shingles)
{
    enum { N = 5000 };
    static uint64_t a[N], b[N];
    size_t i, n, d, kind;
    for (kind = 0; kind < 3; kind++) {
        for (i = 0; i < N; i++) {
            if (kind == 0)
                a[i] = rnd() % 700;               /* many repeats, a zero */
            else if (kind == 1)
                a[i] = rnd();                     /* all distinct */
            else
                a[i] = (uint64_t)(i % 3000 + 1) << 32;   /* one slot */
        }
        memcpy(b, a, sizeof a);
        n = td__sort_unique_u64(b, N);
        d = td__dedup_distinct(a, N);
        CHECK(d == n);
        CHECK(same_set(a, d, b, n));
    }
    CHECK(kind == 3 && n == 3000);
    a[0] = 7;
    CHECK(td__dedup_distinct(a, 1) == 1 && a[0] == 7);
    CHECK(td__dedup_distinct(a, 0) == 0);
}

TEST(signature_of_text)
{
    td_dedup_sig s1, s2, s3;
    const char *t1 = "The river crested at 7.8 metres before dawn, officials said.";
    const char *t2 = "THE RIVER CRESTED AT 7.8 METRES — before dawn; officials said!";
    const char *t3 = "Правительство сообщило о наводнении в городе Кессингтон сегодня";
    const char *t4 = "ПРАВИТЕЛЬСТВО сообщило о НАВОДНЕНИИ в городе Кессингтон сегодня";
    CHECK(td__dedup_signature(t1, strlen(t1), &s1) == TD_OK);
    CHECK(td__dedup_signature(t2, strlen(t2), &s2) == TD_OK);
    CHECK(s1.n_shingles == 11 - TD_DEDUP_SHINGLE + 1);  /* "7.8": 2 words */
    CHECK(td__dedup_jaccard(&s1, &s2) == 1.0);
    CHECK(td__dedup_signature(t3, strlen(t3), &s1) == TD_OK);
    CHECK(td__dedup_signature(t4, strlen(t4), &s2) == TD_OK);
    CHECK(td__dedup_jaccard(&s1, &s2) == 1.0);
    CHECK(td__dedup_signature("", 0, &s3) == TD_OK);
    CHECK(s3.n_shingles == 0);
    CHECK(td__dedup_jaccard(&s1, &s3) == 0.0);
    CHECK(td__dedup_signature(" -- ... \xff\xfe", 9, &s3) == TD_OK);
    CHECK(s3.n_shingles == 0);
    CHECK(td__dedup_signature("two words", 9, &s3) == TD_OK);
    CHECK(s3.n_shingles == 1);
}

/* Edits ------------------------------------------------------------------- */

enum { ED_BOILER, ED_TITLE, ED_DROP, ED_REORDER, ED_WORDS, ED_TRUNC, ED_N };
static const char *const edit_name[ED_N] = {
    "boilerplate", "new title", "paragraph dropped", "paragraphs reordered",
    "words replaced", "truncated"};

static char *concat(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = malloc(la + lb + lc + 1);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    memcpy(s + la, b, lb);
    memcpy(s + la + lb, c, lc + 1);
    return s;
}

/* Paragraph i of text (lines), as [*start, *end). 0 when there is none. */
static int paragraph(const char *text, size_t i, size_t *start, size_t *end)
{
    const char *p = text, *nl;
    while (i--) {
        nl = strchr(p, '\n');
        if (!nl || !nl[1])
            return 0;
        p = nl + 1;
    }
    nl = strchr(p, '\n');
    *start = (size_t)(p - text);
    *end = nl ? (size_t)(nl - text) + 1 : strlen(text);
    return 1;
}

static char *edit(const char *base, int kind, unsigned variant)
{
    size_t len = strlen(base), s, e, s2, e2, i;
    char *out;
    switch (kind) {
    case ED_BOILER:
        return concat("Sign up for our morning briefing. Advertisement\n"
                      "Skip to main content | Home | News | Weather | Sport\n",
                      base,
                      "Share this article on Facebook, Twitter or by email.\n"
                      "Copyright 2024 The Valley Courier. All rights reserved. "
                      "Read more: the ten best walks in the county this autumn\n");
    case ED_TITLE:
        return concat(variant % 2 ? "Thousands flee their homes as the waters rise\n"
                                  : "EXCLUSIVE: what we know so far\n",
                      base, "");
    case ED_DROP:
        if (!paragraph(base, 1 + variant % 3, &s, &e))
            return td__strdup(base);
        out = malloc(len + 1);
        if (!out)
            return NULL;
        memcpy(out, base, s);
        memcpy(out + s, base + e, len - e + 1);
        return out;
    case ED_REORDER:
        if (!paragraph(base, 1, &s, &e) || !paragraph(base, 3, &s2, &e2))
            return td__strdup(base);
        out = malloc(len + 1);
        if (!out)
            return NULL;
        /* [0,s) + p3 + [e,s2) + p1 + [e2,len) */
        i = 0;
        memcpy(out + i, base, s), i += s;
        memcpy(out + i, base + s2, e2 - s2), i += e2 - s2;
        memcpy(out + i, base + e, s2 - e), i += s2 - e;
        memcpy(out + i, base + s, e - s), i += e - s;
        memcpy(out + i, base + e2, len - e2 + 1);
        return out;
    case ED_WORDS: {
        /* Every 25th word becomes "indeed" (a light rewrite). */
        td_buf b;
        size_t w = 0, k = 0;
        int in_word = 0;
        td__buf_init(&b, 1u << 20);
        for (i = 0; i < len; i++) {
            int alpha = (base[i] >= 'a' && base[i] <= 'z') ||
                        (base[i] >= 'A' && base[i] <= 'Z');
            if (alpha && !in_word)
                w++;
            in_word = alpha;
            if (alpha && w % 25 == 24) {
                if (!k++)
                    td__buf_append(&b, "indeed", 6);
                continue;
            }
            k = 0;
            td__buf_putc(&b, base[i]);
        }
        return td__buf_steal(&b);
    }
    case ED_TRUNC:
        /* The first 60 % (a cut for a shorter slot), ending at a space. */
        e = len * 6 / 10;
        while (e > 0 && base[e] != ' ')
            e--;
        return td__strndup(base, e);
    }
    return NULL;
}

static const char *const fixture[] = {"flood_wire.txt", "flood_local.txt",
                                      "flood_analysis.txt", "port_strike.txt"};

TEST(lsh_finds_edits_not_same_topic)
{
    char *wire = slurp(fixture[0]), *local = slurp(fixture[1]),
         *analysis = slurp(fixture[2]);
    td_dedup_index *ix = td__dedup_index_new();
    td_dedup_sig sig;
    td_dedup_match m[8];
    size_t n;
    uint32_t id, first;
    int k;
    CHECK(wire && local && analysis && ix);
    if (!wire || !local || !analysis || !ix)
        goto done;
    td__dedup_signature(wire, strlen(wire), &sig);
    CHECK(td__dedup_index_add(ix, &sig, &first, m, 8, &n) == TD_OK);
    CHECK(first == 0 && n == 0);
    /* Same topic, other writers: no match. */
    td__dedup_signature(local, strlen(local), &sig);
    CHECK(td__dedup_index_add(ix, &sig, &id, m, 8, &n) == TD_OK && n == 0);
    td__dedup_signature(analysis, strlen(analysis), &sig);
    CHECK(td__dedup_index_add(ix, &sig, &id, m, 8, &n) == TD_OK && n == 0);
    /* Each edit of the wire text: found, and nothing else is. */
    for (k = 0; k < ED_N; k++) {
        char *v = edit(wire, k, 0);
        CHECK(v != NULL);
        if (!v)
            continue;
        td__dedup_signature(v, strlen(v), &sig);
        CHECK(td__dedup_index_query(ix, &sig, m, 8, &n) == TD_OK);
        if (n < 1 || m[0].doc != 0) {
            fprintf(stderr, "  edit '%s' not found\n", edit_name[k]);
            CHECK(0);
        }
        CHECK(n <= 1);
        if (k == ED_TRUNC && n == 1) {
            CHECK(m[0].contain_new > 0.8);
            CHECK(m[0].contain_old < 0.8);
        }
        free(v);
    }
    CHECK(td__dedup_index_count(ix) == 3);
done:
    td__dedup_index_free(ix);
    free(wire);
    free(local);
    free(analysis);
}

TEST(index_growth_and_caps)
{
    /* 20,000 random documents, every tenth a copy of an earlier one: each
    ** copy finds its original; bucket caps hold with 100 identical texts. */
    static uint64_t sh[300];
    td_dedup_index *ix = td__dedup_index_new();
    td_dedup_sig sig, sigs[64];
    td_dedup_match m[40];
    size_t n, i, j, missed = 0, spurious = 0;
    uint32_t id;
    CHECK(ix != NULL);
    if (!ix)
        return;
    for (i = 0; i < 20000; i++) {
        if (i % 10 == 9) {
            sig = sigs[(i / 10) % 64];
        } else {
            for (j = 0; j < 300; j++)
                sh[j] = rnd();
            td__dedup_minhash(sh, 300, &sig);
            if (i % 10 == 0)
                sigs[(i / 10) % 64] = sig;
        }
        CHECK(td__dedup_index_add(ix, &sig, &id, m, 40, &n) == TD_OK);
        CHECK(id == i);
        if (i % 10 == 9 && i > 640)
            missed += n == 0 || m[0].jaccard != 1.0f;
        if (i % 10 != 9)
            spurious += n > 0 && i > 640 && i % 10 != 0;
    }
    CHECK(missed == 0);
    CHECK(spurious == 0);
    for (i = 0; i < 100; i++)
        CHECK(td__dedup_index_add(ix, &sigs[0], &id, m, 40, &n) == TD_OK);
    CHECK(n == TD_DEDUP_BUCKET_CAP);           /* oldest dropped */
    CHECK(td__dedup_index_bytes(ix) / td__dedup_index_count(ix) < 300);
    td__dedup_index_free(ix);
    td__dedup_index_free(NULL);
}

TEST(passage)
{
    const char *a = "Intro words here. The river crested at 7.8 metres shortly "
                    "before dawn, nearly a metre above the record. End.";
    const char *b = "Other text. the RIVER crested at 7.8 metres shortly before "
                    "dawn, nearly a metre above the old mark.";
    td_passage p;
    CHECK(td__dedup_passage(a, strlen(a), b, strlen(b), &p) == TD_OK);
    CHECK(p.n_words == 15);
    CHECK(p.b_end - p.b_start == strlen("the RIVER crested at 7.8 metres "
                                        "shortly before dawn, nearly a metre "
                                        "above the"));
    CHECK(strncmp(b + p.b_start, "the RIVER", 9) == 0);
    CHECK(strncmp(a + p.a_start, "The river", 9) == 0);
    CHECK(td__dedup_passage(a, strlen(a), "nothing alike at all", 20, &p) == TD_OK);
    CHECK(p.n_words == 0 && p.b_end == 0);
}

TEST(direction)
{
    CHECK(td__copy_direction(100, 200) == 1);
    CHECK(td__copy_direction(200, 100) == -1);
    CHECK(td__copy_direction(100, 100) == 0);
    CHECK(td__copy_direction(TD_NO_DATE, 100) == 0);
    CHECK(td__copy_direction(100, TD_NO_DATE) == 0);
}

TEST(groups)
{
    td_copy_groups *g = td__copy_groups_new();
    uint32_t id[6], i;
    const int64_t dates[6] = {500, TD_NO_DATE, 300, 300, TD_NO_DATE, 900};
    CHECK(g != NULL);
    if (!g)
        return;
    for (i = 0; i < 6; i++)
        CHECK(td__copy_groups_add(g, dates[i], &id[i]) == TD_OK && id[i] == i);
    td__copy_groups_union(g, 0, 1);
    td__copy_groups_union(g, 3, 1);
    td__copy_groups_union(g, 2, 0);     /* 300 twice: 2 came first */
    CHECK(td__copy_groups_find(g, 3) == td__copy_groups_find(g, 0));
    CHECK(td__copy_groups_origin(g, 1) == 2);
    CHECK(td__copy_groups_size(g, 1) == 4);
    CHECK(td__copy_groups_find(g, 4) != td__copy_groups_find(g, 5));
    td__copy_groups_union(g, 4, 4);
    CHECK(td__copy_groups_origin(g, 4) == 4);     /* undated, alone */
    td__copy_groups_union(g, 4, 5);
    CHECK(td__copy_groups_origin(g, 4) == 5);     /* dated beats undated */
    td__copy_groups_free(g);
    td__copy_groups_free(NULL);
}


/* Accuracy corpus ----------------------------------------------------------
** Families: each of the 4 hand-written articles and 36 synthetic ones drawn
** from their vocabulary (6 topics, 30 % topic words), each with its 6 edits.
** Known copies: the 21 pairs inside each family. */

#define N_SYNTH 36
#define N_BASES (4 + N_SYNTH)
#define N_DOCS (N_BASES * (ED_N + 1))

typedef struct corpus_doc {
    char *text;
    int family;
    td_dedup_sig sig;
    uint64_t *set;      /* exact distinct shingles, sorted */
    size_t n_set;
} corpus_doc;

static int cmp_u64t(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The exact shingle set, built the way the library builds it. */
static void exact_set(corpus_doc *d)
{
    td_dedup_word *w;
    size_t n, i, j, m = 0;
    uint64_t win[TD_DEDUP_SHINGLE];
    d->set = NULL;
    d->n_set = 0;
    if (td__dedup_words(d->text, strlen(d->text), &w, &n) != TD_OK || n < TD_DEDUP_SHINGLE) {
        free(w);
        return;
    }
    d->set = malloc((n - TD_DEDUP_SHINGLE + 1) * sizeof *d->set);
    for (i = 0; d->set && i + TD_DEDUP_SHINGLE <= n; i++) {
        for (j = 0; j < TD_DEDUP_SHINGLE; j++)
            win[j] = w[i + j].hash;
        d->set[m++] = td__hash64(win, sizeof win);
    }
    free(w);
    if (!d->set)
        return;
    qsort(d->set, m, sizeof *d->set, cmp_u64t);
    for (i = 0, j = 0; i < m; i++)
        if (!j || d->set[i] != d->set[j - 1])
            d->set[j++] = d->set[i];
    d->n_set = j;
}

static size_t intersect(const corpus_doc *a, const corpus_doc *b)
{
    size_t i = 0, j = 0, n = 0;
    while (i < a->n_set && j < b->n_set) {
        if (a->set[i] < b->set[j])
            i++;
        else if (a->set[i] > b->set[j])
            j++;
        else
            n++, i++, j++;
    }
    return n;
}

/* Vocabulary: the words of the fixtures, lower-cased, in order of first use. */
static size_t vocab_from(const char *text, char vocab[][24], size_t nv, size_t max)
{
    const char *p = text;
    while (*p && nv < max) {
        size_t l = 0, k;
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            p++;
        while (((p[l] >= 'a' && p[l] <= 'z') || (p[l] >= 'A' && p[l] <= 'Z')) && l < 23)
            l++;
        if (!l)
            break;
        for (k = 0; k < nv; k++)
            if (strncmp(vocab[k], p, l) == 0 && vocab[k][l] == 0)
                break;
        if (k == nv) {
            memcpy(vocab[nv], p, l);
            vocab[nv][l] = 0;
            nv++;
        }
        p += l;
    }
    return nv;
}

static char *synthetic(char vocab[][24], size_t nv, int topic)
{
    td_buf b;
    int par, sen, w;
    td__buf_init(&b, 1u << 20);
    for (par = 0; par < 6; par++) {
        for (sen = 0; sen < 3; sen++) {
            for (w = 0; w < 12; w++) {
                size_t k = below(10) < 3 ? (size_t)topic * 40 + below(40)
                                         : below(below(nv) + 1);
                td__buf_printf(&b, "%s%s", w ? " " : "", vocab[k % nv]);
            }
            td__buf_append(&b, ". ", 2);
        }
        td__buf_putc(&b, '\n');
    }
    return td__buf_steal(&b);
}

typedef struct pr { size_t tp, fp, fn; } pr;

static void pr_add(pr *p, int pred, int truth)
{
    if (pred && truth) p->tp++;
    else if (pred) p->fp++;
    else if (truth) p->fn++;
}

static double prec(const pr *p) { return p->tp + p->fp ? (double)p->tp / (double)(p->tp + p->fp) : 1.0; }
static double rec(const pr *p) { return p->tp + p->fn ? (double)p->tp / (double)(p->tp + p->fn) : 1.0; }

static int share_band(const td_dedup_sig *a, const td_dedup_sig *b)
{
    int band;
    for (band = 0; band < TD_DEDUP_BANDS; band++)
        if (memcmp(a->slot + band * TD_DEDUP_ROWS, b->slot + band * TD_DEDUP_ROWS,
                   TD_DEDUP_ROWS * sizeof a->slot[0]) == 0)
            return 1;
    return 0;
}

static int exact_copy(const corpus_doc *a, const corpus_doc *b, double t)
{
    size_t in = intersect(a, b);
    double j = (double)in / (double)(a->n_set + b->n_set - in);
    size_t small = a->n_set < b->n_set ? a->n_set : b->n_set;
    return j >= t || (j >= 0.2 && (double)in / (double)small >= TD_DEDUP_CONTAIN);
}

static int est_copy(const corpus_doc *a, const corpus_doc *b, double t, int contain)
{
    double j = td__dedup_jaccard(&a->sig, &b->sig);
    if (!share_band(&a->sig, &b->sig))
        return 0;
    if (j >= t)
        return 1;
    return contain && j >= 0.2 &&
           (td__dedup_containment(j, a->sig.n_shingles, b->sig.n_shingles) >= TD_DEDUP_CONTAIN ||
            td__dedup_containment(j, b->sig.n_shingles, a->sig.n_shingles) >= TD_DEDUP_CONTAIN);
}

TEST(accuracy_corpus)
{
    static char vocab[4000][24];
    static corpus_doc doc[N_DOCS];
    static unsigned char found[N_DOCS][N_DOCS];
    size_t nv = 0, i, j, order[N_DOCS];
    int f, k, ok = 1, table = getenv("TD_DEDUP_TABLE") != NULL;
    pr vs_known = {0, 0, 0}, vs_exact = {0, 0, 0}, per_edit[ED_N];
    td_dedup_index *ix = td__dedup_index_new();
    char *fx[4];
    rng_state = 777;
    memset(per_edit, 0, sizeof per_edit);
    for (f = 0; f < 4; f++) {
        fx[f] = slurp(fixture[f]);
        if (!fx[f])
            ok = 0;
        else
            nv = vocab_from(fx[f], vocab, nv, 4000);
    }
    CHECK(ok && ix);
    if (!ok || !ix)
        return;
    for (f = 0; f < N_BASES; f++) {
        corpus_doc *d = &doc[f * (ED_N + 1)];
        d->text = f < 4 ? fx[f] : synthetic(vocab, nv, f % 6);
        d->family = f;
        for (k = 0; k < ED_N; k++) {
            d[k + 1].text = edit(d->text, k, (unsigned)f);
            d[k + 1].family = f;
        }
    }
    for (i = 0; i < N_DOCS; i++) {
        CHECK(doc[i].text != NULL);
        if (!doc[i].text)
            return;
        td__dedup_signature(doc[i].text, strlen(doc[i].text), &doc[i].sig);
        exact_set(&doc[i]);
        order[i] = i;
    }
    /* The index sees the documents in a shuffled order. */
    for (i = N_DOCS - 1; i > 0; i--) {
        size_t t, r = below(i + 1);
        t = order[i], order[i] = order[r], order[r] = t;
    }
    memset(found, 0, sizeof found);
    for (i = 0; i < N_DOCS; i++) {
        td_dedup_match m[64];
        size_t n, q;
        uint32_t id;
        CHECK(td__dedup_index_add(ix, &doc[order[i]].sig, &id, m, 64, &n) == TD_OK);
        for (q = 0; q < n; q++) {
            found[order[i]][order[m[q].doc]] = 1;
            found[order[m[q].doc]][order[i]] = 1;
        }
    }
    for (i = 0; i < N_DOCS; i++)
        for (j = i + 1; j < N_DOCS; j++) {
            int known = doc[i].family == doc[j].family;
            pr_add(&vs_known, found[i][j], known);
            pr_add(&vs_exact, found[i][j], exact_copy(&doc[i], &doc[j], TD_DEDUP_JACCARD));
            if (known && i % (ED_N + 1) == 0)
                pr_add(&per_edit[j % (ED_N + 1) - 1], found[i][j], 1);
        }
    CHECK(prec(&vs_known) >= 0.99);
    CHECK(rec(&vs_known) >= 0.85);
    CHECK(prec(&vs_exact) >= 0.95);
    CHECK(rec(&vs_exact) >= 0.95);
    for (k = 0; k < ED_N; k++)
        CHECK(rec(&per_edit[k]) >= 0.9);
    if (table) {
        double t;
        printf("corpus: %d documents, %d families, %zu pairs\n", N_DOCS, N_BASES,
               (size_t)N_DOCS * (N_DOCS - 1) / 2);
        printf("index (J >= %.2f or C >= %.2f): vs known edits P %.3f R %.3f;"
               " vs exact Jaccard/containment P %.3f R %.3f\n",
               TD_DEDUP_JACCARD, TD_DEDUP_CONTAIN, prec(&vs_known), rec(&vs_known),
               prec(&vs_exact), rec(&vs_exact));
        for (k = 0; k < ED_N; k++)
            printf("  base vs %-22s recall %.3f\n", edit_name[k], rec(&per_edit[k]));
        printf("| threshold | LSH+est J: P | R | LSH+est J or C: P | R | exact J: P | R |\n");
        for (t = 0.2; t < 0.95; t += 0.1) {
            pr a = {0, 0, 0}, b = {0, 0, 0}, c = {0, 0, 0};
            for (i = 0; i < N_DOCS; i++)
                for (j = i + 1; j < N_DOCS; j++) {
                    int known = doc[i].family == doc[j].family;
                    size_t in = intersect(&doc[i], &doc[j]);
                    double ej = (double)in / (double)(doc[i].n_set + doc[j].n_set - in);
                    pr_add(&a, est_copy(&doc[i], &doc[j], t, 0), known);
                    pr_add(&b, est_copy(&doc[i], &doc[j], t, 1), known);
                    pr_add(&c, ej >= t, known);
                }
            printf("| %.1f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", t,
                   prec(&a), rec(&a), prec(&b), rec(&b), prec(&c), rec(&c));
        }
    }
    for (i = 0; i < N_DOCS; i++) {
        free(doc[i].text);
        free(doc[i].set);
    }
    td__dedup_index_free(ix);
}

int main(void)
{
    RUN(minhash_error_bound);
    RUN(distinct_shingles);
    RUN(signature_of_text);
    RUN(lsh_finds_edits_not_same_topic);
    RUN(index_growth_and_caps);
    RUN(passage);
    RUN(direction);
    RUN(groups);
    RUN(accuracy_corpus);
    return check_report();
}
