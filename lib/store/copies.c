/*
** copies.c: the read-back of the copy graph, shared by both backends: a
** story's independent sources and origin from its (group, seq) rows, and
** its copy groups and edges as a td_copy_list. The backends run the
** queries (sqlite_copies.c, pg_read.c) and feed the rows here; what a copy
** is and how groups form is decided in lib/copies.c.
*/
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

/* Per group of a story: members and its earliest member. */
struct group_count {
    uint32_t n;
    int64_t first_seq;
};

void td__store_sources_init(store_sources *g)
{
    memset(g, 0, sizeof *g);
    td__map_init(&g->index);
}

td_status td__store_sources_add(store_sources *g, int64_t group, int64_t seq)
{
    int added;
    uint64_t *slot = td__map_put(&g->index, (uint64_t)group, &added);
    struct group_count *grown;
    if (!slot)
        return TD_ENOMEM;
    if (!added) {
        g->counts[*slot].n++;
        return TD_OK;
    }
    grown = td__store_grow_rows(g->counts, g->n, &g->size, sizeof *grown);
    if (!grown) {
        td__map_del(&g->index, (uint64_t)group);
        return TD_ENOMEM;
    }
    g->counts = grown;
    g->counts[g->n].n = 1;
    g->counts[g->n].first_seq = seq;   /* rows come earliest first */
    *slot = g->n++;
    return TD_OK;
}

size_t td__store_sources_done(store_sources *g, int64_t *origin_seq)
{
    size_t i, best = 0, n = g->n;
    /* The largest group wins; ties go to the one whose origin is earliest,
    ** which is the one met first. */
    for (i = 1; i < n; i++)
        if (g->counts[i].n > g->counts[best].n)
            best = i;
    *origin_seq = n ? g->counts[best].first_seq : 0;
    free(g->counts);
    td__map_free(&g->index);
    memset(g, 0, sizeof *g);
    return n;
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

td_status td__store_copies_init(store_copies *c)
{
    memset(c, 0, sizeof *c);
    td__map_init(&c->index);
    c->list = calloc(1, sizeof *c->list);
    return c->list ? TD_OK : TD_ENOMEM;
}

/* s copied into *out, NULL staying NULL; 0 when out of memory. */
static int copy_str(const char *s, char **out)
{
    *out = s ? td__strdup(s) : NULL;
    return !s || *out;
}

td_status td__store_copies_member(store_copies *c, int64_t gid,
                                  const char *copy_of, const char *credits,
                                  const char *id, const char *source,
                                  int64_t date)
{
    td_copy_list *list = c->list;
    int added;
    uint64_t *slot = td__map_put(&c->index, (uint64_t)gid, &added);
    td_copy_group *g;
    td_copy_member *m, *members;
    if (!slot)
        return TD_ENOMEM;
    if (added) {
        td_copy_group *groups = td__store_grow_rows(
            list->groups, list->n_groups, &c->groups_size, sizeof *groups);
        if (!groups) {
            td__map_del(&c->index, (uint64_t)gid);
            return TD_ENOMEM;
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
            return TD_ENOMEM;
        g->members = members;
    } else if (!g->members) {
        g->members = malloc(4 * sizeof *g->members);
        if (!g->members)
            return TD_ENOMEM;
    }
    m = &g->members[g->n_members++];
    memset(m, 0, sizeof *m);
    m->date = date;
    return copy_str(copy_of, &m->copy_of) && copy_str(credits, &m->credits) &&
                   copy_str(id, &m->id) && copy_str(source, &m->source)
               ? TD_OK
               : TD_ENOMEM;
}

td_status td__store_copies_edge(store_copies *c, int64_t group,
                                const char *a_id, const char *b_id,
                                int direction, double similarity,
                                const char *passage, int kind)
{
    td_copy_list *list = c->list;
    td_copy_edge *e = td__store_grow_rows(list->edges, list->n_edges,
                                          &c->edges_size, sizeof *e);
    if (!e)
        return TD_ENOMEM;
    list->edges = e;
    e = &list->edges[list->n_edges++];
    e->group = group;
    e->dated = direction != 0;
    e->similarity = similarity;
    e->translation = kind == TD_EDGE_TRANSLATION;
    /* a was ingested first; it is the earlier text unless b is dated
    ** earlier (direction -1). */
    return copy_str(direction < 0 ? b_id : a_id, &e->from_id) &&
                   copy_str(direction < 0 ? a_id : b_id, &e->to_id) &&
                   copy_str(passage, &e->passage)
               ? TD_OK
               : TD_ENOMEM;
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
static td_status order_groups(td_copy_list *list)
{
    group_rank *rank = malloc(list->n_groups * sizeof *rank + 1);
    td_copy_group *sorted = malloc(list->n_groups * sizeof *sorted + 1);
    size_t i;
    if (!rank || !sorted) {
        free(rank);
        free(sorted);
        return TD_ENOMEM;
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

td_status td__store_copies_done(store_copies *c, td_status s, int64_t story,
                                td_store *st, td_copy_list **out,
                                td_error *err)
{
    td__map_free(&c->index);
    if (s == TD_OK && c->list->n_groups == 0)
        s = td__error_set(err, TD_ENOTFOUND, st->path, 0, "no story %lld",
                          (long long)story);
    if (s == TD_OK && order_groups(c->list) != TD_OK)
        s = td__error_set(err, TD_ENOMEM, st->path, 0, "out of memory");
    if (s != TD_OK) {
        td_copy_list_free(c->list);
        c->list = NULL;
        return s;
    }
    *out = c->list;
    c->list = NULL;
    return TD_OK;
}
