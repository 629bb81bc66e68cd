/*
** copies.c: the copy graph in the store: signatures (to rebuild the LSH
** index on reopen), edges with their evidence passage, copy group joins,
** and the read-back of a story's copy groups and independent sources.
** What a copy is and how groups form is decided in lib/copies.c.
*/
#include "store_int.h"
#include "util/map.h"

#include <stdlib.h>
#include <string.h>

td_status td__store_add_copy_edge(td_store *st, const td_store_edge *e,
                                  td_error *err)
{
    sqlite3_stmt *stmt = st->stmt[Q_ADD_COPY_EDGE];
    sqlite3_bind_int64(stmt, 1, e->b_seq);
    sqlite3_bind_int64(stmt, 2, e->a_seq);
    sqlite3_bind_int(stmt, 3, e->direction);
    sqlite3_bind_double(stmt, 4, e->similarity);
    sqlite3_bind_int64(stmt, 5, e->a_start);
    sqlite3_bind_int64(stmt, 6, e->a_end);
    sqlite3_bind_int64(stmt, 7, e->b_start);
    sqlite3_bind_int64(stmt, 8, e->b_end);
    td__store_bind_text(stmt, 9, e->passage);
    sqlite3_bind_int(stmt, 10, e->kind);
    return td__store_run_done(st, stmt, err, "cannot store copy edge");
}

/* Runs one UPDATE of two integer parameters. */
static td_status update2(td_store *st, int q, int64_t p1, int64_t p2,
                         td_error *err, const char *what)
{
    sqlite3_stmt *stmt = st->stmt[q];
    sqlite3_bind_int64(stmt, 1, p1);
    sqlite3_bind_int64(stmt, 2, p2);
    return td__store_run_done(st, stmt, err, what);
}

td_status td__store_join_copy_group(td_store *st, int64_t into, int64_t from,
                                    td_error *err)
{
    const char *what = "cannot join copy groups";
    td_status s = TD_OK;
    if (from != into)
        s = update2(st, Q_JOIN_GROUP, into, from, err, what);
    /* The first member of a group of one has copy_group NULL. */
    if (s == TD_OK && from != into)
        s = update2(st, Q_SET_GROUP, into, from, err, what);
    if (s == TD_OK)
        s = update2(st, Q_SET_GROUP, into, into, err, what);
    return s;
}

td_status td__store_set_copy_of(td_store *st, int64_t seq, int64_t of,
                                td_error *err)
{
    return update2(st, Q_SET_COPY_OF, seq, of, err, "cannot set copy_of");
}

td_status td__store_article_text(td_store *st, int64_t seq, char **text,
                                 td_error *err)
{
    sqlite3_stmt *stmt = st->stmt[Q_ARTICLE_TEXT];
    td_status s = TD_OK;
    int rc;
    *text = NULL;
    sqlite3_bind_int64(stmt, 1, seq);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        if (!td__store_column_copy(stmt, 0, text))
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    } else if (rc == SQLITE_DONE) {
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0,
                          "no article with seq %lld", (long long)seq);
    } else {
        s = td__store_fail(st, err, "cannot read article text");
    }
    td__store_stmt_done(stmt);
    return s;
}

td_status td__store_each_copy_sig(td_store *st, td_sig_fn fn, void *ud,
                                  td_error *err)
{
    sqlite3_stmt *stmt = st->stmt[Q_EACH_COPY_SIG];
    td_status s = TD_OK;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        s = fn(ud, sqlite3_column_int64(stmt, 0),
               td__store_column_date(stmt, 1), sqlite3_column_blob(stmt, 2),
               (size_t)sqlite3_column_bytes(stmt, 2));
        if (s != TD_OK)
            break;
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__store_fail(st, err, "cannot read signatures");
    td__store_stmt_done(stmt);
    return s;
}

td_status td__store_each_copy_edge(td_store *st, td_edge_fn fn, void *ud,
                                   td_error *err)
{
    sqlite3_stmt *stmt = st->stmt[Q_EACH_COPY_EDGE];
    td_status s = TD_OK;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        td_store_edge e;
        e.b_seq = sqlite3_column_int64(stmt, 0);
        e.a_seq = sqlite3_column_int64(stmt, 1);
        e.direction = sqlite3_column_int(stmt, 2);
        e.similarity = sqlite3_column_double(stmt, 3);
        e.a_start = sqlite3_column_int64(stmt, 4);
        e.a_end = sqlite3_column_int64(stmt, 5);
        e.b_start = sqlite3_column_int64(stmt, 6);
        e.b_end = sqlite3_column_int64(stmt, 7);
        e.passage = (const char *)sqlite3_column_text(stmt, 8);
        e.kind = sqlite3_column_int(stmt, 9);
        s = fn(ud, &e);
        if (s != TD_OK)
            break;
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__store_fail(st, err, "cannot read copy edges");
    td__store_stmt_done(stmt);
    return s;
}

