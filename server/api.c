/*
** api.c: the read side of the HTTP API: the story list (filtered and paged
** here, over td_engine_stories), one story with its articles, timeline,
** languages and sources, one article, and the Prometheus metrics. Each call
** holds the engine lock only while it reads from the engine.
*/
#include "server.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500
#define SNIPPET_BYTES 280

/* JSON building with one failure flag: every add checks it, so an out of
** memory anywhere turns the whole reply into a 500. */
typedef struct builder {
    int failed;
} builder;

static cJSON *check(builder *b, cJSON *item)
{
    if (!item)
        b->failed = 1;
    return item;
}

static void add_str(builder *b, cJSON *obj, const char *name, const char *s)
{
    if (s)
        check(b, cJSON_AddStringToObject(obj, name, s));
    else
        check(b, cJSON_AddNullToObject(obj, name));
}

static void add_num(builder *b, cJSON *obj, const char *name, double v)
{
    check(b, cJSON_AddNumberToObject(obj, name, v));
}

/* "2026-10-14T04:10:00Z", or null for TD_NO_DATE. */
static void add_time(builder *b, cJSON *obj, const char *name, int64_t t)
{
    char buf[32];
    struct tm tm;
    time_t tt = (time_t)t;
    if (t == TD_NO_DATE || !gmtime_r(&tt, &tm) ||
        !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        check(b, cJSON_AddNullToObject(obj, name));
        return;
    }
    add_str(b, obj, name, buf);
}

/* Adds s split at sep ("; " or ",") as an array of strings, empty parts
** left out. */
static void add_list(builder *b, cJSON *obj, const char *name, const char *s,
                     const char *sep)
{
    cJSON *arr = check(b, cJSON_AddArrayToObject(obj, name));
    size_t seplen = strlen(sep);
    char part[512];
    if (!arr || !s)
        return;
    while (*s) {
        const char *end = strstr(s, sep);
        size_t n = end ? (size_t)(end - s) : strlen(s);
        while (n > 0 && s[0] == ' ') {
            s++;
            n--;
        }
        if (n > 0 && n < sizeof part) {
            memcpy(part, s, n);
            part[n] = '\0';
            if (!cJSON_AddItemToArray(arr, check(b, cJSON_CreateString(part))))
                b->failed = 1;
        }
        if (!end)
            break;
        s = end + seplen;
    }
}

static void engine_error(srv_reply *reply, const td_error *err, td_status rc)
{
    if (rc == TD_ENOMEM)
        srv_reply_error(reply, 503, "no_memory", "out of memory");
    else
        srv_reply_error(reply, 500, "store_error",
                        err->msg[0] ? err->msg : td_strerror(rc));
}

static void finish(srv_reply *reply, builder *b, int status, cJSON *root)
{
    if (b->failed) {
        cJSON_Delete(root);
        root = NULL;
    }
    srv_reply_json(reply, status, root);
}

static void add_story(builder *b, cJSON *obj, const td_story_row *row)
{
    add_num(b, obj, "id", (double)row->id);
    add_str(b, obj, "title", row->title);
    add_num(b, obj, "articles", row->n_articles);
    add_list(b, obj, "languages", row->langs, ",");
    add_time(b, obj, "first_date", row->first_date);
    add_time(b, obj, "last_date", row->last_date);
    add_list(b, obj, "entities", row->entities, "; ");
}

/* 1 when the comma-separated list has lang (ASCII case ignored). */
static int has_lang(const char *langs, const char *lang)
{
    size_t n = strlen(lang);
    const char *p = langs;
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncasecmp(p, lang, n) == 0)
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static int story_matches(const td_story_row *row, const char *lang,
                         const char *q)
{
    if (lang && *lang && !has_lang(row->langs, lang))
        return 0;
    if (q && *q &&
        !(row->title && strcasestr(row->title, q)) &&
        !(row->entities && strcasestr(row->entities, q)))
        return 0;
    return 1;
}

