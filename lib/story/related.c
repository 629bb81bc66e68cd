/*
** related.c: the story view's related stories: other stories whose entity
** lists name at least two of this story's top entities (matched with the
** view's name rules, names.c), with when they happened relative to it.
** Method: docs/internals/story.md.
*/
#include "story/view_int.h"
#include "story/view_names.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define RELATED_MIN_SHARED 2
#define RELATED_MAX        10

typedef struct related_pass {
    names *nm;
    merge_keys *mk;
    const size_t *top;
    size_t n_top;
    uint32_t shared;     /* bit i: top entity i is named */
} related_pass;

static int related_name(void *ud, const char *s, size_t len)
{
    related_pass *rp = ud;
    size_t i = td__names_spelling_of(rp->nm, s, len), g, t;
    if (i == (size_t)-1)
        return 0;
    g = td__names_match(rp->nm, rp->mk, rp->nm->sp[i].key);
    if (g == (size_t)-1)
        return 1;
    g = td__names_group(rp->nm->sp, g);
    for (t = 0; t < rp->n_top; t++)
        if (rp->top[t] == g)
            rp->shared |= 1u << t;
    return 1;
}

static int cmp_related(const void *a, const void *b)
{
    const td_view_related *x = a, *y = b;
    if (x->n_shared != y->n_shared)
        return x->n_shared > y->n_shared ? -1 : 1;
    if (x->n_articles != y->n_articles)
        return x->n_articles > y->n_articles ? -1 : 1;
    return x->story < y->story ? -1 : x->story > y->story;
}

td_status td__view_related(const td_story_list *stories, int64_t story,
                           names *nm, merge_keys *mk, const size_t *top,
                           size_t n_top, td_story_view *v)
{
    related_pass rp;
    size_t i, t, size = 0;
    const td_story_row *self = NULL;
    memset(&rp, 0, sizeof rp);
    rp.nm = nm;
    rp.mk = mk;
    rp.top = top;
    rp.n_top = n_top;
    if (!stories || n_top < RELATED_MIN_SHARED)
        return TD_OK;
    for (i = 0; i < stories->n; i++)
        if (stories->rows[i].id == story)
            self = &stories->rows[i];
    for (i = 0; i < stories->n; i++) {
        const td_story_row *r = &stories->rows[i];
        td_view_related *rel;
        td_buf b;
        uint32_t n_shared = 0;
        if (r->id == story)
            continue;
        rp.shared = 0;
        if (!td__names_each(r->entities, related_name, &rp))
            return TD_ENOMEM;
        for (t = 0; t < n_top; t++)
            n_shared += (rp.shared >> t) & 1;
        if (n_shared < RELATED_MIN_SHARED)
            continue;
        if (v->n_related == size) {
            size_t size2 = size ? size * 2 : 8;
            td_view_related *a = realloc(v->related, size2 * sizeof *a);
            if (!a)
                return TD_ENOMEM;
            v->related = a;
            size = size2;
        }
        rel = &v->related[v->n_related++];
        memset(rel, 0, sizeof *rel);
        rel->story = r->id;
        rel->n_articles = r->n_articles;
        rel->first_date = r->first_date;
        rel->last_date = r->last_date;
        rel->n_shared = n_shared;
        if (self && self->first_date != TD_NO_DATE &&
            r->last_date != TD_NO_DATE && r->last_date < self->first_date)
            rel->when = -1;
        else if (self && self->last_date != TD_NO_DATE &&
                 r->first_date != TD_NO_DATE &&
                 r->first_date > self->last_date)
            rel->when = 1;
        td__buf_init(&b, 4096);
        for (t = 0; t < n_top; t++)
            if (((rp.shared >> t) & 1) &&
                td__buf_printf(&b, "%s%s", b.len ? "; " : "",
                               v->entities[t].name) != TD_OK)
                break;
        rel->shared = td__buf_steal(&b);
        rel->title = td__strdup(r->title ? r->title : "");
        if (t < n_top || !rel->shared || !rel->title) {
            td__buf_free(&b);
            return TD_ENOMEM;
        }
    }
    if (v->n_related)
        qsort(v->related, v->n_related, sizeof *v->related, cmp_related);
    while (v->n_related > RELATED_MAX) {
        v->n_related--;
        free(v->related[v->n_related].title);
        free(v->related[v->n_related].shared);
    }
    return TD_OK;
}
