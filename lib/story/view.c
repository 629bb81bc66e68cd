/*
** view.c: the story view (td_story_view), built on demand from a story's
** stored articles and the story rows: summary (summary.c), quotes
** (quotes.c), entities merged across spellings and scripts, the timeline
** by day and the related stories. Plain data in, plain data out; nothing
** here is computed at ingest. Method: docs/internals/story.md.
*/
#include "story/view_int.h"
#include "text/text.h"
#include "util/map.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIEW_ENTITIES      20
#define RELATED_TOP        10    /* this story's entities compared */
#define RELATED_MIN_SHARED 2
#define RELATED_MAX        10
#define FAMILY_MIN_BYTES   4     /* a surname shorter than this never merges */
#define DAY                86400

/* Entity names ----------------------------------------------------------- */

/* A distinct spelling seen in an entities list. */
typedef struct spelling {
    const char *display;   /* borrowed from the rows */
    size_t len;
    char *key;             /* td__entity_key */
    uint32_t n_articles;
    size_t group;          /* union-find over spellings */
    uint32_t last_art;     /* + 1, for counting articles once */
    uint32_t mentions_now; /* in article last_art - 1 */
} spelling;

typedef struct names {
    spelling *sp;
    size_t n, size;
    td_map by_display;     /* hash of display -> index + 1 */
} names;

static uint64_t fnv(const char *s, size_t n, uint64_t salt)
{
    uint64_t h = 0xcbf29ce484222325ull ^ salt;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

/* The spelling of display[0..len), added (with its key) when new. Returns
** its index or (size_t)-1 on out of memory. */
static size_t spelling_of(names *nm, const char *display, size_t len)
{
    uint64_t h = fnv(display, len, 0);
    int added;
    uint64_t *slot = td__map_put(&nm->by_display, h, &added);
    spelling *s;
    if (!slot)
        return (size_t)-1;
    if (!added)
        return (size_t)(*slot - 1);
    if (nm->n == nm->size) {
        size_t size = nm->size ? nm->size * 2 : 64;
        spelling *sp = realloc(nm->sp, size * sizeof *sp);
        if (!sp) {
            td__map_del(&nm->by_display, h);
            return (size_t)-1;
        }
        nm->sp = sp;
        nm->size = size;
    }
    s = &nm->sp[nm->n];
    memset(s, 0, sizeof *s);
    s->display = display;
    s->len = len;
    s->group = nm->n;
    if (!(s->key = td__entity_key(display, len))) {
        td__map_del(&nm->by_display, h);
        return (size_t)-1;
    }
    *slot = ++nm->n;
    return nm->n - 1;
}

/* Calls fn on each name of a "; "-separated list; stops at a failure. */
typedef int (*name_fn)(void *ud, const char *s, size_t len);
static int each_name(const char *list, name_fn fn, void *ud)
{
    const char *p = list;
    while (p && *p) {
        const char *e = strstr(p, "; ");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len && !fn(ud, p, len))
            return 0;
        p = e ? e + 2 : NULL;
    }
    return 1;
}

static size_t find_group(spelling *sp, size_t i)
{
    while (sp[i].group != i) {
        sp[i].group = sp[sp[i].group].group;
        i = sp[i].group;
    }
    return i;
}

/* The last word of a key, and whether the key has more than one. */
static const char *last_word(const char *key, int *multi)
{
    const char *sp = strrchr(key, ' ');
    *multi = sp != NULL;
    return sp ? sp + 1 : key;
}

/* Merging keys: "sergei lavrov" and "sergey lavrov" share a family (last
** word and first letter); "lavrov" alone joins the family of that surname
** with most articles. Equal keys merge first. */
typedef struct merge_keys {
    td_map exact;      /* key -> spelling + 1 */
    td_map family;     /* last word + first letter -> spelling + 1 */
    td_map surname;    /* last word -> spelling + 1 (most articles) */
} merge_keys;

static uint64_t family_hash(const char *key, const char *last)
{
    return fnv(last, strlen(last), (unsigned char)key[0] * 0x9e3779b97f4a7c15ull);
}

