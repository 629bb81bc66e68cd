/*
** story.c: GET /v1/stories/{id}: one story for a reader. The story row,
** its articles (with snippets), languages and sources counted here, and
** what the engine computes on demand: the story view (summary, quotes,
** entities, timeline, related stories; td_engine_story_view) and the copy
** groups with the origin (td_engine_copies).
*/
#include "server.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNIPPET_BYTES 280

/* The first SNIPPET_BYTES of text, cut at a space and never inside a UTF-8
** sequence, with "…" when cut. New; free(). */
static char *snippet(const char *text)
{
    size_t n = text ? strlen(text) : 0, cut;
    char *out;
    if (n <= SNIPPET_BYTES)
        return text ? strdup(text) : NULL;
    cut = SNIPPET_BYTES;
    while (cut > SNIPPET_BYTES / 2 && text[cut] != ' ')
        cut--;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    if (!(out = malloc(cut + 4)))
        return NULL;
    memcpy(out, text, cut);
    memcpy(out + cut, "\xE2\x80\xA6", 4);
    return out;
}

/* Counts of equal keys: a tiny list, fine for the articles of one story. */
typedef struct tally {
    char key[128];
    unsigned n;
} tally;

static void count_key(tally *t, size_t *n, const char *key)
{
    size_t i;
    for (i = 0; i < *n; i++)
        if (strcmp(t[i].key, key) == 0) {
            t[i].n++;
            return;
        }
    snprintf(t[*n].key, sizeof t[*n].key, "%s", key);
    t[*n].n = 1;
    (*n)++;
}

static int by_count(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->key, y->key);
}

static void add_tallies(srv_json *b, cJSON *obj, const char *name,
                        const char *key_name, tally *t, size_t n)
{
    cJSON *arr = srv_json_check(b, cJSON_AddArrayToObject(obj, name));
    size_t i;
    for (i = 0; i < n; i++) {
        cJSON *item = srv_json_push(b, arr);
        if (!item)
            return;
        srv_json_str(b, item, key_name, t[i].key);
        srv_json_num(b, item, "articles", t[i].n);
    }
}

/* Parses a story id: digits only, no sign, no leading zero. */
static int parse_story_id(const char *s, int64_t *out)
{
    int64_t v = 0;
    if (!*s || *s == '0')
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
            return 0;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return 1;
}

static void add_articles(srv_json *b, cJSON *root, const td_article_list *arts)
{
    cJSON *arr = srv_json_check(b, cJSON_AddArrayToObject(root, "articles"));
    tally *langs, *sources;
    size_t i, n_langs = 0, n_sources = 0;
    for (i = 0; i < arts->n; i++) {
        const td_article_row *a = &arts->rows[i];
        cJSON *item = srv_json_push(b, arr);
        char *snip;
        if (!item)
            return;
        srv_json_str(b, item, "id", a->id);
        srv_json_str(b, item, "title", a->title);
        srv_json_str(b, item, "url", a->url);
        srv_json_str(b, item, "source", a->source);
        srv_json_str(b, item, "lang", a->lang);
        srv_json_time(b, item, "date", a->date);
        srv_json_list(b, item, "entities", a->entities, "; ");
        srv_json_str(b, item, "copy_of", a->copy_of);
        srv_json_list(b, item, "credits", a->credits, "; ");
        snip = snippet(a->text);
        if (a->text && !snip)
            b->failed = 1;
        srv_json_str(b, item, "snippet", snip);
        free(snip);
    }
    langs = calloc(arts->n + 1, sizeof *langs);
    sources = calloc(arts->n + 1, sizeof *sources);
    if (!langs || !sources) {
        b->failed = 1;
    } else {
        for (i = 0; i < arts->n; i++) {
            const td_article_row *a = &arts->rows[i];
            count_key(langs, &n_langs, a->lang && *a->lang ? a->lang : "und");
            count_key(sources, &n_sources,
                      a->source && *a->source ? a->source : "unknown");
        }
        qsort(langs, n_langs, sizeof *langs, by_count);
        qsort(sources, n_sources, sizeof *sources, by_count);
        add_tallies(b, root, "languages", "lang", langs, n_langs);
        add_tallies(b, root, "sources", "source", sources, n_sources);
    }
    free(langs);
    free(sources);
}

static void add_sentences(srv_json *b, cJSON *root, const char *name,
                          const td_view_sentence *s, size_t n)
{
    cJSON *arr = srv_json_check(b, cJSON_AddArrayToObject(root, name));
    size_t i;
    for (i = 0; i < n; i++) {
        cJSON *item = srv_json_push(b, arr);
        if (!item)
            return;
        srv_json_str(b, item, "text", s[i].text);
        srv_json_str(b, item, "article", s[i].article_id);
    }
}

