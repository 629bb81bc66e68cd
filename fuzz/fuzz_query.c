/*
** fuzz_query.c: libFuzzer harness for the server's GET parameters and
** paths: the query string of GET /v1/stories (limit, offset, cursor, lang,
** since, q: server/api.c) and the id of GET /v1/stories/{id},
** /v1/articles/{id} and /v1/entities/{name} (server/story.c, api.c,
** entity.c), all compiled into this program (with the rest of
** server/ but serve.c, which they link to), against a small store of
** stories in several languages built once in memory. libmicrohttpd has
** already percent-decoded what reaches these functions, so any bytes
** (invalid UTF-8 included; NUL ends a C string there too) may arrive. The
** first byte chooses the endpoint; the reply must be a JSON object with a
** status the API documents. Built by `make fuzz`; its corpus
** fuzz/corpus/query is replayed by `make check`.
*/
#include "../server/api.c"
#include "../server/entity.c"
#include "../server/http.c"
#include "../server/ingest.c"
#include "../server/json.c"
#include "../server/page_data.c"
#include "../server/reader.c"
#include "../server/story.c"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 16

typedef struct query {
    char *names[MAX_ARGS], *values[MAX_ARGS];
    int n;
} query;

/* "a=1&b=2": the first value of each name, as libmicrohttpd gives it. */
static const char *query_arg(void *ud, const char *name)
{
    const query *q = ud;
    int i;
    for (i = 0; i < q->n; i++)
        if (strcmp(q->names[i], name) == 0)
            return q->values[i];
    return NULL;
}

static void parse_query(char *s, query *q)
{
    q->n = 0;
    while (*s && q->n < MAX_ARGS) {
        char *amp = strchr(s, '&'), *eq;
        if (amp)
            *amp = '\0';
        eq = strchr(s, '=');
        if (eq)
            *eq = '\0';
        q->names[q->n] = s;
        q->values[q->n] = eq ? eq + 1 : s + strlen(s);   /* "a": empty */
        q->n++;
        if (!amp)
            break;
        s = amp + 1;
    }
}

/* A few stories: two dated ones sharing names across scripts, an undated
** one, a French one; enough for every filter and a cursor to page. */
static const struct {
    const char *id, *date, *lang, *title, *text;
} docs[] = {
    {"q1", "2026-03-01T08:00:00Z", "en", "Quake hits Adiyaman",
     "A strong earthquake struck Adiyaman on Monday, officials said. "
     "Rescuers from Ankara searched the rubble through the night."},
    {"q2", "2026-03-01T10:00:00Z", "ru", "Землетрясение в Адыямане",
     "Сильное землетрясение произошло в Адыямане в понедельник. "
     "Спасатели из Анкары искали выживших всю ночь."},
    {"q3", NULL, "en", "Olive oil prices fall",
     "Growers in Jaen say olive oil prices fell for a third month as the "
     "harvest recovered after two dry years."},
    {"q4", "2026-04-02T09:00:00Z", "fr", "Sommet à Genève",
     "Le ministre Sergueï Lavrov a rencontré ses homologues à Genève mardi "
     "pour parler du cessez-le-feu."},
};

static int fill(td_engine *eng)
{
    size_t i;
    for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        td_input in;
        memset(&in, 0, sizeof in);
        in.id = docs[i].id;
        in.title = docs[i].title;
        in.text = docs[i].text;
        in.lang = docs[i].lang;
        in.date = TD_NO_DATE;
        if (docs[i].date && td_date_parse(docs[i].date, &in.date) != TD_OK)
            return 0;
        if (td_engine_add(eng, &in, NULL, NULL) != TD_OK)
            return 0;
    }
    return td_engine_commit(eng, NULL) == TD_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static srv_server srv = {.lock = PTHREAD_MUTEX_INITIALIZER};
    static int ready;
    srv_reply reply;
    query q;
    char *s;
    cJSON *back;
    int ok;
    if (size == 0)
        return 0;
    if (!ready) {
        if (td_engine_open(":memory:", &srv.eng, NULL) != TD_OK ||
            !fill(srv.eng))
            abort();
        srv_readers_init(&srv, ":memory:");
        ready = 1;
    }
    if (!(s = malloc(size)))
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    memset(&reply, 0, sizeof reply);
    switch (data[0] % 4) {
    case 0:
        parse_query(s, &q);
        srv_api_stories(&srv, query_arg, &q, &reply);
        break;
    case 1:
        srv_api_story(&srv, s, &reply);
        break;
    case 2:
        srv_api_article(&srv, s, &reply);
        break;
    default:
        srv_api_entity(&srv, s, &reply);
        break;
    }
    back = cJSON_ParseWithLength(reply.body, reply.len);
    ok = cJSON_IsObject(back) &&
         (reply.status == 200 || reply.status == 400 || reply.status == 404);
    cJSON_Delete(back);
    if (!reply.body_static)
        free(reply.body);
    free(s);
    if (!ok)
        abort();
    return 0;
}

#define FUZZ_CORPUS "fuzz/corpus/query"
#include "replay.h"
