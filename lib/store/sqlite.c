/*
** sqlite.c: the store's SQLite backend (WAL mode). Opens or creates the
** schema (docs/internals/store.md), prepares every statement once, and
** writes articles, story summaries, counter log blobs and meta values.
** Reading them back is sqlite_read.c; copies sqlite_copies.c; the entity
** index sqlite_entities.c; search sqlite_search.c. Its method table is at
** the end.
*/
#include "sqlite_int.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The full article columns, in the order read_article_row() expects. */
#define ARTICLE_COLUMNS \
    "seq, id, url, source, title, text, lang, date, story, entities, terms," \
    " " COPY_COLUMNS

/* The copy columns as read back: copy_group (NULL while alone: its own seq),
** copy_of's id, credits. The outer table must be `articles`, unaliased. */
#define COPY_COLUMNS \
    "COALESCE(copy_group, seq)," \
    " (SELECT c.id FROM articles c WHERE c.seq = articles.copy_of), credits"

/* The filters of a page of the list (Q_STORY_PAGE). */
#define PAGE_WHERE \
    "n_articles > 0" \
    " AND (?1 IS NULL OR" \
    "  instr(',' || lower(langs) || ',', ',' || lower(?1) || ',') > 0)" \
    " AND (?2 IS NULL OR last_date >= ?2)" \
    " AND (?3 = 0" \
    "  OR (?4 IS NULL AND last_date IS NULL AND id > ?5)" \
    "  OR (?4 IS NOT NULL AND (last_date < ?4 OR last_date IS NULL" \
    "      OR (last_date = ?4 AND id > ?5))))"