/* Parses a whole decimal number in [lo, hi] into *out; 0 when it is not. */
static int parse_count(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return 0;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

void srv_api_stories(srv_server *srv, srv_arg_fn arg, void *ud,
                     srv_reply *reply)
{
    td_story_list *list = NULL;
    td_error err;
    td_status rc;
    const char *lang = arg(ud, "lang"), *q = arg(ud, "q"), *s;
    long limit = DEFAULT_LIMIT, offset = 0;
    size_t i, matched = 0;
    builder b = {0};
    cJSON *root, *arr;

    if ((s = arg(ud, "limit")) && !parse_count(s, 1, MAX_LIMIT, &limit)) {
        srv_reply_error(reply, 400, "bad_param",
                        "limit: a whole number from 1 to 500");
        return;
    }
    if ((s = arg(ud, "offset")) && !parse_count(s, 0, 1L << 30, &offset)) {
        srv_reply_error(reply, 400, "bad_param",
                        "offset: a whole number from 0");
        return;
    }
    memset(&err, 0, sizeof err);
    pthread_mutex_lock(&srv->lock);
    rc = td_engine_stories(srv->eng, &list, &err);
    pthread_mutex_unlock(&srv->lock);
    if (rc != TD_OK) {
        engine_error(reply, &err, rc);
        return;
    }
    root = check(&b, cJSON_CreateObject());
    arr = root ? check(&b, cJSON_AddArrayToObject(root, "stories")) : NULL;
    for (i = 0; arr && i < list->n; i++) {
        cJSON *obj;
        if (!story_matches(&list->rows[i], lang, q))
            continue;
        matched++;
        if (matched <= (size_t)offset || matched > (size_t)(offset + limit))
            continue;
        obj = check(&b, cJSON_CreateObject());
        if (!obj || !cJSON_AddItemToArray(arr, obj)) {
            cJSON_Delete(obj);
            b.failed = 1;
            break;
        }
        add_story(&b, obj, &list->rows[i]);
    }
    td_story_list_free(list);
    if (root) {
        add_num(&b, root, "total", (double)matched);
        if (matched > (size_t)(offset + limit))
            add_num(&b, root, "next", (double)(offset + limit));
        else
            check(&b, cJSON_AddNullToObject(root, "next"));
    }
    finish(reply, &b, 200, root);
}

/* The first SNIPPET_BYTES of text, cut at a space and never inside a UTF-8
** sequence, with "…" when cut. New; free(). */
static char *snippet(const char *text)
{
    size_t n = text ? strlen(text) : 0, cut;
    char *out;
    if (n <= SNIPPET_BYTES)
        return text ? strdup(text) : NULL;
    cut = SNIPPET_BYTES;
    while (cut > SNIPPET_BYTES / 2 && text[cut] != ' ')
        cut--;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    if (!(out = malloc(cut + 4)))
        return NULL;
    memcpy(out, text, cut);
    memcpy(out + cut, "\xE2\x80\xA6", 4);
    return out;
}

/* Counts of equal keys: a tiny list, fine for the articles of one story. */
typedef struct tally {
    char key[128];
    unsigned n;
} tally;

static void count_key(tally *t, size_t *n, const char *key)
{
    size_t i;
    for (i = 0; i < *n; i++)
        if (strcmp(t[i].key, key) == 0) {
            t[i].n++;
            return;
        }
    snprintf(t[*n].key, sizeof t[*n].key, "%s", key);
    t[*n].n = 1;
    (*n)++;
}

static int by_count(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const tally *)a)->key, ((const tally *)b)->key);
}

static void add_tallies(builder *b, cJSON *obj, const char *name,
                        const char *key_name, tally *t, size_t n)
{
    cJSON *arr = check(b, cJSON_AddArrayToObject(obj, name));
    size_t i;
    for (i = 0; arr && i < n; i++) {
        cJSON *item = check(b, cJSON_CreateObject());
        if (!item || !cJSON_AddItemToArray(arr, item)) {
            cJSON_Delete(item);
            b->failed = 1;
            return;
        }
        add_str(b, item, key_name, t[i].key);
        add_num(b, item, "articles", t[i].n);
    }
}

/* Parses a story id: digits only, no sign, no leading zero. */
static int parse_story_id(const char *s, int64_t *out)
{
    int64_t v = 0;
    if (!*s || *s == '0')
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
            return 0;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return 1;
}

