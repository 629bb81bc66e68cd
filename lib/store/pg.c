/*
** pg.c: the store's PostgreSQL backend (libpq), chosen by a postgresql://
** or postgres:// URI. The schema mirrors SQLite's (version 6) in
** PostgreSQL types: BIGINT for every integer, BYTEA for blobs, a tsvector
** column for search. Every statement is prepared once per connection and
** run with binary parameters and results. Writers serialize on an advisory
** lock taken at BEGIN, as SQLite's BEGIN IMMEDIATE does; readers read at
** REPEATABLE READ between read_begin and read_end. Read-back is pg_read.c;
** see docs/internals/store.md ("PostgreSQL").
*/
#include "pg_int.h"
#include "util/family.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The advisory lock every writing transaction holds: one writer at a time
** per database, whatever process it is in. */
#define PG_WRITE_LOCK "7405318262"

/* An article's search words are cut here: a tsvector holds at most 1 MB of
** distinct words, and the words of a text are fewer bytes than it; one
** word (lexeme) at most 2047 bytes. */
#define PG_MAX_SEARCH_DOC (((size_t)1 << 20) - 64)
#define PG_MAX_LEXEME 2046

/* The full article columns, in the order pg_read.c's article rows expect. */
#define ARTICLE_COLUMNS \
    "seq, id, url, source, title, text, lang, date, story, entities, terms," \
    " " COPY_COLUMNS
#define COPY_COLUMNS \
    "COALESCE(copy_group, seq)," \
    " (SELECT c.id FROM articles c WHERE c.seq = articles.copy_of), credits"
#define STORY_COLUMNS \
    "id, n_articles, langs, first_date, last_date, title, entities"

/* The filters of a page of the list (P_STORY_PAGE), as SQLite's. */
#define PAGE_WHERE \
    "n_articles > 0" \
    " AND ($1::text IS NULL OR" \
    "  strpos(',' || lower(langs) || ',', ',' || lower($1) || ',') > 0)" \
    " AND ($2::bigint IS NULL OR last_date >= $2)" \
    " AND ($3 = 0" \
    "  OR ($4::bigint IS NULL AND last_date IS NULL AND id > $5)" \
    "  OR ($4 IS NOT NULL AND (last_date < $4 OR last_date IS NULL" \
    "      OR (last_date = $4 AND id > $5))))"