static const char *const query_sql[Q_COUNT] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_HAS_ARTICLE] = "SELECT 1 FROM articles WHERE id = ?1",
    [Q_ADD_ARTICLE] =
        "INSERT INTO articles(id, url, source, title, text, lang, date, story,"
        " entities, terms, seq, copy_group, copy_of, credits)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    /* Upserts: the summary (with story/'s blob) and cluster/'s state blob
    ** are written separately and must not erase each other. */
    [Q_PUT_STORY] =
        "INSERT INTO stories(id, n_articles, langs, first_date, last_date,"
        " title, entities, meta) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT(id) DO UPDATE SET n_articles = excluded.n_articles,"
        " langs = excluded.langs, first_date = excluded.first_date,"
        " last_date = excluded.last_date, title = excluded.title,"
        " entities = excluded.entities, meta = excluded.meta",
    [Q_PUT_STORY_STATE] =
        "INSERT INTO stories(id, n_articles, state) VALUES(?1, 0, ?2)"
        " ON CONFLICT(id) DO UPDATE SET state = excluded.state",
    [Q_GET_STORY_META] = "SELECT meta FROM stories WHERE id = ?1",
    [Q_PUT_DF_LOG] = "INSERT INTO df_log(data) VALUES(?1)",
    [Q_CLEAR_DF_LOG] = "DELETE FROM df_log",
    [Q_SET_META] = "INSERT OR REPLACE INTO meta(name, value) VALUES(?1, ?2)",
    [Q_GET_META] = "SELECT value FROM meta WHERE name = ?1",
    [Q_EACH_STORY_STATE] =
        "SELECT id, state FROM stories WHERE state IS NOT NULL ORDER BY id",
    [Q_EACH_DF_LOG] = "SELECT data FROM df_log ORDER BY seq",
    [Q_PUT_SITE_LOG] = "INSERT INTO site_log(data) VALUES(?1)",
    [Q_CLEAR_SITE_LOG] = "DELETE FROM site_log",
    [Q_EACH_SITE_LOG] = "SELECT data FROM site_log ORDER BY seq",
    [Q_STORIES] =
        "SELECT id, n_articles, langs, first_date, last_date, title, entities"
        " FROM stories WHERE n_articles > 0"
        " ORDER BY n_articles DESC, id ASC",
    /* The list's page: ?1 lang, ?2 since, ?3 after a cursor, ?4 its
    ** last_date (NULL: undated), ?5 its id, ?6 limit, ?7 offset. DESC puts
    ** NULL (undated) last; the index stories_activity is in this order. */
    [Q_STORY_PAGE] =
        "SELECT id, n_articles, langs, first_date, last_date, title, entities"
        " FROM stories WHERE " PAGE_WHERE
        " ORDER BY last_date DESC, id LIMIT ?6 OFFSET ?7",
    [Q_STORY_COUNT] = "SELECT COUNT(*) FROM stories WHERE " PAGE_WHERE,
    [Q_STORY] =
        "SELECT id, n_articles, langs, first_date, last_date, title, entities"
        " FROM stories WHERE id = ?1 AND n_articles > 0",
    [Q_STORY_ARTICLES] =
        "SELECT " ARTICLE_COLUMNS " FROM articles WHERE story = ?1"
        " ORDER BY date IS NULL, date, seq",
    [Q_ARTICLE] = "SELECT " ARTICLE_COLUMNS " FROM articles WHERE id = ?1",
    [Q_EACH_ARTICLE] =
        "SELECT seq, id, url, source, title, lang, date, story, entities, "
        COPY_COLUMNS " FROM articles ORDER BY seq",
    [Q_PUT_COPY_SIG] = "INSERT INTO copy_sigs(seq, date, sig) VALUES(?1, ?2, ?3)",
    [Q_ADD_COPY_EDGE] =
        "INSERT OR REPLACE INTO copy_edges(b_seq, a_seq, direction, similarity,"
        " a_start, a_end, b_start, b_end, passage, kind)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    /* copy_group = ?2 uses the partial index articles_copy_group. */
    [Q_JOIN_GROUP] =
        "UPDATE articles SET copy_group = ?1 WHERE copy_group = ?2",
    [Q_SET_GROUP] = "UPDATE articles SET copy_group = ?1 WHERE seq = ?2",
    [Q_SET_COPY_OF] =
        "UPDATE articles SET copy_of = ?2 WHERE seq = ?1 AND copy_of IS NULL",
    [Q_ARTICLE_TEXT] = "SELECT text FROM articles WHERE seq = ?1",
    [Q_EACH_COPY_SIG] = "SELECT seq, date, sig FROM copy_sigs ORDER BY seq",
    [Q_EACH_COPY_EDGE] =
        "SELECT b_seq, a_seq, direction, similarity, a_start, a_end, b_start,"
        " b_end, passage, kind FROM copy_edges ORDER BY b_seq, a_seq",
    /* Covered by articles_story: a story's groups, earliest member first. */
    [Q_STORY_GROUPS] =
        "SELECT COALESCE(copy_group, seq), seq FROM articles WHERE story = ?1"
        " ORDER BY date IS NULL, date, seq",
    [Q_ARTICLE_ORIGIN] = "SELECT id, credits FROM articles WHERE seq = ?1",
    [Q_STORY_MEMBERS] =
        "SELECT " COPY_COLUMNS ", id, source, date FROM articles"
        " WHERE story = ?1 ORDER BY date IS NULL, date, seq",
    [Q_STORY_EDGES] =
        "SELECT COALESCE(b.copy_group, b.seq), a.id, b.id, e.direction,"
        " e.similarity, e.passage, e.kind"
        " FROM articles b JOIN copy_edges e ON e.b_seq = b.seq"
        " JOIN articles a ON a.seq = e.a_seq"
        " WHERE b.story = ?1 AND a.story = ?1"
        " ORDER BY COALESCE(b.copy_group, b.seq), e.b_seq, e.a_seq",
};

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS articles("
    " seq INTEGER PRIMARY KEY,"
    " id TEXT UNIQUE NOT NULL,"
    " url TEXT, source TEXT, title TEXT, text TEXT, lang TEXT,"
    " date INTEGER,"
    " story INTEGER,"
    " entities TEXT, terms TEXT,"
    /* Copies: copy_group is NULL while the article is alone, else the
    ** group's first seq; copy_of the seq of the article it copies. */
    " copy_group INTEGER, copy_of INTEGER, credits TEXT);"
    "CREATE INDEX IF NOT EXISTS articles_story"
    " ON articles(story, date, seq, copy_group);"
    /* Only articles with a copy are indexed: joining groups finds them. */
    "CREATE INDEX IF NOT EXISTS articles_copy_group"
    " ON articles(copy_group) WHERE copy_group IS NOT NULL;"
    /* MinHash signatures (td_dedup_sig, 132 bytes) in seq order, read at
    ** reopen to rebuild the LSH index; edges of the copy graph. */
    "CREATE TABLE IF NOT EXISTS copy_sigs("
    " seq INTEGER PRIMARY KEY, date INTEGER, sig BLOB);"
    "CREATE TABLE IF NOT EXISTS copy_edges("
    " b_seq INTEGER, a_seq INTEGER, direction INTEGER, similarity REAL,"
    " a_start INTEGER, a_end INTEGER, b_start INTEGER, b_end INTEGER,"
    " passage TEXT, kind INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(b_seq, a_seq)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS stories("
    " id INTEGER PRIMARY KEY,"
    " n_articles INTEGER, langs TEXT, first_date INTEGER, last_date INTEGER,"
    " title TEXT, entities TEXT, state BLOB, meta BLOB);"
    /* The list's order (Q_STORY_PAGE), covering its filters: a page reads
    ** its own rows only, and counting never reads the rows (their state
    ** blobs make the table large). */
    "CREATE INDEX IF NOT EXISTS stories_activity"
    " ON stories(last_date DESC, id, n_articles, langs);"
    /* Document frequencies change by the hundred thousand per batch: each
    ** commit appends the changed ones as one blob of (key u64, n u32)
    ** entries, later entries winning; every LOG_MERGE blobs are merged
    ** (counters.c). */
    "CREATE TABLE IF NOT EXISTS df_log("
    " seq INTEGER PRIMARY KEY, data BLOB);"
    /* Per-site line counts for learned boilerplate, kept the same way. */
    "CREATE TABLE IF NOT EXISTS site_log("
    " seq INTEGER PRIMARY KEY, data BLOB);"
    "CREATE TABLE IF NOT EXISTS meta("
    " name TEXT PRIMARY KEY, value INTEGER);";

/* Reports the connection's last SQLite error as TD_ESTORE. what says which
** operation failed. Call it before resetting the statement. */
td_status td__sqlite_fail(td_store *st, td_error *err, const char *what)
{
    return td__error_set(err, TD_ESTORE, st->path, 0, "%s: %s", what,
                         sqlite3_errmsg(SQ(st)->db));
}

/* Readies a shared statement for its next use, dropping bound pointers. */
void td__sqlite_stmt_done(sqlite3_stmt *stmt)
{
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

/* Runs a statement that returns no rows, then resets it. */
td_status td__sqlite_run_done(td_store *st, sqlite3_stmt *stmt,
                             td_error *err, const char *what)
{
    int rc = sqlite3_step(stmt);
    td_status s = TD_OK;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        s = td__sqlite_fail(st, err, what);
    td__sqlite_stmt_done(stmt);
    return s;
}

int td__sqlite_bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
    if (!s)
        return sqlite3_bind_null(stmt, i);
    return sqlite3_bind_text(stmt, i, s, -1, SQLITE_STATIC);
}

int td__sqlite_bind_date(sqlite3_stmt *stmt, int i, int64_t date)
{
    if (date == TD_NO_DATE)
        return sqlite3_bind_null(stmt, i);
    return sqlite3_bind_int64(stmt, i, date);
}

int64_t td__sqlite_column_date(sqlite3_stmt *stmt, int i)
{
    if (sqlite3_column_type(stmt, i) == SQLITE_NULL)
        return TD_NO_DATE;
    return sqlite3_column_int64(stmt, i);
}

/* Open / close ----------------------------------------------------------- */

/* Reads one integer from a pragma or query; used at open only. */
static td_status query_int(td_store *st, const char *sql, int64_t *out,
                           td_error *err, const char *what)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(SQ(st)->db, sql, -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(stmt, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *out = 0;
            rc = SQLITE_OK;
        }
    }
    if (rc != SQLITE_OK) {
        td_status s = td__sqlite_fail(st, err, what);
        sqlite3_finalize(stmt);
        return s;
    }
    sqlite3_finalize(stmt);
    return TD_OK;
}

