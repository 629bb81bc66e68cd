/*
** api.c: the read side of the HTTP API: the story list (ordered, filtered
** and paged here, over td_engine_stories or, with q, the engine's
** full-text search), one article, and the Prometheus metrics; one story is
** story.c. Each reads through a read-only engine (reader.c), so it does
** not wait for a POST being added.
*/
#include "server.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 500

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

/* The filters of the list besides q (which the engine's search applies). */
typedef struct list_filter {
    const char *lang;     /* NULL: any */
    int has_since;
    int64_t since;        /* last activity at or after it */
} list_filter;

static int story_matches(const td_story_row *row, const list_filter *f)
{
    if (f->lang && !has_lang(row->langs, f->lang))
        return 0;
    if (f->has_since &&
        (row->last_date == TD_NO_DATE || row->last_date < f->since))
        return 0;
    return 1;
}

/* A language code as the store keeps them: "en", "pt-BR", "und". */
static int valid_lang(const char *s)
{
    size_t n = 0;
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
              (s[n] >= '0' && s[n] <= '9') || s[n] == '-') || n >= 15)
            return 0;
    return 1;
}

/* 1 when s has something besides ASCII white space. */
static int has_words(const char *s)
{
    for (; *s; s++)
        if (!strchr(" \t\r\n\f\v", *s))
            return 1;
    return 0;
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

/* The list order: newest activity first (last_date descending), undated
** stories last, then by id. A position in it is the key (last_date, id). */
typedef struct list_key {
    int64_t last_date;
    int64_t id;
} list_key;

static int key_cmp(list_key x, list_key y)
{
    if (x.last_date != y.last_date) {
        if (x.last_date == TD_NO_DATE)
            return 1;
        if (y.last_date == TD_NO_DATE)
            return -1;
        return x.last_date > y.last_date ? -1 : 1;
    }
    return x.id < y.id ? -1 : x.id > y.id;
}

static int by_activity(const void *a, const void *b)
{
    const td_story_row *x = *(const td_story_row *const *)a;
    const td_story_row *y = *(const td_story_row *const *)b;
    list_key kx = {x->last_date, x->id}, ky = {y->last_date, y->id};
    return key_cmp(kx, ky);
}

/* A cursor names the last story of a page: "LASTDATE.ID" with LASTDATE in
** Unix seconds, or "u.ID" for an undated story. The next page starts after
** it, so stories added meanwhile do not shift the pages. */
static int parse_cursor(const char *s, list_key *out)
{
    char *end;
    long long v;
    if (s[0] == 'u' && s[1] == '.') {
        out->last_date = TD_NO_DATE;
        s += 2;
    } else {
        if (!(*s == '-' || (*s >= '0' && *s <= '9')))
            return 0;
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno || *end != '.' || v == LLONG_MIN)
            return 0;
        out->last_date = v;
        s = end + 1;
    }
    if (*s < '1' || *s > '9')
        return 0;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end)
        return 0;
    out->id = v;
    return 1;
}

static void format_cursor(const td_story_row *row, char *buf, size_t cap)
{
    if (row->last_date == TD_NO_DATE)
        snprintf(buf, cap, "u.%" PRId64, row->id);
    else
        snprintf(buf, cap, "%" PRId64 ".%" PRId64, row->last_date, row->id);
}

/* The list's answer: the n rows of page (the copies fields filled), out of
** matched stories in all; end is the position after the page's last row
** (the next page's "next"). An error status becomes its JSON error. */
static void reply_list(srv_reply *reply, td_status rc, const td_error *err,
                       td_story_row *const *page, size_t n, size_t matched,
                       size_t end)
{
    srv_json b = {0};
    cJSON *root, *arr;
    char cursor[64];
    size_t i;

    if (rc == TD_EUTF8) {
        srv_reply_error(reply, 400, "bad_param", "q: not valid UTF-8");
        return;
    }
    if (rc == TD_ENOMEM && !err->msg[0]) {
        srv_reply_error(reply, 503, "no_memory", "out of memory");
        return;
    }
    if (rc != TD_OK) {
        srv_engine_error(reply, err, rc);
        return;
    }
    root = srv_json_check(&b, cJSON_CreateObject());
    arr = root ? srv_json_check(&b, cJSON_AddArrayToObject(root, "stories"))
               : NULL;
    for (i = 0; i < n; i++) {
        cJSON *obj = srv_json_push(&b, arr);
        if (!obj)
            break;
        srv_json_story_row(&b, obj, page[i]);
    }
    if (root) {
        srv_json_num(&b, root, "total", (double)matched);
        if (end < matched && n > 0) {
            srv_json_num(&b, root, "next", (double)end);
            format_cursor(page[n - 1], cursor, sizeof cursor);
            srv_json_str(&b, root, "cursor", cursor);
        } else {
            srv_json_str(&b, root, "next", NULL);
            srv_json_str(&b, root, "cursor", NULL);
        }
    }
    srv_json_finish(reply, &b, 200, root);
}

