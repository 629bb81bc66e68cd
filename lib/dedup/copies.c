/*
** copies.c: the copy graph's pieces that need no text: the direction of an
** edge (earlier -> later by date) and copy groups (union-find by size with
** path halving), each group remembering its origin: the earliest dated
** member, ties and undated groups going to the member added first.
*/
#include "dedup.h"

#include <stdlib.h>

int td__copy_direction(int64_t date_a, int64_t date_b)
{
    if (date_a == TD_NO_DATE || date_b == TD_NO_DATE || date_a == date_b)
        return 0;
    return date_a < date_b ? 1 : -1;
}

struct td_copy_groups {
    uint32_t *parent;
    uint32_t *size;      /* members, valid at roots */
    uint32_t *origin;    /* the group's origin, valid at roots */
    int64_t *date;
    uint32_t n;
    uint32_t alloc;
};

td_copy_groups *td__copy_groups_new(void)
{
    return calloc(1, sizeof(td_copy_groups));
}

void td__copy_groups_free(td_copy_groups *g)
{
    if (!g)
        return;
    free(g->parent);
    free(g->size);
    free(g->origin);
    free(g->date);
    free(g);
}

/* Grows one array to n elements of size bytes; 0 on out of memory. */
static int grow(void **p, size_t n, size_t size)
{
    void *q = realloc(*p, n * size);
    if (!q)
        return 0;
    *p = q;
    return 1;
}

td_status td__copy_groups_add(td_copy_groups *g, int64_t date, uint32_t *id)
{
    if (g->n == TD_DEDUP_MAX_DOCS)
        return TD_ETOOBIG;
    if (g->n == g->alloc) {
        size_t n = g->alloc ? (size_t)g->alloc * 2 : 64;
        if (!grow((void **)&g->parent, n, sizeof *g->parent) ||
            !grow((void **)&g->size, n, sizeof *g->size) ||
            !grow((void **)&g->origin, n, sizeof *g->origin) ||
            !grow((void **)&g->date, n, sizeof *g->date))
            return TD_ENOMEM;
        g->alloc = (uint32_t)n;
    }
    g->parent[g->n] = g->n;
    g->size[g->n] = 1;
    g->origin[g->n] = g->n;
    g->date[g->n] = date;
    *id = g->n++;
    return TD_OK;
}

uint32_t td__copy_groups_find(td_copy_groups *g, uint32_t a)
{
    while (g->parent[a] != a) {
        g->parent[a] = g->parent[g->parent[a]];
        a = g->parent[a];
    }
    return a;
}

/* 1 when member x is a better origin than y: dated before undated, earlier
** before later, then the one added first. */
static int earlier(const td_copy_groups *g, uint32_t x, uint32_t y)
{
    int64_t dx = g->date[x], dy = g->date[y];
    if (dx != dy) {
        if (dx == TD_NO_DATE)
            return 0;
        if (dy == TD_NO_DATE)
            return 1;
        return dx < dy;
    }
    return x < y;
}

void td__copy_groups_union(td_copy_groups *g, uint32_t a, uint32_t b)
{
    uint32_t ra = td__copy_groups_find(g, a), rb = td__copy_groups_find(g, b);
    uint32_t oa, ob;
    if (ra == rb)
        return;
    if (g->size[ra] < g->size[rb]) {
        uint32_t t = ra;
        ra = rb;
        rb = t;
    }
    oa = g->origin[ra];
    ob = g->origin[rb];
    g->parent[rb] = ra;
    g->size[ra] += g->size[rb];
    g->origin[ra] = earlier(g, ob, oa) ? ob : oa;
}

uint32_t td__copy_groups_origin(td_copy_groups *g, uint32_t a)
{
    return g->origin[td__copy_groups_find(g, a)];
}

uint32_t td__copy_groups_size(td_copy_groups *g, uint32_t a)
{
    return g->size[td__copy_groups_find(g, a)];
}
