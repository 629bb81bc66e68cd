/*
** test_oom.c: the failing allocator (curl torture, libuv test-loop-oom).
** malloc, calloc and realloc are wrapped at link time (-Wl,--wrap=..., see
** the Makefile rule for this program), so every allocation the library
** itself makes can be made to fail. Each scenario runs once to learn its
** expected output, then again for N = 1, 2, 3, ... with the Nth allocation
** failing, until a run sees no failure. Every run must return a status
** (never crash), leak nothing (LeakSanitizer under `make asan`), never
** report success with a different result, and leave a file store that
** reopens consistent. Method and results: docs/internals/hardening.md.
*/
#include "check.h"
#include "tidings.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The failing allocator --------------------------------------------------- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);

/* Allocations still to succeed before the one that fails; -1: never fail. */
static long oom_countdown = -1;
static long oom_fired;    /* failures injected since oom_arm() */
static long oom_calls;    /* allocations seen since oom_arm() */

/* With OOM_TRACE set, where the last failure was injected. */
static void *oom_where[12];
static int oom_where_n;
static int oom_trace;

static int oom_fail_now(void)
{
    oom_calls++;
    if (oom_countdown < 0)
        return 0;
    if (oom_countdown-- == 0) {
        oom_fired++;
        if (oom_trace)
            oom_where_n = backtrace(oom_where, 12);
        return 1;
    }
    return 0;
}

/* Prints the failure site as "addr2line -f -e binary" offsets. */
static void oom_print_where(void)
{
    int i;
    for (i = 2; i < oom_where_n; i++) {
        Dl_info info;
        if (dladdr(oom_where[i], &info) && info.dli_fbase)
            fprintf(stderr, " %#lx",
                    (unsigned long)((char *)oom_where[i] -
                                    (char *)info.dli_fbase) - 1);
    }
    fprintf(stderr, "\n");
}

void *__wrap_malloc(size_t size)
{
    return oom_fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return oom_fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return oom_fail_now() ? NULL : __real_realloc(p, size);
}

/* Fails the nth allocation from now (n >= 1); 0 disarms. */
static void oom_arm(long n)
{
    oom_countdown = n > 0 ? n - 1 : -1;
    oom_fired = 0;
    oom_calls = 0;
}

/* Runs of each scenario before one completed with no injected failure. */
#define MAX_RUNS 20000

/* The corpus: 6 short articles in 3 languages, two near-copies, one HTML. */
static const char html_page[] =
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=utf-8>"
    "<title>Harbour bridge reopens | Coast Times</title>"
    "<script>var tracking = '<p>no</p>';</script></head><body>"
    "<nav><a href=/>Home</a> <a href=/news>News</a></nav>"
    "<article><h1>Harbour bridge reopens after storm repairs</h1>"
    "<p>The harbour bridge in Bergen reopened on Monday after three weeks of "
    "repairs to the storm damaged cables, the city council said.</p>"
    "<p>Engineers replaced twelve cables and inspected the towers before "
    "traffic was allowed back across the bridge.</p></article>"
    "<aside>Most read: recipes for the weekend</aside>"
    "<footer>Copyright Coast Times</footer></body></html>";

static const char copy_text[] =
    "The European Central Bank raised interest rates by a quarter point on "
    "Thursday, its tenth increase in a row, as inflation in the euro area "
    "stayed well above the target of two percent. Christine Lagarde said "
    "the bank would keep rates high for as long as necessary and that "
    "further decisions would depend on the data. Markets in Frankfurt and "
    "Paris fell after the announcement, Reuters reported.";

static const char copy_text2[] =
    "The European Central Bank raised interest rates by a quarter point on "
    "Thursday, its tenth increase in a row, as inflation in the euro area "
    "stayed well above the target of two percent. Christine Lagarde said "
    "the bank would keep rates high for as long as necessary and that "
    "further decisions would depend on the data. Markets in Frankfurt and "
    "Paris fell after the announcement, according to Reuters.\n"
    "Read also: our guide to mortgages";