/* Copy edges got a kind (text or translation) in version 4; the table of
** an older store exists without it. */
static td_status add_edge_kind(td_store *st)
{
    int64_t has = 0;
    td_status s = query_int(st, "SELECT COUNT(*) FROM"
                            " pragma_table_info('copy_edges')"
                            " WHERE name = 'kind'", &has, NULL,
                            "cannot read the schema");
    if (s != TD_OK || has)
        return s;
    return sqlite3_exec(SQ(st)->db, "ALTER TABLE copy_edges ADD COLUMN"
                        " kind INTEGER NOT NULL DEFAULT 0", NULL, NULL, NULL)
                   == SQLITE_OK
               ? TD_OK
               : TD_ESTORE;
}

/* Creates missing tables and checks the schema version. */
static td_status open_schema(td_store *st, td_error *err)
{
    int64_t version = 0, dummy = 0;
    char sql[64];
    td_status s;

    /* The first read of the file: a non-database fails here with SQLite's
    ** "file is not a database". */
    s = query_int(st, "PRAGMA user_version", &version, err,
                  "cannot open store");
    if (s != TD_OK)
        return s;
    /* A reader changes nothing: the writer creates and upgrades. */
    if (st->readonly && version != STORE_SCHEMA_VERSION)
        return td__error_set(err, TD_ESTORE, st->path, 0,
                             "store schema version %lld, not %d: open it "
                             "for writing first", (long long)version,
                             STORE_SCHEMA_VERSION);
    if (st->readonly)
        return sqlite3_exec(SQ(st)->db, "PRAGMA cache_size=-16384", NULL, NULL,
                            NULL) == SQLITE_OK
                   ? TD_OK
                   : td__sqlite_fail(st, err, "cannot set cache size");
    if (version > STORE_SCHEMA_VERSION)
        return td__error_set(err, TD_ESTORE, st->path, 0,
                             "store schema version %lld is newer than this "
                             "build supports (%d)",
                             (long long)version, STORE_SCHEMA_VERSION);
    if (version < 0)
        return td__error_set(err, TD_ESTORE, st->path, 0,
                             "store schema version %lld is not a Tidings "
                             "store", (long long)version);

    /* journal_mode returns a row ("wal", or "memory" for :memory:). */
    s = query_int(st, "PRAGMA journal_mode=WAL", &dummy, err,
                  "cannot set WAL mode");
    if (s != TD_OK)
        return s;
    if (sqlite3_exec(SQ(st)->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL)
        != SQLITE_OK)
        return td__sqlite_fail(st, err, "cannot set synchronous mode");
    /* The id index and the story rows are touched for every article: a
    ** 64 MiB page cache keeps their hot pages in memory as the file grows. */
    if (sqlite3_exec(SQ(st)->db, "PRAGMA cache_size=-65536", NULL, NULL, NULL)
        != SQLITE_OK)
        return td__sqlite_fail(st, err, "cannot set cache size");

    /* A current store is left alone: creating takes the write lock, and a
    ** reader should not wait for a busy writer to open the file. */
    if (version == STORE_SCHEMA_VERSION)
        return TD_OK;
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", STORE_SCHEMA_VERSION);
    if (sqlite3_exec(SQ(st)->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return td__sqlite_fail(st, err, "cannot create schema");
    if (sqlite3_exec(SQ(st)->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
        add_edge_kind(st) != TD_OK ||
        sqlite3_exec(SQ(st)->db, td__sqlite_entities_schema, NULL, NULL, NULL)
            != SQLITE_OK)
        s = td__sqlite_fail(st, err, "cannot create schema");
    else
        s = td__sqlite_search_schema(st, err);
    if (s == TD_OK && (sqlite3_exec(SQ(st)->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
                       sqlite3_exec(SQ(st)->db, "COMMIT", NULL, NULL, NULL)
                           != SQLITE_OK))
        s = td__sqlite_fail(st, err, "cannot create schema");
    if (s != TD_OK)
        sqlite3_exec(SQ(st)->db, "ROLLBACK", NULL, NULL, NULL);
    return s;
}

static const store_methods sqlite_methods;

td_status td__sqlite_open(const char *path, int readonly, td_store **out,
                          td_error *err)
{
    sqlite_store *sq;
    td_store *st;
    td_status s;
    int i, rc;

    sq = calloc(1, sizeof *sq);
    if (!sq)
        return td__error_set(err, TD_ENOMEM, path, 0, "store: out of memory");
    st = &sq->base;
    td__store_base_init(st, &sqlite_methods, path, readonly);

    rc = sqlite3_open_v2(path, &sq->db,
                         readonly ? SQLITE_OPEN_READONLY
                                  : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                         NULL);
    if (rc != SQLITE_OK) {
        if (sq->db)
            s = td__sqlite_fail(st, err, "cannot open store");
        else
            s = td__error_set(err, TD_ENOMEM, path, 0, "store: out of memory");
        td__store_free(st);
        return s;
    }
    sqlite3_extended_result_codes(sq->db, 1);
    sqlite3_busy_timeout(sq->db, 5000);
    td__sqlite_tokenizer_register(sq->db);

    s = open_schema(st, err);
    for (i = 0; s == TD_OK && i < Q_COUNT; i++)
        if (sqlite3_prepare_v3(sq->db, query_sql[i], -1,
                               SQLITE_PREPARE_PERSISTENT, &sq->stmt[i], NULL)
            != SQLITE_OK)
            s = td__sqlite_fail(st, err, "cannot prepare statement");
    if (s == TD_OK)
        s = td__sqlite_entities_prepare(st, err);
    if (s != TD_OK) {
        td__store_free(st);
        return s;
    }
    *out = st;
    return TD_OK;
}

static void sq_close(td_store *st)
{
    int i;
    for (i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(SQ(st)->stmt[i]);
    td__sqlite_entities_finalize(st);
    td__sqlite_search_free(st);
    sqlite3_close_v2(SQ(st)->db);
    td__store_base_free(st);
    free(st);
}

/* Transactions ----------------------------------------------------------- */

static int sq_in_transaction(td_store *st)
{
    return SQ(st)->db && !sqlite3_get_autocommit(SQ(st)->db);
}

static td_status sq_begin(td_store *st, td_error *err)
{
    return td__sqlite_run_done(st, SQ(st)->stmt[Q_BEGIN], err,
                               "begin transaction");
}

static td_status sq_commit(td_store *st, td_error *err)
{
    td_status s = td__sqlite_search_catch_up(st, err);
    if (s != TD_OK)
        return s;
    return td__sqlite_run_done(st, SQ(st)->stmt[Q_COMMIT], err, "commit");
}

static td_status sq_rollback(td_store *st, td_error *err)
{
    return td__sqlite_run_done(st, SQ(st)->stmt[Q_ROLLBACK], err, "rollback");
}

static td_status sq_read_begin(td_store *st, td_error *err)
{
    /* BEGIN is deferred: the first read takes the snapshot. */
    if (sqlite3_exec(SQ(st)->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return td__sqlite_fail(st, err, "begin read transaction");
    return TD_OK;
}

static void sq_read_end(td_store *st)
{
    /* Nothing was written: ending it cannot lose anything. */
    if (sq_in_transaction(st))
        sqlite3_exec(SQ(st)->db, "COMMIT", NULL, NULL, NULL);
}

/* Articles --------------------------------------------------------------- */

static int sq_has_article(td_store *st, const char *id)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_HAS_ARTICLE];
    int rc, found = -1;
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        found = 1;
    else if (rc == SQLITE_DONE)
        found = 0;
    td__sqlite_stmt_done(stmt);
    return found;
}

static td_status sq_add_article(td_store *st, const td_article *art,
                                const td_analysis *an, int64_t story,
                                const td_store_copy *copy, td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_ADD_ARTICLE];
    td_status s = TD_OK;
    int rc;

    if (an && td__store_summary_columns(st, an) != TD_OK)
        return td__error_set(err, TD_ENOMEM, art->where, 0, "out of memory");
    td__sqlite_bind_text(stmt, 1, art->id);
    td__sqlite_bind_text(stmt, 2, art->url);
    td__sqlite_bind_text(stmt, 3, art->source);
    td__sqlite_bind_text(stmt, 4, art->title);
    td__sqlite_bind_text(stmt, 5, art->text);
    td__sqlite_bind_text(stmt, 6, an ? an->lang : NULL);
    td__sqlite_bind_date(stmt, 7, art->date);
    sqlite3_bind_int64(stmt, 8, story);
    if (an) {
        sqlite3_bind_text(stmt, 9, st->entities.data ? st->entities.data : "",
                          (int)st->entities.len, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 10, st->terms.data ? st->terms.data : "",
                          (int)st->terms.len, SQLITE_STATIC);
    }
    if (copy) {
        sqlite3_bind_int64(stmt, 11, copy->seq);
        if (copy->copy_group)
            sqlite3_bind_int64(stmt, 12, copy->copy_group);
        if (copy->copy_of)
            sqlite3_bind_int64(stmt, 13, copy->copy_of);
        td__sqlite_bind_text(stmt, 14, copy->credits);
    }
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        s = td__error_set(err, TD_EDUPID, art->where, 0,
                          "article id \"%s\" is already stored", art->id);
    else if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        s = td__error_set(err, TD_ESTORE, art->where, 0,
                          "article seq %lld is taken: the copy index is out "
                          "of step with the store",
                          copy ? (long long)copy->seq : 0LL);
    else if (rc != SQLITE_DONE)
        s = td__sqlite_fail(st, err, "cannot store article");
    td__sqlite_stmt_done(stmt);
    /* Outside a transaction the article is its own commit: index it now. */
    if (s == TD_OK && sqlite3_get_autocommit(SQ(st)->db))
        s = td__sqlite_search_catch_up(st, err);
    if (s == TD_OK && copy && copy->sig) {
        stmt = SQ(st)->stmt[Q_PUT_COPY_SIG];
        sqlite3_bind_int64(stmt, 1, copy->seq);
        td__sqlite_bind_date(stmt, 2, art->date);
        sqlite3_bind_blob(stmt, 3, copy->sig, (int)copy->sig_len,
                          SQLITE_STATIC);
        s = td__sqlite_run_done(st, stmt, err, "cannot store signature");
    }
    return s;
}

/* Stories, df, meta ------------------------------------------------------- */

/* Binds an optional blob (its size checked by store.c). */
static void bind_blob(sqlite3_stmt *stmt, int i, const void *blob, size_t len)
{
    if (blob)
        sqlite3_bind_blob(stmt, i, blob, (int)len, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, i);
}

static td_status sq_put_story(td_store *st, const td_story_summary *sum,
                              const void *state, size_t state_len,
                              td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_PUT_STORY];
    bind_blob(stmt, 8, state, state_len);
    sqlite3_bind_int64(stmt, 1, sum->id);
    sqlite3_bind_int64(stmt, 2, sum->n_articles);
    td__sqlite_bind_text(stmt, 3, sum->langs);
    td__sqlite_bind_date(stmt, 4, sum->first_date);
    td__sqlite_bind_date(stmt, 5, sum->last_date);
    td__sqlite_bind_text(stmt, 6, sum->title);
    td__sqlite_bind_text(stmt, 7, sum->entities);
    return td__sqlite_run_done(st, stmt, err, "cannot store story");
}

static td_status sq_put_story_state(td_store *st, int64_t story,
                                    const void *state, size_t len,
                                    td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_PUT_STORY_STATE];
    bind_blob(stmt, 2, state, len);
    sqlite3_bind_int64(stmt, 1, story);
    return td__sqlite_run_done(st, stmt, err, "cannot store story state");
}

static td_status sq_get_story_meta(td_store *st, int64_t story, void **meta,
                                   size_t *len, td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_GET_STORY_META];
    td_status s = TD_OK;
    int rc;

    sqlite3_bind_int64(stmt, 1, story);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
        const void *blob = sqlite3_column_blob(stmt, 0);
        size_t n = (size_t)sqlite3_column_bytes(stmt, 0);
        /* One spare byte so an empty blob still gives a pointer. */
        *meta = malloc(n + 1);
        if (!*meta)
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
        else {
            if (n)
                memcpy(*meta, blob, n);
            *len = n;
        }
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0,
                          "no stored description of story %lld",
                          (long long)story);
    } else {
        s = td__sqlite_fail(st, err, "cannot read story");
    }
    td__sqlite_stmt_done(stmt);
    return s;
}

