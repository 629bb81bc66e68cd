/*
** test_search.c: unit tests of the full-text search (lib/store/search.c)
** and of read-only engines: words in titles and texts, prefixes, case and
** diacritics in Latin and Cyrillic, user input that is FTS5 syntax, the
** index filled for a store from before it (schema 3), batches indexed at
** commit (rollback, upgrade from the insert trigger of schema 6), the FTS5
** settings of schema 9, a reader that
** sees only commits, one snapshot between read_begin and read_end, and
** reads one story's row.
*/
#include "check_store.h"
#include "store/store.h"

#include <sqlite3.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmp_dir[64];

static void tmp_path(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", tmp_dir, name);
}

/* Three stories, one article each (story 2 has two). */
static const struct {
    const char *id, *title, *text;
    int64_t story;
} docs[] = {
    {"a1", "Earthquake strikes Adıyaman", "Rescuers searched the rubble "
     "in Gölbaşı through the night.", 1},
    {"a2", "Sommet à Genève", "Le ministre a parlé d'un café fermé.", 2},
    {"a3", "Лавров прибыл в Женеву", "Министр иностранных дел встретился "
     "с коллегами. ЗЕМЛЕТРЯСЕНИЕ не упоминалось.", 2},
    {"a4", "Olive oil prices fall", "Jaén growers say AND OR NOT NEAR "
     "are words too; \"quoted\" (parenthesised) title:colon.", 3},
};

static void fill(td_store *st)
{
    size_t i;
    td_error err;
    for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        td_article a;
        td_story_summary sum;
        memset(&a, 0, sizeof a);
        memset(&sum, 0, sizeof sum);
        a.id = (char *)docs[i].id;
        a.title = (char *)docs[i].title;
        a.text = (char *)docs[i].text;
        a.date = TD_NO_DATE;
        CHECK(td__store_add_article(st, &a, NULL, docs[i].story, NULL, &err)
              == TD_OK);
        sum.id = docs[i].story;
        sum.n_articles = docs[i].story == 2 ? 2 : 1;
        sum.first_date = sum.last_date = TD_NO_DATE;
        sum.title = docs[i].title;
        CHECK(td__store_put_story(st, &sum, NULL, 0, &err) == TD_OK);
    }
}

/* The story ids found for q, as "1,2" ("" for none, "error N" on error). */
static const char *found(td_store *st, const char *q)
{
    static char buf[64];
    td_story_list *list = NULL;
    td_error err;
    td_status rc;
    size_t i, len = 0;
    memset(&err, 0, sizeof err);
    rc = td__store_search_stories(st, q, 1, &list, &err);
    buf[0] = '\0';
    if (rc != TD_OK) {
        snprintf(buf, sizeof buf, "error %d", (int)rc);
        return buf;
    }
    for (i = 0; i < list->n && len < sizeof buf - 24; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%lld",
                                i ? "," : "", (long long)list->rows[i].id);
    td_story_list_free(list);
    return buf;
}

/* A new in-memory store holding docs, or NULL (the check failed). */
static td_store *open_filled(void)
{
    td_store *st = NULL;
    td_error err;
    CHECK(td__store_open(check_store_fresh(NULL, "filled"), &st, &err)
          == TD_OK);
    if (st)
        fill(st);
    return st;
}

TEST(words_in_titles_and_texts)
{
    td_store *st = open_filled();
    if (!st)
        return;
    CHECK_STR(found(st, "earthquake"), "1");
    CHECK_STR(found(st, "rubble"), "1");          /* text only */
    CHECK_STR(found(st, "RUBBLE night"), "1");    /* words ANDed */
    CHECK_STR(found(st, "rubble genève"), "");
    CHECK_STR(found(st, "quake"), "");            /* words, not substrings */
    CHECK_STR(found(st, "earth"), "1");           /* prefix */
    CHECK_STR(found(st, "ministre"), "2");
    /* Two articles of story 2 match: the story comes once. */
    CHECK_STR(found(st, "min"), "2");
    CHECK_STR(found(st, "no-such-word"), "");
    td__store_free(st);
}

TEST(scripts_case_and_diacritics)
{
    td_store *st = open_filled();
    if (!st)
        return;
    CHECK_STR(found(st, "geneve"), "2");
    CHECK_STR(found(st, "GENÈVE"), "2");
    CHECK_STR(found(st, "cafe"), "2");
    CHECK_STR(found(st, "golbası"), "1");         /* ö, ş folded; ı kept */
    CHECK_STR(found(st, "jaen"), "3");
    CHECK_STR(found(st, "лавров"), "2");
    CHECK_STR(found(st, "ЛАВРОВ"), "2");
    CHECK_STR(found(st, "землетрясение"), "2");   /* upper case in text */
    CHECK_STR(found(st, "женев"), "2");           /* prefix: Женеву */
    td__store_free(st);
}

