/*
** ingest.c: POST /v1/articles. The body (one JSON object, a JSON array of
** objects, or JSON Lines) is parsed into td_input records without the
** engine lock; then, under the lock, each is added and the batch committed,
** so a 202 is sent only once its articles are durable. Fields are those of
** `tidings ingest`: id, url, source, date or published, title, text or html,
** lang.
*/
#include "server.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More records than this in one body is refused (413): a batch this big
** would hold the engine lock too long. */
#define MAX_RECORDS 50000

/* One record of the body. root is NULL when it did not parse; then
** problem says why. */
typedef struct record {
    unsigned line;              /* 1-based line (or array index) */
    cJSON *root;                /* owned; for JSON Lines, one per line */
    const cJSON *obj;           /* the article object inside root */
    td_input in;
    char id_number[32];         /* a numeric id as text */
    char where[32];
    char problem[160];
} record;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Offset of the first \u0000 escape (outside an escaped backslash) in
** s[0..len), or len when none: cJSON would cut the string there. */
static size_t nul_escape(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i + 6 <= len; i++) {
        if (s[i] == '\\') {
            if (memcmp(s + i, "\\u0000", 6) == 0)
                return i;
            i++;
        }
    }
    return len;
}

static const char *string_field(const cJSON *obj, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* Fills rec->in from rec->obj, as `tidings ingest` reads a JSON record. */
static void fill_input(record *rec)
{
    const cJSON *obj = rec->obj, *item;
    static const char *const date_names[] = {"date", "published"};
    size_t i;
    memset(&rec->in, 0, sizeof rec->in);
    item = cJSON_GetObjectItemCaseSensitive(obj, "id");
    if (cJSON_IsNumber(item)) {
        double v = item->valuedouble;
        if (v > -9.0e15 && v < 9.0e15 && (double)(long long)v == v)
            snprintf(rec->id_number, sizeof rec->id_number, "%lld",
                     (long long)v);
        else
            snprintf(rec->id_number, sizeof rec->id_number, "%.17g", v);
        rec->in.id = rec->id_number;
    } else {
        rec->in.id = string_field(obj, "id");
    }
    rec->in.url = string_field(obj, "url");
    rec->in.source = string_field(obj, "source");
    rec->in.title = string_field(obj, "title");
    rec->in.text = string_field(obj, "text");
    rec->in.html = string_field(obj, "html");
    rec->in.lang = string_field(obj, "lang");
    rec->in.date = TD_NO_DATE;
    for (i = 0; i < 2; i++) {
        int64_t t;
        item = cJSON_GetObjectItemCaseSensitive(obj, date_names[i]);
        if (cJSON_IsString(item) && td_date_parse(item->valuestring, &t) ==
                                        TD_OK) {
            rec->in.date = t;
            break;
        }
        if (cJSON_IsNumber(item) && item->valuedouble > -1e13 &&
            item->valuedouble < 1e13) {
            rec->in.date = (int64_t)item->valuedouble;
            break;
        }
    }
    snprintf(rec->where, sizeof rec->where, "line %u", rec->line);
    rec->in.where = rec->where;
}

/* Parses text[0..len) as one JSON value into rec (root set) or sets
** rec->problem. */
static void parse_value(record *rec, const char *text, size_t len)
{
    const char *end = NULL;
    size_t off;
    if (memchr(text, '\0', len)) {
        snprintf(rec->problem, sizeof rec->problem, "NUL byte at byte %zu",
                 (size_t)((const char *)memchr(text, '\0', len) - text));
        return;
    }
    rec->root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
    if (rec->root) {
        while (off < len && is_space(text[off]))
            off++;
        if (off < len) {
            cJSON_Delete(rec->root);
            rec->root = NULL;
        }
    }
    if (!rec->root) {
        snprintf(rec->problem, sizeof rec->problem,
                 "malformed JSON at byte %zu", off);
        return;
    }
    if ((off = nul_escape(text, len)) < len) {
        snprintf(rec->problem, sizeof rec->problem,
                 "NUL escape (\\u0000) at byte %zu", off);
        cJSON_Delete(rec->root);
        rec->root = NULL;
    }
}

/* Checks that rec->root (or the array element obj) is an object; else sets
** problem. The input is filled later, by fill_input(), once the records no
** longer move (rec->in points into rec). */
static void take_object(record *rec, const cJSON *obj)
{
    if (!cJSON_IsObject(obj)) {
        snprintf(rec->problem, sizeof rec->problem,
                 "record is not a JSON object");
        return;
    }
    rec->obj = obj;
}

/* Splits the body into records. Returns 0, or -1 on out of memory, -2
** over MAX_RECORDS. Either way *out (new; free with free_records()) holds
** *n_out records. */
static int split_records(const char *body, size_t len, int lines,
                         record **out, size_t *n_out)
{
    record *recs = NULL;
    size_t n = 0, cap = 0, pos = 0;
    unsigned line = 0;
    *out = NULL;
    *n_out = 0;
    if (!lines) {
        record whole;
        memset(&whole, 0, sizeof whole);
        whole.line = 1;
        parse_value(&whole, body, len);
        if (whole.root && cJSON_IsArray(whole.root)) {
            /* An array: each element is one record, numbered from 1; the
            ** first record owns the tree. */
            const cJSON *item;
            size_t count = (size_t)cJSON_GetArraySize(whole.root);
            if (count > MAX_RECORDS) {
                cJSON_Delete(whole.root);
                return -2;
            }
            recs = calloc(count ? count : 1, sizeof *recs);
            if (!recs) {
                cJSON_Delete(whole.root);
                return -1;
            }
            cJSON_ArrayForEach(item, whole.root) {
                recs[n].line = (unsigned)(n + 1);
                take_object(&recs[n], item);
                n++;
            }
            recs[0].root = whole.root;
            if (n == 0) {
                cJSON_Delete(whole.root);
                free(recs);
                recs = NULL;
            }
            *out = recs;
            *n_out = n;
            return 0;
        }
        if (!(recs = malloc(sizeof *recs))) {
            cJSON_Delete(whole.root);
            return -1;
        }
        recs[0] = whole;
        if (whole.root)
            take_object(&recs[0], whole.root);
        *out = recs;
        *n_out = 1;
        return 0;
    }
    while (pos < len) {
        const char *start = body + pos, *nl;
        size_t line_len, i;
        nl = memchr(start, '\n', len - pos);
        line_len = nl ? (size_t)(nl - start) : len - pos;
        pos += line_len + (nl ? 1 : 0);
        line++;
        for (i = 0; i < line_len && is_space(start[i]); i++)
            ;
        if (i == line_len)
            continue;   /* blank lines are not records */
        if (n == cap || n == MAX_RECORDS) {
            /* The cap is checked on its own: cap doubles past it. */
            record *grown = NULL;
            int fail = n >= MAX_RECORDS ? -2 : 0;
            cap = cap ? cap * 2 : 64;
            if (!fail && !(grown = realloc(recs, cap * sizeof *recs)))
                fail = -1;
            if (fail) {
                *out = recs;
                *n_out = n;
                return fail;
            }
            recs = grown;
        }
        memset(&recs[n], 0, sizeof recs[n]);
        recs[n].line = line;
        parse_value(&recs[n], start, line_len);
        if (recs[n].root)
            take_object(&recs[n], recs[n].root);
        n++;
    }
    *out = recs;
    *n_out = n;
    return 0;
}

static void free_records(record *recs, size_t n)
{
    size_t i;
    for (i = 0; recs && i < n; i++)
        cJSON_Delete(recs[i].root);
    free(recs);
}

/* Adds one result object {"line", "id", "status", "story"|"reason"}. */
static int add_result(cJSON *arr, const record *rec, const char *status,
                      int64_t story, const char *code, const char *reason)
{
    cJSON *obj = cJSON_CreateObject();
    int ok = obj && cJSON_AddItemToArray(arr, obj);
    if (!ok) {
        cJSON_Delete(obj);
        return 0;
    }
    ok = cJSON_AddNumberToObject(obj, "line", rec->line) != NULL;
    if (rec->in.id)
        ok = ok && cJSON_AddStringToObject(obj, "id", rec->in.id) != NULL;
    else
        ok = ok && cJSON_AddNullToObject(obj, "id") != NULL;
    ok = ok && cJSON_AddStringToObject(obj, "status", status) != NULL;
    if (story > 0)
        ok = ok && cJSON_AddNumberToObject(obj, "story", (double)story);
    if (code)
        ok = ok && cJSON_AddStringToObject(obj, "code", code) != NULL;
    if (reason)
        ok = ok && cJSON_AddStringToObject(obj, "reason", reason) != NULL;
    return ok;
}

void srv_api_post_articles(srv_server *srv, const char *body, size_t len,
                           int lines, srv_reply *reply)
{
    record *recs = NULL;
    size_t n = 0, i, n_valid = 0, stored = 0, dups = 0, rejected = 0;
    const record *first_bad = NULL;
    cJSON *root = NULL, *arr = NULL;
    td_error err;
    td_status rc = TD_OK;
    int ok = 1;
    char msg[1200];

    int split = split_records(body, len, lines, &recs, &n);

    if (split != 0) {
        free_records(recs, n);
        if (split == -2)
            srv_reply_error(reply, 413, "too_large",
                            "more than 50000 records; split the batch");
        else
            srv_reply_error(reply, 503, "no_memory", "out of memory");
        return;
    }
    for (i = 0; i < n; i++) {
        if (recs[i].obj)
            n_valid++;
        else if (!first_bad)
            first_bad = &recs[i];
    }
    if (n_valid == 0) {
        if (first_bad)
            snprintf(msg, sizeof msg, "line %u: %s", first_bad->line,
                     first_bad->problem);
        else
            snprintf(msg, sizeof msg, "no record in the body");
        srv_reply_error(reply, 400, "bad_json", msg);
        free_records(recs, n);
        return;
    }
    root = cJSON_CreateObject();
    arr = root ? cJSON_AddArrayToObject(root, "results") : NULL;
    ok = arr != NULL;

    pthread_mutex_lock(&srv->lock);
    atomic_fetch_add(&srv->ingesting, 1);
    for (i = 0; i < n && ok; i++) {
        record *rec = &recs[i];
        int64_t story = 0;
        if (!rec->obj) {
            rejected++;
            ok = add_result(arr, rec, "rejected", 0, "bad_json", rec->problem);
            continue;
        }
        fill_input(rec);
        memset(&err, 0, sizeof err);
        rc = td_engine_add(srv->eng, &rec->in, &story, &err);
        if (rc == TD_OK) {
            stored++;
            ok = add_result(arr, rec, "stored", story, NULL, NULL);
        } else if (rc == TD_EDUPID) {
            dups++;
            ok = add_result(arr, rec, "duplicate", 0, td_strerror(rc),
                            err.msg);
        } else if (rc == TD_ENOMEM || rc == TD_ESTORE || rc == TD_EIO) {
            break;   /* the engine failed, not the record */
        } else {
            rejected++;
            ok = add_result(arr, rec, "rejected", 0, td_strerror(rc),
                            err.msg);
        }
        rc = TD_OK;
    }
    if (rc == TD_OK) {
        memset(&err, 0, sizeof err);
        rc = td_engine_commit(srv->eng, &err);
    }
    atomic_fetch_sub(&srv->ingesting, 1);
    pthread_mutex_unlock(&srv->lock);
    free_records(recs, n);

    if (rc != TD_OK) {
        cJSON_Delete(root);
        snprintf(msg, sizeof msg, "%s%s%s; nothing in this batch is "
                 "confirmed, send it again", err.where, err.where[0] ? ": " : "",
                 err.msg[0] ? err.msg : td_strerror(rc));
        srv_reply_error(reply, rc == TD_ENOMEM ? 503 : 500, "store_error",
                        msg);
        return;
    }
    atomic_fetch_add(&srv->metrics.articles_ingested, stored);
    atomic_fetch_add(&srv->metrics.articles_duplicate, dups);
    atomic_fetch_add(&srv->metrics.articles_rejected, rejected);
    if (ok)
        ok = cJSON_AddNumberToObject(root, "stored", (double)stored) &&
             cJSON_AddNumberToObject(root, "duplicates", (double)dups) &&
             cJSON_AddNumberToObject(root, "rejected", (double)rejected);
    if (!ok) {
        /* The articles are stored; only the report could not be built. */
        cJSON_Delete(root);
        srv_reply_error(reply, 503, "no_memory",
                        "stored, but out of memory building the results");
        return;
    }
    srv_reply_json(reply, 202, root);
}