const pg_query td__pg_query[P_COUNT] = {
    [P_HAS_ARTICLE] = {"SELECT 1 FROM articles WHERE id = $1", "t"},
    /* A conflict inserts nothing: the caller tells a duplicate id from a
    ** taken seq. Inside a transaction an error would abort it. */
    [P_ADD_ARTICLE] = {
        "WITH a AS (INSERT INTO articles(id, url, source, title, text, lang,"
        " date, story, entities, terms, seq, copy_group, copy_of, credits)"
        " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
        " COALESCE($11, (SELECT COALESCE(MAX(seq), 0) + 1 FROM articles)),"
        " $12, $13, $14) ON CONFLICT DO NOTHING RETURNING seq)"
        " INSERT INTO article_search(seq, words) SELECT seq, $15 FROM a",
        "ttttttiittiiitv"},
    [P_ARTICLE_ID] = {"SELECT 1 FROM articles WHERE id = $1", "t"},
    [P_PUT_COPY_SIG] = {
        "INSERT INTO copy_sigs(seq, date, sig) VALUES($1, $2, $3)"
        " ON CONFLICT(seq) DO UPDATE SET date = excluded.date,"
        " sig = excluded.sig", "iib"},
    [P_PUT_STORY] = {
        "INSERT INTO stories(id, n_articles, langs, first_date, last_date,"
        " title, entities, meta) VALUES($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT(id) DO UPDATE SET n_articles = excluded.n_articles,"
        " langs = excluded.langs, first_date = excluded.first_date,"
        " last_date = excluded.last_date, title = excluded.title,"
        " entities = excluded.entities, meta = excluded.meta", "iitiittb"},
    [P_PUT_STORY_STATE] = {
        "INSERT INTO stories(id, n_articles, state) VALUES($1, 0, $2)"
        " ON CONFLICT(id) DO UPDATE SET state = excluded.state", "ib"},
    [P_GET_STORY_META] = {"SELECT meta FROM stories WHERE id = $1", "i"},
    [P_PUT_DF_LOG] = {"INSERT INTO df_log(data) VALUES($1)", "b"},
    [P_CLEAR_DF_LOG] = {"DELETE FROM df_log", ""},
    [P_EACH_DF_LOG] = {"SELECT data FROM df_log ORDER BY seq", ""},
    [P_PUT_SITE_LOG] = {"INSERT INTO site_log(data) VALUES($1)", "b"},
    [P_CLEAR_SITE_LOG] = {"DELETE FROM site_log", ""},
    [P_EACH_SITE_LOG] = {"SELECT data FROM site_log ORDER BY seq", ""},
    [P_SET_META] = {
        "INSERT INTO meta(name, value) VALUES($1, $2)"
        " ON CONFLICT(name) DO UPDATE SET value = excluded.value", "ti"},
    [P_GET_META] = {"SELECT value FROM meta WHERE name = $1", "t"},
    /* The walks read pages of PG_WALK_PAGE rows after the last key seen. */
    [P_EACH_STORY_STATE] = {
        "SELECT id, state FROM stories WHERE state IS NOT NULL AND id > $1"
        " ORDER BY id LIMIT " PG_WALK_PAGE_SQL, "i"},
    [P_STORIES] = {
        "SELECT " STORY_COLUMNS " FROM stories WHERE n_articles > 0"
        " ORDER BY n_articles DESC, id ASC", ""},
    /* The list's page: $1 lang, $2 since, $3 after a cursor (0/1), $4 its
    ** last_date (NULL: undated), $5 its id, $6 limit, $7 offset; the
    ** order of the index stories_activity. */
    [P_STORY_PAGE] = {
        "SELECT " STORY_COLUMNS " FROM stories WHERE " PAGE_WHERE
        " ORDER BY last_date DESC NULLS LAST, id LIMIT $6 OFFSET $7",
        "tiiiiii"},
    [P_STORY_COUNT] = {"SELECT COUNT(*) FROM stories WHERE " PAGE_WHERE,
                       "tiiii"},
    [P_STORY] = {
        "SELECT " STORY_COLUMNS " FROM stories WHERE id = $1"
        " AND n_articles > 0", "i"},
    [P_STORY_ARTICLES] = {
        "SELECT " ARTICLE_COLUMNS " FROM articles WHERE story = $1"
        " ORDER BY date IS NULL, date, seq", "i"},
    [P_ARTICLE] = {"SELECT " ARTICLE_COLUMNS " FROM articles WHERE id = $1",
                   "t"},
    [P_EACH_ARTICLE] = {
        "SELECT seq, id, url, source, title, lang, date, story, entities, "
        COPY_COLUMNS " FROM articles WHERE seq > $1 ORDER BY seq"
        " LIMIT " PG_WALK_PAGE_SQL, "i"},
    [P_ADD_COPY_EDGE] = {
        "INSERT INTO copy_edges(b_seq, a_seq, direction, similarity,"
        " a_start, a_end, b_start, b_end, passage, kind)"
        " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT(b_seq, a_seq) DO UPDATE SET"
        " direction = excluded.direction, similarity = excluded.similarity,"
        " a_start = excluded.a_start, a_end = excluded.a_end,"
        " b_start = excluded.b_start, b_end = excluded.b_end,"
        " passage = excluded.passage, kind = excluded.kind", "iiidiiiiti"},
    [P_JOIN_GROUP] = {
        "UPDATE articles SET copy_group = $1 WHERE copy_group = $2", "ii"},
    [P_SET_GROUP] = {"UPDATE articles SET copy_group = $1 WHERE seq = $2",
                     "ii"},
    [P_SET_COPY_OF] = {
        "UPDATE articles SET copy_of = $2 WHERE seq = $1 AND copy_of IS NULL",
        "ii"},
    [P_ARTICLE_TEXT] = {"SELECT text FROM articles WHERE seq = $1", "i"},
    [P_EACH_COPY_SIG] = {
        "SELECT seq, date, sig FROM copy_sigs WHERE seq > $1 ORDER BY seq"
        " LIMIT " PG_WALK_PAGE_SQL, "i"},
    [P_EACH_COPY_EDGE] = {
        "SELECT b_seq, a_seq, direction, similarity, a_start, a_end, b_start,"
        " b_end, passage, kind FROM copy_edges WHERE (b_seq, a_seq) > ($1, $2)"
        " ORDER BY b_seq, a_seq LIMIT " PG_WALK_PAGE_SQL, "ii"},
    [P_STORY_GROUPS] = {
        "SELECT COALESCE(copy_group, seq), seq FROM articles WHERE story = $1"
        " ORDER BY date IS NULL, date, seq", "i"},
    [P_ARTICLE_ORIGIN] = {"SELECT id, credits FROM articles WHERE seq = $1",
                          "i"},
    [P_STORY_MEMBERS] = {
        "SELECT " COPY_COLUMNS ", id, source, date FROM articles"
        " WHERE story = $1 ORDER BY date IS NULL, date, seq", "i"},
    [P_STORY_EDGES] = {
        "SELECT COALESCE(b.copy_group, b.seq), a.id, b.id, e.direction,"
        " e.similarity, e.passage, e.kind"
        " FROM articles b JOIN copy_edges e ON e.b_seq = b.seq"
        " JOIN articles a ON a.seq = e.a_seq"
        " WHERE b.story = $1 AND a.story = $1"
        " ORDER BY COALESCE(b.copy_group, b.seq), e.b_seq, e.a_seq", "i"},
    /* A NULL date never replaces a known one; a later one does. */
    [P_ENT_ADD] = {
        "INSERT INTO entity_stories AS e(surname, key, story, articles,"
        " mentions, last_date, display) VALUES($1, $2, $3, 1, $4, $5, $6)"
        " ON CONFLICT(surname, key, story) DO UPDATE SET"
        " articles = e.articles + 1,"
        " mentions = e.mentions + excluded.mentions,"
        " last_date = CASE WHEN excluded.last_date >"
        " COALESCE(e.last_date, excluded.last_date - 1)"
        " THEN excluded.last_date ELSE e.last_date END", "ttiiit"},
    [P_ENT_RANGE] = {
        "SELECT key, story, articles, mentions, display FROM entity_stories"
        " WHERE surname = $1 ORDER BY story", "t"},
    [P_ENT_STORY] = {
        "SELECT n_articles, title, last_date FROM stories WHERE id = $1", "i"},
    [P_ENT_CLEAR] = {"DELETE FROM entity_stories", ""},
    /* $1 is a tsquery of quoted prefix words built from letters and
    ** numbers only, folded as the texts' words are (pg_read.c). */
    [P_SEARCH] = {
        "SELECT " STORY_COLUMNS " FROM stories WHERE n_articles > 0"
        " AND id IN (SELECT a.story FROM article_search s"
        "  JOIN articles a ON a.seq = s.seq"
        "  WHERE s.words @@ $1::tsquery)"
        " ORDER BY n_articles DESC, id ASC", "t"},
};

