/*
** counters.c: logs of (key, count) pairs in the store: document frequencies
** for the clusterer and per-site line counts for learned boilerplate. They
** change by the hundred thousand per batch, so each commit appends the
** changed entries as one blob (key u64, n u32, native byte order), later
** entries winning, and every LOG_MERGE blobs are merged into one.
*/
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

#define LOG_ENTRY 12
#define LOG_MERGE 64

void td__store_counters_init(td_store *st)
{
    static const char *const what[TD_COUNTER_KINDS] = {
        [TD_COUNTER_DF] = "document frequency",
        [TD_COUNTER_SITE] = "site line",
    };
    int k;
    for (k = 0; k < TD_COUNTER_KINDS; k++) {
        counter_log *cl = &st->counters[k];
        cl->what = what[k];
        td__buf_init(&cl->pending, (size_t)1 << 31);
        cl->logs = -1;
    }
}

void td__store_counters_free(td_store *st)
{
    int k;
    for (k = 0; k < TD_COUNTER_KINDS; k++)
        td__buf_free(&st->counters[k].pending);
}

void td__store_counters_drop(td_store *st)
{
    int k;
    for (k = 0; k < TD_COUNTER_KINDS; k++) {
        td__buf_reset(&st->counters[k].pending);
        st->counters[k].logs = -1;
    }
}

/* What log_load() walks with. */
typedef struct log_reader {
    td_store *st;
    counter_log *cl;
    td_map *map;
    td_error *err;
    int logs;
} log_reader;

/* One blob of the log into the map, later entries winning. */
static td_status load_blob(void *ud, const void *data, size_t len)
{
    log_reader *r = ud;
    const unsigned char *p = data;
    size_t i;
    r->logs++;
    if (len % LOG_ENTRY != 0)
        return td__error_set(r->err, TD_ESTORE, r->st->path, 0,
                             "corrupt %s log", r->cl->what);
    for (i = 0; i + LOG_ENTRY <= len && p; i += LOG_ENTRY) {
        uint64_t key, *v;
        uint32_t n;
        memcpy(&key, p + i, 8);
        memcpy(&n, p + i + 8, 4);
        if (!(v = td__map_put(r->map, key, NULL)))
            return td__error_set(r->err, TD_ENOMEM, r->st->path, 0,
                                 "out of memory");
        *v = n;
    }
    return TD_OK;
}

/* Reads every blob of the log into a map, later entries winning. */
static td_status log_load(td_store *st, td_counter_kind kind, td_map *df,
                          td_error *err)
{
    log_reader r;
    td_status s;
    r.st = st;
    r.cl = &st->counters[kind];
    r.map = df;
    r.err = err;
    r.logs = 0;
    s = st->m->log_each(st, kind, load_blob, &r, err);
    if (s == TD_OK)
        r.cl->logs = r.logs;
    return s;
}