/* Read-back -------------------------------------------------------------- */

/* Per group of a story: members and its earliest member. */
typedef struct group_count {
    uint32_t n;
    int64_t first_seq;
} group_count;

td_status td__store_story_sources(td_store *st, td_story_row *r,
                                  td_error *err)
{
    sqlite3_stmt *stmt = st->stmt[Q_STORY_GROUPS];
    td_map index;             /* group id -> slot in counts */
    group_count *counts = NULL;
    size_t n = 0, size = 0, i, best = 0;
    td_status s = TD_OK;
    int rc;

    td__map_init(&index);
    sqlite3_bind_int64(stmt, 1, r->id);
    /* Rows come earliest first, so a group's first row is its origin. */
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int added;
        uint64_t *slot = td__map_put(&index,
                                     (uint64_t)sqlite3_column_int64(stmt, 0),
                                     &added);
        group_count *grown;
        if (!slot) {
            s = TD_ENOMEM;
            break;
        }
        if (!added) {
            counts[*slot].n++;
            continue;
        }
        grown = td__store_grow_rows(counts, n, &size, sizeof *counts);
        if (!grown) {
            td__map_del(&index, (uint64_t)sqlite3_column_int64(stmt, 0));
            s = TD_ENOMEM;
            break;
        }
        counts = grown;
        counts[n].n = 1;
        counts[n].first_seq = sqlite3_column_int64(stmt, 1);
        *slot = n++;
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__store_fail(st, err, "cannot read copy groups");
    else if (s != TD_OK)
        s = td__error_set(err, s, st->path, 0, "out of memory");
    td__store_stmt_done(stmt);
    td__map_free(&index);
    /* The largest group wins; ties go to the one whose origin is earliest,
    ** which is the one met first. */
    for (i = 1; i < n; i++)
        if (counts[i].n > counts[best].n)
            best = i;
    r->n_sources = (uint32_t)(n > UINT32_MAX ? UINT32_MAX : n);
    if (s == TD_OK && n > 0) {
        stmt = st->stmt[Q_ARTICLE_ORIGIN];
        sqlite3_bind_int64(stmt, 1, counts[best].first_seq);
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) {
            if (!td__store_column_copy(stmt, 0, &r->origin_id) ||
                !td__store_column_copy(stmt, 1, &r->origin_credits))
                s = td__error_set(err, TD_ENOMEM, st->path, 0,
                                  "out of memory");
        } else if (rc != SQLITE_DONE) {
            s = td__store_fail(st, err, "cannot read story origin");
        }
        td__store_stmt_done(stmt);
    }
    free(counts);
    return s;
}

void td_copy_list_free(td_copy_list *list)
{
    size_t i, j;
    if (!list)
        return;
    for (i = 0; i < list->n_groups; i++) {
        td_copy_group *g = &list->groups[i];
        for (j = 0; j < g->n_members; j++) {
            free(g->members[j].id);
            free(g->members[j].source);
            free(g->members[j].copy_of);
            free(g->members[j].credits);
        }
        free(g->members);
    }
    for (i = 0; i < list->n_edges; i++) {
        free(list->edges[i].from_id);
        free(list->edges[i].to_id);
        free(list->edges[i].passage);
    }
    free(list->groups);
    free(list->edges);
    free(list);
}

/* Adds the member in the current Q_STORY_MEMBERS row to its group in list
** (index maps group id -> slot). 0 when out of memory. */
static int add_member(sqlite3_stmt *stmt, td_copy_list *list, td_map *index,
                      size_t *groups_size)
{
    int64_t gid = sqlite3_column_int64(stmt, 0);
    int added;
    uint64_t *slot = td__map_put(index, (uint64_t)gid, &added);
    td_copy_group *g;
    td_copy_member *m, *members;
    if (!slot)
        return 0;
    if (added) {
        td_copy_group *groups = td__store_grow_rows(
            list->groups, list->n_groups, groups_size, sizeof *groups);
        if (!groups) {
            td__map_del(index, (uint64_t)gid);
            return 0;
        }
        list->groups = groups;
        list->groups[list->n_groups].id = gid;
        *slot = list->n_groups++;
    }
    g = &list->groups[*slot];
    /* Member arrays grow by powers of two from 4: the size is implied. */
    if (g->n_members >= 4 && (g->n_members & (g->n_members - 1)) == 0) {
        members = realloc(g->members, 2 * g->n_members * sizeof *members);
        if (!members)
            return 0;
        g->members = members;
    } else if (!g->members) {
        g->members = malloc(4 * sizeof *g->members);
        if (!g->members)
            return 0;
    }
    m = &g->members[g->n_members++];
    memset(m, 0, sizeof *m);
    m->date = td__store_column_date(stmt, 5);
    return td__store_column_copy(stmt, 1, &m->copy_of) &&
           td__store_column_copy(stmt, 2, &m->credits) &&
           td__store_column_copy(stmt, 3, &m->id) &&
           td__store_column_copy(stmt, 4, &m->source);
}