/* The schema: SQLite's (sqlite.c) in PostgreSQL types. Runs inside the
** schema transaction, under the write lock. */
static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS articles("
    " seq BIGINT PRIMARY KEY,"
    " id TEXT UNIQUE NOT NULL,"
    " url TEXT, source TEXT, title TEXT, text TEXT, lang TEXT,"
    " date BIGINT, story BIGINT, entities TEXT, terms TEXT,"
    " copy_group BIGINT, copy_of BIGINT, credits TEXT);"
    "CREATE INDEX IF NOT EXISTS articles_story"
    " ON articles(story, date, seq, copy_group);"
    "CREATE INDEX IF NOT EXISTS articles_copy_group"
    " ON articles(copy_group) WHERE copy_group IS NOT NULL;"
    /* The title's and text's words, folded (words.c), without positions:
    ** search ANDs words, it has no phrases. Written as text by the client,
    ** never through to_tsvector: no parser or locale of the server. A table of its own: updating
    ** an article's copy columns then leaves the GIN index alone. */
    "CREATE TABLE IF NOT EXISTS article_search("
    " seq BIGINT PRIMARY KEY, words TSVECTOR);"
    "CREATE INDEX IF NOT EXISTS article_search_words"
    " ON article_search USING GIN(words);"
    "CREATE TABLE IF NOT EXISTS copy_sigs("
    " seq BIGINT PRIMARY KEY, date BIGINT, sig BYTEA);"
    "CREATE TABLE IF NOT EXISTS copy_edges("
    " b_seq BIGINT, a_seq BIGINT, direction BIGINT,"
    " similarity DOUBLE PRECISION,"
    " a_start BIGINT, a_end BIGINT, b_start BIGINT, b_end BIGINT,"
    " passage TEXT, kind BIGINT NOT NULL DEFAULT 0,"
    " PRIMARY KEY(b_seq, a_seq));"
    "CREATE TABLE IF NOT EXISTS stories("
    " id BIGINT PRIMARY KEY,"
    " n_articles BIGINT, langs TEXT, first_date BIGINT, last_date BIGINT,"
    " title TEXT, entities TEXT, state BYTEA, meta BYTEA);"
    "CREATE INDEX IF NOT EXISTS stories_activity"
    " ON stories(last_date DESC NULLS LAST, id) INCLUDE (n_articles, langs);"
    "CREATE TABLE IF NOT EXISTS df_log("
    " seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, data BYTEA);"
    "CREATE TABLE IF NOT EXISTS site_log("
    " seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, data BYTEA);"
    "CREATE TABLE IF NOT EXISTS entity_stories("
    " surname TEXT NOT NULL, key TEXT NOT NULL, story BIGINT NOT NULL,"
    " articles BIGINT NOT NULL, mentions BIGINT NOT NULL,"
    " last_date BIGINT, display TEXT,"
    " PRIMARY KEY(surname, key, story));";

/* Parameters and results ------------------------------------------------- */

static void put_be64(unsigned char *p, uint64_t v)
{
    int i;
    for (i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

void td__pg_int(pg_params *p, int i, int64_t v)
{
    put_be64(p->ints[i], (uint64_t)v);
    p->values[i] = (const char *)p->ints[i];
    p->lengths[i] = 8;
    p->formats[i] = 1;
    if (i >= p->n)
        p->n = i + 1;
}

void td__pg_date(pg_params *p, int i, int64_t date)
{
    if (date == TD_NO_DATE)
        td__pg_text(p, i, NULL);
    else
        td__pg_int(p, i, date);
}

void td__pg_double(pg_params *p, int i, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    td__pg_int(p, i, (int64_t)bits);
}

void td__pg_text(pg_params *p, int i, const char *s)
{
    p->values[i] = s;
    p->lengths[i] = 0;
    p->formats[i] = 0;
    if (i >= p->n)
        p->n = i + 1;
}

void td__pg_blob(pg_params *p, int i, const void *data, size_t len)
{
    /* An empty blob is not NULL: point at something. */
    p->values[i] = data ? (len ? data : "") : NULL;
    p->lengths[i] = (int)len;
    p->formats[i] = 1;
    if (i >= p->n)
        p->n = i + 1;
}

/* Sends q (prepared) or sql (unnamed, no parameters) into the pipeline. */
static int send(td_store *st, int q, const char *sql, const pg_params *p)
{
    char name[16];
    if (sql)
        return PQsendQueryParams(PG(st)->conn, sql, 0, NULL, NULL, NULL,
                                 NULL, 1);
    snprintf(name, sizeof name, "q%d", q);
    return PQsendQueryPrepared(PG(st)->conn, name, p ? p->n : 0,
                               p ? p->values : NULL, p ? p->lengths : NULL,
                               p ? p->formats : NULL, 1);
}

/* Ends the pipeline with a sync and reads every result up to it. Returns
** the last statement's result, or the first failed one's (the server
** skips the rest after a failure); NULL when the connection failed. */
static PGresult *sync_results(td_store *st)
{
    pg_store *pg = PG(st);
    PGresult *r, *last = NULL, *failed = NULL;
    int nulls = 0;
    if (!PQpipelineSync(pg->conn))
        return NULL;
    /* Each statement's results end with a NULL; the sync answers last. */
    for (;;) {
        r = PQgetResult(pg->conn);
        if (!r) {
            if (++nulls > pg->queued + 2 ||
                PQstatus(pg->conn) == CONNECTION_BAD)
                break;
            continue;
        }
        nulls = 0;
        if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (PQresultStatus(r) == PGRES_FATAL_ERROR && !failed) {
            failed = r;
            continue;
        }
        PQclear(last);
        last = r;
    }
    pg->queued = 0;
    /* A failure before the last statement was a queued write's. */
    pg->failed_queued = failed && last;
    if (failed) {
        PQclear(last);
        return failed;
    }
    return last;
}

PGresult *td__pg_exec(td_store *st, int q, const pg_params *p)
{
    if (!send(st, q, NULL, p))
        return NULL;
    PG(st)->queued++;
    return sync_results(st);
}

/* Sends q (or sql) and, outside a transaction or when many are queued,
** waits for the results. */
static td_status queue(td_store *st, int q, const char *sql,
                       const pg_params *p, td_error *err, const char *what)
{
    PGresult *r;
    td_status s;
    if (!send(st, q, sql, p))
        return td__pg_fail(st, NULL, err, what);
    /* A bound keeps the results the server holds for us small. */
    if (++PG(st)->queued < 256 && PG(st)->txn)
        return TD_OK;
    r = sync_results(st);
    s = td__pg_ok(r) ? TD_OK : td__pg_fail(st, r, err, what);
    PQclear(r);
    return s;
}

td_status td__pg_send(td_store *st, int q, const pg_params *p, td_error *err,
                      const char *what)
{
    return queue(st, q, NULL, p, err, what);
}

PGresult *td__pg_page(td_store *st, int q, int64_t k1, int64_t k2)
{
    pg_params p;
    p.n = 0;
    td__pg_int(&p, 0, k1);
    if (q == P_EACH_COPY_EDGE)
        td__pg_int(&p, 1, k2);
    return td__pg_exec(st, q, &p);
}

td_status td__pg_walk(td_store *st, int q, td_status (*row)(void *ud,
                      const PGresult *r, int i), void *ud, td_error *err,
                      const char *what)
{
    int64_t k1 = INT64_MIN, k2 = INT64_MIN;
    td_status s = TD_OK;
    int n = PG_WALK_PAGE, i;
    while (s == TD_OK && n == PG_WALK_PAGE) {
        PGresult *r = td__pg_page(st, q, k1, k2);
        n = td__pg_ok(r) ? PQntuples(r) : 0;
        if (!td__pg_ok(r))
            s = td__pg_fail(st, r, err, what);
        for (i = 0; s == TD_OK && i < n; i++) {
            /* The key is the first column, or the first two. */
            k1 = td__pg_col_int(r, i, 0);
            k2 = td__pg_col_int(r, i, 1);
            s = row(ud, r, i);
        }
        PQclear(r);
    }
    return s;
}

int td__pg_ok(const PGresult *r)
{
    ExecStatusType t = PQresultStatus(r);
    return r && (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK);
}

td_status td__pg_fail(td_store *st, const PGresult *r, td_error *err,
                      const char *what)
{
    const char *msg = r ? PQresultErrorMessage(r) : "";
    size_t len;
    if (!msg || !*msg)
        msg = PQerrorMessage(PG(st)->conn);
    if (!msg || !*msg)
        msg = "out of memory";
    len = strlen(msg);
    while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        len--;
    return td__error_set(err, TD_ESTORE, st->path, 0, "%s: %s%.*s", what,
                         r && PG(st)->failed_queued
                             ? "an earlier write of the transaction failed: "
                             : "",
                         (int)len, msg);
}

int64_t td__pg_col_int(const PGresult *r, int row, int col)
{
    const unsigned char *p;
    uint64_t v = 0;
    int len, i;
    if (PQgetisnull(r, row, col))
        return 0;
    p = (const unsigned char *)PQgetvalue(r, row, col);
    len = PQgetlength(r, row, col);
    if (len != 2 && len != 4 && len != 8)
        return 0;
    for (i = 0; i < len; i++)
        v = v << 8 | p[i];
    /* Sign-extend the narrower integer types (int2, int4). */
    if (len < 8 && (p[0] & 0x80))
        v |= ~(uint64_t)0 << (8 * len);
    return (int64_t)v;
}

int64_t td__pg_col_date(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return TD_NO_DATE;
    return td__pg_col_int(r, row, col);
}

double td__pg_col_double(const PGresult *r, int row, int col)
{
    uint64_t bits;
    double d = 0;
    if (PQgetlength(r, row, col) != 8)
        return 0;
    bits = (uint64_t)td__pg_col_int(r, row, col);
    memcpy(&d, &bits, sizeof d);
    return d;
}

const char *td__pg_col_text(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return NULL;
    return PQgetvalue(r, row, col);
}

int td__pg_col_copy(const PGresult *r, int row, int col, char **out)
{
    *out = NULL;
    if (PQgetisnull(r, row, col))
        return 1;
    *out = td__strndup(PQgetvalue(r, row, col),
                       (size_t)PQgetlength(r, row, col));
    return *out != NULL;
}

/* Open / close ----------------------------------------------------------- */

/* Runs SQL without parameters (text protocol; several statements). */
static td_status exec_sql(td_store *st, const char *sql, td_error *err,
                          const char *what)
{
    PGresult *r = PQexec(PG(st)->conn, sql);
    td_status s = td__pg_ok(r) ? TD_OK : td__pg_fail(st, r, err, what);
    PQclear(r);
    return s;
}

/* The schema version in meta: 0 when the table or the row is missing. */
static td_status read_version(td_store *st, int64_t *version, td_error *err)
{
    PGresult *r = PQexec(PG(st)->conn, "SELECT value FROM meta"
                                       " WHERE name = 'schema_version'");
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    td_status s = TD_OK;
    *version = 0;
    if (td__pg_ok(r) && PQntuples(r) == 1)
        *version = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    else if (!td__pg_ok(r) && !(state && strcmp(state, "42P01") == 0))
        s = td__pg_fail(st, r, err, "cannot read the schema version");
    /* 42P01, no meta table: not a store (yet), version 0. */
    PQclear(r);
    return s;
}

/* Creates the tables when missing and checks the schema version, in one
** transaction under the write lock (two processes may open at once). */
static td_status open_schema(td_store *st, td_error *err)
{
    int64_t version = 0;
    char sql[160];
    td_status s;

    if (st->readonly) {
        /* A reader changes nothing: the writer creates. */
        s = read_version(st, &version, err);
        if (s == TD_OK && version != STORE_SCHEMA_VERSION)
            s = td__error_set(err, TD_ESTORE, st->path, 0,
                              "store schema version %lld, not %d: open it "
                              "for writing first", (long long)version,
                              STORE_SCHEMA_VERSION);
        if (s == TD_OK)
            s = exec_sql(st, "SET default_transaction_read_only = on", err,
                         "cannot open store");
        return s;
    }
    s = exec_sql(st, "BEGIN; SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK
                     ");", err, "cannot create schema");
    if (s == TD_OK)
        s = exec_sql(st, "CREATE TABLE IF NOT EXISTS meta("
                         " name TEXT PRIMARY KEY, value BIGINT)", err,
                     "cannot create schema");
    if (s == TD_OK)
        s = read_version(st, &version, err);
    if (s == TD_OK && version > STORE_SCHEMA_VERSION)
        s = td__error_set(err, TD_ESTORE, st->path, 0,
                          "store schema version %lld is newer than this "
                          "build supports (%d)",
                          (long long)version, STORE_SCHEMA_VERSION);
    if (s == TD_OK && version < 0)
        s = td__error_set(err, TD_ESTORE, st->path, 0,
                          "store schema version %lld is not a Tidings store",
                          (long long)version);
    if (s == TD_OK && version < STORE_SCHEMA_VERSION) {
        s = exec_sql(st, schema_sql, err, "cannot create schema");
        snprintf(sql, sizeof sql,
                 "INSERT INTO meta(name, value) VALUES('schema_version', %d)"
                 " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                 STORE_SCHEMA_VERSION);
        if (s == TD_OK)
            s = exec_sql(st, sql, err, "cannot create schema");
    }
    if (s == TD_OK)
        return exec_sql(st, "COMMIT", err, "cannot create schema");
    PQclear(PQexec(PG(st)->conn, "ROLLBACK"));
    return s;
}

/* Notices (a word too long to index, ...) are not the user's business. */
static void quiet(void *ud, const char *msg)
{
    (void)ud;
    (void)msg;
}

/* The URI without its password, for messages: "user:secret@host" loses
** ":secret"; a password=... parameter keeps only its name. */
static void redact(const char *uri, char *out, size_t cap)
{
    const char *auth = strstr(uri, "://"), *at, *colon;
    char *pw;
    size_t auth_len;
    snprintf(out, cap, "%s", uri);
    if (!auth)
        return;
    auth += 3;
    auth_len = strcspn(auth, "/?");
    at = memchr(auth, '@', auth_len);
    colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon)
        snprintf(out, cap, "%.*s%s", (int)(colon - uri), uri, at);
    if ((pw = strstr(out, "password=")) != NULL)
        snprintf(pw, cap - (size_t)(pw - out), "password=...");
}

static const store_methods pg_methods;

td_status td__pg_open(const char *uri, int readonly, td_store **out,
                      td_error *err)
{
    pg_store *pg;
    td_store *st;
    td_status s;
    char where[512];
    int i;

    redact(uri, where, sizeof where);
    pg = calloc(1, sizeof *pg);
    if (!pg)
        return td__error_set(err, TD_ENOMEM, where, 0, "store: out of memory");
    st = &pg->base;
    td__store_base_init(st, &pg_methods, where, readonly);
    td__buf_init(&pg->doc, PG_MAX_SEARCH_DOC + 1);
    {
        /* A server that does not answer must not hang the program: 10 s
        ** unless the URI says otherwise (its own values come later and
        ** win). */
        static const char *const keys[] = {"connect_timeout", "dbname", NULL};
        const char *values[] = {"10", uri, NULL};
        pg->conn = PQconnectdbParams(keys, values, 1);
    }
    if (!pg->conn) {
        td__store_free(st);
        return td__error_set(err, TD_ENOMEM, where, 0, "store: out of memory");
    }
    if (PQstatus(pg->conn) != CONNECTION_OK) {
        s = td__pg_fail(st, NULL, err, "cannot connect to PostgreSQL");
        td__store_free(st);
        return s;
    }
    PQsetNoticeProcessor(pg->conn, quiet, NULL);
    s = PQsetClientEncoding(pg->conn, "UTF8") == 0
            ? TD_OK
            : td__pg_fail(st, NULL, err, "cannot set client encoding");
    if (s == TD_OK)
        s = open_schema(st, err);
    for (i = 0; s == TD_OK && i < P_COUNT; i++) {
        static const unsigned oid[128] = {['i'] = 20, ['t'] = 25, ['b'] = 17,
                                          ['d'] = 701, ['v'] = 3614};
        Oid types[PG_MAX_PARAMS];
        const char *t = td__pg_query[i].types;
        char name[16];
        PGresult *r;
        int n;
        for (n = 0; t[n] && n < PG_MAX_PARAMS; n++)
            types[n] = oid[(unsigned char)t[n] & 127];
        snprintf(name, sizeof name, "q%d", i);
        r = PQprepare(pg->conn, name, td__pg_query[i].sql, n, types);
        if (!td__pg_ok(r))
            s = td__pg_fail(st, r, err, "cannot prepare statement");
        PQclear(r);
    }
    if (s == TD_OK && !PQenterPipelineMode(pg->conn))
        s = td__pg_fail(st, NULL, err, "cannot enter pipeline mode");
    if (s != TD_OK) {
        td__store_free(st);
        return s;
    }
    *out = st;
    return TD_OK;
}

static int pg_in_transaction(td_store *st)
{
    return PG(st)->txn;
}

static void pg_close(td_store *st)
{
    PQfinish(PG(st)->conn);
    td__buf_free(&PG(st)->doc);
    td__store_base_free(st);
    free(st);
}

/* Transactions ----------------------------------------------------------- */

static td_status pg_begin(td_store *st, td_error *err)
{
    td_status s;
    PG(st)->txn = 1;
    s = queue(st, 0, "BEGIN", NULL, err, "begin transaction");
    if (s == TD_OK)
        s = queue(st, 0, "SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")",
                  NULL, err, "begin transaction");
    return s;
}

/* Sends sql and waits for it and everything queued before it. */
static td_status finish(td_store *st, const char *sql, td_error *err,
                        const char *what)
{
    PGresult *r = NULL;
    td_status s;
    if (send(st, 0, sql, NULL)) {
        PG(st)->queued++;
        r = sync_results(st);
    }
    s = td__pg_ok(r) ? TD_OK : td__pg_fail(st, r, err, what);
    PQclear(r);
    return s;
}

/* Leaves a transaction that failed: the server skipped the rest of the
** pipeline, COMMIT included, and holds the transaction aborted. */
static void abandon(td_store *st)
{
    if (PQtransactionStatus(PG(st)->conn) != PQTRANS_IDLE)
        finish(st, "ROLLBACK", NULL, "rollback");
    PG(st)->txn = 0;
}

static td_status pg_commit(td_store *st, td_error *err)
{
    td_status s = finish(st, "COMMIT", err, "commit");
    if (s != TD_OK)
        abandon(st);
    PG(st)->txn = 0;
    return s;
}

static td_status pg_rollback(td_store *st, td_error *err)
{
    td_status s;
    /* The queued statements' errors do not matter any more; after one the
    ** server skipped the rest, and a ROLLBACK among them too. */
    if (PG(st)->queued)
        PQclear(sync_results(st));
    s = finish(st, "ROLLBACK", err, "rollback");
    PG(st)->txn = 0;
    return s;
}

static td_status pg_read_begin(td_store *st, td_error *err)
{
    /* One snapshot for all the reads until read_end. */
    PG(st)->txn = 1;
    return queue(st, 0, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                 NULL, err, "begin read transaction");
}

static void pg_read_end(td_store *st)
{
    if (PG(st)->txn)
        finish(st, "COMMIT", NULL, "");
    PG(st)->txn = 0;
}

/* Articles --------------------------------------------------------------- */

/* 1 when a row answers q with the text parameter s, 0 when none, -1. */
static int exists(td_store *st, int q, const char *s)
{
    pg_params p;
    PGresult *r;
    int found;
    p.n = 0;
    td__pg_text(&p, 0, s);
    r = td__pg_exec(st, q, &p);
    found = td__pg_ok(r) ? PQntuples(r) > 0 : -1;
    PQclear(r);
    return found;
}

static int pg_has_article(td_store *st, const char *id)
{
    return exists(st, P_HAS_ARTICLE, id);
}

static td_status pg_add_article(td_store *st, const td_article *art,
                                const td_analysis *an, int64_t story,
                                const td_store_copy *copy, td_error *err)
{
    pg_params p;
    PGresult *r;
    td_status s = TD_OK;

    if (an && td__store_summary_columns(st, an) != TD_OK)
        return td__error_set(err, TD_ENOMEM, art->where, 0, "out of memory");
    /* The words in tsvector's text form: letters and numbers need no
    ** quotes, and the server sorts and merges repeats. Parsing that costs
    ** far less than to_tsvector (its parser, then lower() per word). */
    if (td__store_search_text(art->title, art->text, &PG(st)->doc,
                              PG_MAX_SEARCH_DOC, PG_MAX_LEXEME) != TD_OK)
        return td__error_set(err, TD_ENOMEM, art->where, 0, "out of memory");
    memset(&p, 0, sizeof p);
    td__pg_text(&p, 0, art->id);
    td__pg_text(&p, 1, art->url);
    td__pg_text(&p, 2, art->source);
    td__pg_text(&p, 3, art->title);
    td__pg_text(&p, 4, art->text);
    td__pg_text(&p, 5, an ? an->lang : NULL);
    td__pg_date(&p, 6, art->date);
    td__pg_int(&p, 7, story);
    td__pg_text(&p, 8, an ? (st->entities.data ? st->entities.data : "")
                          : NULL);
    td__pg_text(&p, 9, an ? (st->terms.data ? st->terms.data : "") : NULL);
    td__pg_text(&p, 10, NULL);
    td__pg_text(&p, 11, NULL);
    td__pg_text(&p, 12, NULL);
    td__pg_text(&p, 13, NULL);
    if (copy) {
        td__pg_int(&p, 10, copy->seq);
        if (copy->copy_group)
            td__pg_int(&p, 11, copy->copy_group);
        if (copy->copy_of)
            td__pg_int(&p, 12, copy->copy_of);
        td__pg_text(&p, 13, copy->credits);
    }
    td__pg_text(&p, 14, PG(st)->doc.data ? PG(st)->doc.data : "");
    r = td__pg_exec(st, P_ADD_ARTICLE, &p);
    if (!td__pg_ok(r))
        s = td__pg_fail(st, r, err, "cannot store article");
    else if (strcmp(PQcmdTuples(r), "0") == 0)
        s = exists(st, P_ARTICLE_ID, art->id) == 1
                ? td__error_set(err, TD_EDUPID, art->where, 0,
                                "article id \"%s\" is already stored", art->id)
                : td__error_set(err, TD_ESTORE, art->where, 0,
                                "article seq %lld is taken: the copy index is "
                                "out of step with the store",
                                copy ? (long long)copy->seq : 0LL);
    PQclear(r);
    if (s == TD_OK && copy && copy->sig) {
        p.n = 0;
        td__pg_int(&p, 0, copy->seq);
        td__pg_date(&p, 1, art->date);
        td__pg_blob(&p, 2, copy->sig, copy->sig_len);
        s = td__pg_send(st, P_PUT_COPY_SIG, &p, err, "cannot store signature");
    }
    return s;
}

/* Stories, logs, meta ----------------------------------------------------- */

static td_status pg_put_story(td_store *st, const td_story_summary *sum,
                              const void *state, size_t state_len,
                              td_error *err)
{
    pg_params p;
    p.n = 0;
    td__pg_int(&p, 0, sum->id);
    td__pg_int(&p, 1, sum->n_articles);
    td__pg_text(&p, 2, sum->langs);
    td__pg_date(&p, 3, sum->first_date);
    td__pg_date(&p, 4, sum->last_date);
    td__pg_text(&p, 5, sum->title);
    td__pg_text(&p, 6, sum->entities);
    td__pg_blob(&p, 7, state, state_len);
    return td__pg_send(st, P_PUT_STORY, &p, err, "cannot store story");
}

static td_status pg_put_story_state(td_store *st, int64_t story,
                                    const void *state, size_t len,
                                    td_error *err)
{
    pg_params p;
    p.n = 0;
    td__pg_int(&p, 0, story);
    td__pg_blob(&p, 1, state, len);
    return td__pg_send(st, P_PUT_STORY_STATE, &p, err,
                      "cannot store story state");
}

static td_status pg_get_story_meta(td_store *st, int64_t story, void **meta,
                                   size_t *len, td_error *err)
{
    pg_params p;
    PGresult *r;
    td_status s = TD_OK;
    p.n = 0;
    td__pg_int(&p, 0, story);
    r = td__pg_exec(st, P_GET_STORY_META, &p);
    if (!td__pg_ok(r)) {
        s = td__pg_fail(st, r, err, "cannot read story");
    } else if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
        size_t n = (size_t)PQgetlength(r, 0, 0);
        /* One spare byte so an empty blob still gives a pointer. */
        if (!(*meta = malloc(n + 1)))
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
        else {
            memcpy(*meta, PQgetvalue(r, 0, 0), n);
            *len = n;
        }
    } else {
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0,
                          "no stored description of story %lld",
                          (long long)story);
    }
    PQclear(r);
    return s;
}