static td_status merge_spellings(names *nm, merge_keys *mk)
{
    size_t i;
    uint64_t *slot;
    for (i = 0; i < nm->n; i++) {
        spelling *s = &nm->sp[i];
        int multi;
        const char *last = last_word(s->key, &multi);
        if (!*s->key)
            continue;
        if (!(slot = td__map_put(&mk->exact, fnv(s->key, strlen(s->key), 1),
                                 NULL)))
            return TD_ENOMEM;
        if (*slot)
            nm->sp[find_group(nm->sp, i)].group =
                find_group(nm->sp, (size_t)(*slot - 1));
        else
            *slot = i + 1;
        if (!multi || strlen(last) < FAMILY_MIN_BYTES)
            continue;
        if (!(slot = td__map_put(&mk->family, family_hash(s->key, last), NULL)))
            return TD_ENOMEM;
        if (*slot)
            nm->sp[find_group(nm->sp, i)].group =
                find_group(nm->sp, (size_t)(*slot - 1));
        else
            *slot = i + 1;
        if (!(slot = td__map_put(&mk->surname, fnv(last, strlen(last), 2),
                                 NULL)))
            return TD_ENOMEM;
        if (!*slot || nm->sp[*slot - 1].n_articles < s->n_articles)
            *slot = i + 1;
    }
    for (i = 0; i < nm->n; i++) {
        spelling *s = &nm->sp[i];
        int multi;
        const char *last = last_word(s->key, &multi);
        if (multi || strlen(last) < FAMILY_MIN_BYTES)
            continue;
        slot = td__map_get(&mk->surname, fnv(last, strlen(last), 2));
        if (slot && find_group(nm->sp, i) != find_group(nm->sp, *slot - 1))
            nm->sp[find_group(nm->sp, i)].group =
                find_group(nm->sp, (size_t)(*slot - 1));
    }
    return TD_OK;
}

/* The group a key of another story's entity matches, or (size_t)-1. */
static size_t match_key(const names *nm, const merge_keys *mk, const char *key)
{
    int multi;
    const char *last = last_word(key, &multi);
    uint64_t *slot = td__map_get(&mk->exact, fnv(key, strlen(key), 1));
    if (!slot && multi && strlen(last) >= FAMILY_MIN_BYTES)
        slot = td__map_get(&mk->family, family_hash(key, last));
    if (!slot && !multi && strlen(last) >= FAMILY_MIN_BYTES)
        slot = td__map_get(&mk->surname, fnv(last, strlen(last), 2));
    return slot ? nm->sp[*slot - 1].group : (size_t)-1;
}

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
    size_t i = spelling_of(ep->nm, s, len);
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
    uint64_t *slot = td__map_get(&ep->nm->by_display, fnv(s, len, 0));
    size_t g;
    if (!slot)
        return 1;
    g = find_group(ep->nm->sp, (size_t)(*slot - 1));
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
        if (!each_name(arts->rows[i].entities, first_pass, &ep))
            return TD_ENOMEM;
    }
    if (merge_spellings(nm, mk) != TD_OK || !nm->n)
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
        size_t g = find_group(nm->sp, i);
        if (nm->sp[i].len < nm->sp[ep.shortest[g]].len)
            ep.shortest[g] = i;
    }
    for (i = 0; i < arts->n; i++) {
        ep.art = (uint32_t)i;
        each_name(arts->rows[i].entities, second_pass, &ep);
    }
    for (i = 0; i < nm->n; i++) {
        if (find_group(nm->sp, i) != i)
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
        each_name(arts->rows[i].entities, second_pass, &ep);
    }
    for (i = 0; i < nm->n; i++) {
        ep.group_mentions[i] += ep.group_now[i];
        best[i] = (size_t)-1;
    }
    /* The name shown: the spelling in most articles, ties the longest. */
    for (i = 0; i < nm->n; i++) {
        size_t g = find_group(nm->sp, i), b = best[g];
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
        if (i < RELATED_TOP)
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

/* Timeline --------------------------------------------------------------- */

typedef struct day_lang {
    int64_t day;
    const char *lang;
} day_lang;

static int cmp_day_lang(const void *a, const void *b)
{
    const day_lang *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return strcmp(x->lang, y->lang);
}

typedef struct lang_count {
    const char *lang;
    uint32_t n;
} lang_count;

static int cmp_lang_count(const void *a, const void *b)
{
    const lang_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->lang, y->lang);
}