#define N_ARTICLES 6
static const td_input corpus[N_ARTICLES] = {
    {"ecb-1", "https://wire.example/ecb", "Wire", "ECB raises rates again",
     copy_text, NULL, NULL, 1690000000, "ecb-1"},
    {"ecb-2", "https://daily.example/ecb", "Daily", "ECB lifts rates for tenth time",
     copy_text2, NULL, NULL, 1690003600, "ecb-2"},
    {"bce-it", "https://giornale.example/bce", "Giornale",
     "La BCE alza i tassi di interesse",
     "La Banca centrale europea ha alzato i tassi di interesse di un quarto "
     "di punto giovedì, il decimo aumento consecutivo. Christine Lagarde ha "
     "detto che l'inflazione nell'area dell'euro resta troppo alta e che le "
     "prossime decisioni dipenderanno dai dati.",
     NULL, "it", 1690007200, "bce-it"},
    {"bridge-en", "https://coast.example/bridge", "Coast Times", NULL, NULL,
     html_page, NULL, 1690100000, "bridge-en"},
    {"bru-no", "https://avis.example/bru", "Avisa", "Brua i Bergen åpner igjen",
     "Bybrua i Bergen åpnet igjen mandag etter tre uker med reparasjoner av "
     "kablene som ble skadet i stormen, opplyser kommunen. Ingeniørene "
     "byttet tolv kabler og kontrollerte tårnene.",
     NULL, "no", 1690103600, "bru-no"},
    {"bru-no-2", "https://bt.example/bru", "BT", "Bybrua er åpen",
     "Kommunen melder at bybrua i Bergen er åpen for trafikk igjen. "
     "Reparasjonene etter stormen tok tre uker, og tolv kabler er byttet.",
     NULL, "no", TD_NO_DATE, "bru-no-2"},
};

/* What a run read back, to compare with the run that saw no failure. No
** allocation here: the text goes to a fixed buffer. */
static char out_buf[1 << 16];
static size_t out_len;
static int out_cut;

static void out_reset(void)
{
    out_len = 0;
    out_cut = 0;
    out_buf[0] = '\0';
}

__attribute__((format(printf, 1, 2)))
static void out_add(const char *fmt, ...)
{
    va_list ap;
    int n;
    if (out_cut)
        return;
    va_start(ap, fmt);
    n = vsnprintf(out_buf + out_len, sizeof out_buf - out_len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof out_buf - out_len)
        out_cut = 1;
    else
        out_len += (size_t)n;
}

static const char *nz(const char *s)
{
    return s ? s : "(null)";
}

/* Status of every API call in a run: the first failure, and whether all
** calls returned TD_OK. */
typedef struct run_state {
    int all_ok;
    int crashed_check;   /* a result was inconsistent with its status */
} run_state;

static void note(run_state *rs, td_status rc)
{
    if (rc != TD_OK)
        rs->all_ok = 0;
}

