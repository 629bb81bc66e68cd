/*
** fuzz_store.c: libFuzzer harness for what the store reads back, which a
** damaged or hostile store file can hold: any bytes as a story's clustering
** state blob (td__cluster_load_story, then an article compared with it and
** a flush), as a story description blob (td__story_load, then the calls
** that read it), and as one row of the document-frequency and site-line
** counter logs of a ":memory:" store (written with SQLite directly, read
** with td__store_each_count). Built by `make fuzz`; its corpus
** fuzz/corpus/store is replayed by `make check`.
*/
#include "cluster/cluster.h"
#include "store/sqlite_int.h"
#include "story/story.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Offsets of the cluster state blob (lib/cluster/cluster.c): a head of
** 64 bytes, then n x (key u64, w f32, kind u8). */
#define STATE_HEAD 64
#define STATE_TERM 13

static td_status ignore_story(void *ud, int64_t story, const void *blob,
                              size_t len)
{
    (void)ud;
    (void)story;
    (void)blob;
    (void)len;
    return TD_OK;
}

static td_status ignore_df(void *ud, uint64_t key, uint32_t n)
{
    (void)ud;
    (void)key;
    (void)n;
    return TD_OK;
}

/* Counts the entries and checks they come in unsigned key order. */
static td_status check_count(void *ud, uint64_t key, uint32_t n)
{
    uint64_t *last = ud;
    (void)n;
    if (last[1] && key <= last[0])
        abort();
    last[0] = key;
    last[1]++;
    return TD_OK;
}

static void fuzz_cluster_state(const uint8_t *data, size_t size)
{
    td_cluster *cl = td__cluster_new();
    td_cluster_counters k = {1000, 10};
    td_cluster_result res;
    td_analysis an;
    td_term terms[3];
    char word[] = "word";
    size_t i;
    if (!cl)
        return;
    td__cluster_set_counters(cl, &k);
    if (td__cluster_load_story(cl, 1, data, size) != TD_OK) {
        td__cluster_free(cl);
        return;
    }
    /* An article sharing the story's first terms, so that it is compared
    ** with the loaded centroid. */
    memset(&an, 0, sizeof an);
    /* Another language than the members', with anchors from the blob's
    ** last bytes: the loaded members' anchors are then compared too. */
    memcpy(an.lang, "de", 3);
    for (i = 0; i < 8; i++) {
        an.anchors[i] = (uint32_t)i + 1;
        if (size >= 4 * (i + 1))
            memcpy(&an.anchors[i], data + size - 4 * (i + 1), 4);
    }
    an.n_anchors = 8;
    memset(terms, 0, sizeof terms);
    for (i = 0; i < 3; i++) {
        size_t at = STATE_HEAD + i * STATE_TERM;
        terms[i].key = i + 1;
        if (at + 8 <= size)
            memcpy(&terms[i].key, data + at, 8);
        terms[i].text = word;
        terms[i].count = 1;
    }
    /* Terms are sorted and distinct; the blob's are when it loaded. */
    an.terms = terms;
    an.n_terms = 1;
    for (i = 1; i < 3; i++)
        if (terms[i].key > terms[an.n_terms - 1].key)
            terms[an.n_terms++] = terms[i];
    an.n_tokens = (uint32_t)an.n_terms;
    td__cluster_add(cl, &an, TD_NO_DATE, &res);
    td__cluster_flush(cl, ignore_story, ignore_df, NULL);
    td__cluster_free(cl);
}

static void fuzz_story_meta(const uint8_t *data, size_t size)
{
    static unsigned char blob[8 + sizeof(td_story_meta)];
    td_story_meta m;
    td_analysis an;
    td_entity ent;
    char buf[512], display[] = "Sergei Lavrov", norm[] = "sergei lavrov";
    uint64_t key = 7;
    float w = 1;

    /* As given, then behind a valid head so that the fields are read. */
    td__story_load(&m, data, size);
    td__story_init(&m, 1);
    td__story_save(&m, blob, sizeof blob);
    memcpy(blob + 8, data, size < sizeof m ? size : sizeof m);
    if (td__story_load(&m, blob, sizeof blob) != TD_OK)
        return;
    td__story_langs(&m, buf, sizeof buf);
    td__story_entities(&m, 10, buf, sizeof buf);
    memset(&an, 0, sizeof an);
    memcpy(an.lang, "it", 3);
    memset(&ent, 0, sizeof ent);
    ent.key = 42;
    ent.norm = norm;
    ent.display = display;
    ent.count = 1;
    an.entities = &ent;
    an.n_entities = 1;
    td__story_add(&m, &an, NULL, 1000, "A title", &key, &w, 1, 0.5, 0.25);
    td__story_langs(&m, buf, sizeof buf);
    td__story_entities(&m, 10, buf, sizeof buf);
    td__story_save(&m, blob, sizeof blob);
}

static void fuzz_counter_logs(const uint8_t *data, size_t size)
{
    static td_store *st;
    static const char *const table[TD_COUNTER_KINDS] = {"df_log", "site_log"};
    int kind;
    if (!st && td__store_open(":memory:", &st, NULL) != TD_OK)
        return;
    for (kind = 0; kind < TD_COUNTER_KINDS; kind++) {
        sqlite3_stmt *stmt = NULL;
        uint64_t last[2] = {0, 0};
        char sql[64];
        snprintf(sql, sizeof sql, "DELETE FROM %s", table[kind]);
        sqlite3_exec(SQ(st)->db, sql, NULL, NULL, NULL);
        snprintf(sql, sizeof sql, "INSERT INTO %s(data) VALUES(?1)",
                 table[kind]);
        if (sqlite3_prepare_v2(SQ(st)->db, sql, -1, &stmt, NULL) != SQLITE_OK)
            continue;
        sqlite3_bind_blob64(stmt, 1, data, size, SQLITE_STATIC);
        sqlite3_step(stmt);
        sqlite3_finalize(stmt);
        td__store_each_count(st, (td_counter_kind)kind, check_count, last,
                             NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_cluster_state(data, size);
    fuzz_story_meta(data, size);
    fuzz_counter_logs(data, size);
    return 0;
}

#define FUZZ_CORPUS "fuzz/corpus/store"
#include "replay.h"
