/*
** test_entity.c: the entity index (lib/entity_index.c, lib/store/
** entities.c) through td_engine_entity_stories: names matched across
** scripts and spellings, the fuzzy surname rules, newest first, bad names,
** and the backfill of a store written with schema version 3.
*/
#include "check_store.h"
#include "tidings.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JULY 1688601600   /* 2023-07-06 */
#define NOV  1699660800   /* 2023-11-11 */

static char tmp_dir[64];

typedef struct sample {
    const char *id, *lang, *title, *text;
    int64_t date;
} sample;

/* Three stories about different things: the July talks (en, ru), a
** November visit naming Lavrov again, and a hockey match naming another
** Lavrov. */
static const sample samples[] = {
    {"talks-en", "en", "Secret talks in New York",
     "Foreign Minister Sergei Lavrov met former officials in New York for "
     "secret talks about the war. Lavrov said the talks were useful. The "
     "officials flew back to Washington on Friday.", JULY},
    {"talks-ru", "ru",
     "\xd0\xa2\xd0\xb0\xd0\xb9\xd0\xbd\xd1\x8b\xd0\xb5 \xd0\xbf\xd0\xb5\xd1"
     "\x80\xd0\xb5\xd0\xb3\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x80\xd1\x8b",
     /* Министр Сергей Лавров встретился в Нью-Йорке с бывшими чиновниками.
     ** Лавров назвал встречу полезной. */
     "\xd0\x9c\xd0\xb8\xd0\xbd\xd0\xb8\xd1\x81\xd1\x82\xd1\x80 \xd0\xa1\xd0"
     "\xb5\xd1\x80\xd0\xb3\xd0\xb5\xd0\xb9 \xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80"
     "\xd0\xbe\xd0\xb2 \xd0\xb2\xd1\x81\xd1\x82\xd1\x80\xd0\xb5\xd1\x82\xd0"
     "\xb8\xd0\xbb\xd1\x81\xd1\x8f \xd0\xb2 \xd0\x9d\xd1\x8c\xd1\x8e-\xd0"
     "\x99\xd0\xbe\xd1\x80\xd0\xba\xd0\xb5 \xd1\x81 \xd0\xb1\xd1\x8b\xd0\xb2"
     "\xd1\x88\xd0\xb8\xd0\xbc\xd0\xb8 \xd1\x87\xd0\xb8\xd0\xbd\xd0\xbe\xd0"
     "\xb2\xd0\xbd\xd0\xb8\xd0\xba\xd0\xb0\xd0\xbc\xd0\xb8. \xd0\x9b\xd0\xb0"
     "\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2 \xd0\xbd\xd0\xb0\xd0\xb7\xd0\xb2\xd0"
     "\xb0\xd0\xbb \xd0\xb2\xd1\x81\xd1\x82\xd1\x80\xd0\xb5\xd1\x87\xd1\x83 "
     "\xd0\xbf\xd0\xbe\xd0\xbb\xd0\xb5\xd0\xb7\xd0\xbd\xd0\xbe\xd0\xb9.",
     JULY + 3600},
    {"visit-en", "en", "Lavrov visits Pyongyang",
     "Russian diplomat Sergey Lavrov arrived in Pyongyang for two days of "
     "meetings on trade and railways with the government of North Korea.",
     NOV},
    {"hockey-en", "en", "Hat trick in the cup final",
     "Winger Dmitry Lavrov scored three goals as Kazan beat Omsk in the "
     "cup final on Sunday night in front of a full arena.", NOV + 86400},
};
#define N_SAMPLES (sizeof samples / sizeof samples[0])

static int64_t story_of[N_SAMPLES];

static td_engine *open_with_samples(const char *path)
{
    td_engine *eng = NULL;
    td_error err;
    size_t i;
    memset(&err, 0, sizeof err);
    if (td_engine_open(path, &eng, &err) != TD_OK)
        return NULL;
    for (i = 0; i < N_SAMPLES; i++) {
        td_input in;
        memset(&in, 0, sizeof in);
        in.id = samples[i].id;
        in.lang = samples[i].lang;
        in.title = samples[i].title;
        in.text = samples[i].text;
        in.date = samples[i].date;
        if (td_engine_add(eng, &in, &story_of[i], &err) != TD_OK) {
            fprintf(stderr, "  add %s: %s\n", in.id, err.msg);
            td_engine_free(eng);
            return NULL;
        }
    }
    return eng;
}

/* 1 when the list holds story s. */
static int lists(const td_entity_list *l, int64_t s)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        if (l->rows[i].story == s)
            return 1;
    return 0;
}

static td_entity_list *lookup(td_engine *eng, const char *name)
{
    td_entity_list *l = NULL;
    td_error err;
    memset(&err, 0, sizeof err);
    if (td_engine_entity_stories(eng, name, &l, &err) != TD_OK)
        fprintf(stderr, "  lookup %s: %s\n", name, err.msg);
    return l;
}

static void check_newest_first(const td_entity_list *l)
{
    size_t i;
    for (i = 1; i < l->n; i++)
        CHECK(l->rows[i - 1].last_date >= l->rows[i].last_date);
}

