/*
** check_store.h: runs a store test suite against both backends. The suite
** asks check_store_fresh() for a new empty store location: ":memory:" or
** a file in the temporary directory for SQLite; for PostgreSQL (when
** TIDINGS_TEST_PG holds a server URI, as tests/run.sh sets it) a new
** schema in that database, named after the test, selected through the
** URI's search_path. check_pg_sql() runs SQL there directly.
*/
#ifndef TD_CHECK_STORE_H
#define TD_CHECK_STORE_H

#include "check.h"

#include <libpq-fe.h>

/* The backend the suite runs on now: 0 SQLite, 1 PostgreSQL. */
static int check_pg;
static char check_pg_schema[64];

/* Runs sql on the test server in the current schema (or none); 0 when it
** failed (the server's message printed). */
static inline int check_pg_sql(const char *sql)
{
    const char *uri = getenv("TIDINGS_TEST_PG");
    PGconn *c;
    PGresult *r;
    char set[128];
    int ok;
    if (!uri)
        return 0;
    c = PQconnectdb(uri);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "  cannot connect to %s: %s", uri, PQerrorMessage(c));
        PQfinish(c);
        return 0;
    }
    snprintf(set, sizeof set, "SET client_min_messages = warning;"
             " SET search_path = %s", *check_pg_schema ? check_pg_schema
                                                      : "public");
    PQclear(PQexec(c, set));
    r = PQexec(c, sql);
    ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
         PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "  %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return ok;
}

/* A location for a new empty store named name: for SQLite ":memory:" when
** dir is NULL, else dir/name (its files removed); for PostgreSQL the
** server's URI with a new schema "t<n>_<name>" (dropped first). */
static inline const char *check_store_fresh(const char *dir, const char *name)
{
    static char loc[1024], file[256];
    static int n;
    const char *uri = getenv("TIDINGS_TEST_PG");
    char sql[256];
    if (!check_pg) {
        if (!dir)
            return ":memory:";
        snprintf(file, sizeof file, "%.200s/%.40s", dir, name);
        check_remove_db(file);
        return file;
    }
    snprintf(check_pg_schema, sizeof check_pg_schema, "t%d_%s", ++n, name);
    for (char *p = check_pg_schema; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            *p = '_';
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE;"
             " CREATE SCHEMA %s", check_pg_schema, check_pg_schema);
    check_pg_sql(sql);
    snprintf(loc, sizeof loc, "%s%coptions=-csearch_path%%3D%s", uri,
             strchr(uri, '?') ? '&' : '?', check_pg_schema);
    return loc;
}

/* Runs the suite once per backend: SQLite, then PostgreSQL when
** TIDINGS_TEST_PG is set (else says that it is skipped). */
static inline void check_store_backends(void (*suite)(void))
{
    check_pg = 0;
    suite();
    if (!getenv("TIDINGS_TEST_PG")) {
        printf("PostgreSQL: skipped (TIDINGS_TEST_PG is not set)\n");
        return;
    }
    fprintf(stderr, "PostgreSQL (%s):\n", getenv("TIDINGS_TEST_PG"));
    check_pg = 1;
    suite();
    check_pg = 0;
}

#endif