/* Reads back everything the engine holds into out_buf. */
static void read_back(td_engine *eng, run_state *rs)
{
    td_story_list *stories = NULL;
    td_status rc;
    size_t i, j, k;
    td_error err;

    rc = td_engine_stories(eng, &stories, &err);
    note(rs, rc);
    out_add("stories %d\n", (int)rc);
    if (rc != TD_OK) {
        if (stories)
            rs->crashed_check = 1;
        return;
    }
    if (!stories) {
        rs->crashed_check = 1;
        return;
    }
    for (i = 0; i < stories->n; i++) {
        const td_story_row *s = &stories->rows[i];
        td_article_list *arts = NULL;
        td_copy_list *copies = NULL;
        out_add("story %lld n=%u langs=%s title=%s ents=%s src=%u origin=%s "
                "credits=%s\n",
                (long long)s->id, s->n_articles, nz(s->langs), nz(s->title),
                nz(s->entities), s->n_sources, nz(s->origin_id),
                nz(s->origin_credits));
        rc = td_engine_story_articles(eng, s->id, &arts, &err);
        note(rs, rc);
        out_add(" articles %d\n", (int)rc);
        if (rc == TD_OK && arts) {
            for (j = 0; j < arts->n; j++) {
                const td_article_row *a = &arts->rows[j];
                td_article_list *one = NULL;
                out_add("  %s lang=%s story=%lld group=%lld copy_of=%s "
                        "credits=%s terms=%s ents=%s\n",
                        nz(a->id), nz(a->lang), (long long)a->story,
                        (long long)a->copy_group, nz(a->copy_of),
                        nz(a->credits), nz(a->terms), nz(a->entities));
                rc = td_engine_article(eng, a->id, &one, &err);
                note(rs, rc);
                if (rc == TD_OK && one && one->n == 1)
                    out_add("  one %s %s\n", nz(one->rows[0].id),
                            nz(one->rows[0].text));
                else if (rc == TD_OK)
                    rs->crashed_check = 1;
                td_article_list_free(one);
            }
        } else if (rc == TD_OK) {
            rs->crashed_check = 1;
        }
        td_article_list_free(arts);
        rc = td_engine_copies(eng, s->id, &copies, &err);
        note(rs, rc);
        out_add(" copies %d\n", (int)rc);
        if (rc == TD_OK && copies) {
            for (j = 0; j < copies->n_groups; j++) {
                const td_copy_group *g = &copies->groups[j];
                out_add("  group %lld:", (long long)g->id);
                for (k = 0; k < g->n_members; k++)
                    out_add(" %s<%s>", nz(g->members[k].id),
                            nz(g->members[k].copy_of));
                out_add("\n");
            }
            for (j = 0; j < copies->n_edges; j++) {
                const td_copy_edge *e = &copies->edges[j];
                out_add("  edge %s->%s dated=%d sim=%.3f passage=%s\n",
                        nz(e->from_id), nz(e->to_id), e->dated, e->similarity,
                        nz(e->passage));
            }
        } else if (rc == TD_OK) {
            rs->crashed_check = 1;
        }
        td_copy_list_free(copies);
    }
    td_story_list_free(stories);
}

/* Adds articles [from, to) with a commit after every second one. */
static void add_range(td_engine *eng, size_t from, size_t to, run_state *rs)
{
    size_t i;
    td_error err;
    for (i = from; i < to; i++) {
        int64_t story = -1;
        td_status rc = td_engine_add(eng, &corpus[i], &story, &err);
        note(rs, rc);
        out_add("add %s %d\n", corpus[i].id, (int)rc);
        if (rc == TD_OK && story < 0)
            rs->crashed_check = 1;
        if (i % 2 == 1) {
            rc = td_engine_commit(eng, &err);
            note(rs, rc);
            out_add("commit %d\n", (int)rc);
        }
    }
}

/* Opens the engine at path, noting the status; NULL when it failed. err
** starts as garbage, as a caller's may: a failure must still leave a
** message in it (a check once read err->msg before writing it). */
static td_engine *open_engine(const char *path, run_state *rs)
{
    td_engine *eng = NULL;
    td_error err;
    td_status rc;
    memset(&err, 0x55, sizeof err);
    rc = td_engine_open(path, &eng, &err);
    note(rs, rc);
    out_add("open %d\n", (int)rc);
    if ((rc == TD_OK) != (eng != NULL))
        rs->crashed_check = 1;
    if (rc != TD_OK && (!memchr(err.msg, '\0', sizeof err.msg) ||
                        err.msg[0] == '\0' || err.msg[0] == 0x55))
        rs->crashed_check = 1;
    return rc == TD_OK ? eng : NULL;
}

/* Scenarios 1 and 4: open, add the corpus, commit, read back, free. */
static void scenario_engine(const char *path, run_state *rs)
{
    td_engine *eng = open_engine(path, rs);
    td_error err;
    td_status rc;
    if (!eng)
        return;
    add_range(eng, 0, N_ARTICLES, rs);
    read_back(eng, rs);
    rc = td_engine_commit(eng, &err);
    note(rs, rc);
    td_engine_free(eng);
}

/* Scenario 2: the extract stage on its own. */
static const char text_page[] =
    "Storm closes the harbour bridge\n"
    "Photo: Coast Times\n"
    "The harbour bridge in Bergen was closed on Friday after the storm "
    "damaged several of its cables.\n"
    "Read also: Ten ways to prepare for winter\n"
    "Engineers expect the repairs to take three weeks.\n"
    "Leave a Reply\n";

