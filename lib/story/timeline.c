/*
** timeline.c: the story view's timeline: articles per UTC hour when the
** dated articles span less than three days, per UTC day otherwise, each
** with its languages; the first report and the peak. Method:
** docs/internals/story.md.
*/
#include "story/view_int.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define HOUR 3600
/* A story whose dated articles span less than this is shown by the hour:
** a breaking story's first hours are its shape. */
#define HOURLY_SPAN (3 * DAY)

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

/* The start of the bucket (bucket seconds long, from the epoch) holding t. */
static int64_t bucket_of(int64_t t, int64_t bucket)
{
    int64_t d = t / bucket;
    if (t % bucket < 0)
        d--;
    return d * bucket;
}

td_status td__view_timeline(const td_article_list *arts, td_story_view *v)
{
    day_lang *dl = malloc((arts->n ? arts->n : 1) * sizeof *dl);
    lang_count *lc = malloc((arts->n ? arts->n : 1) * sizeof *lc);
    size_t i, n = 0, first = (size_t)-1, last = (size_t)-1;
    td_status rc = TD_ENOMEM;
    uint32_t peak = 0;
    v->peak_day = TD_NO_DATE;
    v->bucket = DAY;
    if (!dl || !lc)
        goto done;
    for (i = 0; i < arts->n; i++) {
        const td_article_row *r = &arts->rows[i];
        if (r->date == TD_NO_DATE)
            continue;
        if (first == (size_t)-1 || r->date < arts->rows[first].date)
            first = i;
        if (last == (size_t)-1 || r->date > arts->rows[last].date)
            last = i;
    }
    /* last >= first: their difference is exact in unsigned arithmetic,
    ** whatever the (possibly hostile) dates. */
    if (first != (size_t)-1 &&
        (uint64_t)arts->rows[last].date - (uint64_t)arts->rows[first].date <
            HOURLY_SPAN)
        v->bucket = HOUR;
    for (i = 0; i < arts->n; i++) {
        const td_article_row *r = &arts->rows[i];
        if (r->date == TD_NO_DATE) {
            v->n_undated++;
            continue;
        }
        dl[n].day = bucket_of(r->date, v->bucket);
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