static const int log_query[TD_COUNTER_KINDS][3] = {
    [TD_COUNTER_DF] = {P_EACH_DF_LOG, P_PUT_DF_LOG, P_CLEAR_DF_LOG},
    [TD_COUNTER_SITE] = {P_EACH_SITE_LOG, P_PUT_SITE_LOG, P_CLEAR_SITE_LOG},
};

static td_status pg_log_each(td_store *st, td_counter_kind kind,
                             store_blob_fn fn, void *ud, td_error *err)
{
    PGresult *r = td__pg_exec(st, log_query[kind][0], NULL);
    td_status s = TD_OK;
    int i;
    if (!td__pg_ok(r))
        s = td__pg_fail(st, r, err, "cannot read a counter log");
    for (i = 0; s == TD_OK && i < PQntuples(r); i++)
        s = fn(ud, PQgetvalue(r, i, 0), (size_t)PQgetlength(r, i, 0));
    PQclear(r);
    return s;
}

static td_status pg_log_put(td_store *st, td_counter_kind kind,
                            const void *data, size_t len, td_error *err)
{
    pg_params p;
    p.n = 0;
    td__pg_blob(&p, 0, data ? data : "", len);
    return td__pg_send(st, log_query[kind][1], &p, err,
                      "cannot store a counter log");
}