static void out_extract(const char *what, td_status rc,
                        const td_extract_result *r, run_state *rs)
{
    note(rs, rc);
    out_add("%s %d\n", what, (int)rc);
    if (rc != TD_OK) {
        if (r)
            rs->crashed_check = 1;
        return;
    }
    if (!r) {
        rs->crashed_check = 1;
        return;
    }
    out_add("title=%s\ntext=%s\ndate=%s authors=%s site=%s url=%s lang=%s "
            "unix=%lld\n",
            nz(r->title), nz(r->text), nz(r->date), nz(r->authors),
            nz(r->site), nz(r->url), nz(r->lang), (long long)r->date_unix);
}

static void scenario_extract(const char *unused, run_state *rs)
{
    td_extract_result *r = NULL;
    td_error err;
    td_status rc;
    (void)unused;
    rc = td_extract_html(html_page, strlen(html_page), &r, &err);
    out_extract("html", rc, r, rs);
    td_extract_result_free(r);
    r = NULL;
    rc = td_extract_text(text_page, strlen(text_page), &r, &err);
    out_extract("text", rc, r, rs);
    td_extract_result_free(r);
}

/* Scenario 3: ingest of a small JSON Lines corpus by path. */
static char jsonl_path[128];

static void scenario_ingest(const char *path, run_state *rs)
{
    td_engine *eng = open_engine(path, rs);
    td_ingest_stats stats;
    td_error err;
    td_status rc;
    if (!eng)
        return;
    memset(&stats, 0, sizeof stats);
    rc = td_engine_ingest_path(eng, jsonl_path, &stats, NULL, NULL, NULL, &err);
    note(rs, rc);
    out_add("ingest %d added=%llu rejected=%llu dup=%llu\n", (int)rc,
            (unsigned long long)stats.added, (unsigned long long)stats.rejected,
            (unsigned long long)stats.duplicates);
    if (rc == TD_OK)
        read_back(eng, rs);
    td_engine_free(eng);
}

/* Scenario 5: queries on a store built before the runs -------------------- */

/* Two more articles for the query store only: a quote, and another story
** naming two of the ECB story's entities (Frankfurt, Paris), so
** that the story view has quotes and a related story. */
static const td_input query_extra[2] = {
    {"ecb-quote", "https://post.example/ecb", "Post", "Lagarde: rates stay high",
     "The European Central Bank kept its promise to fight inflation. "
     "\"We will keep rates high for as long as necessary,\" Christine "
     "Lagarde said in Frankfurt on Thursday. The euro area inflation rate "
     "stayed well above the target of two percent, and markets in Paris "
     "fell.",
     NULL, "en", 1690010000, "ecb-quote"},
    {"museum-en", "https://arts.example/museum", "Arts", "Museum opens in Frankfurt",
     "A new museum of modern painting opened in Frankfurt on Saturday. "
     "The painter, who lived in Paris for thirty years, gave the city two "
     "hundred canvases, and visitors queued for hours to see the collection "
     "of portraits and landscapes, which spans five decades.",
     NULL, "en", 1692000000, "museum-en"},
};

/* The story view of every story and each article's row, into out_buf. */
static void out_view(const td_story_view *v)
{
    size_t i;
    out_add("view %lld n=%u lang=%s first=%s peak=%lld undated=%u\n",
            (long long)v->story, v->n_articles, v->lang,
            nz(v->first_report), (long long)v->peak_day, v->n_undated);
    for (i = 0; i < v->n_summary; i++)
        out_add(" sum %s: %s\n", nz(v->summary[i].article_id),
                nz(v->summary[i].text));
    for (i = 0; i < v->n_summary_en; i++)
        out_add(" sum_en %s: %s\n", nz(v->summary_en[i].article_id),
                nz(v->summary_en[i].text));
    for (i = 0; i < v->n_quotes; i++)
        out_add(" quote %s by %s in %s/%s %u/%u\n", nz(v->quotes[i].text),
                nz(v->quotes[i].speaker), nz(v->quotes[i].article_id),
                nz(v->quotes[i].lang), v->quotes[i].n_articles,
                v->quotes[i].n_sources);
    for (i = 0; i < v->n_entities; i++)
        out_add(" entity %s key=%s %u/%u\n", nz(v->entities[i].name),
                nz(v->entities[i].key), v->entities[i].n_articles,
                v->entities[i].mentions);
    for (i = 0; i < v->n_days; i++)
        out_add(" day %lld %u %s\n", (long long)v->days[i].day,
                v->days[i].n_articles, nz(v->days[i].langs));
    for (i = 0; i < v->n_related; i++)
        out_add(" related %lld %s n=%u %lld..%lld when=%d shared=%u %s\n",
                (long long)v->related[i].story, nz(v->related[i].title),
                v->related[i].n_articles, (long long)v->related[i].first_date,
                (long long)v->related[i].last_date, v->related[i].when,
                v->related[i].n_shared, nz(v->related[i].shared));
}

