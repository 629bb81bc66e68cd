/*
** view.c: the story view (td_story_view), built on demand from a story's
** stored articles and the story rows: summary (summary.c), quotes
** (quotes.c), entities merged across spellings and scripts (names.c), the
** timeline (timeline.c) and the related stories (related.c). Plain data
** in, plain data out; nothing here is computed at ingest. Method: docs/internals/story.md.
*/
#include "story/view_int.h"
#include "story/view_names.h"
#include "util/map.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIEW_ENTITIES      20

/* Reading the articles' entity lists ------------------------------------ */

typedef struct entity_pass {
    names *nm;
    const td_article_row *row;
    uint32_t art;
    int count_mentions;
    uint32_t *group_articles;     /* per root spelling */
    uint32_t *group_last;
    uint32_t *group_mentions;
    uint32_t *group_now;          /* mentions in the current article */
    size_t *shortest;             /* per root: its shortest spelling */
} entity_pass;

static uint32_t count_in(const char *text, const char *s, size_t len)
{
    uint32_t n = 0;
    const char *p = text;
    size_t tlen = text ? strlen(text) : 0;
    if (!text || !len)
        return 0;
    while ((p = memmem(p, tlen - (size_t)(p - text), s, len)) != NULL) {
        size_t at = (size_t)(p - text);
        /* Whole words only: "US" is not in "USD". */
        if (!td__view_word_before(text, at) &&
            !td__view_word_at(text, tlen, at + len))
            n++;
        p += len;
    }
    return n;
}

static int first_pass(void *ud, const char *s, size_t len)
{
    entity_pass *ep = ud;
    size_t i = td__names_spelling_of(ep->nm, s, len);
    if (i == (size_t)-1)
        return 0;
    if (ep->nm->sp[i].last_art != ep->art + 1) {
        ep->nm->sp[i].last_art = ep->art + 1;
        ep->nm->sp[i].n_articles++;
    }
    return 1;
}

static int second_pass(void *ud, const char *s, size_t len)
{
    entity_pass *ep = ud;
    size_t g = td__names_find(ep->nm, s, len);
    if (g == (size_t)-1)
        return 1;
    g = td__names_group(ep->nm->sp, g);
    if (ep->group_last[g] != ep->art + 1) {
        ep->group_mentions[g] += ep->group_now[g];
        ep->group_now[g] = 0;
        ep->group_last[g] = ep->art + 1;
        ep->group_articles[g]++;
    }
    if (ep->count_mentions) {
        /* Spellings of one entity overlap ("Lavrov" in "Sergei Lavrov"):
        ** an article counts its most frequent one, the ones it lists and
        ** the entity's shortest. */
        const spelling *sh = &ep->nm->sp[ep->shortest[g]];
        uint32_t m = count_in(ep->row->text, s, len) +
                     count_in(ep->row->title, s, len);
        uint32_t m2 = count_in(ep->row->text, sh->display, sh->len) +
                      count_in(ep->row->title, sh->display, sh->len);
        if (m2 > m)
            m = m2;
        if (m > ep->group_now[g])
            ep->group_now[g] = m;
    }
    return 1;
}

/* The view --------------------------------------------------------------- */

void td_story_view_free(td_story_view *v)
{
    size_t i;
    if (!v)
        return;
    td__view_sentences_free(v->summary, v->n_summary);
    td__view_sentences_free(v->summary_en, v->n_summary_en);
    td__view_quotes_free(v->quotes, v->n_quotes);
    for (i = 0; i < v->n_entities; i++) {
        free(v->entities[i].name);
        free(v->entities[i].key);
    }
    free(v->entities);
    for (i = 0; i < v->n_days; i++)
        free(v->days[i].langs);
    free(v->days);
    free(v->first_report);
    for (i = 0; i < v->n_related; i++) {
        free(v->related[i].title);
        free(v->related[i].shared);
        free(v->related[i].backref);
        free(v->related[i].backref_article);
    }
    free(v->related);
    free(v);
}

typedef struct ranked_entity {
    size_t group;
    uint32_t n_articles;
} ranked_entity;

static int cmp_ranked_entity(const void *a, const void *b)
{
    const ranked_entity *x = a, *y = b;
    if (x->n_articles != y->n_articles)
        return x->n_articles > y->n_articles ? -1 : 1;
    return x->group < y->group ? -1 : x->group > y->group;
}

