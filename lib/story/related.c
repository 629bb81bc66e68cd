/*
** related.c: the story view's related stories: other stories whose entity
** lists name at least two of this story's top entities (matched with the
** view's name rules, names.c), or one when the later of the two refers
** back to the earlier one's time (backref.c), with when they happened
** relative to it and why they are related. Method: docs/internals/story.md.
*/
#include "story/view_int.h"
#include "story/view_names.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define RELATED_MIN_SHARED 2
#define RELATED_MAX        10
#define BACKREF_ARTICLES   60    /* articles of a story read for references */
#define BACKREF_FETCH      4     /* later stories whose articles are read */
#define BACKREF_FETCH_MAX  200   /* ... when they have at most this many: a
                                 ** larger one costs more to read than the
                                 ** whole view, and is rarely related by one
                                 ** shared entity alone */

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
    if ((x->backref != NULL) != (y->backref != NULL))
        return x->backref ? -1 : 1;
    if (x->n_articles != y->n_articles)
        return x->n_articles > y->n_articles ? -1 : 1;
    return x->story < y->story ? -1 : x->story > y->story;
}

/* The back-reference state of one view: this story's own references, read
** once when an earlier story is met, and the budget of later stories
** whose articles may still be read. */
typedef struct backrefs {
    const td_article_list *arts;
    td_time_ref *own;
    size_t n_own;
    int own_read;
    int64_t first, last;       /* this story's dated span */
    td_view_fetch_fn fetch;
    void *ud;
    int fetches_left;
} backrefs;

static void related_free(td_view_related *rel)
{
    free(rel->title);
    free(rel->shared);
    free(rel->backref);
    free(rel->backref_article);
}

/* Copies the words of ref (in list's article) into rel. 0 when out of
** memory. */
static int set_backref(td_view_related *rel, const td_article_list *list,
                       const td_time_ref *ref)
{
    const td_article_row *a = &list->rows[ref->art];
    rel->backref = td__strndup(a->text + ref->start, ref->end - ref->start);
    rel->backref_article = td__strdup(a->id ? a->id : "");
    return rel->backref && rel->backref_article;
}

/* Looks for a back-reference between this story and r (when: r is before,
** -1, or after, 1) and records it in rel. TD_ENOMEM only. */
static td_status find_backref(backrefs *br, const td_story_row *r, int when,
                              td_view_related *rel)
{
    const td_time_ref *m;
    td_article_list *later = NULL;
    td_time_ref *refs = NULL;
    size_t n = 0;
    td_status rc = TD_OK;
    if (when < 0) {
        if (!br->own_read) {
            br->own_read = 1;
            if ((rc = td__backref_collect(br->arts, BACKREF_ARTICLES,
                                          &br->own, &br->n_own)) != TD_OK)
                return rc;
        }
        m = td__backref_match(br->own, br->n_own, r->first_date, r->last_date);
        if (m && !set_backref(rel, br->arts, m))
            return TD_ENOMEM;
        return TD_OK;
    }
    if (when == 0 || !br->fetch || br->fetches_left <= 0 ||
        r->n_articles > BACKREF_FETCH_MAX)
        return TD_OK;
    br->fetches_left--;
    rc = br->fetch(br->ud, r->id, &later);
    if (rc != TD_OK) {
        /* A story that cannot be read (gone, a store error) has no
        ** back-reference; only running out of memory fails the view. */
        td_article_list_free(later);
        return rc == TD_ENOMEM ? rc : TD_OK;
    }
    rc = td__backref_collect(later, BACKREF_ARTICLES, &refs, &n);
    if (rc == TD_OK &&
        (m = td__backref_match(refs, n, br->first, br->last)) != NULL &&
        !set_backref(rel, later, m))
        rc = TD_ENOMEM;
    free(refs);
    td_article_list_free(later);
    return rc;
}

/* This story's dated span from its articles. */
static void own_span(const td_article_list *arts, int64_t *first,
                     int64_t *last)
{
    size_t i;
    *first = *last = TD_NO_DATE;
    for (i = 0; i < arts->n; i++) {
        int64_t d = arts->rows[i].date;
        if (d == TD_NO_DATE)
            continue;
        if (*first == TD_NO_DATE || d < *first)
            *first = d;
        if (*last == TD_NO_DATE || d > *last)
            *last = d;
    }
}

td_status td__view_related(const td_article_list *arts,
                           const td_story_list *stories, int64_t story,
                           names *nm, merge_keys *mk, const size_t *top,
                           size_t n_top, td_view_fetch_fn fetch, void *ud,
                           td_story_view *v)
{
    related_pass rp;
    backrefs br;
    size_t i, t, size = 0;
    td_status rc = TD_OK;
    memset(&rp, 0, sizeof rp);
    rp.nm = nm;
    rp.mk = mk;
    rp.top = top;
    rp.n_top = n_top;
    memset(&br, 0, sizeof br);
    br.arts = arts;
    br.fetch = fetch;
    br.ud = ud;
    br.fetches_left = BACKREF_FETCH;
    own_span(arts, &br.first, &br.last);
    if (!stories || n_top == 0)
        return TD_OK;
    for (i = 0; i < stories->n && rc == TD_OK; i++) {
        const td_story_row *r = &stories->rows[i];
        td_view_related *rel;
        td_buf b;
        uint32_t n_shared = 0;
        int when = 0;
        if (r->id == story)
            continue;
        rp.shared = 0;
        if (!td__names_each(r->entities, related_name, &rp)) {
            rc = TD_ENOMEM;
            break;
        }
        for (t = 0; t < n_top; t++)
            n_shared += (rp.shared >> t) & 1;
        if (n_shared == 0)
            continue;
        if (br.first != TD_NO_DATE && r->last_date != TD_NO_DATE &&
            r->last_date < br.first)
            when = -1;
        else if (br.last != TD_NO_DATE && r->first_date != TD_NO_DATE &&
                 r->first_date > br.last)
            when = 1;
        /* One shared entity is not enough alone ("Ukraine"): only with a
        ** back-reference, looked for once the row is made. */
        if (n_shared < RELATED_MIN_SHARED && when == 0)
            continue;
        if (v->n_related == size) {
            size_t size2 = size ? size * 2 : 8;
            td_view_related *a = realloc(v->related, size2 * sizeof *a);
            if (!a) {
                rc = TD_ENOMEM;
                break;
            }
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
        rel->when = when;
        if ((rc = find_backref(&br, r, when, rel)) != TD_OK)
            break;
        if (n_shared < RELATED_MIN_SHARED && !rel->backref) {
            related_free(rel);
            v->n_related--;
            continue;
        }
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
            rc = TD_ENOMEM;
        }
    }
    free(br.own);
    if (rc != TD_OK)
        return rc;
    if (v->n_related)
        qsort(v->related, v->n_related, sizeof *v->related, cmp_related);
    while (v->n_related > RELATED_MAX)
        related_free(&v->related[--v->n_related]);
    return TD_OK;
}