static td_status out_each_article(void *ud, const td_article_row *row)
{
    (void)ud;
    out_add("each %lld %s story=%lld lang=%s\n", (long long)row->seq,
            nz(row->id), (long long)row->story, nz(row->lang));
    return TD_OK;
}

/* Opens the store at path (built by oom_query) and reads it all back:
** stories, each story's articles, each article, copies, story views and
** the article walk. Nothing here writes, so the store must not change. */
static void scenario_query(const char *path, run_state *rs)
{
    td_engine *eng = open_engine(path, rs);
    td_story_list *stories = NULL;
    td_error err;
    size_t i;
    td_status rc;
    if (!eng)
        return;
    read_back(eng, rs);
    rc = td_engine_stories(eng, &stories, &err);
    note(rs, rc);
    out_add("stories %d\n", (int)rc);
    if ((rc == TD_OK) != (stories != NULL))
        rs->crashed_check = 1;
    for (i = 0; stories && i < stories->n; i++) {
        td_story_view *view = NULL;
        rc = td_engine_story_view(eng, stories->rows[i].id, &view, &err);
        note(rs, rc);
        out_add("view %d\n", (int)rc);
        if ((rc == TD_OK) != (view != NULL))
            rs->crashed_check = 1;
        if (view)
            out_view(view);
        td_story_view_free(view);
    }
    td_story_list_free(stories);
    rc = td_engine_each_article(eng, out_each_article, NULL, &err);
    note(rs, rc);
    out_add("each %d\n", (int)rc);
    td_engine_free(eng);
}

/* The file store of scenario 4, and its consistency check ---------------- */

static char tmp_dir[64];
static char db_path[128];

typedef struct story_ids {
    int64_t id[N_ARTICLES + 1];
    uint32_t n_articles[N_ARTICLES + 1];
    size_t n;
    int bad;            /* an article whose story is not listed */
    size_t n_seen;      /* articles listed */
} story_ids;

static td_status check_article(void *ud, const td_article_row *row)
{
    story_ids *ids = ud;
    size_t i;
    ids->n_seen++;
    for (i = 0; i < ids->n; i++)
        if (ids->id[i] == row->story)
            return TD_OK;
    ids->bad = 1;
    return TD_OK;
}

