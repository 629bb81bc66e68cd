/*
** pipeline.c: the engine. Wires the stages in order for each article:
** ingest -> extract (HTML) -> site boilerplate -> analyze -> cluster ->
** story -> copies (lib/copies.c: the dedup stage) -> store, and
** keeps the store and the clustering state in step: one SQLite transaction
** per batch, the clustering state flushed in the same transaction, so a
** store reopened later continues exactly where it stopped.
**
** The same stages also run split in two (docs/internals/scale-out.md):
** td_prepare_record runs the stateless ones (read, extract, analyze, dedup
** signature) anywhere; td_engine_add_prepared the stateful rest, in order.
*/
#include "tidings.h"
#include "article.h"
#include "cluster/cluster.h"
#include "copies.h"
#include "entity_index.h"
#include "extract/extract.h"
#include "extract/site.h"
#include "ingest/ingest.h"
#include "pipeline.h"
#include "prepared.h"
#include "story/story.h"
#include "store/store.h"
#include "text/text.h"
#include "util/family.h"
#include "util/map.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Articles per transaction when the caller does not commit. */
#define BATCH 2000
/* The representative is judged on its heaviest terms. */
#define REP_TERMS 64

struct td_engine {
    td_store *store;
    td_analyzer *analyzer;
    td_cluster *cluster;
    td_site_lines *sites;  /* learned per-site boilerplate lines */
    td_copies *copies;     /* near-duplicates and copy groups */
    td_map metas;          /* story id -> td_story_meta*, touched this batch */
    uint32_t pending;      /* articles since the last commit */
    int broken;            /* a failure left memory and store out of step:
                           ** the open batch is rolled back, never committed */
    uint64_t next_seq;     /* stream: the next seq expected (scale-out.md) */
    int seq_dirty;         /* next_seq changed since the last commit */
    uint64_t reanalysed;   /* prepared articles analysed again */
    td_wterm rep[REP_TERMS];
    uint64_t rep_key[REP_TERMS];
    float rep_w[REP_TERMS];
    char *path;
    int readonly;          /* td_engine_open_readonly(): reads only */
    uint64_t *ent_keys;    /* the last article's entity keys (entity_keys) */
    size_t cap_ent_keys;
};

static td_status load_story_state(void *ud, int64_t story, const void *blob,
                                  size_t len)
{
    return td__cluster_load_story(ud, story, blob, len);
}

static td_status load_df(void *ud, uint64_t key, uint32_t n)
{
    return td__cluster_load_df(ud, key, n);
}

static td_status load_site(void *ud, uint64_t key, uint32_t n)
{
    return td__site_load(ud, key, n);
}

static td_status load_state(td_engine *eng, td_error *err)
{
    td_cluster_counters k;
    int64_t v;
    td_status rc;
    /* A callback's failure (out of memory) leaves err as it was: clear it
    ** first, so that the message test below never reads what the caller
    ** left there (valgrind found it uninitialised). */
    if (err)
        err->msg[0] = '\0';
    td__cluster_get_counters(eng->cluster, &k);
    if (td__store_get_meta(eng->store, "n_docs", &v, NULL) == TD_OK)
        k.n_docs = v;
    if (td__store_get_meta(eng->store, "next_story", &v, NULL) == TD_OK)
        k.next_story = v;
    eng->next_seq = 1;
    if (td__store_get_meta(eng->store, "stream_next_seq", &v, NULL) == TD_OK &&
        v > 0)
        eng->next_seq = (uint64_t)v;
    td__cluster_set_counters(eng->cluster, &k);
    rc = td__store_each_df(eng->store, load_df, eng->cluster, err);
    if (rc == TD_OK)
        rc = td__store_each_story_state(eng->store, load_story_state,
                                        eng->cluster, err);
    if (rc == TD_OK)
        rc = td__store_each_count(eng->store, TD_COUNTER_SITE, load_site,
                                  eng->sites, err);
    if (rc != TD_OK && err && err->msg[0] == '\0')
        td__error_set(err, rc, eng->path, 0, "cannot load clustering state: %s",
                      td_strerror(rc));
    return rc;
}