/* "en:3,de:1" as {"en": 3, "de": 1}. */
static void add_lang_counts(srv_json *b, cJSON *obj, const char *name,
                            const char *s)
{
    cJSON *counts = srv_json_check(b, cJSON_AddObjectToObject(obj, name));
    char lang[16];
    while (counts && s && *s) {
        const char *colon = strchr(s, ':'), *end;
        if (!colon)
            break;
        end = strchr(colon, ',');
        if ((size_t)(colon - s) < sizeof lang) {
            memcpy(lang, s, (size_t)(colon - s));
            lang[colon - s] = '\0';
            srv_json_num(b, counts, lang, strtod(colon + 1, NULL));
        }
        s = end ? end + 1 : NULL;
    }
}

static void add_view(srv_json *b, cJSON *root, const td_story_view *v)
{
    cJSON *arr;
    size_t i;
    srv_json_str(b, root, "lang", v->lang);
    add_sentences(b, root, "summary", v->summary, v->n_summary);
    add_sentences(b, root, "summary_en", v->summary_en, v->n_summary_en);
    arr = srv_json_check(b, cJSON_AddArrayToObject(root, "quotes"));
    for (i = 0; i < v->n_quotes; i++) {
        const td_view_quote *q = &v->quotes[i];
        cJSON *item = srv_json_push(b, arr);
        if (!item)
            break;
        srv_json_str(b, item, "text", q->text);
        srv_json_str(b, item, "speaker", q->speaker);
        srv_json_str(b, item, "article", q->article_id);
        srv_json_str(b, item, "lang", q->lang);
        srv_json_num(b, item, "articles", q->n_articles);
        srv_json_num(b, item, "sources", q->n_sources);
    }
    arr = srv_json_check(b, cJSON_AddArrayToObject(root, "entities"));
    for (i = 0; i < v->n_entities; i++) {
        const td_view_entity *e = &v->entities[i];
        cJSON *item = srv_json_push(b, arr);
        if (!item)
            break;
        srv_json_str(b, item, "name", e->name);
        srv_json_str(b, item, "key", e->key);
        srv_json_num(b, item, "articles", e->n_articles);
        srv_json_num(b, item, "mentions", e->mentions);
    }
    arr = srv_json_check(b, cJSON_AddArrayToObject(root, "timeline"));
    for (i = 0; i < v->n_days; i++) {
        const td_view_day *d = &v->days[i];
        cJSON *item = srv_json_push(b, arr);
        if (!item)
            break;
        if (v->bucket < 86400)
            srv_json_time(b, item, "date", d->day);
        else
            srv_json_day(b, item, "date", d->day);
        srv_json_num(b, item, "articles", d->n_articles);
        add_lang_counts(b, item, "languages", d->langs);
    }
    srv_json_num(b, root, "undated", v->n_undated);
    srv_json_str(b, root, "timeline_unit", v->bucket < 86400 ? "hour" : "day");
    srv_json_day(b, root, "peak_day", v->peak_day);
    srv_json_time(b, root, "peak", v->peak_day);
    srv_json_str(b, root, "first_report", v->first_report);
    arr = srv_json_check(b, cJSON_AddArrayToObject(root, "related"));
    for (i = 0; i < v->n_related; i++) {
        const td_view_related *r = &v->related[i];
        cJSON *item = srv_json_push(b, arr);
        if (!item)
            break;
        srv_json_num(b, item, "id", (double)r->story);
        srv_json_str(b, item, "title", r->title);
        srv_json_num(b, item, "articles", r->n_articles);
        srv_json_time(b, item, "first_date", r->first_date);
        srv_json_time(b, item, "last_date", r->last_date);
        srv_json_str(b, item, "when", r->when < 0   ? "before"
                                      : r->when > 0 ? "after"
                                                    : "overlap");
        srv_json_list(b, item, "shared", r->shared, "; ");
        if (r->backref) {
            cJSON *br = srv_json_check(b, cJSON_AddObjectToObject(item,
                                                                "backref"));
            if (br) {
                srv_json_str(b, br, "words", r->backref);
                srv_json_str(b, br, "article", r->backref_article);
            }
        } else {
            srv_json_check(b, cJSON_AddNullToObject(item, "backref"));
        }
    }
}

