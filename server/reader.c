/*
** reader.c: the read side's store connections. GET requests read through
** read-only engines (td_engine_open_readonly), so they never wait for the
** writer: a POST batch holds the engine lock for its whole length, but
** SQLite's WAL (or PostgreSQL's MVCC: each reader is a connection of its
** own) lets readers see the last commit meanwhile. Readers are
** opened on first need, kept in a small pool (one per concurrent request,
** so at most the daemon's thread count) and closed at shutdown. A store
** that cannot be shared (":memory:") is read through the writer, under
** the lock, as before.
*/
#include "server.h"

#include <stdio.h>
#include <string.h>

void srv_readers_init(srv_server *srv, const char *db_path)
{
    srv_readers *r = &srv->readers;
    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->lock, NULL);
    r->path = db_path;
    /* An in-memory store exists only in the writer's connection. */
    r->shared = *db_path && strcmp(db_path, ":memory:") != 0;
}

void srv_readers_free(srv_server *srv)
{
    srv_readers *r = &srv->readers;
    int i;
    for (i = 0; i < r->n_idle; i++)
        td_engine_free(r->idle[i]);
    r->n_idle = 0;
    pthread_mutex_destroy(&r->lock);
}

td_engine *srv_read_begin(srv_server *srv)
{
    srv_readers *r = &srv->readers;
    td_engine *eng = NULL;
    int open_new = 0;
    td_error err;

    if (r->shared) {
        pthread_mutex_lock(&r->lock);
        if (r->n_idle > 0) {
            eng = r->idle[--r->n_idle];
        } else if (r->n_open < SRV_MAX_READERS) {
            r->n_open++;   /* the slot is taken before the slow open */
            open_new = 1;
        }
        pthread_mutex_unlock(&r->lock);
    }
    if (open_new) {
        memset(&err, 0, sizeof err);
        if (td_engine_open_readonly(r->path, &eng, &err) != TD_OK) {
            fprintf(stderr, "tidings serve: read-only connection: %s; "
                    "reading through the writer\n", err.msg);
            pthread_mutex_lock(&r->lock);
            r->n_open--;
            pthread_mutex_unlock(&r->lock);
            eng = NULL;
        }
    }
    if (eng) {
        memset(&err, 0, sizeof err);
        if (td_engine_read_begin(eng, &err) == TD_OK)
            return eng;
        /* A reader that cannot start a transaction is dropped. */
        td_engine_free(eng);
        pthread_mutex_lock(&r->lock);
        r->n_open--;
        pthread_mutex_unlock(&r->lock);
    }
    pthread_mutex_lock(&srv->lock);
    return srv->eng;
}

void srv_read_end(srv_server *srv, td_engine *eng)
{
    srv_readers *r = &srv->readers;
    if (eng == srv->eng) {
        pthread_mutex_unlock(&srv->lock);
        return;
    }
    td_engine_read_end(eng);
    pthread_mutex_lock(&r->lock);
    r->idle[r->n_idle++] = eng;
    pthread_mutex_unlock(&r->lock);
}