/* Reopens the store with no failure and checks it: every article belongs to
** a listed story whose count matches, and the missing articles can be
** added. Returns 1 when consistent. */
static int check_store(const char *path, long n)
{
    td_engine *eng = NULL;
    td_story_list *stories = NULL;
    story_ids ids;
    td_error err;
    size_t i, sum = 0;
    int ok = 1;
    memset(&err, 0, sizeof err);
    if (td_engine_open(path, &eng, &err) != TD_OK) {
        fprintf(stderr, "  N=%ld: reopen failed: %s\n", n, err.msg);
        return 0;
    }
    memset(&ids, 0, sizeof ids);
    if (td_engine_stories(eng, &stories, &err) != TD_OK ||
        stories->n > N_ARTICLES) {
        fprintf(stderr, "  N=%ld: stories failed on reopen\n", n);
        td_story_list_free(stories);
        td_engine_free(eng);
        return 0;
    }
    for (i = 0; i < stories->n; i++) {
        td_article_list *arts = NULL;
        ids.id[i] = stories->rows[i].id;
        sum += stories->rows[i].n_articles;
        if (td_engine_story_articles(eng, stories->rows[i].id, &arts, &err)
                != TD_OK || arts->n != stories->rows[i].n_articles) {
            fprintf(stderr, "  N=%ld: story %lld count differs\n", n,
                    (long long)stories->rows[i].id);
            ok = 0;
        }
        td_article_list_free(arts);
    }
    ids.n = stories->n;
    td_story_list_free(stories);
    if (td_engine_each_article(eng, check_article, &ids, &err) != TD_OK ||
        ids.bad || ids.n_seen != sum) {
        fprintf(stderr, "  N=%ld: an article has no listed story\n", n);
        ok = 0;
    }
    /* Ingesting the remaining articles works. */
    for (i = 0; i < N_ARTICLES; i++) {
        td_article_list *one = NULL;
        td_status rc = td_engine_article(eng, corpus[i].id, &one, &err);
        td_article_list_free(one);
        if (rc == TD_ENOTFOUND)
            rc = td_engine_add(eng, &corpus[i], NULL, &err);
        if (rc != TD_OK) {
            fprintf(stderr, "  N=%ld: %s: %s\n", n, corpus[i].id, err.msg);
            ok = 0;
        }
    }
    if (td_engine_commit(eng, &err) != TD_OK) {
        fprintf(stderr, "  N=%ld: commit after reopen: %s\n", n, err.msg);
        ok = 0;
    }
    stories = NULL;
    if (td_engine_stories(eng, &stories, &err) == TD_OK) {
        for (i = 0, sum = 0; i < stories->n; i++)
            sum += stories->rows[i].n_articles;
        if (sum != N_ARTICLES) {
            fprintf(stderr, "  N=%ld: %zu articles in stories\n", n, sum);
            ok = 0;
        }
    } else {
        ok = 0;
    }
    td_story_list_free(stories);
    td_engine_free(eng);
    return ok;
}

/* The driver ---------------------------------------------------------------- */

typedef void (*scenario_fn)(const char *path, run_state *rs);

static long total_points;

/* What a scenario does to the store at path. */
enum store_use {
    STORE_NONE,      /* :memory: or none */
    STORE_FRESH,     /* removed before each run, checked after a failed one */
    STORE_READ       /* built once; after a failed run, a run with no
                     ** failure must read back the expected output */
};

/* Runs fn with no failure, then with the Nth allocation failing for every N
** until a run sees no failure, checking the store as use says. */
static void torture(const char *name, scenario_fn fn, const char *path,
                    enum store_use use)
{
    static char expected[sizeof out_buf];
    run_state rs;
    long n, calls, fired, swallowed = 0, bad = 0, inconsistent = 0;

    if (use == STORE_FRESH)
        check_remove_db(path);
    out_reset();
    memset(&rs, 0, sizeof rs);
    rs.all_ok = 1;
    oom_arm(0);
    fn(path, &rs);
    calls = oom_calls;
    CHECK(rs.all_ok);
    CHECK(!rs.crashed_check);
    CHECK(!out_cut);
    memcpy(expected, out_buf, out_len + 1);

    for (n = 1; n <= MAX_RUNS; n++) {
        /* OOM_ONLY=name:N runs one failure point (under gdb: break on
        ** oom_fired++ and look at the stack). */
        const char *only = getenv("OOM_ONLY");
        size_t name_len = strlen(name);
        if (only && (strncmp(only, name, name_len) != 0 ||
                     only[name_len] != ':'))
            break;
        if (only && n < atol(only + name_len + 1))
            continue;
        if (use == STORE_FRESH)
            check_remove_db(path);
        out_reset();
        memset(&rs, 0, sizeof rs);
        rs.all_ok = 1;
        oom_arm(n);
        fn(path, &rs);
        fired = oom_fired;
        oom_arm(0);
        if (!fired) {
            /* Past the last allocation: the run is the expected one. */
            CHECK(rs.all_ok);
            CHECK(strcmp(out_buf, expected) == 0);
            break;
        }
        if (rs.crashed_check) {
            fprintf(stderr, "  %s N=%ld: a result disagrees with its status\n",
                    name, n);
            bad++;
        }
        /* Success reported after a failed allocation must be the same
        ** success: same stories, articles, copies. */
        if (rs.all_ok && strcmp(out_buf, expected) != 0) {
            fprintf(stderr, "  %s N=%ld: TD_OK everywhere but the result "
                    "differs\n", name, n);
            if (getenv("OOM_VERBOSE"))
                fprintf(stderr, "--- got\n%s--- expected\n%s", out_buf,
                        expected);
            if (oom_trace)
                oom_print_where();
            swallowed++;
        }
        if (use == STORE_FRESH && !check_store(path, n))
            inconsistent++;
        if (use == STORE_READ) {
            /* The failed run changed nothing: the store reads back whole. */
            out_reset();
            memset(&rs, 0, sizeof rs);
            rs.all_ok = 1;
            fn(path, &rs);
            if (!rs.all_ok || strcmp(out_buf, expected) != 0) {
                fprintf(stderr, "  %s N=%ld: the store reads back "
                        "differently after the failed run\n", name, n);
                inconsistent++;
            }
        }
        if (only) {
            fprintf(stderr, "%s", out_buf);
            break;
        }
    }
    CHECK(n <= MAX_RUNS);
    CHECK(bad == 0);
    CHECK(swallowed == 0);
    CHECK(inconsistent == 0);
    printf("%-8s %ld allocations, %ld failure points exercised\n", name, calls,
           n - 1);
    total_points += n - 1;
    if (use == STORE_FRESH)
        check_remove_db(path);
}