/* "copies": {"origin", "independent_sources", "groups", "edges"}. */
static void add_copies(srv_json *b, cJSON *root, const td_copy_list *c)
{
    cJSON *obj = srv_json_check(b, cJSON_AddObjectToObject(root, "copies"));
    cJSON *groups, *edges;
    size_t i, j;
    if (!obj)
        return;
    srv_json_str(b, obj, "origin", c->n_groups && c->groups[0].n_members
                                       ? c->groups[0].members[0].id
                                       : NULL);
    srv_json_num(b, obj, "independent_sources", (double)c->n_groups);
    groups = srv_json_check(b, cJSON_AddArrayToObject(obj, "groups"));
    for (i = 0; i < c->n_groups; i++) {
        const td_copy_group *g = &c->groups[i];
        cJSON *item = srv_json_push(b, groups), *members;
        if (!item)
            break;
        srv_json_num(b, item, "id", (double)g->id);
        srv_json_str(b, item, "origin",
                     g->n_members ? g->members[0].id : NULL);
        members = srv_json_check(b, cJSON_AddArrayToObject(item, "members"));
        for (j = 0; j < g->n_members; j++) {
            const td_copy_member *m = &g->members[j];
            cJSON *mi = srv_json_push(b, members);
            if (!mi)
                break;
            srv_json_str(b, mi, "id", m->id);
            srv_json_str(b, mi, "source", m->source);
            srv_json_time(b, mi, "date", m->date);
            srv_json_str(b, mi, "copy_of", m->copy_of);
            srv_json_list(b, mi, "credits", m->credits, "; ");
        }
    }
    edges = srv_json_check(b, cJSON_AddArrayToObject(obj, "edges"));
    for (i = 0; i < c->n_edges; i++) {
        const td_copy_edge *e = &c->edges[i];
        cJSON *item = srv_json_push(b, edges);
        if (!item)
            break;
        srv_json_num(b, item, "group", (double)e->group);
        srv_json_str(b, item, "from", e->from_id);
        srv_json_str(b, item, "to", e->to_id);
        srv_json_str(b, item, "kind", e->translation ? "translation" : "text");
        srv_json_bool(b, item, "dated", e->dated);
        srv_json_num(b, item, "similarity",
                     (double)(long)(e->similarity * 1000 + 0.5) / 1000);
        srv_json_str(b, item, "passage", e->passage);
    }
}

static void add_story_row(srv_json *b, cJSON *root, const td_story_row *row)
{
    cJSON *obj = srv_json_check(b, cJSON_AddObjectToObject(root, "story"));
    if (!obj)
        return;
    srv_json_story_row(b, obj, row);
    srv_json_str(b, obj, "origin", row->origin_id);
    srv_json_list(b, obj, "origin_credits", row->origin_credits, "; ");
}

void srv_api_story(srv_server *srv, const char *id, srv_reply *reply)
{
    td_story_list *list = NULL;
    td_article_list *arts = NULL;
    td_story_view *view = NULL;
    td_copy_list *copies = NULL;
    td_engine *eng;
    td_error err;
    td_status rc;
    int64_t story;
    const td_story_row *row = NULL;
    srv_json b = {0};
    cJSON *root;

    if (!parse_story_id(id, &story)) {
        srv_reply_error(reply, 404, "not_found", "no such story");
        return;
    }
    memset(&err, 0, sizeof err);
    /* One read transaction: the four reads see the same commit. */
    eng = srv_read_begin(srv);
    rc = td_engine_story_articles(eng, story, &arts, &err);
    if (rc == TD_OK)
        rc = td_engine_story(eng, story, &list, &err);
    if (rc == TD_OK)
        rc = td_engine_story_view(eng, story, &view, &err);
    if (rc == TD_OK)
        rc = td_engine_copies(eng, story, &copies, &err);
    srv_read_end(srv, eng);
    if (rc == TD_OK && list->n == 1)
        row = &list->rows[0];
    if (rc == TD_ENOTFOUND || (rc == TD_OK && !row)) {
        srv_reply_error(reply, 404, "not_found", "no such story");
    } else if (rc != TD_OK) {
        srv_engine_error(reply, &err, rc);
    } else {
        root = srv_json_check(&b, cJSON_CreateObject());
        if (root) {
            add_story_row(&b, root, row);
            add_view(&b, root, view);
            add_copies(&b, root, copies);
            add_articles(&b, root, arts);
        }
        srv_json_finish(reply, &b, 200, root);
    }
    td_copy_list_free(copies);
    td_story_view_free(view);
    td_story_list_free(list);
    td_article_list_free(arts);
}