static void build_story(builder *b, cJSON *root, const td_story_row *row,
                        const td_article_list *arts)
{
    cJSON *obj = check(b, cJSON_AddObjectToObject(root, "story"));
    cJSON *arr;
    tally *days, *langs, *sources;
    size_t i, n_days = 0, n_langs = 0, n_sources = 0, undated = 0;
    char day[16];
    if (!obj)
        return;
    add_story(b, obj, row);
    arr = check(b, cJSON_AddArrayToObject(root, "articles"));
    for (i = 0; arr && i < arts->n; i++) {
        const td_article_row *a = &arts->rows[i];
        cJSON *item = check(b, cJSON_CreateObject());
        char *snip;
        if (!item || !cJSON_AddItemToArray(arr, item)) {
            cJSON_Delete(item);
            b->failed = 1;
            return;
        }
        add_str(b, item, "id", a->id);
        add_str(b, item, "title", a->title);
        add_str(b, item, "url", a->url);
        add_str(b, item, "source", a->source);
        add_str(b, item, "lang", a->lang);
        add_time(b, item, "date", a->date);
        add_list(b, item, "entities", a->entities, "; ");
        snip = snippet(a->text);
        if (a->text && !snip)
            b->failed = 1;
        add_str(b, item, "snippet", snip);
        free(snip);
    }
    days = calloc(arts->n + 1, sizeof *days);
    langs = calloc(arts->n + 1, sizeof *langs);
    sources = calloc(arts->n + 1, sizeof *sources);
    if (!days || !langs || !sources) {
        b->failed = 1;
    } else {
        for (i = 0; i < arts->n; i++) {
            const td_article_row *a = &arts->rows[i];
            if (a->date == TD_NO_DATE)
                undated++;
            else
                count_key(days, &n_days,
                          td_date_format(a->date, day, sizeof day));
            count_key(langs, &n_langs, a->lang && *a->lang ? a->lang : "und");
            count_key(sources, &n_sources,
                      a->source && *a->source ? a->source : "unknown");
        }
        qsort(days, n_days, sizeof *days, by_key);
        qsort(langs, n_langs, sizeof *langs, by_count);
        qsort(sources, n_sources, sizeof *sources, by_count);
        add_tallies(b, root, "timeline", "date", days, n_days);
        add_num(b, root, "undated", (double)undated);
        add_tallies(b, root, "languages", "lang", langs, n_langs);
        add_tallies(b, root, "sources", "source", sources, n_sources);
    }
    free(days);
    free(langs);
    free(sources);
}

void srv_api_story(srv_server *srv, const char *id, srv_reply *reply)
{
    td_story_list *list = NULL;
    td_article_list *arts = NULL;
    td_error err;
    td_status rc;
    int64_t story;
    const td_story_row *row = NULL;
    size_t i;
    builder b = {0};
    cJSON *root;

    if (!parse_story_id(id, &story)) {
        srv_reply_error(reply, 404, "not_found", "no such story");
        return;
    }
    memset(&err, 0, sizeof err);
    pthread_mutex_lock(&srv->lock);
    rc = td_engine_story_articles(srv->eng, story, &arts, &err);
    if (rc == TD_OK)
        rc = td_engine_stories(srv->eng, &list, &err);
    pthread_mutex_unlock(&srv->lock);
    if (rc == TD_ENOTFOUND) {
        td_article_list_free(arts);
        srv_reply_error(reply, 404, "not_found", "no such story");
        return;
    }
    if (rc != TD_OK) {
        td_article_list_free(arts);
        engine_error(reply, &err, rc);
        return;
    }
    for (i = 0; i < list->n; i++)
        if (list->rows[i].id == story)
            row = &list->rows[i];
    if (!row) {
        srv_reply_error(reply, 404, "not_found", "no such story");
    } else {
        root = check(&b, cJSON_CreateObject());
        if (root)
            build_story(&b, root, row, arts);
        finish(reply, &b, 200, root);
    }
    td_story_list_free(list);
    td_article_list_free(arts);
}

void srv_api_article(srv_server *srv, const char *id, srv_reply *reply)
{
    td_article_list *list = NULL;
    td_error err;
    td_status rc;
    builder b = {0};
    cJSON *root, *obj;
    const td_article_row *a;

    memset(&err, 0, sizeof err);
    pthread_mutex_lock(&srv->lock);
    rc = td_engine_article(srv->eng, id, &list, &err);
    pthread_mutex_unlock(&srv->lock);
    if (rc == TD_ENOTFOUND || (rc == TD_OK && list->n == 0)) {
        td_article_list_free(list);
        srv_reply_error(reply, 404, "not_found", "no such article");
        return;
    }
    if (rc != TD_OK) {
        engine_error(reply, &err, rc);
        return;
    }
    a = &list->rows[0];
    root = check(&b, cJSON_CreateObject());
    obj = root ? check(&b, cJSON_AddObjectToObject(root, "article")) : NULL;
    if (obj) {
        add_str(&b, obj, "id", a->id);
        add_num(&b, obj, "seq", (double)a->seq);
        add_num(&b, obj, "story", (double)a->story);
        add_str(&b, obj, "title", a->title);
        add_str(&b, obj, "url", a->url);
        add_str(&b, obj, "source", a->source);
        add_str(&b, obj, "lang", a->lang);
        add_time(&b, obj, "date", a->date);
        add_list(&b, obj, "entities", a->entities, "; ");
        add_list(&b, obj, "terms", a->terms, " ");
        add_str(&b, obj, "text", a->text);
    }
    td_article_list_free(list);
    finish(reply, &b, 200, root);
}