static td_status pg_log_clear(td_store *st, td_counter_kind kind,
                              td_error *err)
{
    return td__pg_send(st, log_query[kind][2], NULL, err,
                      "cannot merge a counter log");
}

static td_status pg_set_meta(td_store *st, const char *name, int64_t value,
                             td_error *err)
{
    pg_params p;
    p.n = 0;
    td__pg_text(&p, 0, name);
    td__pg_int(&p, 1, value);
    return td__pg_send(st, P_SET_META, &p, err, "cannot store meta value");
}

static td_status pg_get_meta(td_store *st, const char *name, int64_t *value,
                             td_error *err)
{
    pg_params p;
    PGresult *r;
    td_status s = TD_OK;
    p.n = 0;
    td__pg_text(&p, 0, name);
    r = td__pg_exec(st, P_GET_META, &p);
    if (!td__pg_ok(r))
        s = td__pg_fail(st, r, err, "cannot read meta value");
    else if (PQntuples(r) == 0)
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0,
                          "no meta value \"%s\"", name);
    else
        *value = td__pg_col_int(r, 0, 0);
    PQclear(r);
    return s;
}

static td_status story_state_row(void *ud, const PGresult *r, int i)
{
    walk_cb *w = ud;
    return w->fn.state(w->ud, td__pg_col_int(r, i, 0), PQgetvalue(r, i, 1),
                       (size_t)PQgetlength(r, i, 1));
}