static td_status sq_set_meta(td_store *st, const char *name, int64_t value,
                             td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_SET_META];
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, value);
    return td__sqlite_run_done(st, stmt, err, "cannot store meta value");
}

static td_status sq_get_meta(td_store *st, const char *name, int64_t *value,
                             td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[Q_GET_META];
    td_status s = TD_OK;
    int rc;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *value = sqlite3_column_int64(stmt, 0);
    else if (rc == SQLITE_DONE)
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0,
                          "no meta value \"%s\"", name);
    else
        s = td__sqlite_fail(st, err, "cannot read meta value");
    td__sqlite_stmt_done(stmt);
    return s;
}

/* Walks ------------------------------------------------------------------ */

/* Gives the statement for a walk. The shared one is busy when a callback
** starts the same walk again; that nested walk gets its own statement
** (*own is set and the caller finalizes it) so the outer one survives. */
td_status td__sqlite_walk_statement(td_store *st, int q, sqlite3_stmt **stmt,
                                   int *own, td_error *err)
{
    *own = 0;
    *stmt = SQ(st)->stmt[q];
    if (!sqlite3_stmt_busy(*stmt))
        return TD_OK;
    if (sqlite3_prepare_v2(SQ(st)->db, query_sql[q], -1, stmt, NULL) != SQLITE_OK)
        return td__sqlite_fail(st, err, "cannot prepare statement");
    *own = 1;
    return TD_OK;
}