TEST(user_input_is_never_syntax)
{
    static const char *const odd[] = {
        "\"", "\"\"", "(", ")", "*", "^", "-", "+", ":", "title:olive",
        "NEAR(olive oil)", "olive OR nothing", "NOT", "a\"b", "'", "{",
        "}", "olive*", "\"olive", "!!!", "\\", "%", "_", ";", "OR",
        "AND AND", "col:", "-olive", "^olive",
    };
    td_store *st = open_filled();
    size_t i;
    if (!st)
        return;
    for (i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        const char *r = found(st, odd[i]);
        if (strncmp(r, "error", 5) == 0)
            fprintf(stderr, "  query [%s]: %s\n", odd[i], r);
        CHECK(strncmp(r, "error", 5) != 0);
    }
    /* Operators are words: "OR" is not a disjunction. */
    CHECK_STR(found(st, "olive OR nothing"), "");
    CHECK_STR(found(st, "AND OR NOT NEAR"), "3");
    CHECK_STR(found(st, "title:colon"), "3");
    CHECK_STR(found(st, "\"quoted\""), "3");
    CHECK_STR(found(st, "(parenthesised)"), "3");
    CHECK_STR(found(st, ""), "");
    CHECK_STR(found(st, "   "), "");
    CHECK_STR(found(st, "\xff"), "error 5");      /* TD_EUTF8 */
    {
        char big[TD_SEARCH_MAX + 2];
        memset(big, 'a', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        CHECK_STR(found(st, big), "error 6");     /* TD_ETOOBIG */
    }
    td__store_free(st);
}

/* A SQLite store file tmp_dir/name (path into path) holding docs, then
** changed by sql to look like an older schema; 0 when a step failed. */
static int old_store(const char *name, const char *sql, char *path,
                     size_t cap)
{
    td_store *st = NULL;
    td_error err;
    sqlite3 *db;
    int ok;
    tmp_path(path, cap, name);
    check_remove_db(path);
    CHECK(td__store_open(path, &st, &err) == TD_OK);
    if (!st)
        return 0;
    fill(st);
    td__store_free(st);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    ok = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
    CHECK(ok);
    sqlite3_close(db);
    return ok;
}

/* A store written before the index (schema 3) is indexed when opened. */
TEST(backfill_from_schema_3)
{
    char path[128];
    td_store *st = NULL;
    td_error err;
    /* Made to look like schema 3: no search index. */
    if (!old_store("v3.db", "DROP TRIGGER articles_fts_delete;"
                   "DROP TRIGGER articles_fts_update;"
                   "DROP TABLE articles_fts; PRAGMA user_version=3",
                   path, sizeof path))
        return;
    /* A reader does not upgrade. */
    CHECK(td__store_open_readonly(path, &st, &err) == TD_ESTORE);
    CHECK(st == NULL);
    CHECK(td__store_open(path, &st, &err) == TD_OK);
    if (!st)
        return;
    CHECK_STR(found(st, "rubble"), "1");
    CHECK_STR(found(st, "лавров"), "2");
    td__store_free(st);
    check_remove_db(path);
}

/* One article, id and words given, in story 9; TD_OK or the error. */
static td_status add_one(td_store *st, const char *id, const char *text)
{
    td_article a;
    td_error err;
    memset(&a, 0, sizeof a);
    a.id = (char *)id;
    a.title = (char *)id;
    a.text = (char *)text;
    a.date = TD_NO_DATE;
    return td__store_add_article(st, &a, NULL, 9, NULL, &err);
}

/* SQLite's own check that the index matches the articles table, and the
** count of a query's rows; on a second connection to path. */
static int64_t sql_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *stmt = NULL;
    int64_t v = -1;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return v;
}