td_status td_engine_open(const char *path, td_engine **out, td_error *err)
{
    td_engine *eng;
    td_status rc;
    *out = NULL;
    if (!path)
        path = "tidings.db";
    eng = calloc(1, sizeof *eng);
    if (!eng)
        return td__error_set(err, TD_ENOMEM, path, 0, "out of memory");
    td__map_init(&eng->metas);
    eng->path = td__strdup(path);
    eng->analyzer = td__analyzer_new();
    eng->cluster = td__cluster_new();
    eng->sites = td__site_new();
    eng->copies = td__copies_new();
    if (!eng->path || !eng->analyzer || !eng->cluster || !eng->sites ||
        !eng->copies) {
        td_engine_free(eng);
        return td__error_set(err, TD_ENOMEM, path, 0, "out of memory");
    }
    rc = td__store_open(path, &eng->store, err);
    if (rc == TD_OK)
        rc = td__entity_index_backfill(eng->store, err);
    if (rc == TD_OK)
        rc = load_state(eng, err);
    if (rc != TD_OK) {
        td_engine_free(eng);
        return rc;
    }
    *out = eng;
    return TD_OK;
}

static td_status save_story_state(void *ud, int64_t story, const void *blob,
                                  size_t len)
{
    return td__store_put_story_state(ud, story, blob, len, NULL);
}

static td_status save_df(void *ud, uint64_t key, uint32_t n)
{
    return td__store_put_df(ud, key, n, NULL);
}

static td_status save_site(void *ud, uint64_t key, uint32_t n)
{
    return td__store_put_count(ud, TD_COUNTER_SITE, key, n, NULL);
}

static void free_metas(td_engine *eng)
{
    size_t i = 0;
    uint64_t key, val;
    while (td__map_next(&eng->metas, &i, &key, &val))
        free((td_story_meta *)(uintptr_t)val);
    td__map_free(&eng->metas);
}

td_status td_engine_open_readonly(const char *path, td_engine **out,
                                  td_error *err)
{
    td_engine *eng;
    td_status rc;
    *out = NULL;
    if (!path)
        path = "tidings.db";
    eng = calloc(1, sizeof *eng);
    if (!eng || !(eng->path = td__strdup(path))) {
        free(eng);
        return td__error_set(err, TD_ENOMEM, path, 0, "out of memory");
    }
    td__map_init(&eng->metas);
    eng->readonly = 1;
    if ((rc = td__store_open_readonly(path, &eng->store, err)) != TD_OK) {
        td_engine_free(eng);
        return rc;
    }
    *out = eng;
    return TD_OK;
}

static td_status commit_batch(td_engine *eng, td_error *err)
{
    td_cluster_counters k;
    size_t i = 0;
    uint64_t key, val;
    td_status rc;
    unsigned char blob[8 + sizeof(td_story_meta)];

    if (eng->broken)
        return td__error_set(err, TD_ESTORE, eng->path, 0,
                             "an earlier failure left the batch incomplete; "
                             "it was not committed");
    if ((rc = td__store_begin(eng->store, err)) != TD_OK)
        return rc;
    while (td__map_next(&eng->metas, &i, &key, &val)) {
        const td_story_meta *m = (const td_story_meta *)(uintptr_t)val;
        char langs[TD_STORY_LANGS * 8], ents[512];
        td_story_summary sum;
        size_t len = td__story_save(m, blob, sizeof blob);
        td__story_langs(m, langs, sizeof langs);
        td__story_entities(m, 5, ents, sizeof ents);
        sum.id = m->id;
        sum.n_articles = m->n_articles;
        sum.langs = langs;
        sum.first_date = m->first_date;
        sum.last_date = m->last_date;
        sum.title = m->rep_title;
        sum.entities = ents;
        if ((rc = td__store_put_story(eng->store, &sum, blob, len, err)) != TD_OK)
            return rc;
    }
    free_metas(eng);
    rc = td__cluster_flush(eng->cluster, save_story_state, save_df, eng->store);
    if (rc == TD_OK)
        rc = td__site_flush(eng->sites, save_site, eng->store);
    if (rc != TD_OK)
        return td__error_set(err, rc, eng->path, 0,
                             "cannot save clustering state: %s", td_strerror(rc));
    td__cluster_get_counters(eng->cluster, &k);
    if ((rc = td__store_set_meta(eng->store, "n_docs", k.n_docs, err)) != TD_OK ||
        (rc = td__store_set_meta(eng->store, "next_story", k.next_story, err)) != TD_OK)
        return rc;
    if (eng->seq_dirty &&
        (rc = td__store_set_meta(eng->store, "stream_next_seq",
                                 (int64_t)eng->next_seq, err)) != TD_OK)
        return rc;
    eng->seq_dirty = 0;
    eng->pending = 0;
    return td__store_commit(eng->store, err);
}