static td_status pg_each_story_state(td_store *st, td_story_state_fn fn,
                                     void *ud, td_error *err)
{
    walk_cb w;
    w.fn.state = fn;
    w.ud = ud;
    return td__pg_walk(st, P_EACH_STORY_STATE, story_state_row, &w, err,
                       "cannot read story state");
}

/* Entities and copies ---------------------------------------------------- */

static td_status pg_add_entities(td_store *st, int64_t story, int64_t date,
                                 const td_store_entity *ents, size_t n,
                                 td_error *err)
{
    size_t i;
    td_status s = TD_OK;
    for (i = 0; i < n && s == TD_OK; i++) {
        const td_store_entity *e = &ents[i];
        pg_params p;
        if (!e->key || !*e->key)
            continue;
        p.n = 0;
        td__pg_text(&p, 0, td__key_surname(e->key, NULL));
        td__pg_text(&p, 1, e->key);
        td__pg_int(&p, 2, story);
        td__pg_int(&p, 3, e->mentions);
        td__pg_date(&p, 4, date);
        td__pg_text(&p, 5, e->display);
        s = td__pg_send(st, P_ENT_ADD, &p, err, "cannot index entity");
    }
    return s;
}

static td_status pg_clear_entities(td_store *st, td_error *err)
{
    return td__pg_send(st, P_ENT_CLEAR, NULL, err,
                      "cannot clear the entity index");
}

