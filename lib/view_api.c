/*
** view_api.c: td_engine_story_view(), the public entry of the story view.
** It reads the story's articles, and the rows of the stories that may be
** related to it, through the engine's public calls and hands them to
** lib/story/view.c.
*/
#include "tidings.h"
#include "story/view_int.h"
#include "util/map.h"
#include "util/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Entity names of the story's row looked up, and the candidate stories
** read: related.c keeps at most a few of them, and reading more would make
** the view's cost grow with the store (a name such as "Ukraine" is in a
** large share of all stories). */
#define CANDIDATE_NAMES  TD_VIEW_RELATED_TOP
#define CANDIDATES_MAX   100

/* Another story's articles, for back-references. */
static td_status fetch_articles(void *ud, int64_t story, td_article_list **out)
{
    return td_engine_story_articles(ud, story, out, NULL);
}

typedef struct candidate {
    int64_t story;
    uint32_t shared;      /* of the looked-up names, how many it names */
    int64_t last_date;
    int64_t distance;     /* from the story's first date, INT64_MAX unknown */
} candidate;

/* More names shared first, then the story closest in time (undated last),
** then the larger id. */
static int cmp_candidate(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->shared != y->shared)
        return x->shared > y->shared ? -1 : 1;
    if (x->distance != y->distance)
        return x->distance < y->distance ? -1 : 1;
    return x->story > y->story ? -1 : x->story < y->story;
}

/* The next "; "-separated name of *s (advanced past it) into buf. */
static int next_name(const char **s, char *buf, size_t cap)
{
    const char *p = *s, *end;
    size_t len;
    while (*p == ';' || *p == ' ')
        p++;
    if (!*p)
        return 0;
    end = strstr(p, "; ");
    len = end ? (size_t)(end - p) : strlen(p);
    *s = p + len;
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return 1;
}

/* The rows of the stories that name at least one of the story's top
** entities (any spelling or script, through the entity index), at most
** CANDIDATES_MAX of them, into *out. */
static td_status candidates(td_engine *eng, const td_story_row *self,
                            td_story_list **out, td_error *err)
{
    td_map seen;
    candidate *c = NULL;
    size_t n = 0, size = 0, i, k, names = 0;
    const char *s = self->entities ? self->entities : "";
    char name[256];
    td_status rc = TD_OK;
    td_story_list *list;

    *out = NULL;
    td__map_init(&seen);
    while (rc == TD_OK && names < CANDIDATE_NAMES &&
           next_name(&s, name, sizeof name)) {
        td_entity_list *el = NULL;
        td_status got;
        names++;
        got = td_engine_entity_stories(eng, name, &el, err);
        if (got == TD_EINVAL)
            continue;     /* a name without letters: nothing to look up */
        if (got != TD_OK) {
            rc = got;
            break;
        }
        for (k = 0; rc == TD_OK && k < el->n; k++) {
            int added;
            uint64_t *slot;
            if (el->rows[k].story == self->id)
                continue;
            if (!(slot = td__map_put(&seen, (uint64_t)el->rows[k].story,
                                     &added))) {
                rc = TD_ENOMEM;
                break;
            }
            if (!added) {
                c[*slot - 1].shared++;
                continue;
            }
            if (n == size) {
                size_t size2 = size ? size * 2 : 64;
                candidate *g = realloc(c, size2 * sizeof *g);
                if (!g) {
                    rc = TD_ENOMEM;
                    break;
                }
                c = g;
                size = size2;
            }
            c[n].story = el->rows[k].story;
            c[n].shared = 1;
            c[n].last_date = el->rows[k].last_date;
            *slot = ++n;
        }
        td_entity_list_free(el);
    }
    td__map_free(&seen);
    list = rc == TD_OK ? calloc(1, sizeof *list) : NULL;
    if (rc == TD_OK && !list)
        rc = TD_ENOMEM;
    if (rc == TD_OK && n) {
        for (i = 0; i < n; i++) {
            int64_t d = c[i].last_date, w = self->first_date;
            c[i].distance = d == TD_NO_DATE || w == TD_NO_DATE ? INT64_MAX
                            : d > w ? d - w : w - d;
        }
        qsort(c, n, sizeof *c, cmp_candidate);
        if (n > CANDIDATES_MAX)
            n = CANDIDATES_MAX;
        if (!(list->rows = calloc(n, sizeof *list->rows)))
            rc = TD_ENOMEM;
        for (i = 0; rc == TD_OK && i < n; i++) {
            td_story_list *one = NULL;
            td_status got = td_engine_story(eng, c[i].story, &one, err);
            if (got == TD_ENOTFOUND)
                continue;   /* gone meanwhile: not a candidate */
            if (got != TD_OK) {
                rc = got;
                break;
            }
            list->rows[list->n++] = one->rows[0];
            one->n = 0;     /* the row now belongs to list */
            td_story_list_free(one);
        }
    }
    free(c);
    if (rc != TD_OK) {
        td_story_list_free(list);
        if (rc == TD_ENOMEM)
            td__error_set(err, rc, NULL, 0, "out of memory finding the "
                          "stories related to %lld", (long long)self->id);
        return rc;
    }
    *out = list;
    return TD_OK;
}

td_status td_engine_story_view(td_engine *eng, int64_t story,
                               td_story_view **out, td_error *err)
{
    td_article_list *arts = NULL;
    td_story_list *self = NULL, *related = NULL;
    td_status rc;
    *out = NULL;
    /* Through the public call: pending work is committed first. */
    if ((rc = td_engine_story_articles(eng, story, &arts, err)) != TD_OK)
        return rc;
    if ((rc = td_engine_story(eng, story, &self, err)) == TD_OK)
        rc = candidates(eng, &self->rows[0], &related, err);
    if (rc == TD_OK)
        rc = td__story_view_build(arts, related, story, fetch_articles, eng,
                                  out);
    if (rc == TD_ENOMEM)
        td__error_set(err, rc, NULL, 0, "out of memory building the view "
                      "of story %lld", (long long)story);
    td_article_list_free(arts);
    td_story_list_free(self);
    td_story_list_free(related);
    return rc;
}