static int64_t day_of(int64_t t)
{
    int64_t d = t / DAY;
    if (t % DAY < 0)
        d--;
    return d * DAY;
}

static td_status view_timeline(const td_article_list *arts, td_story_view *v)
{
    day_lang *dl = malloc((arts->n ? arts->n : 1) * sizeof *dl);
    lang_count *lc = malloc((arts->n ? arts->n : 1) * sizeof *lc);
    size_t i, n = 0, first = (size_t)-1;
    td_status rc = TD_ENOMEM;
    uint32_t peak = 0;
    v->peak_day = TD_NO_DATE;
    if (!dl || !lc)
        goto done;
    for (i = 0; i < arts->n; i++) {
        const td_article_row *r = &arts->rows[i];
        if (r->date == TD_NO_DATE) {
            v->n_undated++;
            continue;
        }
        if (first == (size_t)-1 || r->date < arts->rows[first].date)
            first = i;
        dl[n].day = day_of(r->date);
        dl[n++].lang = r->lang ? r->lang : "und";
    }
    if (first != (size_t)-1 &&
        !(v->first_report = td__strdup(arts->rows[first].id ?
                                       arts->rows[first].id : "")))
        goto done;
    qsort(dl, n, sizeof *dl, cmp_day_lang);
    if (n && !(v->days = calloc(n, sizeof *v->days)))
        goto done;
    for (i = 0; i < n;) {
        size_t j = i, k, n_lc = 0;
        td_buf b;
        td_view_day *d = &v->days[v->n_days++];
        while (j < n && dl[j].day == dl[i].day) {
            if (n_lc && strcmp(lc[n_lc - 1].lang, dl[j].lang) == 0) {
                lc[n_lc - 1].n++;
            } else {
                lc[n_lc].lang = dl[j].lang;
                lc[n_lc++].n = 1;
            }
            j++;
        }
        qsort(lc, n_lc, sizeof *lc, cmp_lang_count);
        d->day = dl[i].day;
        d->n_articles = (uint32_t)(j - i);
        td__buf_init(&b, 4096);
        for (k = 0; k < n_lc; k++)
            if (td__buf_printf(&b, "%s%s:%u", k ? "," : "", lc[k].lang,
                               lc[k].n) != TD_OK)
                break;
        if (k < n_lc || !(d->langs = td__buf_steal(&b))) {
            td__buf_free(&b);
            goto done;
        }
        if (d->n_articles > peak) {
            peak = d->n_articles;
            v->peak_day = d->day;
        }
        i = j;
    }
    rc = TD_OK;
done:
    free(dl);
    free(lc);
    return rc;
}

/* Related stories ----------------------------------------------------------- */

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
    size_t i = spelling_of(rp->nm, s, len), g, t;
    if (i == (size_t)-1)
        return 0;
    g = match_key(rp->nm, rp->mk, rp->nm->sp[i].key);
    if (g == (size_t)-1)
        return 1;
    g = find_group(rp->nm->sp, g);
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

static td_status view_related(const td_story_list *stories, int64_t story,
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
        if (!each_name(r->entities, related_name, &rp))
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
                               td_story_view **out)
{
    td_story_view *v;
    names nm;
    merge_keys mk;
    size_t i, top[RELATED_TOP], n_top = 0, origin;
    td_status rc;

    *out = NULL;
    if (!(v = calloc(1, sizeof *v)))
        return TD_ENOMEM;
    memset(&nm, 0, sizeof nm);
    td__map_init(&nm.by_display);
    td__map_init(&mk.exact);
    td__map_init(&mk.family);
    td__map_init(&mk.surname);
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
        (rc = view_timeline(arts, v)) != TD_OK ||
        (rc = view_related(stories, story, &nm, &mk, top, n_top, v)) != TD_OK)
        goto done;
    *out = v;
    v = NULL;
done:
    td_story_view_free(v);
    for (i = 0; i < nm.n; i++)
        free(nm.sp[i].key);
    free(nm.sp);
    td__map_free(&nm.by_display);
    td__map_free(&mk.exact);
    td__map_free(&mk.family);
    td__map_free(&mk.surname);
    return rc;
}