TEST(names_across_scripts_and_spellings)
{
    td_engine *eng = open_with_samples(check_store_fresh(NULL, "names"));
    td_entity_list *l;
    CHECK(eng != NULL);
    if (!eng)
        return;
    /* The fixtures must make three stories for the checks to mean much. */
    CHECK(story_of[0] != story_of[2] && story_of[2] != story_of[3] &&
          story_of[0] != story_of[3]);

    /* The surname alone, in either script: every Lavrov. */
    l = lookup(eng, "\xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2");
    CHECK(l && l->n >= 3);
    if (l) {
        CHECK_STR(l->key, "lavrov");
        CHECK(lists(l, story_of[0]) && lists(l, story_of[1]) &&
              lists(l, story_of[2]) && lists(l, story_of[3]));
        check_newest_first(l);
        /* Newest first: the hockey story is the latest. */
        CHECK(l->n && l->rows[0].story == story_of[3]);
    }
    td_entity_list_free(l);

    /* A full name: spellings with the same first letter ("Sergey",
    ** "Sergei", "Сергей") and the lone surname match; Dmitry does not. */
    l = lookup(eng, "Sergey Lavrov");
    CHECK(l != NULL);
    if (l) {
        CHECK(lists(l, story_of[0]) && lists(l, story_of[1]) &&
              lists(l, story_of[2]));
        CHECK(!lists(l, story_of[3]));
        check_newest_first(l);
    }
    td_entity_list_free(l);

    /* The talks story names Lavrov in two articles, three times or more;
    ** its size and title come from the story row. */
    l = lookup(eng, "LAVROV");
    if (l) {
        size_t i;
        for (i = 0; i < l->n; i++)
            if (l->rows[i].story == story_of[0]) {
                /* "Sergei Lavrov" and "Lavrov" in English, "Сергей Лавров"
                ** and "Лавров" in Russian: one name in each article. */
                CHECK(l->rows[i].n_articles == 2);
                CHECK(l->rows[i].articles == 2);
                CHECK(l->rows[i].mentions >= l->rows[i].articles);
                CHECK(l->rows[i].title && *l->rows[i].title);
                CHECK(l->rows[i].name && strstr(l->rows[i].name, "Lavrov"));
            }
    }
    td_entity_list_free(l);

    /* A place is no surname: "Korea" does not find "North Korea". */
    l = lookup(eng, "Korea");
    CHECK(l && l->n == 0);
    td_entity_list_free(l);
    l = lookup(eng, "North Korea");
    CHECK(l && l->n == 1 && l->rows[0].story == story_of[2]);
    td_entity_list_free(l);

    l = lookup(eng, "Nobody Atall");
    CHECK(l && l->n == 0);
    td_entity_list_free(l);
    td_engine_free(eng);
}

TEST(bad_names)
{
    td_engine *eng = NULL;
    td_entity_list *l = (td_entity_list *)1;
    td_error err;
    memset(&err, 0, sizeof err);
    CHECK(td_engine_open(check_store_fresh(NULL, "bad"), &eng, &err)
          == TD_OK);
    if (!eng)
        return;
    CHECK(td_engine_entity_stories(eng, "", &l, &err) == TD_EINVAL);
    CHECK(l == NULL);
    CHECK(td_engine_entity_stories(eng, "+-- ...", &l, &err) == TD_EINVAL);
    CHECK(td_engine_entity_stories(eng, "Lav\xffrov", &l, &err) == TD_EINVAL);
    CHECK(td_engine_entity_stories(eng, NULL, &l, &err) == TD_EINVAL);
    td_entity_list_free(NULL);
    td_engine_free(eng);
}

static int exec_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK;
}

static int64_t query_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    int64_t v = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return v;
}

/* A store of schema 3 (no index) gets the table and a backfill from the
** articles' entity lists when the engine opens it. */
TEST(backfill_of_a_version_3_store)
{
    char path[128], buf[160];
    td_engine *eng;
    td_entity_list *l;
    snprintf(path, sizeof path, "%s/v3.db", tmp_dir);
    eng = open_with_samples(path);
    CHECK(eng != NULL);
    td_engine_free(eng);
    CHECK(query_int(path, "SELECT count(*) FROM entity_stories") > 0);
    CHECK(exec_sql(path, "DROP TABLE entity_stories;"
                         " DELETE FROM meta WHERE name = 'entity_backfill';"
                         " PRAGMA user_version = 3;"));
    CHECK(query_int(path, "SELECT count(*) FROM sqlite_master"
                          " WHERE name = 'entity_stories'") == 0);

    eng = NULL;
    {
        td_error err;
        memset(&err, 0, sizeof err);
        CHECK(td_engine_open(path, &eng, &err) == TD_OK);
    }
    if (!eng)
        return;
    l = lookup(eng, "Lavrov");
    CHECK(l && l->n >= 3);
    if (l) {
        CHECK(lists(l, story_of[0]) && lists(l, story_of[2]) &&
              lists(l, story_of[3]));
        check_newest_first(l);
    }
    td_entity_list_free(l);
    td_engine_free(eng);
    CHECK(query_int(path, "PRAGMA user_version") >= 4);
    CHECK(query_int(path, "SELECT value FROM meta"
                          " WHERE name = 'entity_backfill'") == 0);
    /* Reopening does not backfill again (the rows stay as they are). */
    {
        int64_t rows = query_int(path, "SELECT sum(articles) FROM"
                                       " entity_stories");
        td_error err;
        memset(&err, 0, sizeof err);
        eng = NULL;
        CHECK(td_engine_open(path, &eng, &err) == TD_OK);
        td_engine_free(eng);
        CHECK(query_int(path, "SELECT sum(articles) FROM entity_stories")
              == rows);
    }
    unlink(path);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
}

/* The tests every backend must pass. */
static void suite(void)
{
    RUN(names_across_scripts_and_spellings);
    RUN(bad_names);
}

int main(void)
{
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/td_entity_XXXXXX");
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    check_store_backends(suite);
    RUN(backfill_of_a_version_3_store);
    rmdir(tmp_dir);
    return check_report();
}
