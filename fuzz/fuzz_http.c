/*
** fuzz_http.c: libFuzzer harness for the server's request body parsing:
** POST /v1/articles (server/ingest.c, compiled into this program) with any
** bytes as its body, read as one JSON value or array (first byte even) or
** as JSON Lines (odd), into an engine on ":memory:", so that every record
** that parses also goes through the whole pipeline. The reply (built by
** server/json.c, also compiled in) must be a JSON object. Built by
** `make fuzz`; its corpus fuzz/corpus/http is replayed by `make check`.
*/
#include "../server/ingest.c"
#include "../server/json.c"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Engines are reopened every ENGINE_RUNS bodies so memory stays bounded. */
#define ENGINE_RUNS 500

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
