/*
** fuzz_http.c: libFuzzer harness for the server's request body parsing:
** POST /v1/articles (server/ingest.c, compiled into this program) with any
** bytes as its body, read as one JSON value or array (first byte even) or
** as JSON Lines (odd), into an engine on ":memory:", so that every record
** that parses also goes through the whole pipeline. The reply must be a
** JSON object. srv_reply_error and srv_reply_json stand in for http.c's,
** which would bring libmicrohttpd. Built by `make fuzz`; its corpus
** fuzz/corpus/http is replayed by `make check`.
*/
#include "../server/ingest.c"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Engines are reopened every ENGINE_RUNS bodies so memory stays bounded. */
#define ENGINE_RUNS 500

void srv_reply_json(srv_reply *reply, int status, cJSON *root)
{
    static char nomem[] = "{\"error\": {\"code\": \"no_memory\"}}";
    char *text = root ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    reply->content_type = "application/json";
    reply->status = text ? status : 500;
    reply->body = text ? text : nomem;
    reply->len = strlen(reply->body);
    reply->body_static = !text;
}

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static srv_server srv = {.lock = PTHREAD_MUTEX_INITIALIZER};
    static int runs;
    srv_reply reply;
    cJSON *back;
    if (size == 0)
        return 0;
    if (srv.eng && ++runs % ENGINE_RUNS == 0) {
        td_engine_free(srv.eng);
        srv.eng = NULL;
    }
    if (!srv.eng && td_engine_open(":memory:", &srv.eng, NULL) != TD_OK)
        return 0;
    memset(&reply, 0, sizeof reply);
    srv_api_post_articles(&srv, (const char *)data + 1, size - 1, data[0] & 1,
                          &reply);
    back = cJSON_ParseWithLength(reply.body, reply.len);
    if (!cJSON_IsObject(back) ||
        (reply.status != 202 && reply.status != 400 && reply.status != 413))
        abort();
    cJSON_Delete(back);
    if (!reply.body_static)
        free(reply.body);
    return 0;
}

#define FUZZ_CORPUS "fuzz/corpus/http"
#include "replay.h"