void srv_api_stories(srv_server *srv, srv_arg_fn arg, void *ud,
                     srv_reply *reply)
{
    td_story_list *list = NULL;
    td_story_row **order = NULL;
    td_engine *eng;
    td_error err;
    td_status rc;
    const char *q = arg(ud, "q"), *s;
    list_filter filter = {NULL, 0, 0};
    long limit = DEFAULT_LIMIT, offset = 0;
    list_key after = {0, 0};
    int has_cursor = 0;
    size_t i, matched = 0, start = 0, end = 0;

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
    if ((s = arg(ud, "cursor")) && *s) {
        if (!parse_cursor(s, &after)) {
            srv_reply_error(reply, 400, "bad_param",
                            "cursor: the \"cursor\" of a previous answer");
            return;
        }
        has_cursor = 1;
    }
    if ((s = arg(ud, "lang")) && *s) {
        if (!valid_lang(s)) {
            srv_reply_error(reply, 400, "bad_param",
                            "lang: a language code such as en or pt-BR");
            return;
        }
        filter.lang = s;
    }
    if ((s = arg(ud, "since")) && *s) {
        if (td_date_parse(s, &filter.since) != TD_OK) {
            srv_reply_error(reply, 400, "bad_param",
                            "since: an ISO 8601 date or date-time such as "
                            "2026-10-14 or 2026-10-14T08:00:00Z");
            return;
        }
        filter.has_since = 1;
    }
    if (q && !has_words(q))
        q = NULL;       /* an empty search box lists everything */
    if (q && strlen(q) > TD_SEARCH_MAX) {
        srv_reply_error(reply, 400, "bad_param",
                        "q: at most 512 bytes");
        return;
    }
    memset(&err, 0, sizeof err);
    eng = srv_read_begin(srv);
    if (!q) {
        /* The store reads the page in its order (an index): the cost does
        ** not grow with the stories listed before it. */
        td_list_query lq;
        uint64_t total = 0, first = 0;
        memset(&lq, 0, sizeof lq);
        lq.lang = filter.lang;
        lq.since = filter.has_since ? filter.since : TD_NO_DATE;
        lq.has_after = has_cursor;
        lq.after_date = after.last_date;
        lq.after_id = after.id;
        lq.offset = (uint64_t)offset;
        lq.limit = (uint64_t)limit;
        rc = td_engine_story_page(eng, &lq, &list, &total, &first, &err);
        if (rc == TD_OK && !(order = malloc((list->n + 1) * sizeof *order)))
            rc = TD_ENOMEM;
        for (i = 0; rc == TD_OK && i < list->n; i++) {
            order[i] = &list->rows[i];
            rc = td_engine_story_sources(eng, order[i], &err);
        }
        /* The page's place in the whole filtered list. */
        matched = (size_t)total;
        end = (size_t)first + (list ? list->n : 0);
        srv_read_end(srv, eng);
        reply_list(reply, rc, &err, order, list ? list->n : 0, matched, end);
        free(order);
        td_story_list_free(list);
        return;
    }
    /* A search: every matching row is read and sorted here; the copies
    ** fields (two queries a story) only for the page shown, in the same
    ** snapshot. */
    rc = td_engine_story_rows(eng, q, &list, &err);
    if (rc == TD_OK && !(order = malloc((list->n + 1) * sizeof *order)))
        rc = TD_ENOMEM;
    if (rc == TD_OK) {
        for (i = 0; i < list->n; i++)
            if (story_matches(&list->rows[i], &filter))
                order[matched++] = &list->rows[i];
        qsort(order, matched, sizeof *order, by_activity);
        /* The page starts offset stories after the cursor (or the top). */
        start = 0;
        while (has_cursor && start < matched) {
            list_key k = {order[start]->last_date, order[start]->id};
            if (key_cmp(k, after) > 0)
                break;
            start++;
        }
        start = (size_t)offset > matched - start ? matched
                                                 : start + (size_t)offset;
        end = matched - start < (size_t)limit ? matched : start + (size_t)limit;
        for (i = start; rc == TD_OK && i < end; i++)
            rc = td_engine_story_sources(eng, order[i], &err);
    }
    srv_read_end(srv, eng);
    reply_list(reply, rc, &err, order ? order + start : NULL, end - start,
               matched, end);
    free(order);
    td_story_list_free(list);
}

void srv_api_article(srv_server *srv, const char *id, srv_reply *reply)
{
    td_article_list *list = NULL;
    td_error err;
    td_status rc;
    srv_json b = {0};
    cJSON *root, *obj;
    const td_article_row *a;
    td_engine *eng;

    memset(&err, 0, sizeof err);
    eng = srv_read_begin(srv);
    rc = td_engine_article(eng, id, &list, &err);
    srv_read_end(srv, eng);
    if (rc == TD_ENOTFOUND || (rc == TD_OK && list->n == 0)) {
        td_article_list_free(list);
        srv_reply_error(reply, 404, "not_found", "no such article");
        return;
    }
    if (rc != TD_OK) {
        srv_engine_error(reply, &err, rc);
        return;
    }
    a = &list->rows[0];
    root = srv_json_check(&b, cJSON_CreateObject());
    obj = root ? srv_json_check(&b, cJSON_AddObjectToObject(root, "article")) : NULL;
    if (obj) {
        srv_json_str(&b, obj, "id", a->id);
        srv_json_num(&b, obj, "seq", (double)a->seq);
        srv_json_num(&b, obj, "story", (double)a->story);
        srv_json_str(&b, obj, "title", a->title);
        srv_json_str(&b, obj, "url", a->url);
        srv_json_str(&b, obj, "source", a->source);
        srv_json_str(&b, obj, "lang", a->lang);
        srv_json_time(&b, obj, "date", a->date);
        srv_json_list(&b, obj, "entities", a->entities, "; ");
        srv_json_list(&b, obj, "terms", a->terms, " ");
        srv_json_str(&b, obj, "text", a->text);
    }
    td_article_list_free(list);
    srv_json_finish(reply, &b, 200, root);
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
    td_engine *eng;

    memset(&err, 0, sizeof err);
    eng = srv_read_begin(srv);
    rc = td_engine_stories(eng, &list, &err);
    srv_read_end(srv, eng);
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
    put(&t, "# HELP tidings_ingest_in_progress POST batches being added "
            "(holding the writer).\n"
            "# TYPE tidings_ingest_in_progress gauge\n"
            "tidings_ingest_in_progress %d\n", atomic_load(&srv->ingesting));
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