void td__sqlite_walk_done(sqlite3_stmt *stmt, int own)
{
    if (own)
        sqlite3_finalize(stmt);
    else
        td__sqlite_stmt_done(stmt);
}

static td_status sq_each_story_state(td_store *st, td_story_state_fn fn,
                                     void *ud, td_error *err)
{
    sqlite3_stmt *stmt;
    td_status s;
    int own, rc;

    s = td__sqlite_walk_statement(st, Q_EACH_STORY_STATE, &stmt, &own, err);
    if (s != TD_OK)
        return s;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const void *state = sqlite3_column_blob(stmt, 1);
        size_t len = (size_t)sqlite3_column_bytes(stmt, 1);
        s = fn(ud, sqlite3_column_int64(stmt, 0), state, len);
        if (s != TD_OK)
            break;
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__sqlite_fail(st, err, "cannot read story state");
    td__sqlite_walk_done(stmt, own);
    return s;
}

/* Counter logs ----------------------------------------------------------- */

static const int log_query[TD_COUNTER_KINDS][3] = {
    [TD_COUNTER_DF] = {Q_EACH_DF_LOG, Q_PUT_DF_LOG, Q_CLEAR_DF_LOG},
    [TD_COUNTER_SITE] = {Q_EACH_SITE_LOG, Q_PUT_SITE_LOG, Q_CLEAR_SITE_LOG},
};