/* Appends printf output to a growing buffer; sets *failed on ENOMEM. */
typedef struct text_buf {
    char *s;
    size_t len, cap;
    int failed;
} text_buf;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(text_buf *t, const char *fmt, ...);

static void put(text_buf *t, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (t->failed)
        return;
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(t->s ? t->s + t->len : NULL,
                      t->s ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = 1;
            return;
        }
        if (t->s && (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        {
            size_t cap = t->cap ? t->cap * 2 : 4096;
            char *grown;
            while (cap < t->len + (size_t)n + 1)
                cap *= 2;
            if (!(grown = realloc(t->s, cap))) {
                t->failed = 1;
                return;
            }
            t->s = grown;
            t->cap = cap;
        }
    }
}

void srv_api_metrics(srv_server *srv, srv_reply *reply)
{
    td_story_list *list = NULL;
    td_error err;
    td_status rc;
    text_buf t = {NULL, 0, 0, 0};
    srv_metrics *m = &srv->metrics;
    unsigned long long stored = 0, cumulative = 0;
    size_t i, n_stories = 0;

    memset(&err, 0, sizeof err);
    pthread_mutex_lock(&srv->lock);
    rc = td_engine_stories(srv->eng, &list, &err);
    pthread_mutex_unlock(&srv->lock);
    if (rc == TD_OK) {
        n_stories = list->n;
        for (i = 0; i < list->n; i++)
            stored += list->rows[i].n_articles;
        td_story_list_free(list);
    }
    put(&t, "# HELP tidings_articles_ingested_total Articles stored through "
            "POST /v1/articles.\n"
            "# TYPE tidings_articles_ingested_total counter\n"
            "tidings_articles_ingested_total %llu\n",
        (unsigned long long)atomic_load(&m->articles_ingested));
    put(&t, "# HELP tidings_articles_duplicate_total Posted articles whose id "
            "was already stored.\n"
            "# TYPE tidings_articles_duplicate_total counter\n"
            "tidings_articles_duplicate_total %llu\n",
        (unsigned long long)atomic_load(&m->articles_duplicate));
    put(&t, "# HELP tidings_articles_rejected_total Posted records rejected.\n"
            "# TYPE tidings_articles_rejected_total counter\n"
            "tidings_articles_rejected_total %llu\n",
        (unsigned long long)atomic_load(&m->articles_rejected));
    if (rc == TD_OK)
        put(&t, "# HELP tidings_articles Articles in the store.\n"
                "# TYPE tidings_articles gauge\n"
                "tidings_articles %llu\n"
                "# HELP tidings_stories Stories in the store.\n"
                "# TYPE tidings_stories gauge\n"
                "tidings_stories %zu\n", stored, n_stories);
    put(&t, "# HELP tidings_http_requests_total HTTP requests answered, by "
            "status code.\n"
            "# TYPE tidings_http_requests_total counter\n");
    for (i = 0; i <= SRV_N_CODES; i++) {
        unsigned long long n = atomic_load(&m->requests[i]);
        if (i == SRV_N_CODES)
            put(&t, "tidings_http_requests_total{code=\"other\"} %llu\n", n);
        else
            put(&t, "tidings_http_requests_total{code=\"%d\"} %llu\n",
                srv_counted_codes[i], n);
    }
    put(&t, "# HELP tidings_http_request_duration_seconds Time from request "
            "headers to the answer being sent.\n"
            "# TYPE tidings_http_request_duration_seconds histogram\n");
    for (i = 0; i < SRV_N_BUCKETS; i++) {
        cumulative += atomic_load(&m->latency_bucket[i]);
        put(&t, "tidings_http_request_duration_seconds_bucket{le=\"%g\"} "
                "%llu\n", srv_latency_bounds[i], cumulative);
    }
    put(&t, "tidings_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
            "tidings_http_request_duration_seconds_sum %.6f\n"
            "tidings_http_request_duration_seconds_count %llu\n",
        (unsigned long long)atomic_load(&m->latency_count),
        (double)atomic_load(&m->latency_sum_us) / 1e6,
        (unsigned long long)atomic_load(&m->latency_count));
    if (t.failed) {
        free(t.s);
        srv_reply_error(reply, 503, "no_memory", "out of memory");
        return;
    }
    reply->status = 200;
    reply->content_type = "text/plain; version=0.0.4";
    reply->body = t.s;
    reply->len = t.len;
    reply->body_static = 0;
}