static int index_intact(const char *path)
{
    sqlite3 *db;
    int rc;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return 0;
    rc = sqlite3_exec(db, "INSERT INTO articles_fts(articles_fts, rank)"
                      " VALUES('integrity-check', 1)", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK;
}

/* A batch is indexed when it commits, in the same transaction: a rolled
** back batch leaves no index entries, the next batch is indexed whole. */
TEST(indexed_at_commit)
{
    char path[1024];
    td_store *st = NULL;
    td_story_summary sum;
    td_error err;
    snprintf(path, sizeof path, "%s", check_store_fresh(tmp_dir, "commit.db"));
    CHECK(td__store_open(path, &st, &err) == TD_OK);
    if (!st)
        return;
    memset(&sum, 0, sizeof sum);
    sum.id = 9;
    sum.n_articles = 2;
    sum.first_date = sum.last_date = TD_NO_DATE;
    sum.title = "nine";
    CHECK(td__store_begin(st, &err) == TD_OK);
    CHECK(add_one(st, "b1", "walrus colony sighted") == TD_OK);
    CHECK(add_one(st, "b2", "narwhal pod counted") == TD_OK);
    CHECK(td__store_put_story(st, &sum, NULL, 0, &err) == TD_OK);
    CHECK(td__store_commit(st, &err) == TD_OK);
    CHECK_STR(found(st, "walrus"), "9");
    CHECK_STR(found(st, "narwhal"), "9");
    CHECK(td__store_begin(st, &err) == TD_OK);
    CHECK(add_one(st, "b3", "platypus never stored") == TD_OK);
    CHECK(td__store_rollback(st, &err) == TD_OK);
    CHECK(td__store_begin(st, &err) == TD_OK);
    CHECK(add_one(st, "b4", "axolotl stored") == TD_OK);
    CHECK(td__store_commit(st, &err) == TD_OK);
    CHECK_STR(found(st, "platypus"), "");
    CHECK_STR(found(st, "axolotl"), "9");
    td__store_free(st);
    if (check_pg)
        return;
    CHECK(sql_int(path, "SELECT value FROM meta WHERE name = 'fts_seq'")
          == sql_int(path, "SELECT MAX(seq) FROM articles"));
    CHECK(index_intact(path));
    check_store_fresh(tmp_dir, "commit.db");   /* removes the files */
}

/* A schema 6 store indexed by an insert trigger: opening drops the
** trigger, marks every article indexed, and indexes later ones once. */
/* An upgraded store at path, open as st, still finds what it held, indexes
** a new article at commit and keeps its index intact; then closes and
** removes it. */
static void check_upgraded_in_use(td_store *st, const char *path)
{
    td_error err;
    CHECK(td__store_begin(st, &err) == TD_OK);
    CHECK(add_one(st, "b5", "quokka photographed") == TD_OK);
    CHECK(td__store_commit(st, &err) == TD_OK);
    CHECK_STR(found(st, "rubble"), "1");
    CHECK(index_intact(path));
    CHECK(sql_int(path, "SELECT COUNT(*) FROM articles_fts WHERE"
                  " articles_fts MATCH 'quokka'") == 1);
    td__store_free(st);
    check_remove_db(path);
}

TEST(upgrade_from_schema_6)
{
    char path[128];
    td_store *st = NULL;
    td_error err;
    if (!old_store("v6.db", "DELETE FROM meta WHERE name = 'fts_seq';"
                   "CREATE TRIGGER articles_fts_insert AFTER INSERT ON"
                   " articles BEGIN INSERT INTO articles_fts(rowid,"
                   " title, text) VALUES(new.seq, new.title, new.text);"
                   " END; PRAGMA user_version=6", path, sizeof path))
        return;
    CHECK(td__store_open(path, &st, &err) == TD_OK);
    if (!st)
        return;
    CHECK(sql_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE"
                  " name = 'articles_fts_insert'") == 0);
    CHECK(sql_int(path, "SELECT value FROM meta WHERE name = 'fts_seq'")
          == 4);
    check_upgraded_in_use(st, path);
}

/* The FTS5 settings that keep a batch one segment and merge less often
** (sqlite_search.c): set on a new store, and on a schema 8 store when it is
** upgraded (its index rows stay as they were). */
TEST(fts_settings)
{
    char path[128];
    td_store *st = NULL;
    td_error err;
    const char *hash = "SELECT v FROM articles_fts_config WHERE k = 'hashsize'";
    const char *merge = "SELECT v FROM articles_fts_config"
                        " WHERE k = 'automerge'";
    if (!old_store("v8.db", "DELETE FROM articles_fts_config WHERE k IN"
                   " ('hashsize', 'automerge'); PRAGMA user_version=8",
                   path, sizeof path))
        return;
    CHECK(sql_int(path, hash) == -1);           /* no row: FTS5 defaults */
    CHECK(td__store_open(path, &st, &err) == TD_OK);
    if (!st)
        return;
    CHECK(sql_int(path, hash) == 8388608);
    CHECK(sql_int(path, merge) == 16);
    CHECK(sql_int(path, "PRAGMA user_version") >= 9);
    check_upgraded_in_use(st, path);
}