td_status td_engine_commit(td_engine *eng, td_error *err)
{
    td_status rc;
    if (eng->readonly)
        return TD_OK;   /* nothing can be pending */
    rc = commit_batch(eng, err);
    /* A failed commit has already flushed part of the in-memory state. */
    if (rc != TD_OK)
        eng->broken = 1;
    return rc;
}

void td_engine_free(td_engine *eng)
{
    if (!eng)
        return;
    if (eng->store && eng->broken)
        td__store_rollback(eng->store, NULL);
    else if (eng->store && eng->pending)
        td_engine_commit(eng, NULL);
    td__store_free(eng->store);
    td__analyzer_free(eng->analyzer);
    td__cluster_free(eng->cluster);
    td__site_free(eng->sites);
    td__copies_free(eng->copies);
    free_metas(eng);
    free(eng->path);
    free(eng->ent_keys);
    free(eng);
}

/* The story description, from this batch's cache or the store. */
static td_story_meta *story_meta(td_engine *eng, int64_t story, int is_new)
{
    int added;
    uint64_t *slot = td__map_put(&eng->metas, (uint64_t)story, &added);
    td_story_meta *m;
    void *blob = NULL;
    size_t len = 0;
    td_status rc = TD_ENOTFOUND;
    if (!slot)
        return NULL;
    if (!added)
        return (td_story_meta *)(uintptr_t)*slot;
    m = malloc(sizeof *m);
    if (!is_new && m)
        rc = td__store_get_story_meta(eng->store, story, &blob, &len, NULL);
    /* A failed read (no memory, store error) must not restart the story's
    ** description from nothing; only a missing one does. */
    if (!m || (rc != TD_OK && rc != TD_ENOTFOUND)) {
        free(m);
        td__map_del(&eng->metas, (uint64_t)story);
        return NULL;
    }
    if (rc != TD_OK || td__story_load(m, blob, len) != TD_OK)
        td__story_init(m, story);
    free(blob);
    *slot = (uint64_t)(uintptr_t)m;
    return m;
}