static td_status read_edges(td_store *st, int64_t story, td_copy_list *list,
                            td_error *err)
{
    sqlite3_stmt *stmt = st->stmt[Q_STORY_EDGES];
    size_t size = 0;
    td_status s = TD_OK;
    int rc;
    sqlite3_bind_int64(stmt, 1, story);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        td_copy_edge *e = td__store_grow_rows(list->edges, list->n_edges,
                                              &size, sizeof *e);
        int dir = sqlite3_column_int(stmt, 3);
        if (!e) {
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
            break;
        }
        list->edges = e;
        e = &list->edges[list->n_edges++];
        e->group = sqlite3_column_int64(stmt, 0);
        e->dated = dir != 0;
        e->similarity = sqlite3_column_double(stmt, 4);
        e->translation = sqlite3_column_int(stmt, 6) == TD_EDGE_TRANSLATION;
        /* a was ingested first; it is the earlier text unless b is dated
        ** earlier (direction -1). */
        if (!td__store_column_copy(stmt, dir < 0 ? 2 : 1, &e->from_id) ||
            !td__store_column_copy(stmt, dir < 0 ? 1 : 2, &e->to_id) ||
            !td__store_column_copy(stmt, 5, &e->passage)) {
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
            break;
        }
    }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__store_fail(st, err, "cannot read copy edges");
    td__store_stmt_done(stmt);
    return s;
}

/* A group's place in the list: size, then the order its origin was met. */
typedef struct group_rank {
    size_t n, met;
} group_rank;

static int rank_order(const void *pa, const void *pb)
{
    const group_rank *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return a->met < b->met ? -1 : a->met > b->met;
}

/* Orders the groups largest first; ties go to the one whose origin is
** earliest, i.e. met first (members come earliest first), as
** td__store_story_sources() picks the story's origin. */
static td_status order_groups(td_store *st, td_copy_list *list, td_error *err)
{
    group_rank *rank = malloc(list->n_groups * sizeof *rank);
    td_copy_group *sorted = malloc(list->n_groups * sizeof *sorted);
    size_t i;
    if (!rank || !sorted) {
        free(rank);
        free(sorted);
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    }
    for (i = 0; i < list->n_groups; i++) {
        rank[i].n = list->groups[i].n_members;
        rank[i].met = i;
    }
    qsort(rank, list->n_groups, sizeof *rank, rank_order);
    for (i = 0; i < list->n_groups; i++)
        sorted[i] = list->groups[rank[i].met];
    free(list->groups);
    free(rank);
    list->groups = sorted;
    return TD_OK;
}

td_status td__store_copies(td_store *st, int64_t story, td_copy_list **out,
                           td_error *err)
{
    sqlite3_stmt *stmt = st->stmt[Q_STORY_MEMBERS];
    td_copy_list *list;
    td_map index;
    size_t size = 0;
    td_status s = TD_OK;
    int rc;

    *out = NULL;
    list = calloc(1, sizeof *list);
    if (!list)
        return td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    td__map_init(&index);
    sqlite3_bind_int64(stmt, 1, story);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        if (!add_member(stmt, list, &index, &size)) {
            s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
            break;
        }
    if (s == TD_OK && rc != SQLITE_DONE)
        s = td__store_fail(st, err, "cannot read copy groups");
    td__store_stmt_done(stmt);
    td__map_free(&index);
    if (s == TD_OK && list->n_groups == 0)
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0, "no story %lld",
                          (long long)story);
    if (s == TD_OK)
        s = read_edges(st, story, list, err);
    if (s == TD_OK)
        s = order_groups(st, list, err);
    if (s != TD_OK) {
        td_copy_list_free(list);
        return s;
    }
    *out = list;
    return TD_OK;
}