static td_status sq_log_each(td_store *st, td_counter_kind kind,
                             store_blob_fn fn, void *ud, td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[log_query[kind][0]];
    td_status s = TD_OK;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        s = fn(ud, sqlite3_column_blob(stmt, 0),
               (size_t)sqlite3_column_bytes(stmt, 0));
        if (s != TD_OK)
            break;
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__sqlite_fail(st, err, "cannot read a counter log");
    td__sqlite_stmt_done(stmt);
    return s;
}

static td_status sq_log_put(td_store *st, td_counter_kind kind,
                            const void *data, size_t len, td_error *err)
{
    sqlite3_stmt *stmt = SQ(st)->stmt[log_query[kind][1]];
    if (sqlite3_bind_blob64(stmt, 1, data, len, SQLITE_STATIC) != SQLITE_OK)
        return td__sqlite_fail(st, err, "cannot store a counter log");
    return td__sqlite_run_done(st, stmt, err, "cannot store a counter log");
}

static td_status sq_log_clear(td_store *st, td_counter_kind kind,
                              td_error *err)
{
    return td__sqlite_run_done(st, SQ(st)->stmt[log_query[kind][2]], err,
                               "cannot merge a counter log");
}

static const store_methods sqlite_methods = {
    "sqlite",
    0,
    sq_close,
    sq_in_transaction,
    sq_begin,
    sq_commit,
    sq_rollback,
    sq_read_begin,
    sq_read_end,
    sq_has_article,
    sq_add_article,
    td__sqlite_add_entities,
    td__sqlite_clear_entities,
    td__sqlite_entity_stories,
    td__sqlite_add_copy_edge,
    td__sqlite_update,
    td__sqlite_article_text,
    td__sqlite_each_copy_sig,
    td__sqlite_each_copy_edge,
    sq_put_story,
    sq_put_story_state,
    sq_get_story_meta,
    sq_log_each,
    sq_log_put,
    sq_log_clear,
    sq_set_meta,
    sq_get_meta,
    sq_each_story_state,
    td__sqlite_stories,
    td__sqlite_story,
    td__sqlite_story_sources,
    td__sqlite_story_page,
    td__sqlite_story_articles,
    td__sqlite_article,
    td__sqlite_each_article,
    td__sqlite_search_stories,
    td__sqlite_copies,
};