/* A read-only engine sees commits only, and one commit between read_begin
** and read_end, while the writer holds its transaction open. */
TEST(readonly_engine)
{
    char path[1024];
    td_engine *w = NULL, *r = NULL;
    td_story_list *list = NULL;
    td_error err;
    td_input in;
    int64_t story = 0;
    snprintf(path, sizeof path, "%s", check_store_fresh(tmp_dir, "ro.db"));
    memset(&err, 0, sizeof err);
    CHECK(td_engine_open_readonly(path, &r, &err) == TD_ESTORE); /* none */
    CHECK(td_engine_open(path, &w, &err) == TD_OK);
    if (!w)
        return;
    memset(&in, 0, sizeof in);
    in.id = "one";
    in.title = "Flood in Chiavari";
    in.text = "The river Entella flooded the town of Chiavari overnight; "
              "schools stayed closed and roads were cut.";
    in.date = TD_NO_DATE;
    CHECK(td_engine_add(w, &in, &story, &err) == TD_OK);
    CHECK(td_engine_commit(w, &err) == TD_OK);
    CHECK(td_engine_open_readonly(path, &r, &err) == TD_OK);
    if (!r) {
        td_engine_free(w);
        return;
    }
    CHECK(td_engine_add(r, &in, NULL, &err) == TD_EINVAL);
    CHECK(td_engine_commit(r, &err) == TD_OK);

    /* The writer's open transaction: the reader neither waits nor sees it. */
    in.id = "two";
    CHECK(td_engine_add(w, &in, NULL, &err) == TD_OK);
    CHECK(td_engine_read_begin(r, &err) == TD_OK);
    CHECK(td_engine_stories(r, &list, &err) == TD_OK);
    CHECK(list && list->n == 1 && list->rows[0].n_articles == 1);
    td_story_list_free(list);
    /* Committed now, but the reader's snapshot holds. */
    CHECK(td_engine_commit(w, &err) == TD_OK);
    CHECK(td_engine_search_stories(r, "entella", &list, &err) == TD_OK);
    CHECK(list && list->n == 1 && list->rows[0].n_articles == 1);
    td_story_list_free(list);
    td_engine_read_end(r);
    CHECK(td_engine_stories(r, &list, &err) == TD_OK);
    CHECK(list && list->n == 1 && list->rows[0].n_articles == 2);
    td_story_list_free(list);
    td_engine_read_end(r);  /* without begin: no-op */
    /* One story's row alone. */
    list = NULL;
    CHECK(td_engine_story(r, story, &list, &err) == TD_OK);
    CHECK(list && list->n == 1 && list->rows[0].id == story &&
          list->rows[0].n_articles == 2 && list->rows[0].n_sources == 1);
    td_story_list_free(list);
    CHECK(td_engine_story(r, story + 1000, &list, &err) == TD_ENOTFOUND);
    CHECK(list == NULL);
    /* Rows without their copies fields, then filled for one row. */
    CHECK(td_engine_story_rows(r, "chiavari", &list, &err) == TD_OK);
    CHECK(list && list->n == 1 && list->rows[0].n_sources == 0 &&
          list->rows[0].origin_id == NULL);
    if (list && list->n == 1) {
        CHECK(td_engine_story_sources(r, &list->rows[0], &err) == TD_OK);
        CHECK(td_engine_story_sources(r, &list->rows[0], &err) == TD_OK);
        CHECK(list->rows[0].n_sources == 1);
        CHECK_STR(list->rows[0].origin_id, "one");
    }
    td_story_list_free(list);
    CHECK(td_engine_story_rows(r, NULL, &list, &err) == TD_OK);
    CHECK(list && list->n == 1 && list->rows[0].n_articles == 2);
    td_story_list_free(list);

    td_engine_free(r);
    td_engine_free(w);
    if (!check_pg)
        check_store_fresh(tmp_dir, "ro.db");   /* removes the files */
}

/* The tests every backend must pass. */
static void suite(void)
{
    RUN(words_in_titles_and_texts);
    RUN(scripts_case_and_diacritics);
    RUN(user_input_is_never_syntax);
    RUN(indexed_at_commit);
    RUN(readonly_engine);
}

int main(void)
{
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/td_search_XXXXXX");
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    check_store_backends(suite);
    RUN(backfill_from_schema_3);
    RUN(upgrade_from_schema_6);
    RUN(fts_settings);
    rmdir(tmp_dir);
    return check_report();
}