/* The entities: spellings merged, ranked by articles; mentions counted for
** the ones kept. Fills v->entities and the members' merge keys (mk). */
static td_status view_entities(const td_article_list *arts, names *nm,
                               merge_keys *mk, td_story_view *v,
                               size_t *top_groups, size_t *n_top)
{
    entity_pass ep;
    ranked_entity *rank = NULL;
    size_t i, n_rank = 0, *best = NULL;
    td_status rc = TD_ENOMEM;
    memset(&ep, 0, sizeof ep);
    ep.nm = nm;
    *n_top = 0;
    for (i = 0; i < arts->n; i++) {
        ep.art = (uint32_t)i;
        if (!td__names_each(arts->rows[i].entities, first_pass, &ep))
            return TD_ENOMEM;
    }
    if (td__names_merge(nm, mk) != TD_OK || !nm->n)
        return nm->n ? TD_ENOMEM : TD_OK;
    ep.group_articles = calloc(nm->n, sizeof *ep.group_articles);
    ep.group_last = calloc(nm->n, sizeof *ep.group_last);
    ep.group_mentions = calloc(nm->n, sizeof *ep.group_mentions);
    ep.group_now = calloc(nm->n, sizeof *ep.group_now);
    rank = malloc(nm->n * sizeof *rank);
    best = malloc(nm->n * sizeof *best);
    ep.shortest = malloc(nm->n * sizeof *ep.shortest);
    if (!ep.group_articles || !ep.group_last || !ep.group_mentions ||
        !ep.group_now || !rank || !best || !ep.shortest)
        goto done;
    for (i = 0; i < nm->n; i++)
        ep.shortest[i] = i;
    for (i = 0; i < nm->n; i++) {
        size_t g = td__names_group(nm->sp, i);
        if (nm->sp[i].len < nm->sp[ep.shortest[g]].len)
            ep.shortest[g] = i;
    }
    for (i = 0; i < arts->n; i++) {
        ep.art = (uint32_t)i;
        td__names_each(arts->rows[i].entities, second_pass, &ep);
    }
    for (i = 0; i < nm->n; i++) {
        if (td__names_group(nm->sp, i) != i)
            continue;
        rank[n_rank].group = i;
        rank[n_rank++].n_articles = ep.group_articles[i];
    }
    qsort(rank, n_rank, sizeof *rank, cmp_ranked_entity);
    if (n_rank > VIEW_ENTITIES)
        n_rank = VIEW_ENTITIES;
    /* Mentions of the entities kept: a second walk with counting on, for
    ** them only (group_articles is recounted the same way). */
    memset(ep.group_articles, 0, nm->n * sizeof *ep.group_articles);
    memset(ep.group_last, 0, nm->n * sizeof *ep.group_last);
    ep.count_mentions = 1;
    for (i = 0; i < arts->n; i++) {
        ep.art = (uint32_t)i;
        ep.row = &arts->rows[i];
        td__names_each(arts->rows[i].entities, second_pass, &ep);
    }
    for (i = 0; i < nm->n; i++) {
        ep.group_mentions[i] += ep.group_now[i];
        best[i] = (size_t)-1;
    }
    /* The name shown: the spelling in most articles, ties the longest. */
    for (i = 0; i < nm->n; i++) {
        size_t g = td__names_group(nm->sp, i), b = best[g];
        if (b == (size_t)-1 || nm->sp[i].n_articles > nm->sp[b].n_articles ||
            (nm->sp[i].n_articles == nm->sp[b].n_articles &&
             nm->sp[i].len > nm->sp[b].len))
            best[g] = i;
    }
    if (n_rank && !(v->entities = calloc(n_rank, sizeof *v->entities)))
        goto done;
    for (i = 0; i < n_rank; i++) {
        const spelling *s = &nm->sp[best[rank[i].group]];
        td_view_entity *e = &v->entities[i];
        v->n_entities = i + 1;
        e->n_articles = rank[i].n_articles;
        e->mentions = ep.group_mentions[rank[i].group];
        e->name = td__strndup(s->display, s->len);
        e->key = td__strdup(s->key);
        if (!e->name || !e->key)
            goto done;
        if (i < TD_VIEW_RELATED_TOP)
            top_groups[(*n_top)++] = rank[i].group;
    }
    rc = TD_OK;
done:
    free(ep.group_articles);
    free(ep.group_last);
    free(ep.group_mentions);
    free(ep.group_now);
    free(ep.shortest);
    free(rank);
    free(best);
    return rc;
}