TEST(oom_engine_memory)
{
    torture("engine", scenario_engine, ":memory:", STORE_NONE);
}

TEST(oom_extract)
{
    torture("extract", scenario_extract, NULL, STORE_NONE);
}

TEST(oom_ingest_path)
{
    FILE *f;
    size_t i;
    snprintf(jsonl_path, sizeof jsonl_path, "%s/corpus.jsonl", tmp_dir);
    f = fopen(jsonl_path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    for (i = 0; i < N_ARTICLES; i++) {
        const td_input *a = &corpus[i];
        const char *p;
        /* The corpus has no quote, backslash or control byte but '\n'. */
        fprintf(f, "{\"id\":\"%s\",\"url\":\"%s\",\"source\":\"%s\"", a->id,
                a->url, a->source);
        if (a->title)
            fprintf(f, ",\"title\":\"%s\"", a->title);
        fputs(a->html ? ",\"html\":\"" : ",\"text\":\"", f);
        for (p = a->html ? a->html : a->text; *p; p++) {
            if (*p == '\n')
                fputs("\\n", f);
            else if (*p == '"')
                fputs("\\\"", f);
            else
                fputc(*p, f);
        }
        fputc('"', f);
        if (a->lang)
            fprintf(f, ",\"lang\":\"%s\"", a->lang);
        fputs("}\n", f);
    }
    fclose(f);
    torture("ingest", scenario_ingest, ":memory:", STORE_NONE);
    unlink(jsonl_path);
}

TEST(oom_file_store)
{
    snprintf(db_path, sizeof db_path, "%s/oom.db", tmp_dir);
    torture("file", scenario_engine, db_path, STORE_FRESH);
}

/* Scenario 5: the corpus is stored once (no failure), then every
** allocation of the queries fails in turn. */
TEST(oom_query)
{
    run_state rs;
    td_engine *eng = NULL;
    td_error err;
    snprintf(db_path, sizeof db_path, "%s/query.db", tmp_dir);
    check_remove_db(db_path);
    oom_arm(0);
    CHECK(td_engine_open(db_path, &eng, &err) == TD_OK);
    if (!eng)
        return;
    memset(&rs, 0, sizeof rs);
    rs.all_ok = 1;
    out_reset();
    add_range(eng, 0, N_ARTICLES, &rs);
    CHECK(td_engine_add(eng, &query_extra[0], NULL, &err) == TD_OK);
    CHECK(td_engine_add(eng, &query_extra[1], NULL, &err) == TD_OK);
    CHECK(td_engine_commit(eng, &err) == TD_OK);
    td_engine_free(eng);
    CHECK(rs.all_ok);
    torture("query", scenario_query, db_path, STORE_READ);
    check_remove_db(db_path);
}

int main(void)
{
    oom_trace = getenv("OOM_TRACE") != NULL;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/td_oom_XXXXXX");
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(oom_engine_memory);
    RUN(oom_extract);
    RUN(oom_ingest_path);
    RUN(oom_file_store);
    RUN(oom_query);
    printf("%ld failure points exercised in all\n", total_points);
    rmdir(tmp_dir);
    return check_report();
}