static td_status pg_add_copy_edge(td_store *st, const td_store_edge *e,
                                  td_error *err)
{
    pg_params p;
    p.n = 0;
    td__pg_int(&p, 0, e->b_seq);
    td__pg_int(&p, 1, e->a_seq);
    td__pg_int(&p, 2, e->direction);
    td__pg_double(&p, 3, e->similarity);
    td__pg_int(&p, 4, e->a_start);
    td__pg_int(&p, 5, e->a_end);
    td__pg_int(&p, 6, e->b_start);
    td__pg_int(&p, 7, e->b_end);
    td__pg_text(&p, 8, e->passage);
    td__pg_int(&p, 9, e->kind);
    return td__pg_send(st, P_ADD_COPY_EDGE, &p, err, "cannot store copy edge");
}

static td_status pg_update(td_store *st, int what, int64_t p1, int64_t p2,
                           td_error *err)
{
    pg_params p;
    p.n = 0;
    td__pg_int(&p, 0, p1);
    td__pg_int(&p, 1, p2);
    return td__pg_send(st,
                      what == STORE_JOIN_GROUP  ? P_JOIN_GROUP
                      : what == STORE_SET_GROUP ? P_SET_GROUP
                                                : P_SET_COPY_OF,
                      &p, err,
                      what == STORE_SET_COPY_OF ? "cannot set copy_of"
                                                : "cannot join copy groups");
}