static int key_order(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static td_status log_put(td_store *st, counter_log *cl, uint64_t key,
                         uint32_t n, td_error *err)
{
    unsigned char entry[LOG_ENTRY];
    td_status s;
    memcpy(entry, &key, 8);
    memcpy(entry + 8, &n, 4);
    s = td__buf_append(&cl->pending, entry, sizeof entry);
    if (s != TD_OK)
        return td__error_set(err, s, st->path, 0, "cannot hold %s: %s",
                             cl->what, td_strerror(s));
    return TD_OK;
}

/* The map's entries as one blob in key order, into cl->pending. */
static td_status log_serialize(td_store *st, counter_log *cl, const td_map *df,
                               td_error *err)
{
    uint64_t *keys = malloc((df->n + 1) * sizeof *keys), key, val;
    size_t i = 0, n = 0;
    td_status s = TD_OK;
    if (!keys)
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    while (td__map_next(df, &i, &key, &val))
        keys[n++] = key;
    qsort(keys, n, sizeof *keys, key_order);
    td__buf_reset(&cl->pending);
    for (i = 0; i < n && s == TD_OK; i++)
        s = log_put(st, cl, keys[i], (uint32_t)*td__map_get(df, keys[i]), err);
    free(keys);
    return s;
}

static td_status log_write_pending(td_store *st, td_counter_kind kind,
                                   td_error *err)
{
    counter_log *cl = &st->counters[kind];
    td_status s = st->m->log_put(st, kind, cl->pending.data, cl->pending.len,
                                 err);
    if (s == TD_OK) {
        td__buf_reset(&cl->pending);
        if (cl->logs >= 0)
            cl->logs++;
    }
    return s;
}

/* Writes the pending entries as one row; past LOG_MERGE rows, replaces
** them all with one merged row. Runs inside the transaction. */
static td_status log_flush(td_store *st, td_counter_kind kind, td_error *err)
{
    counter_log *cl = &st->counters[kind];
    td_map df;
    td_status s;
    if (cl->pending.len == 0)
        return TD_OK;
    if (cl->logs >= 0 && cl->logs < LOG_MERGE)
        return log_write_pending(st, kind, err);
    /* Merge: everything stored, then the pending entries on top. */
    td__map_init(&df);
    s = log_load(st, kind, &df, err);
    if (s == TD_OK) {
        size_t i;
        for (i = 0; i + LOG_ENTRY <= cl->pending.len; i += LOG_ENTRY) {
            uint64_t key, *v;
            uint32_t n;
            memcpy(&key, cl->pending.data + i, 8);
            memcpy(&n, cl->pending.data + i + 8, 4);
            if (!(v = td__map_put(&df, key, NULL))) {
                s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
                break;
            }
            *v = n;
        }
    }
    if (s == TD_OK)
        s = log_serialize(st, cl, &df, err);
    if (s == TD_OK)
        s = st->m->log_clear(st, kind, err);
    if (s == TD_OK) {
        cl->logs = 0;
        s = log_write_pending(st, kind, err);
    }
    td__map_free(&df);
    return s;
}

td_status td__store_each_count(td_store *st, td_counter_kind kind,
                               td_df_fn fn, void *ud, td_error *err)
{
    counter_log *cl = &st->counters[kind];
    td_map df;
    uint64_t *keys = NULL, key, val;
    size_t i = 0, n = 0;
    td_status s;

    td__map_init(&df);
    s = log_load(st, kind, &df, err);
    /* Entries not yet committed count too. */
    for (i = 0; s == TD_OK && i + LOG_ENTRY <= cl->pending.len; i += LOG_ENTRY) {
        uint64_t *v;
        uint32_t dn;
        memcpy(&key, cl->pending.data + i, 8);
        memcpy(&dn, cl->pending.data + i + 8, 4);
        if (!(v = td__map_put(&df, key, NULL)))
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
        else
            *v = dn;
    }
    if (s == TD_OK && !(keys = malloc((df.n + 1) * sizeof *keys)))
        s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    for (i = 0; s == TD_OK && td__map_next(&df, &i, &key, &val);)
        keys[n++] = key;
    if (s == TD_OK)
        qsort(keys, n, sizeof *keys, key_order);
    for (i = 0; s == TD_OK && i < n; i++)
        s = fn(ud, keys[i], (uint32_t)*td__map_get(&df, keys[i]));
    free(keys);
    td__map_free(&df);
    return s;
}

td_status td__store_counters_flush(td_store *st, td_error *err)
{
    int k;
    td_status s = TD_OK;
    for (k = 0; k < TD_COUNTER_KINDS && s == TD_OK; k++)
        s = log_flush(st, (td_counter_kind)k, err);
    return s;
}

td_status td__store_put_count(td_store *st, td_counter_kind kind, uint64_t key,
                              uint32_t n, td_error *err)
{
    return log_put(st, &st->counters[kind], key, n, err);
}

td_status td__store_put_df(td_store *st, uint64_t key, uint32_t n,
                           td_error *err)
{
    return td__store_put_count(st, TD_COUNTER_DF, key, n, err);
}

td_status td__store_each_df(td_store *st, td_df_fn fn, void *ud,
                            td_error *err)
{
    return td__store_each_count(st, TD_COUNTER_DF, fn, ud, err);
}