/* Main language and origin --------------------------------------------------- */

static void main_lang(const td_article_list *arts, char lang[8])
{
    size_t i, j, best = 0;
    strcpy(lang, "und");
    for (i = 0; i < arts->n; i++) {
        const char *l = arts->rows[i].lang;
        size_t n = 0;
        if (!l || strcmp(l, "und") == 0)
            continue;
        for (j = 0; j < arts->n; j++)
            n += arts->rows[j].lang && strcmp(arts->rows[j].lang, l) == 0;
        if (n > best) {
            best = n;
            snprintf(lang, 8, "%s", l);
        }
        if (best * 2 > arts->n)
            break;
    }
}

/* 1 when a comes before b: dated before undated, then by date, then
** ingest order. */
static int earlier(const td_article_row *a, const td_article_row *b)
{
    if ((a->date == TD_NO_DATE) != (b->date == TD_NO_DATE))
        return b->date == TD_NO_DATE;
    if (a->date != b->date)
        return a->date < b->date;
    return a->seq < b->seq;
}

/* The origin: the earliest member (dated before undated, then ingest
** order) of the largest copy group. (size_t)-1 on out of memory. */
static size_t origin_of(const td_article_list *arts)
{
    td_map sizes;
    size_t i, origin = 0;
    uint64_t best = 0;
    td__map_init(&sizes);
    for (i = 0; i < arts->n; i++) {
        uint64_t *v = td__map_put(&sizes, (uint64_t)arts->rows[i].copy_group,
                                  NULL);
        if (!v) {
            td__map_free(&sizes);
            return (size_t)-1;
        }
        (*v)++;
    }
    for (i = 0; i < arts->n; i++) {
        const td_article_row *r = &arts->rows[i], *o = &arts->rows[origin];
        uint64_t n = *td__map_get(&sizes, (uint64_t)r->copy_group);
        if (i == 0 || n > best) {
            best = n;
            origin = i;
        } else if (n == best && r->copy_group == o->copy_group &&
                   earlier(r, o)) {
            origin = i;
        }
    }
    td__map_free(&sizes);
    return origin;
}

td_status td__story_view_build(const td_article_list *arts,
                               const td_story_list *stories, int64_t story,
                               td_view_fetch_fn fetch, void *ud,
                               td_story_view **out)
{
    td_story_view *v;
    names nm;
    merge_keys mk;
    size_t i, top[TD_VIEW_RELATED_TOP], n_top = 0, origin;
    td_status rc;

    *out = NULL;
    if (!(v = calloc(1, sizeof *v)))
        return TD_ENOMEM;
    td__names_init(&nm, &mk);
    v->story = story;
    v->n_articles = (uint32_t)arts->n;
    main_lang(arts, v->lang);
    rc = TD_ENOMEM;
    if ((origin = origin_of(arts)) == (size_t)-1 && arts->n)
        goto done;
    if (origin < arts->n && (!arts->rows[origin].lang ||
                             strcmp(arts->rows[origin].lang, v->lang) != 0))
        origin = (size_t)-1;
    if ((rc = td__summary_pick(arts, v->lang, origin, TD_VIEW_SUMMARY_MAX,
                               &v->summary, &v->n_summary)) != TD_OK)
        goto done;
    if (strcmp(v->lang, "en") != 0) {
        size_t en_origin = (size_t)-1;
        for (i = 0; i < arts->n && en_origin == (size_t)-1; i++)
            if (arts->rows[i].lang && strcmp(arts->rows[i].lang, "en") == 0)
                en_origin = i;
        if (en_origin != (size_t)-1 &&
            (rc = td__summary_pick(arts, "en", en_origin, TD_VIEW_SUMMARY_MAX,
                                   &v->summary_en, &v->n_summary_en)) != TD_OK)
            goto done;
    }
    if ((rc = td__quotes_find(arts, &v->quotes, &v->n_quotes)) != TD_OK ||
        (rc = view_entities(arts, &nm, &mk, v, top, &n_top)) != TD_OK ||
        (rc = td__view_timeline(arts, v)) != TD_OK ||
        (rc = td__view_related(arts, stories, story, &nm, &mk, top, n_top,
                                fetch, ud, v)) != TD_OK)
        goto done;
    *out = v;
    v = NULL;
done:
    td_story_view_free(v);
    td__names_free(&nm, &mk);
    return rc;
}