static td_status pg_article_text(td_store *st, int64_t seq, char **text,
                                 td_error *err)
{
    pg_params p;
    PGresult *r;
    td_status s = TD_OK;
    p.n = 0;
    td__pg_int(&p, 0, seq);
    r = td__pg_exec(st, P_ARTICLE_TEXT, &p);
    if (!td__pg_ok(r))
        s = td__pg_fail(st, r, err, "cannot read article text");
    else if (PQntuples(r) == 0)
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0,
                          "no article with seq %lld", (long long)seq);
    else if (!td__pg_col_copy(r, 0, 0, text))
        s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    PQclear(r);
    return s;
}

static td_status sig_row(void *ud, const PGresult *r, int i)
{
    walk_cb *w = ud;
    return w->fn.sig(w->ud, td__pg_col_int(r, i, 0), td__pg_col_date(r, i, 1),
                     PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2),
                     (size_t)PQgetlength(r, i, 2));
}

static td_status pg_each_copy_sig(td_store *st, td_sig_fn fn, void *ud,
                                  td_error *err)
{
    walk_cb w;
    w.fn.sig = fn;
    w.ud = ud;
    return td__pg_walk(st, P_EACH_COPY_SIG, sig_row, &w, err,
                       "cannot read signatures");
}

static td_status edge_row(void *ud, const PGresult *r, int i)
{
    walk_cb *w = ud;
    td_store_edge e;
    e.b_seq = td__pg_col_int(r, i, 0);
    e.a_seq = td__pg_col_int(r, i, 1);
    e.direction = (int)td__pg_col_int(r, i, 2);
    e.similarity = td__pg_col_double(r, i, 3);
    e.a_start = td__pg_col_int(r, i, 4);
    e.a_end = td__pg_col_int(r, i, 5);
    e.b_start = td__pg_col_int(r, i, 6);
    e.b_end = td__pg_col_int(r, i, 7);
    e.passage = td__pg_col_text(r, i, 8);
    e.kind = (int)td__pg_col_int(r, i, 9);
    return w->fn.edge(w->ud, &e);
}

static td_status pg_each_copy_edge(td_store *st, td_edge_fn fn, void *ud,
                                   td_error *err)
{
    walk_cb w;
    w.fn.edge = fn;
    w.ud = ud;
    return td__pg_walk(st, P_EACH_COPY_EDGE, edge_row, &w, err,
                       "cannot read copy edges");
}

static const store_methods pg_methods = {
    "postgresql",
    1,
    pg_close,
    pg_in_transaction,
    pg_begin,
    pg_commit,
    pg_rollback,
    pg_read_begin,
    pg_read_end,
    pg_has_article,
    pg_add_article,
    pg_add_entities,
    pg_clear_entities,
    td__pg_entity_stories,
    pg_add_copy_edge,
    pg_update,
    pg_article_text,
    pg_each_copy_sig,
    pg_each_copy_edge,
    pg_put_story,
    pg_put_story_state,
    pg_get_story_meta,
    pg_log_each,
    pg_log_put,
    pg_log_clear,
    pg_set_meta,
    pg_get_meta,
    pg_each_story_state,
    td__pg_stories,
    td__pg_story,
    td__pg_story_sources,
    td__pg_story_page,
    td__pg_story_articles,
    td__pg_article,
    td__pg_each_article,
    td__pg_search_stories,
    td__pg_copies,
};