/* A title for display: the title, or the text's first line, cut. */
static void display_title(const td_article *art, char *buf, size_t cap)
{
    const char *s = art->title && *art->title ? art->title : art->text;
    size_t n = 0;
    if (!s) {
        buf[0] = '\0';
        return;
    }
    while (s[n] && s[n] != '\n' && n < cap - 1)
        n++;
    while (n > 0 && n == cap - 1 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

static int is_blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* The representative's terms as the story keeps them: keys and weights of
** the terms the same-language cosine counts (name prefixes and pivots count
** only across languages, so they add nothing to its centrality). Returns
** how many. */
static size_t split_terms(const td_wterm *v, size_t n, uint64_t *keys,
                          float *w)
{
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        if (v[i].kind == TD_TERM_PREFIX || v[i].kind == TD_TERM_PIVOT)
            continue;
        keys[o] = v[i].key;
        w[o++] = v[i].w;
    }
    return o;
}

/* Removes the lines learned as its site's boilerplate from the text and
** learns from this page. *removed gets the number of lines removed. */
static td_status learn_site(td_engine *eng, td_article *art, size_t *removed)
{
    char *site;
    td_status rc = TD_OK;
    *removed = 0;
    if (!art->text)
        return TD_OK;
    site = td__site_of(art->url, art->source, &rc);
    if (rc == TD_OK)
        rc = td__site_clean(eng->sites, site, art->text, removed);
    free(site);
    return rc;
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The key each entity of an counts under in its story's row: the family
** of its entity key when it has one (util/family.h), else its own key.
** The key is made in a fixed buffer: a longer name keeps its own. */
static td_status entity_keys(td_engine *eng, const td_analysis *an)
{
    size_t i;
    char buf[256];
    td_buf kb;
    if (an->n_entities &&
        td__grow((void **)&eng->ent_keys, &eng->cap_ent_keys, an->n_entities,
                 sizeof *eng->ent_keys) != TD_OK)
        return TD_ENOMEM;
    td__buf_fixed(&kb, buf, sizeof buf);
    for (i = 0; i < an->n_entities; i++) {
        const td_entity *e = &an->entities[i];
        uint64_t fam = 0;
        td__buf_reset(&kb);
        if (e->norm && e->display &&
            td__key_from_norm(e->norm, strlen(e->norm), &kb) == TD_OK &&
            td__buf_putc(&kb, '\0') == TD_OK)
            fam = td__key_family(kb.data, e->display, strlen(e->display));
        eng->ent_keys[i] = fam ? fam : e->key;
    }
    return TD_OK;
}

/* Analyse, cluster, describe and store one extracted article. pre (may be
** NULL) is the article's analysis and signature made by a worker from the
** text before the site step: used when that step removed nothing. */
static td_status process(td_engine *eng, td_article *art,
                         const td_prepared *pre, int64_t *story_out,
                         td_error *err)
{
    td_analysis an;
    const td_analysis *use = &an;
    const td_dedup_sig *sig = NULL;
    size_t removed;
    td_cluster_result res;
    td_story_meta *m;
    td_store_copy copy;
    const td_wterm *vec;
    size_t n_vec, n_rep;
    double centrality, rep_now = -1;
    char title[TD_STORY_TITLE_MAX];
    td_status rc;
    int has;

    if (eng->readonly)
        return td__error_set(err, TD_EINVAL, art->where, 0,
                             "the store is open read-only");
    if (!art->id || !*art->id)
        return td__error_set(err, TD_EMISSING, art->where, 0, "missing id");
    if (is_blank(art->text) && is_blank(art->title))
        return td__error_set(err, TD_EMISSING, art->where, 0, "missing text");
    has = td__store_has_article(eng->store, art->id);
    if (has < 0)
        return td__error_set(err, TD_ESTORE, art->where, 0,
                             "store lookup failed for id '%s'", art->id);
    if (has)
        return td__error_set(err, TD_EDUPID, art->where, 0,
                             "duplicate id '%s' (already stored; nothing replaced)",
                             art->id);
    if ((rc = td__store_begin(eng->store, err)) != TD_OK)
        return rc;
    if ((rc = learn_site(eng, art, &removed)) != TD_OK) {
        eng->broken = 1;
        return td__error_set(err, rc, art->where, 0, "out of memory");
    }

    memset(&an, 0, sizeof an);
    /* The worker's analysis holds when the site step left the text as the
    ** worker saw it (compared, not just counted: the step also trims). */
    if (pre && removed == 0 && same_text(art->text, pre->art.text)) {
        use = &pre->an;
        sig = &pre->sig;
    } else {
        if (pre)
            eng->reanalysed++;
        rc = td__analyze(eng->analyzer, art->title, art->text, art->lang_hint,
                         &an);
        if (rc != TD_OK) {
            td__analysis_clear(&an);
            return td__error_set(err, rc, art->where, 0, "analysis failed: %s",
                                 td_strerror(rc));
        }
    }
    if ((rc = entity_keys(eng, use)) != TD_OK) {
        td__analysis_clear(&an);
        return td__error_set(err, rc, art->where, 0, "out of memory");
    }
#ifdef TD_TUNING
    if (getenv("TD_DEBUG"))
        fprintf(stderr, "art %s\n", art->id);
#endif
    rc = td__cluster_add(eng->cluster, use, art->date, &res);
    if (rc != TD_OK) {
        td__analysis_clear(&an);
        eng->broken = 1;
        return td__error_set(err, rc, art->where, 0, "clustering failed: %s",
                             td_strerror(rc));
    }

    m = story_meta(eng, res.story, res.is_new);
    if (!m) {
        td__analysis_clear(&an);
        eng->broken = 1;
        return td__error_set(err, TD_ENOMEM, art->where, 0, "out of memory");
    }
    /* Centrality: the article's heaviest terms against the centroid, and
    ** the representative's the same way, so the two compare fairly. */
    vec = td__cluster_last_vector(eng->cluster, &n_vec);
    n_rep = td__wterm_top(vec, n_vec, REP_TERMS, eng->rep);
    centrality = td__cluster_similarity(eng->cluster, res.story, eng->rep, n_rep);
    n_rep = split_terms(eng->rep, n_rep, eng->rep_key, eng->rep_w);
    if (m->n_rep) {
        td_wterm cur[TD_STORY_REP_TERMS];
        uint32_t i;
        for (i = 0; i < m->n_rep; i++) {
            cur[i].key = m->rep_key[i];
            cur[i].w = m->rep_w[i];
            cur[i].kind = TD_TERM_WORD;  /* any kind the cosine counts */
        }
        rep_now = td__cluster_similarity(eng->cluster, res.story, cur, m->n_rep);
    }
    display_title(art, title, sizeof title);
    td__story_add(m, use, eng->ent_keys, art->date, title, eng->rep_key,
                  eng->rep_w, n_rep, centrality, rep_now);

    rc = td__copies_add(eng->copies, eng->store, art, sig, &copy, err);
    if (rc == TD_OK && res.translation_of)
        rc = td__copies_translation(eng->copies, eng->store,
                                    res.translation_of, res.translation_share,
                                    &copy, err);
    if (rc == TD_OK)
        rc = td__store_add_article(eng->store, art, use, res.story, &copy, err);
    if (rc == TD_OK)
        rc = td__entity_index_add(eng->store, use, res.story, art->date, err);
    td__analysis_clear(&an);
    if (rc != TD_OK) {
        /* The clusterer and the copy index counted an article the store
        ** does not hold. */
        eng->broken = 1;
        return rc;
    }
    if (story_out)
        *story_out = res.story;
    if (++eng->pending >= BATCH)
        return td_engine_commit(eng, err);
    return TD_OK;
}

/* Extracts the HTML of an article into its text (and title, lang, url);
** plain text has its boilerplate lines removed. */
static td_status extract(td_article *art, td_error *err)
{
    td_status rc;
    if (!art->html)
        return td__extract_text(art, err);
    rc = td__extract_html(art->html, strlen(art->html), art, err);
    free(art->html);
    art->html = NULL;
    return rc;
}

static char *copy_field(const char *s, const char *where, const char *name,
                        td_status *rc, td_error *err)
{
    size_t len;
    char *copy;
    if (!s || *rc != TD_OK)
        return NULL;
    len = strlen(s);
    if (len > TD_MAX_FIELD) {
        *rc = td__error_set(err, TD_ETOOBIG, where, 0, "field %s over %u bytes",
                            name, (unsigned)TD_MAX_FIELD);
        return NULL;
    }
    if (td__utf8_valid_prefix(s, len) != len) {
        *rc = td__error_set(err, TD_EUTF8, where, td__utf8_valid_prefix(s, len),
                            "invalid UTF-8 in field %s", name);
        return NULL;
    }
    if ((copy = td__strndup(s, len)) == NULL)
        *rc = td__error_set(err, TD_ENOMEM, where, 0, "out of memory");
    return copy;
}

td_status td_engine_add(td_engine *eng, const td_input *in, int64_t *story_out,
                        td_error *err)
{
    td_article art;
    td_status rc = TD_OK;
    const char *where = in->where ? in->where : (in->id ? in->id : "");
    memset(&art, 0, sizeof art);
    snprintf(art.where, sizeof art.where, "%s", where);
    art.date = in->date;
    art.id = copy_field(in->id, where, "id", &rc, err);
    art.url = copy_field(in->url, where, "url", &rc, err);
    art.source = copy_field(in->source, where, "source", &rc, err);
    art.title = copy_field(in->title, where, "title", &rc, err);
    art.text = copy_field(in->text, where, "text", &rc, err);
    art.html = copy_field(in->html, where, "html", &rc, err);
    art.lang_hint = copy_field(in->lang, where, "lang", &rc, err);
    if (rc == TD_OK)
        rc = extract(&art, err);
    if (rc == TD_OK)
        rc = process(eng, &art, NULL, story_out, err);
    td__article_clear(&art);
    return rc;
}

/* Ingest by path: the ingest stage reads, this sink runs the rest. */
typedef struct ingest_ctx {
    td_engine *eng;
    td_ingest_stats *stats;
    td_reject_fn on_reject;
    td_progress_fn on_progress;
    void *ud;
    td_status fatal;
    td_error fatal_err;
} ingest_ctx;

static void reject(void *ud, const td_error *e)
{
    ingest_ctx *ctx = ud;
    ctx->stats->rejected++;
    if (ctx->on_reject)
        ctx->on_reject(ctx->ud, e);
}

static td_status sink(void *ud, td_article *art)
{
    ingest_ctx *ctx = ud;
    td_error e;
    td_status rc;
    memset(&e, 0, sizeof e);
    rc = extract(art, &e);
    if (rc == TD_OK)
        rc = process(ctx->eng, art, NULL, NULL, &e);
    if (rc == TD_OK) {
        ctx->stats->added++;
        if (ctx->on_progress)
            ctx->on_progress(ctx->ud, ctx->stats);
        return TD_OK;
    }
    if (rc == TD_EDUPID) {
        ctx->stats->duplicates++;
        if (ctx->on_reject)
            ctx->on_reject(ctx->ud, &e);
        return TD_OK;
    }
    if (rc == TD_ENOMEM || rc == TD_ESTORE || rc == TD_EIO) {
        /* The engine itself failed: stop rather than drop articles. */
        ctx->fatal = rc;
        ctx->fatal_err = e;
        return rc;
    }
    reject(ud, &e);
    return TD_OK;
}

td_status td_engine_ingest_path(td_engine *eng, const char *path,
                                td_ingest_stats *stats, td_reject_fn on_reject,
                                td_progress_fn on_progress, void *ud,
                                td_error *err)
{
    ingest_ctx ctx;
    td_status rc;
    memset(&ctx, 0, sizeof ctx);
    ctx.eng = eng;
    ctx.stats = stats;
    ctx.on_reject = on_reject;
    ctx.on_progress = on_progress;
    ctx.ud = ud;
    rc = td__ingest_path(path, sink, reject, &ctx, &stats->bytes, err);
    if (ctx.fatal != TD_OK) {
        if (err)
            *err = ctx.fatal_err;
        return ctx.fatal;
    }
    if (rc != TD_OK)
        return rc;
    return td_engine_commit(eng, err);
}

/* Read back: the store answers. Pending work is committed first so that
** what was added is what is read. */
td_status td_engine_stories(td_engine *eng, td_story_list **out, td_error *err)
{
    td_status rc = eng->pending ? td_engine_commit(eng, err) : TD_OK;
    return rc != TD_OK ? rc : td__store_stories(eng->store, out, err);
}

td_status td_engine_story(td_engine *eng, int64_t story, td_story_list **out,
                          td_error *err)
{
    td_status rc = eng->pending ? td_engine_commit(eng, err) : TD_OK;
    *out = NULL;
    return rc != TD_OK ? rc : td__store_story(eng->store, story, out, err);
}

td_status td_engine_search_stories(td_engine *eng, const char *query,
                                   td_story_list **out, td_error *err)
{
    td_status rc = eng->pending ? td_engine_commit(eng, err) : TD_OK;
    *out = NULL;
    return rc != TD_OK ? rc
                       : td__store_search_stories(eng->store, query, 1, out,
                                                  err);
}

td_status td_engine_story_rows(td_engine *eng, const char *query,
                               td_story_list **out, td_error *err)
{
    td_status rc = eng->pending ? td_engine_commit(eng, err) : TD_OK;
    *out = NULL;
    if (rc != TD_OK)
        return rc;
    return query ? td__store_search_stories(eng->store, query, 0, out, err)
                 : td__store_story_rows(eng->store, out, err);
}

td_status td_engine_story_page(td_engine *eng, const td_list_query *q,
                               td_story_list **out, uint64_t *total,
                               uint64_t *start, td_error *err)
{
    td_status rc = eng->pending ? td_engine_commit(eng, err) : TD_OK;
    *out = NULL;
    *total = *start = 0;
    if (rc != TD_OK)
        return rc;
    if (!q || (q->lang && (strlen(q->lang) > TD_MAX_FIELD ||
                           td__utf8_valid_prefix(q->lang, strlen(q->lang))
                               != strlen(q->lang))))
        return td__error_set(err, TD_EINVAL, "", 0,
                             "story page: no query, or a bad language");
    return td__store_story_page(eng->store, q, out, total, start, err);
}

td_status td_engine_story_sources(td_engine *eng, td_story_row *row,
                                  td_error *err)
{
    td_status rc = eng->pending ? td_engine_commit(eng, err) : TD_OK;
    if (rc != TD_OK)
        return rc;
    free(row->origin_id);
    free(row->origin_credits);
    row->origin_id = row->origin_credits = NULL;
    return td__store_story_sources(eng->store, row, err);
}

td_status td_engine_read_begin(td_engine *eng, td_error *err)
{
    return eng->readonly ? td__store_read_begin(eng->store, err) : TD_OK;
}

void td_engine_read_end(td_engine *eng)
{
    if (eng->readonly)
        td__store_read_end(eng->store);
}

td_status td_engine_story_articles(td_engine *eng, int64_t story,
                                   td_article_list **out, td_error *err)
{
    td_status rc = eng->pending ? td_engine_commit(eng, err) : TD_OK;
    return rc != TD_OK ? rc
                       : td__store_story_articles(eng->store, story, out, err);
}

td_status td_engine_article(td_engine *eng, const char *id,
                            td_article_list **out, td_error *err)
{
    td_status rc = eng->pending ? td_engine_commit(eng, err) : TD_OK;
    return rc != TD_OK ? rc : td__store_article(eng->store, id, out, err);
}

td_status td_engine_each_article(td_engine *eng, td_article_fn fn, void *ud,
                                 td_error *err)
{
    td_status rc = eng->pending ? td_engine_commit(eng, err) : TD_OK;
    return rc != TD_OK ? rc : td__store_each_article(eng->store, fn, ud, err);
}

td_status td_engine_copies(td_engine *eng, int64_t story, td_copy_list **out,
                           td_error *err)
{
    td_status rc = eng->pending ? td_engine_commit(eng, err) : TD_OK;
    return rc != TD_OK ? rc : td__store_copies(eng->store, story, out, err);
}

td_status td_engine_entity_stories(td_engine *eng, const char *name,
                                   td_entity_list **out, td_error *err)
{
    td_status rc;
    char *key;
    *out = NULL;
    if (!name || strlen(name) > TD_MAX_FIELD ||
        td__utf8_valid_prefix(name, strlen(name)) != strlen(name))
        return td__error_set(err, TD_EINVAL, "", 0,
                             "entity name: empty, too long or not UTF-8");
    if (eng->pending && (rc = td_engine_commit(eng, err)) != TD_OK)
        return rc;
    if (!(key = td__entity_key(name, strlen(name))))
        return td__error_set(err, TD_ENOMEM, name, 0, "out of memory");
    if (!*key)
        rc = td__error_set(err, TD_EINVAL, name, 0,
                           "entity name has no letters or digits");
    else
        rc = td__store_entity_stories(eng->store, key, out, err);
    free(key);
    return rc;
}

/* Split pipeline (docs/internals/scale-out.md) ---------------------------- */

struct td_preparer {
    td_analyzer *analyzer;
};

td_status td_preparer_new(td_preparer **out, td_error *err)
{
    td_preparer *p = calloc(1, sizeof *p);
    *out = NULL;
    if (p)
        p->analyzer = td__analyzer_new();
    if (!p || !p->analyzer) {
        td_preparer_free(p);
        return td__error_set(err, TD_ENOMEM, "", 0, "out of memory");
    }
    *out = p;
    return TD_OK;
}

void td_preparer_free(td_preparer *p)
{
    if (!p)
        return;
    td__analyzer_free(p->analyzer);
    free(p);
}

td_prepared *td__prepared_new(void)
{
    return calloc(1, sizeof(td_prepared));
}

void td_prepared_free(td_prepared *p)
{
    if (!p)
        return;
    td__article_clear(&p->art);
    td__analysis_clear(&p->an);
    free(p);
}

td_status td_prepare_record(td_preparer *p, const char *record, size_t len,
                            const char *where, td_prepared **out,
                            td_error *err)
{
    td_prepared *pr = td__prepared_new();
    const char *text;
    td_status rc;
    *out = NULL;
    if (!where)
        where = "";
    if (!pr)
        return td__error_set(err, TD_ENOMEM, where, 0, "out of memory");
    rc = td__parse_json_record(record, len, where, &pr->art, err);
    if (rc == TD_OK)
        rc = extract(&pr->art, err);
    if (rc == TD_OK &&
        (rc = td__analyze(p->analyzer, pr->art.title, pr->art.text,
                          pr->art.lang_hint, &pr->an)) != TD_OK)
        td__error_set(err, rc, where, 0, "analysis failed: %s",
                      td_strerror(rc));
    text = pr->art.text ? pr->art.text : "";
    if (rc == TD_OK &&
        (rc = td__dedup_signature(text, strlen(text), &pr->sig)) != TD_OK)
        td__error_set(err, rc, where, 0, "signature: %s", td_strerror(rc));
    if (rc != TD_OK) {
        td_prepared_free(pr);
        return rc;
    }
    *out = pr;
    return TD_OK;
}

/* A copy of s (NULL stays NULL); *rc becomes TD_ENOMEM on failure. */
static char *dup_or_null(const char *s, td_status *rc)
{
    char *copy;
    if (!s)
        return NULL;
    if ((copy = td__strdup(s)) == NULL)
        *rc = TD_ENOMEM;
    return copy;
}

td_status td_engine_add_prepared(td_engine *eng, const td_prepared *p,
                                 int64_t *story_out, td_error *err)
{
    td_article art;
    td_status rc = TD_OK;
    if (p->reject != TD_OK) {
        if (err)
            *err = p->err;
        return p->reject;
    }
    /* The site step edits the text in place: work on a copy. */
    memset(&art, 0, sizeof art);
    memcpy(art.where, p->art.where, sizeof art.where);
    art.where[sizeof art.where - 1] = '\0';
    art.date = p->art.date;
    art.id = dup_or_null(p->art.id, &rc);
    art.url = dup_or_null(p->art.url, &rc);
    art.source = dup_or_null(p->art.source, &rc);
    art.title = dup_or_null(p->art.title, &rc);
    art.text = dup_or_null(p->art.text, &rc);
    art.lang_hint = dup_or_null(p->art.lang_hint, &rc);
    if (rc != TD_OK)
        td__error_set(err, rc, art.where, 0, "out of memory");
    else
        rc = process(eng, &art, p, story_out, err);
    td__article_clear(&art);
    return rc;
}

uint64_t td__engine_next_seq(const td_engine *eng)
{
    return eng->next_seq;
}

void td__engine_seq_done(td_engine *eng, uint64_t seq)
{
    eng->next_seq = seq + 1;
    eng->seq_dirty = 1;
}

uint64_t td__engine_reanalysed(const td_engine *eng)
{
    return eng->reanalysed;
}
