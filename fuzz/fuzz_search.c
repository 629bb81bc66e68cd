/*
** fuzz_search.c: libFuzzer harness for the full-text search (lib/store/
** search.c) on any bytes as the user's query, against a small store of
** multilingual articles. The answer must be a list or a refusal of the
** input (TD_EUTF8, TD_ETOOBIG): never an SQLite or FTS5 error, which the
** HTTP server would turn into a 500. Built by `make fuzz`; its corpus
** fuzz/corpus/search is replayed by `make check`.
*/
#include "store/store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const texts[][2] = {
    {"Earthquake strikes Adıyaman", "Rescuers searched the rubble of "
     "Gölbaşı; AND OR NOT NEAR \"quoted\" (parens) col:x * ^ -"},
    {"Лавров прибыл в Женеву", "ЗЕМЛЕТРЯСЕНИЕ не упоминалось. Café, "
     "São Paulo, Øresund, 東京 地震, ελληνικά."},
};

/* The store, made once: a fuzzing run calls this millions of times. */
static td_store *store(void)
{
    static td_store *st;
    size_t i;
    if (st)
        return st;
    if (td__store_open(":memory:", &st, NULL) != TD_OK)
        abort();
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        td_article a;
        td_story_summary sum;
        memset(&a, 0, sizeof a);
        memset(&sum, 0, sizeof sum);
        a.id = (char *)(i ? "b" : "a");
        a.title = (char *)texts[i][0];
        a.text = (char *)texts[i][1];
        a.date = TD_NO_DATE;
        sum.id = (int64_t)i + 1;
        sum.n_articles = 1;
        sum.first_date = sum.last_date = TD_NO_DATE;
        if (td__store_add_article(st, &a, NULL, sum.id, NULL, NULL) != TD_OK ||
            td__store_put_story(st, &sum, NULL, 0, NULL) != TD_OK)
            abort();
    }
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    td_store *st = store();
    td_story_list *list = NULL;
    char *query = malloc(size + 1);
    td_status rc;
    if (!query)
        return 0;
    memcpy(query, data, size);
    query[size] = '\0';   /* a NUL inside ends the query, as in C callers */
    rc = td__store_search_stories(st, query, (size & 1) != 0, &list, NULL);
    if (rc == TD_OK) {
        if (!list || list->n > 2)
            abort();
        td_story_list_free(list);
    } else if (rc != TD_EUTF8 && rc != TD_ETOOBIG && rc != TD_ENOMEM) {
        abort();
    }
    free(query);
    return 0;
}

#define FUZZ_CORPUS "fuzz/corpus/search"
#include "replay.h"
