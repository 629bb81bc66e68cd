/*
** json.c: the JSON replies (srv_reply_json, srv_reply_error) and helpers
** that build the answers of api.c and story.c with cJSON and one failure
** flag: every add checks it, so an out of memory anywhere turns the whole
** answer into an error instead of a half tree. No libmicrohttpd here, so
** that fuzz/fuzz_http.c can compile it in.
*/
#include "server.h"

#include <cjson/cJSON.h>
#include <string.h>
#include <time.h>

void srv_reply_error(srv_reply *reply, int status, const char *code,
                     const char *message)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *e = root ? cJSON_AddObjectToObject(root, "error") : NULL;
    if (!e || !cJSON_AddStringToObject(e, "code", code) ||
        !cJSON_AddStringToObject(e, "message", message)) {
        cJSON_Delete(root);
        root = NULL;
    }
    srv_reply_json(reply, status, root);
}

void srv_reply_json(srv_reply *reply, int status, cJSON *root)
{
    static char nomem[] =
        "{\"error\": {\"code\": \"no_memory\", \"message\": \"out of memory\"}}";
    char *text = root ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    reply->content_type = "application/json";
    if (!text) {
        reply->status = 500;
        reply->body = nomem;
        reply->len = sizeof nomem - 1;
        reply->body_static = 1;
        return;
    }
    reply->status = status;
    reply->body = text;
    reply->len = strlen(text);
    reply->body_static = 0;
}

cJSON *srv_json_check(srv_json *b, cJSON *item)
{
    if (!item)
        b->failed = 1;
    return item;
}

void srv_json_str(srv_json *b, cJSON *obj, const char *name, const char *s)
{
    if (s)
        srv_json_check(b, cJSON_AddStringToObject(obj, name, s));
    else
        srv_json_check(b, cJSON_AddNullToObject(obj, name));
}

void srv_json_num(srv_json *b, cJSON *obj, const char *name, double v)
{
    srv_json_check(b, cJSON_AddNumberToObject(obj, name, v));
}

void srv_json_bool(srv_json *b, cJSON *obj, const char *name, int v)
{
    srv_json_check(b, cJSON_AddBoolToObject(obj, name, v));
}

void srv_json_time(srv_json *b, cJSON *obj, const char *name, int64_t t)
{
    char buf[32];
    struct tm tm;
    time_t tt = (time_t)t;
    if (t == TD_NO_DATE || !gmtime_r(&tt, &tm) ||
        !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        srv_json_check(b, cJSON_AddNullToObject(obj, name));
        return;
    }
    srv_json_str(b, obj, name, buf);
}

void srv_json_day(srv_json *b, cJSON *obj, const char *name, int64_t t)
{
    char buf[16];
    if (t == TD_NO_DATE)
        srv_json_check(b, cJSON_AddNullToObject(obj, name));
    else
        srv_json_str(b, obj, name, td_date_format(t, buf, sizeof buf));
}

void srv_json_list(srv_json *b, cJSON *obj, const char *name, const char *s,
                   const char *sep)
{
    cJSON *arr = srv_json_check(b, cJSON_AddArrayToObject(obj, name));
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
            if (!cJSON_AddItemToArray(arr, srv_json_check(
                                               b, cJSON_CreateString(part))))
                b->failed = 1;
        }
        if (!end)
            break;
        s = end + seplen;
    }
}

void srv_json_story_row(srv_json *b, cJSON *obj, const td_story_row *row)
{
    srv_json_num(b, obj, "id", (double)row->id);
    srv_json_str(b, obj, "title", row->title);
    srv_json_num(b, obj, "articles", row->n_articles);
    srv_json_list(b, obj, "languages", row->langs, ",");
    srv_json_time(b, obj, "first_date", row->first_date);
    srv_json_time(b, obj, "last_date", row->last_date);
    srv_json_list(b, obj, "entities", row->entities, "; ");
    srv_json_num(b, obj, "independent_sources", row->n_sources);
}

cJSON *srv_json_push(srv_json *b, cJSON *arr)
{
    cJSON *item;
    if (!arr || b->failed)
        return NULL;
    item = srv_json_check(b, cJSON_CreateObject());
    if (item && !cJSON_AddItemToArray(arr, item)) {
        cJSON_Delete(item);
        b->failed = 1;
        return NULL;
    }
    return item;
}

void srv_json_finish(srv_reply *reply, srv_json *b, int status, cJSON *root)
{
    if (b->failed) {
        cJSON_Delete(root);
        root = NULL;
    }
    srv_reply_json(reply, status, root);
}

void srv_engine_error(srv_reply *reply, const td_error *err, td_status rc)
{
    if (rc == TD_ENOMEM)
        srv_reply_error(reply, 503, "no_memory", "out of memory");
    else
        srv_reply_error(reply, 500, "store_error",
                        err->msg[0] ? err->msg : td_strerror(rc));
}
