/*
** test_store.c: unit tests of lib/store: round trips of articles, stories,
** document frequencies and meta through ":memory:" and a file store in a
** temporary directory, the read-back ordering rules and the error cases.
*/
#include "check_store.h"
#include "store/store.h"

#include <sqlite3.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A temporary directory for file stores, removed at the end of main. */
static char tmp_dir[64];

static void tmp_path(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", tmp_dir, name);
}

static int file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static td_store *open_memory(void)
{
    td_store *st = NULL;
    td_error err;
    memset(&err, 0, sizeof err);
    if (td__store_open(check_store_fresh(NULL, "mem"), &st, &err) != TD_OK)
        fprintf(stderr, "  open a new store failed: %s\n", err.msg);
    return st;
}

static td_article make_article(const char *id, const char *title,
                               int64_t date)
{
    td_article a;
    memset(&a, 0, sizeof a);
    a.id = (char *)id;
    a.url = (char *)"https://example.org/a";
    a.source = (char *)"example";
    a.title = (char *)title;
    a.text = (char *)"Body text.\nSecond paragraph.";
    a.date = date;
    snprintf(a.where, sizeof a.where, "test:%s", id);
    return a;
}

/* A small analysis: two entities, three word terms, one entity term. */
static td_term small_terms[] = {
    {1, "summit", 3, 1, 4, TD_TERM_WORD},
    {2, "lavrov", 9, 1, 0, TD_TERM_ENTITY},
    {3, "minist", 3, 0, 2, TD_TERM_WORD},
    {4, "talk", 5, 0, 7, TD_TERM_WORD},
    {5, "2023", 2, 0, 1, TD_TERM_NUMBER},
};
static td_entity small_entities[] = {
    {10, "sergei lavrov", "Sergei Lavrov", 4},
    {11, "geneva", "Genève", 2},
};

static td_analysis small_analysis(const char *lang)
{
    td_analysis an;
    memset(&an, 0, sizeof an);
    snprintf(an.lang, sizeof an.lang, "%s", lang);
    an.n_tokens = 40;
    an.terms = small_terms;
    an.n_terms = sizeof small_terms / sizeof small_terms[0];
    an.entities = small_entities;
    an.n_entities = sizeof small_entities / sizeof small_entities[0];
    return an;
}

TEST(article_round_trip)
{
    td_store *st = open_memory();
    td_article a = make_article("a1", "Talks in Geneva", 1688601600);
    td_article b = make_article("b2", NULL, TD_NO_DATE);
    td_analysis an = small_analysis("en");
    td_article_list *list = NULL;
    td_error err;

    CHECK(st != NULL);
    if (!st)
        return;
    b.url = NULL;
    CHECK(td__store_add_article(st, &a, &an, 7, NULL, &err) == TD_OK);
    CHECK(td__store_add_article(st, &b, NULL, 8, NULL, &err) == TD_OK);

    CHECK(td__store_article(st, "a1", &list, &err) == TD_OK);
    CHECK(list && list->n == 1);
    if (list && list->n == 1) {
        td_article_row *r = &list->rows[0];
        CHECK(r->seq == 1);
        CHECK_STR(r->id, "a1");
        CHECK_STR(r->url, "https://example.org/a");
        CHECK_STR(r->source, "example");
        CHECK_STR(r->title, "Talks in Geneva");
        CHECK_STR(r->text, "Body text.\nSecond paragraph.");
        CHECK_STR(r->lang, "en");
        CHECK(r->date == 1688601600);
        CHECK(r->story == 7);
        CHECK_STR(r->entities, "Sergei Lavrov; Genève");
        /* Word terms only, by count then first position. */
        CHECK_STR(r->terms, "talk minist summit");
    }
    td_article_list_free(list);

    list = NULL;
    CHECK(td__store_article(st, "b2", &list, &err) == TD_OK);
    CHECK(list && list->n == 1);
    if (list && list->n == 1) {
        td_article_row *r = &list->rows[0];
        CHECK(r->seq == 2);
        CHECK(r->url == NULL);
        CHECK(r->title == NULL);
        CHECK(r->lang == NULL);
        CHECK(r->entities == NULL);
        CHECK(r->terms == NULL);
        CHECK(r->date == TD_NO_DATE);
        CHECK(r->story == 8);
    }
    td_article_list_free(list);
    td__store_free(st);
}

/* Term and entity columns are capped at 20 terms / 20 entities. */
TEST(article_summary_caps)
{
    td_store *st = open_memory();
    td_term terms[30];
    td_entity entities[24];
    char term_text[30][8], ent_text[24][8];
    td_analysis an;
    td_article a = make_article("caps", "t", 0);
    td_article_list *list = NULL;
    size_t i;

    CHECK(st != NULL);
    if (!st)
        return;
    memset(&an, 0, sizeof an);
    snprintf(an.lang, sizeof an.lang, "no");
    for (i = 0; i < 30; i++) {
        snprintf(term_text[i], sizeof term_text[i], "w%02zu", i);
        terms[i].key = i;
        terms[i].text = term_text[i];
        /* Counts 1..3 cycling; first_pos decreasing so ties reverse. */
        terms[i].count = (uint32_t)(i % 3) + 1;
        terms[i].title_count = 0;
        terms[i].first_pos = (uint32_t)(100 - i);
        terms[i].kind = TD_TERM_WORD;
    }
    terms[29].kind = TD_TERM_ENTITY;   /* the count-3 w29 is not a word */
    terms[29].count = 50;
    for (i = 0; i < 24; i++) {
        snprintf(ent_text[i], sizeof ent_text[i], "E%zu", i);
        entities[i].key = 100 + i;
        entities[i].norm = ent_text[i];
        entities[i].display = i == 3 ? NULL : ent_text[i];
        entities[i].count = (uint32_t)(24 - i);
    }
    an.terms = terms;
    an.n_terms = 30;
    an.entities = entities;
    an.n_entities = 24;
    CHECK(td__store_add_article(st, &a, &an, 1, NULL, NULL) == TD_OK);
    CHECK(td__store_article(st, "caps", &list, NULL) == TD_OK);
    if (list && list->n == 1) {
        /* count 3: i = 26, 23, ..., 2 (by first_pos asc = i desc, w29 is
        ** an entity term); count 2: i = 28, 25, ..., 1, cut at 20 terms. */
        CHECK_STR(list->rows[0].terms,
                  "w26 w23 w20 w17 w14 w11 w08 w05 w02 "
                  "w28 w25 w22 w19 w16 w13 w10 w07 w04 w01 "
                  "w27");
        /* Display forms, norm when there is none. */
        CHECK_STR(list->rows[0].entities,
                  "E0; E1; E2; E3; E4; E5; E6; E7; E8; E9; E10; E11; "
                  "E12; E13; E14; E15; E16; E17; E18; E19");
    }
    td_article_list_free(list);
    td__store_free(st);
}

TEST(duplicate_ids)
{
    td_store *st = open_memory();
    td_article a = make_article("dup", "first", 100);
    td_article b = make_article("dup", "second", 200);
    td_analysis an = small_analysis("en");
    td_article_list *list = NULL;
    td_error err;

    CHECK(st != NULL);
    if (!st)
        return;
    CHECK(td__store_has_article(st, "dup") == 0);
    CHECK(td__store_add_article(st, &a, &an, 1, NULL, &err) == TD_OK);
    CHECK(td__store_has_article(st, "dup") == 1);
    CHECK(td__store_has_article(st, "other") == 0);
    memset(&err, 0, sizeof err);
    CHECK(td__store_add_article(st, &b, &an, 2, NULL, &err) == TD_EDUPID);
    CHECK(err.code == TD_EDUPID);
    CHECK(strstr(err.msg, "dup") != NULL);
    CHECK_STR(err.where, "test:dup");
    CHECK(td__store_article(st, "dup", &list, &err) == TD_OK);
    if (list && list->n == 1)
        CHECK_STR(list->rows[0].title, "first");
    td_article_list_free(list);
    /* The next article still gets seq 2. */
    b.id = (char *)"next";
    CHECK(td__store_add_article(st, &b, &an, 2, NULL, &err) == TD_OK);
    list = NULL;
    CHECK(td__store_article(st, "next", &list, &err) == TD_OK);
    if (list && list->n == 1)
        CHECK(list->rows[0].seq == 2);
    td_article_list_free(list);
    b.id = NULL;
    CHECK(td__store_add_article(st, &b, &an, 2, NULL, &err) == TD_EMISSING);
    td__store_free(st);
}

TEST(story_articles_order)
{
    td_store *st = open_memory();
    td_analysis an = small_analysis("it");
    /* seq order: s1..s6; story 5 gets s1, s2, s3, s5, s6. */
    td_article arts[6];
    td_article_list *list = NULL;
    td_error err;
    size_t i;

    CHECK(st != NULL);
    if (!st)
        return;
    arts[0] = make_article("s1", "undated first", TD_NO_DATE);
    arts[1] = make_article("s2", "late", 3000);
    arts[2] = make_article("s3", "early", 1000);
    arts[3] = make_article("s4", "other story", 500);
    arts[4] = make_article("s5", "late again", 3000);
    arts[5] = make_article("s6", "undated second", TD_NO_DATE);
    CHECK(td__store_begin(st, &err) == TD_OK);
    CHECK(td__store_begin(st, &err) == TD_OK);   /* no-op when open */
    for (i = 0; i < 6; i++)
        CHECK(td__store_add_article(st, &arts[i], &an, i == 3 ? 9 : 5, NULL,
                                    &err) == TD_OK);
    CHECK(td__store_commit(st, &err) == TD_OK);
    CHECK(td__store_commit(st, &err) == TD_OK);  /* no-op when none */

    CHECK(td__store_story_articles(st, 5, &list, &err) == TD_OK);
    CHECK(list && list->n == 5);
    if (list && list->n == 5) {
        CHECK_STR(list->rows[0].id, "s3");
        CHECK_STR(list->rows[1].id, "s2");
        CHECK_STR(list->rows[2].id, "s5");
        CHECK_STR(list->rows[3].id, "s1");
        CHECK_STR(list->rows[4].id, "s6");
        CHECK(list->rows[3].date == TD_NO_DATE);
        CHECK_STR(list->rows[0].terms, "talk minist summit");
    }
    td_article_list_free(list);

    list = NULL;
    CHECK(td__store_story_articles(st, 9, &list, &err) == TD_OK);
    CHECK(list && list->n == 1);
    td_article_list_free(list);
    td__store_free(st);
}

TEST(not_found)
{
    td_store *st = open_memory();
    td_article_list *list = (td_article_list *)&list;
    td_story_list *stories = NULL;
    td_error err;
    int64_t value = 42;

    CHECK(st != NULL);
    if (!st)
        return;
    memset(&err, 0, sizeof err);
    CHECK(td__store_story_articles(st, 1, &list, &err) == TD_ENOTFOUND);
    CHECK(list == NULL);
    CHECK(err.code == TD_ENOTFOUND);
    CHECK(err.msg[0] != '\0');
    CHECK(td__store_article(st, "nope", &list, &err) == TD_ENOTFOUND);
    CHECK(list == NULL);
    CHECK(strstr(err.msg, "nope") != NULL);
    CHECK(td__store_get_meta(st, "absent", &value, &err) == TD_ENOTFOUND);
    CHECK(value == 42);
    /* An empty store lists no stories, without error. */
    CHECK(td__store_stories(st, &stories, &err) == TD_OK);
    CHECK(stories && stories->n == 0);
    td_story_list_free(stories);
    td__store_free(st);
}

static td_story_summary make_summary(int64_t id, uint32_t n,
                                     const char *title)
{
    td_story_summary s;
    memset(&s, 0, sizeof s);
    s.id = id;
    s.n_articles = n;
    s.langs = "en,it";
    s.first_date = 1000 + id;
    s.last_date = 2000 + id;
    s.title = title;
    s.entities = "Sergei Lavrov; Geneva";
    return s;
}

/* Collects the story state walk as "id:bytes," (bytes may hold NULs). */
struct state_walk {
    char buf[256];
    size_t len;
};

static td_status collect_state(void *ud, int64_t story, const void *state,
                               size_t len)
{
    struct state_walk *w = ud;
    int n = snprintf(w->buf + w->len, sizeof w->buf - w->len, "%lld:",
                     (long long)story);
    if (n < 0 || len + 2 > sizeof w->buf - w->len - (size_t)n)
        return TD_ETOOBIG;
    w->len += (size_t)n;
    if (len)
        memcpy(w->buf + w->len, state, len);
    w->len += len;
    w->buf[w->len++] = ',';
    w->buf[w->len] = '\0';
    return story == 99 ? TD_EINVAL : TD_OK;
}

TEST(story_round_trip)
{
    td_store *st = open_memory();
    td_story_summary s1 = make_summary(1, 3, "one");
    td_story_summary s2 = make_summary(2, 5, "two");
    td_story_summary s3 = make_summary(3, 3, "three");
    td_story_summary s4 = make_summary(4, 1, "four");
    td_story_summary s6 = make_summary(6, 1, "six");
    td_story_list *list = NULL;
    void *meta = NULL;
    size_t meta_len = 9;
    struct state_walk walk;
    td_error err;

    memset(&walk, 0, sizeof walk);
    CHECK(st != NULL);
    if (!st)
        return;
    s4.first_date = s4.last_date = TD_NO_DATE;
    s4.langs = NULL;
    /* Cluster state first for story 3: the summary must not erase it. */
    CHECK(td__store_put_story_state(st, 3, "ccc", 3, &err) == TD_OK);
    CHECK(td__store_put_story(st, &s3, "m3", 2, &err) == TD_OK);
    CHECK(td__store_put_story(st, &s1, "m1", 2, &err) == TD_OK);
    CHECK(td__store_put_story_state(st, 1, "a\0a", 3, &err) == TD_OK);
    CHECK(td__store_put_story(st, &s2, "old", 3, &err) == TD_OK);
    CHECK(td__store_put_story_state(st, 2, "old", 3, &err) == TD_OK);
    CHECK(td__store_put_story(st, &s4, NULL, 0, &err) == TD_OK);
    CHECK(td__store_put_story_state(st, 4, "", 0, &err) == TD_OK);
    /* A state for a story without summary is walked but not listed. */
    CHECK(td__store_put_story_state(st, 5, "e", 1, &err) == TD_OK);
    /* A summary without state is listed but not walked. */
    CHECK(td__store_put_story(st, &s6, "m6", 2, &err) == TD_OK);
    /* Replacing keeps one row per id. */
    s2.title = "two, updated";
    CHECK(td__store_put_story(st, &s2, "new", 3, &err) == TD_OK);
    CHECK(td__store_put_story_state(st, 2, "bb", 2, &err) == TD_OK);

    CHECK(td__store_stories(st, &list, &err) == TD_OK);
    CHECK(list && list->n == 5);
    if (list && list->n == 5) {
        CHECK(list->rows[0].id == 2);
        CHECK(list->rows[1].id == 1);
        CHECK(list->rows[2].id == 3);
        CHECK(list->rows[3].id == 4);
        CHECK(list->rows[4].id == 6);
        CHECK(list->rows[0].n_articles == 5);
        CHECK_STR(list->rows[0].title, "two, updated");
        CHECK_STR(list->rows[0].langs, "en,it");
        CHECK_STR(list->rows[0].entities, "Sergei Lavrov; Geneva");
        CHECK(list->rows[0].first_date == 1002);
        CHECK(list->rows[0].last_date == 2002);
        CHECK(list->rows[3].first_date == TD_NO_DATE);
        CHECK(list->rows[3].last_date == TD_NO_DATE);
        CHECK(list->rows[3].langs == NULL);
    }
    td_story_list_free(list);

    CHECK(td__store_each_story_state(st, collect_state, &walk, &err)
          == TD_OK);
    CHECK(walk.len == 24);
    CHECK(memcmp(walk.buf, "1:a\0a,2:bb,3:ccc,4:,5:e,", 24) == 0);

    /* story/'s description blob comes back as stored. */
    CHECK(td__store_get_story_meta(st, 2, &meta, &meta_len, &err) == TD_OK);
    CHECK(meta_len == 3 && meta && memcmp(meta, "new", 3) == 0);
    free(meta);
    CHECK(td__store_get_story_meta(st, 4, &meta, &meta_len, &err)
          == TD_ENOTFOUND);
    CHECK(meta == NULL && meta_len == 0);
    CHECK(td__store_get_story_meta(st, 77, &meta, &meta_len, &err)
          == TD_ENOTFOUND);

    /* A callback error stops the walk and is returned. */
    memset(&walk, 0, sizeof walk);
    CHECK(td__store_put_story_state(st, 99, "z", 1, &err) == TD_OK);
    CHECK(td__store_put_story_state(st, 100, "y", 1, &err) == TD_OK);
    CHECK(td__store_each_story_state(st, collect_state, &walk, &err)
          == TD_EINVAL);
    CHECK(walk.len >= 5 && memcmp(walk.buf + walk.len - 5, "99:z,", 5) == 0);
    td__store_free(st);
}

struct df_walk {
    uint64_t keys[16];
    uint32_t ns[16];
    size_t n;
};

static td_status collect_df(void *ud, uint64_t key, uint32_t n)
{
    struct df_walk *w = ud;
    if (w->n == 16)
        return TD_ETOOBIG;
    w->keys[w->n] = key;
    w->ns[w->n++] = n;
    return TD_OK;
}

/* Many commits: the df log is merged past its limit and later values win. */
TEST(df_log_merges_and_keeps_latest)
{
    td_store *st = open_memory();
    struct df_walk w;
    td_error err;
    int c;
    CHECK(st != NULL);
    if (!st)
        return;
    for (c = 0; c < 150; c++) {
        CHECK(td__store_begin(st, &err) == TD_OK);
        /* Key 7 changes every commit; key c % 10 + 100 cycles. */
        CHECK(td__store_put_df(st, 7, (uint32_t)c, &err) == TD_OK);
        CHECK(td__store_put_df(st, (uint64_t)(c % 10) + 100, (uint32_t)c, &err) == TD_OK);
        CHECK(td__store_commit(st, &err) == TD_OK);
    }
    memset(&w, 0, sizeof w);
    CHECK(td__store_each_df(st, collect_df, &w, &err) == TD_OK);
    CHECK(w.n == 11);
    CHECK(w.keys[0] == 7 && w.ns[0] == 149);
    CHECK(w.keys[1] == 100 && w.ns[1] == 140);
    CHECK(w.keys[10] == 109 && w.ns[10] == 149);
    td__store_free(st);
}

TEST(df_round_trip)
{
    td_store *st = open_memory();
    struct df_walk w;
    td_error err;

    CHECK(st != NULL);
    if (!st)
        return;
    memset(&w, 0, sizeof w);
    CHECK(td__store_put_df(st, UINT64_MAX, 1, &err) == TD_OK);
    CHECK(td__store_put_df(st, (uint64_t)1 << 63, 2, &err) == TD_OK);
    CHECK(td__store_put_df(st, 0, 3, &err) == TD_OK);
    CHECK(td__store_put_df(st, ((uint64_t)1 << 63) - 1, 4, &err) == TD_OK);
    CHECK(td__store_put_df(st, 12345, 5, &err) == TD_OK);
    CHECK(td__store_put_df(st, 12345, UINT32_MAX, &err) == TD_OK);
    CHECK(td__store_each_df(st, collect_df, &w, &err) == TD_OK);
    CHECK(w.n == 5);
    /* Unsigned key order. */
    CHECK(w.keys[0] == 0 && w.ns[0] == 3);
    CHECK(w.keys[1] == 12345 && w.ns[1] == UINT32_MAX);
    CHECK(w.keys[2] == ((uint64_t)1 << 63) - 1 && w.ns[2] == 4);
    CHECK(w.keys[3] == (uint64_t)1 << 63 && w.ns[3] == 2);
    CHECK(w.keys[4] == UINT64_MAX && w.ns[4] == 1);
    td__store_free(st);
}

TEST(meta_round_trip)
{
    td_store *st = open_memory();
    int64_t v = 0;
    td_error err;

    CHECK(st != NULL);
    if (!st)
        return;
    CHECK(td__store_set_meta(st, "next_story", 17, &err) == TD_OK);
    CHECK(td__store_set_meta(st, "min", INT64_MIN, &err) == TD_OK);
    CHECK(td__store_get_meta(st, "next_story", &v, &err) == TD_OK);
    CHECK(v == 17);
    CHECK(td__store_set_meta(st, "next_story", 18, &err) == TD_OK);
    CHECK(td__store_get_meta(st, "next_story", &v, &err) == TD_OK);
    CHECK(v == 18);
    CHECK(td__store_get_meta(st, "min", &v, &err) == TD_OK);
    CHECK(v == INT64_MIN);
    td__store_free(st);
}

struct article_walk {
    char ids[128];
    int n;
    int nulls_ok;
    int stop_at;
    td_store *st;      /* when set, each row starts a nested walk */
    int nested_rows;
};

static td_status count_rows(void *ud, const td_article_row *row)
{
    (void)row;
    ((struct article_walk *)ud)->nested_rows++;
    return TD_OK;
}

static td_status collect_article(void *ud, const td_article_row *row)
{
    struct article_walk *w = ud;
    size_t used = strlen(w->ids);
    snprintf(w->ids + used, sizeof w->ids - used, "%lld:%s,",
             (long long)row->seq, row->id);
    if (row->text || row->terms || !row->entities || !row->lang)
        w->nulls_ok = 0;
    w->n++;
    if (w->st) {
        struct article_walk inner;
        memset(&inner, 0, sizeof inner);
        if (td__store_each_article(w->st, count_rows, &inner, NULL) != TD_OK)
            return TD_ESTORE;
        w->nested_rows += inner.nested_rows;
    }
    return w->n == w->stop_at ? TD_ENOMEM : TD_OK;
}

TEST(each_article_walk)
{
    td_store *st = open_memory();
    td_analysis an = small_analysis("de");
    struct article_walk w;
    td_error err;
    int i;

    CHECK(st != NULL);
    if (!st)
        return;
    for (i = 0; i < 4; i++) {
        char id[8];
        td_article a;
        snprintf(id, sizeof id, "w%d", 4 - i);
        a = make_article(id, "t", i == 2 ? TD_NO_DATE : 100 - i);
        CHECK(td__store_add_article(st, &a, &an, i % 2, NULL, &err) == TD_OK);
    }
    memset(&w, 0, sizeof w);
    w.nulls_ok = 1;
    CHECK(td__store_each_article(st, collect_article, &w, &err) == TD_OK);
    CHECK_STR(w.ids, "1:w4,2:w3,3:w2,4:w1,");
    CHECK(w.nulls_ok);

    memset(&w, 0, sizeof w);
    w.stop_at = 2;
    CHECK(td__store_each_article(st, collect_article, &w, &err) == TD_ENOMEM);
    CHECK_STR(w.ids, "1:w4,2:w3,");

    /* A callback may walk again: the outer walk is not disturbed. */
    memset(&w, 0, sizeof w);
    w.st = st;
    CHECK(td__store_each_article(st, collect_article, &w, &err) == TD_OK);
    CHECK(w.n == 4);
    CHECK(w.nested_rows == 16);
    td__store_free(st);
}

/* Walks past PostgreSQL's page of 1000 rows: every row once, in order. */
struct order_walk {
    int64_t last, last2;
    int n, in_order;
};

static td_status seq_in_order(void *ud, const td_article_row *r)
{
    struct order_walk *w = ud;
    w->in_order &= r->seq > w->last;
    w->last = r->seq;
    w->n++;
    return TD_OK;
}

static td_status sig_in_order(void *ud, int64_t seq, int64_t date,
                              const void *sig, size_t len)
{
    struct order_walk *w = ud;
    (void)date;
    w->in_order &= seq > w->last && len == 4 && memcmp(sig, "sig", 4) == 0;
    w->last = seq;
    w->n++;
    return TD_OK;
}

static td_status edge_in_order(void *ud, const td_store_edge *e)
{
    struct order_walk *w = ud;
    w->in_order &= e->b_seq > w->last ||
                   (e->b_seq == w->last && e->a_seq > w->last2);
    w->last = e->b_seq;
    w->last2 = e->a_seq;
    w->n++;
    return TD_OK;
}

TEST(walks_past_a_page)
{
    td_store *st = open_memory();
    td_store_copy cp;
    td_store_edge e;
    struct order_walk w;
    td_error err;
    int i;

    CHECK(st != NULL);
    if (!st)
        return;
    memset(&cp, 0, sizeof cp);
    memset(&e, 0, sizeof e);
    cp.sig = "sig";
    cp.sig_len = 4;
    CHECK(td__store_begin(st, &err) == TD_OK);
    for (i = 1; i <= 2100; i++) {
        char id[16];
        td_article a;
        snprintf(id, sizeof id, "p%d", i);
        a = make_article(id, "t", i);
        cp.seq = i;
        CHECK(td__store_add_article(st, &a, NULL, 1, &cp, &err) == TD_OK);
        /* Two edges into every third article: keys of two columns. */
        if (i % 3 == 0) {
            e.b_seq = i;
            e.a_seq = i - 1;
            CHECK(td__store_add_copy_edge(st, &e, &err) == TD_OK);
            e.a_seq = i - 2;
            CHECK(td__store_add_copy_edge(st, &e, &err) == TD_OK);
        }
    }
    CHECK(td__store_commit(st, &err) == TD_OK);
    memset(&w, 0, sizeof w);
    w.in_order = 1;
    CHECK(td__store_each_article(st, seq_in_order, &w, &err) == TD_OK);
    CHECK(w.n == 2100 && w.in_order);
    memset(&w, 0, sizeof w);
    w.in_order = 1;
    CHECK(td__store_each_copy_sig(st, sig_in_order, &w, &err) == TD_OK);
    CHECK(w.n == 2100 && w.in_order);
    memset(&w, 0, sizeof w);
    w.in_order = 1;
    CHECK(td__store_each_copy_edge(st, edge_in_order, &w, &err) == TD_OK);
    CHECK(w.n == 1400 && w.in_order);
    td__store_free(st);
}

TEST(rollback)
{
    td_store *st = open_memory();
    td_article a = make_article("gone", "t", 1);
    td_error err;

    CHECK(st != NULL);
    if (!st)
        return;
    CHECK(td__store_begin(st, &err) == TD_OK);
    CHECK(td__store_add_article(st, &a, NULL, 1, NULL, &err) == TD_OK);
    CHECK(td__store_has_article(st, "gone") == 1);
    CHECK(td__store_rollback(st, &err) == TD_OK);
    CHECK(td__store_has_article(st, "gone") == 0);
    CHECK(td__store_rollback(st, &err) == TD_OK);
    td__store_free(st);
}

TEST(file_reopen)
{
    char path[1024], wal[1100];
    td_store *st = NULL;
    td_article a = make_article("f1", "file one", 5000);
    td_article b = make_article("f2", "file two", TD_NO_DATE);
    td_analysis an = small_analysis("fr");
    td_story_summary sum = make_summary(3, 2, "file story");
    td_story_list *stories = NULL;
    td_article_list *list = NULL;
    struct df_walk w;
    struct state_walk walk;
    int64_t v = 0;
    td_error err;

    memset(&walk, 0, sizeof walk);
    snprintf(path, sizeof path, "%s", check_store_fresh(tmp_dir, "reopen.db"));
    snprintf(wal, sizeof wal, "%s-wal", path);
    memset(&err, 0, sizeof err);
    CHECK(td__store_open(path, &st, &err) == TD_OK);
    if (!st) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    CHECK(check_pg || file_exists(wal));   /* WAL mode */
    CHECK(td__store_begin(st, &err) == TD_OK);
    CHECK(td__store_add_article(st, &a, &an, 3, NULL, &err) == TD_OK);
    CHECK(td__store_add_article(st, &b, &an, 3, NULL, &err) == TD_OK);
    CHECK(td__store_put_story(st, &sum, "meta", 4, &err) == TD_OK);
    CHECK(td__store_put_story_state(st, 3, "state", 5, &err) == TD_OK);
    CHECK(td__store_put_df(st, UINT64_MAX - 1, 77, &err) == TD_OK);
    CHECK(td__store_put_df(st, 5, 2, &err) == TD_OK);
    CHECK(td__store_set_meta(st, "n_docs", 2, &err) == TD_OK);
    /* Left open: td__store_free commits it. */
    td__store_free(st);

    st = NULL;
    CHECK(td__store_open(path, &st, &err) == TD_OK);
    if (!st)
        return;
    CHECK(td__store_has_article(st, "f1") == 1);
    CHECK(td__store_story_articles(st, 3, &list, &err) == TD_OK);
    CHECK(list && list->n == 2);
    if (list && list->n == 2) {
        CHECK_STR(list->rows[0].id, "f1");
        CHECK_STR(list->rows[0].title, "file one");
        CHECK_STR(list->rows[0].lang, "fr");
        CHECK_STR(list->rows[0].entities, "Sergei Lavrov; Genève");
        CHECK(list->rows[0].date == 5000);
        CHECK_STR(list->rows[1].id, "f2");
        CHECK(list->rows[1].date == TD_NO_DATE);
        CHECK(list->rows[1].seq == 2);
    }
    td_article_list_free(list);
    CHECK(td__store_stories(st, &stories, &err) == TD_OK);
    CHECK(stories && stories->n == 1);
    if (stories && stories->n == 1) {
        CHECK(stories->rows[0].id == 3);
        CHECK_STR(stories->rows[0].title, "file story");
    }
    td_story_list_free(stories);
    CHECK(td__store_each_story_state(st, collect_state, &walk, &err)
          == TD_OK);
    CHECK_STR(walk.buf, "3:state,");
    {
        void *meta = NULL;
        size_t len = 0;
        CHECK(td__store_get_story_meta(st, 3, &meta, &len, &err) == TD_OK);
        CHECK(len == 4 && meta && memcmp(meta, "meta", 4) == 0);
        free(meta);
    }
    memset(&w, 0, sizeof w);
    CHECK(td__store_each_df(st, collect_df, &w, &err) == TD_OK);
    CHECK(w.n == 2);
    CHECK(w.keys[0] == 5 && w.ns[0] == 2);
    CHECK(w.keys[1] == UINT64_MAX - 1 && w.ns[1] == 77);
    CHECK(td__store_get_meta(st, "n_docs", &v, &err) == TD_OK);
    CHECK(v == 2);
    /* A new article continues the seq. */
    a.id = (char *)"f3";
    CHECK(td__store_add_article(st, &a, &an, 4, NULL, &err) == TD_OK);
    list = NULL;
    CHECK(td__store_article(st, "f3", &list, &err) == TD_OK);
    if (list && list->n == 1)
        CHECK(list->rows[0].seq == 3);
    td_article_list_free(list);
    td__store_free(st);
    if (!check_pg)
        check_store_fresh(tmp_dir, "reopen.db");   /* removes the files */
}

TEST(not_a_database)
{
    char path[128];
    static const char garbage[] =
        "this is not an SQLite database, just some text that is long enough "
        "to fill the header page a database would start with, and more.\n";
    td_store *st = (td_store *)&st;
    td_error err;
    FILE *f;
    int i;

    tmp_path(path, sizeof path, "garbage.db");
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    for (i = 0; i < 64; i++)
        fwrite(garbage, 1, sizeof garbage - 1, f);
    fclose(f);
    memset(&err, 0, sizeof err);
    CHECK(td__store_open(path, &st, &err) == TD_ESTORE);
    CHECK(st == NULL);
    CHECK(err.code == TD_ESTORE);
    CHECK_STR(err.where, path);
    CHECK(strstr(err.msg, "not a database") != NULL);
    check_remove_db(path);

    /* A directory that does not exist cannot hold a store. */
    tmp_path(path, sizeof path, "no/such/dir.db");
    memset(&err, 0, sizeof err);
    CHECK(td__store_open(path, &st, &err) == TD_ESTORE);
    CHECK(err.msg[0] != '\0');
    CHECK(td__store_open("", &st, &err) == TD_EINVAL);
}

/* A store written by a newer build is refused, not misread. */
TEST(newer_schema)
{
    char path[128];
    td_store *st = NULL;
    sqlite3 *db = NULL;
    td_error err;

    tmp_path(path, sizeof path, "newer.db");
    CHECK(td__store_open(path, &st, &err) == TD_OK);
    td__store_free(st);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL)
          == SQLITE_OK);
    sqlite3_close(db);
    st = NULL;
    memset(&err, 0, sizeof err);
    CHECK(td__store_open(path, &st, &err) == TD_ESTORE);
    CHECK(st == NULL);
    CHECK(strstr(err.msg, "99") != NULL);
    CHECK_STR(err.where, path);
    check_remove_db(path);
}

/* A store written before copy edges had a kind (version 3) is upgraded at
** open: the column is added, old edges read as shared text. */
TEST(upgrade_adds_edge_kind)
{
    char path[128];
    td_store *st = NULL;
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    td_error err;
    int kind = -1;

    tmp_path(path, sizeof path, "v3.db");
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db,
        "CREATE TABLE copy_edges(b_seq INTEGER, a_seq INTEGER,"
        " direction INTEGER, similarity REAL, a_start INTEGER, a_end INTEGER,"
        " b_start INTEGER, b_end INTEGER, passage TEXT,"
        " PRIMARY KEY(b_seq, a_seq)) WITHOUT ROWID;"
        "INSERT INTO copy_edges VALUES(2, 1, 1, 0.8, 0, 5, 0, 5, 'hello');"
        "PRAGMA user_version=3;", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    memset(&err, 0, sizeof err);
    CHECK(td__store_open(path, &st, &err) == TD_OK);
    td__store_free(st);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db, "SELECT kind FROM copy_edges", -1, &q, NULL)
          == SQLITE_OK);
    if (q && sqlite3_step(q) == SQLITE_ROW)
        kind = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    CHECK(kind == TD_EDGE_TEXT);
    /* Opening again changes nothing (the column is there). */
    st = NULL;
    CHECK(td__store_open(path, &st, &err) == TD_OK);
    td__store_free(st);
    check_remove_db(path);
}

/* PostgreSQL: a store of a newer schema is refused, by writers and
** readers; a server that does not answer is TD_ESTORE naming the URI
** without its password. */
TEST(pg_newer_schema)
{
    const char *uri = check_store_fresh(NULL, "newer");
    td_store *st = NULL;
    td_error err;
    memset(&err, 0, sizeof err);
    CHECK(td__store_open_readonly(uri, &st, &err) == TD_ESTORE);
    CHECK(strstr(err.msg, "open it for writing first") != NULL);
    CHECK(td__store_open(uri, &st, &err) == TD_OK);
    td__store_free(st);
    st = NULL;
    CHECK(check_pg_sql("UPDATE meta SET value = 99"
                       " WHERE name = 'schema_version'"));
    CHECK(td__store_open(uri, &st, &err) == TD_ESTORE);
    CHECK(st == NULL);
    CHECK(strstr(err.msg, "newer") != NULL);
    CHECK(td__store_open_readonly(uri, &st, &err) == TD_ESTORE);
    CHECK(st == NULL);
}

/* PostgreSQL queues writes inside a transaction: a failed one (text that
** is not UTF-8, which PostgreSQL refuses) is told by the commit, the
** transaction is rolled back, and the store goes on. */
TEST(pg_queued_failure)
{
    td_store *st = open_memory();
    td_article a = make_article("kept", "t", 1);
    td_article b = make_article("lost", "t", 2);
    td_store_edge e;
    td_error err;
    if (!st)
        return;
    memset(&e, 0, sizeof e);
    e.a_seq = 1;
    e.b_seq = 2;
    e.passage = "bad \xff byte";
    memset(&err, 0, sizeof err);
    CHECK(td__store_begin(st, &err) == TD_OK);
    CHECK(td__store_add_article(st, &b, NULL, 1, NULL, &err) == TD_OK);
    CHECK(td__store_add_copy_edge(st, &e, &err) == TD_OK);   /* queued */
    CHECK(td__store_set_meta(st, "after", 1, &err) == TD_OK);
    CHECK(td__store_commit(st, &err) == TD_ESTORE);
    CHECK(strstr(err.msg, "UTF8") != NULL);
    CHECK(strstr(err.msg, "an earlier write") != NULL);
    CHECK(td__store_has_article(st, "lost") == 0);
    CHECK(td__store_add_article(st, &a, NULL, 1, NULL, &err) == TD_OK);
    CHECK(td__store_has_article(st, "kept") == 1);
    td__store_free(st);
}

TEST(pg_unreachable)
{
    td_store *st = NULL;
    td_error err;
    memset(&err, 0, sizeof err);
    /* Port 1 on loopback: nothing listens there. */
    CHECK(td__store_open("postgresql://me:secret@127.0.0.1:1/db"
                         "?connect_timeout=2", &st, &err) == TD_ESTORE);
    CHECK(st == NULL);
    CHECK(strstr(err.msg, "cannot connect") != NULL);
    CHECK_STR(err.where, "postgresql://me@127.0.0.1:1/db?connect_timeout=2");
    CHECK(td__store_open("postgres:///db?host=/nonexistent&password=secret",
                         &st, &err) == TD_ESTORE);
    CHECK(strstr(err.where, "secret") == NULL);
    CHECK(td__store_open("postgresql://[::1", &st, &err) == TD_ESTORE);
    CHECK(st == NULL);
}

TEST(free_null)
{
    td__store_free(NULL);
    td_story_list_free(NULL);
    td_article_list_free(NULL);
    CHECK(1);
}

/* Copies: articles stored with their copy columns and signature, edges,
** group joins (the first member gets its group), copy_of corrections, the
** walks used at reopen, a story's copy groups and its independent sources. */
static td_status count_sig(void *ud, int64_t seq, int64_t date,
                           const void *sig, size_t len)
{
    int *n = ud;
    (void)date;
    if (seq != *n + 1 || len != 4 || memcmp(sig, "sig", 4) != 0)
        return TD_EPARSE;
    (*n)++;
    return TD_OK;
}

static td_status count_edge(void *ud, const td_store_edge *e)
{
    int *n = ud;
    if (e->a_seq != 1 || e->b_seq != 3 || e->direction != 1 ||
        !e->passage || strcmp(e->passage, "shared words") != 0)
        return TD_EPARSE;
    (*n)++;
    return TD_OK;
}

TEST(copies_round_trip)
{
    td_store *st = open_memory();
    td_article a = make_article("orig", "Quake", 1000);
    td_article b = make_article("other", "Other", 2000);
    td_article c = make_article("farm", "Quake!", TD_NO_DATE);
    td_article d = make_article("late", "Late", 3000);
    td_store_copy cp;
    td_store_edge e;
    td_article_list *list = NULL;
    td_story_list *stories = NULL;
    td_copy_list *copies = NULL;
    td_error err;
    char *text = NULL;
    int n_sig = 0, n_edge = 0;

    CHECK(st != NULL);
    if (!st)
        return;
    memset(&err, 0, sizeof err);
    memset(&cp, 0, sizeof cp);
    cp.sig = "sig";
    cp.sig_len = 4;
    cp.seq = 1;
    cp.credits = "NBC News; Reuters";
    CHECK(td__store_add_article(st, &a, NULL, 5, &cp, &err) == TD_OK);
    cp.seq = 2;
    cp.credits = NULL;
    CHECK(td__store_add_article(st, &b, NULL, 5, &cp, &err) == TD_OK);
    /* farm copies orig: joins group 1 (orig was alone: NULL until joined). */
    cp.seq = 3;
    cp.copy_group = 1;
    cp.copy_of = 1;
    CHECK(td__store_join_copy_group(st, 1, 3, &err) == TD_OK);
    CHECK(td__store_add_article(st, &c, NULL, 5, &cp, &err) == TD_OK);
    memset(&e, 0, sizeof e);
    e.a_seq = 1;
    e.b_seq = 3;
    e.direction = 1;
    e.similarity = 0.8;
    e.passage = "shared words";
    CHECK(td__store_add_copy_edge(st, &e, &err) == TD_OK);
    /* A seq already taken is an error, not a duplicate id. */
    cp.seq = 2;
    CHECK(td__store_add_article(st, &d, NULL, 6, &cp, &err) == TD_ESTORE);
    cp.seq = 4;
    cp.copy_group = 0;
    cp.copy_of = 0;
    CHECK(td__store_add_article(st, &d, NULL, 6, &cp, &err) == TD_OK);
    /* copy_of is only set when there is none. */
    CHECK(td__store_set_copy_of(st, 3, 2, &err) == TD_OK);
    CHECK(td__store_set_copy_of(st, 2, 4, &err) == TD_OK);

    CHECK(td__store_article(st, "orig", &list, &err) == TD_OK);
    if (list) {
        CHECK(list->rows[0].copy_group == 1);
        CHECK(list->rows[0].copy_of == NULL);
        CHECK_STR(list->rows[0].credits, "NBC News; Reuters");
    }
    td_article_list_free(list);
    CHECK(td__store_article(st, "farm", &list, &err) == TD_OK);
    if (list) {
        CHECK(list->rows[0].copy_group == 1);
        CHECK_STR(list->rows[0].copy_of, "orig");
    }
    td_article_list_free(list);
    CHECK(td__store_article(st, "other", &list, &err) == TD_OK);
    if (list) {
        CHECK(list->rows[0].copy_group == 2);   /* alone: its seq */
        CHECK_STR(list->rows[0].copy_of, "late");
    }
    td_article_list_free(list);

    CHECK(td__store_article_text(st, 3, &text, &err) == TD_OK);
    CHECK_STR(text, "Body text.\nSecond paragraph.");
    free(text);
    CHECK(td__store_article_text(st, 99, &text, &err) == TD_ENOTFOUND);
    CHECK(td__store_each_copy_sig(st, count_sig, &n_sig, &err) == TD_OK);
    CHECK(n_sig == 4);
    CHECK(td__store_each_copy_edge(st, count_edge, &n_edge, &err) == TD_OK);
    CHECK(n_edge == 1);

    /* Story 5: orig + farm (one group) and other: 2 sources of 3. */
    CHECK(td__store_copies(st, 5, &copies, &err) == TD_OK);
    CHECK(copies && copies->n_groups == 2 && copies->n_edges == 1);
    if (copies && copies->n_groups == 2 && copies->n_edges == 1) {
        CHECK(copies->groups[0].id == 1 && copies->groups[0].n_members == 2);
        CHECK_STR(copies->groups[0].members[0].id, "orig");
        CHECK_STR(copies->groups[0].members[1].id, "farm");
        CHECK_STR(copies->edges[0].from_id, "orig");
        CHECK_STR(copies->edges[0].to_id, "farm");
        CHECK(copies->edges[0].dated == 1);
    }
    td_copy_list_free(copies);
    td_copy_list_free(NULL);
    CHECK(td__store_copies(st, 77, &copies, &err) == TD_ENOTFOUND);

    /* Join two groups: group 2 (other) into group 1. */
    CHECK(td__store_join_copy_group(st, 1, 2, &err) == TD_OK);
    CHECK(td__store_article(st, "other", &list, &err) == TD_OK);
    if (list)
        CHECK(list->rows[0].copy_group == 1);
    td_article_list_free(list);

    {
        td_story_summary sum;
        memset(&sum, 0, sizeof sum);
        sum.id = 5;
        sum.n_articles = 3;
        sum.first_date = sum.last_date = TD_NO_DATE;
        CHECK(td__store_put_story(st, &sum, NULL, 0, &err) == TD_OK);
    }
    CHECK(td__store_stories(st, &stories, &err) == TD_OK);
    CHECK(stories && stories->n == 1);
    if (stories && stories->n == 1) {
        CHECK(stories->rows[0].n_sources == 1);
        CHECK_STR(stories->rows[0].origin_id, "orig");
        CHECK_STR(stories->rows[0].origin_credits, "NBC News; Reuters");
    }
    td_story_list_free(stories);
    td__store_free(st);
}

/* The page ids of q as "1,2 total start" ("error N" on error). */
static const char *page_of(td_store *st, const td_list_query *q)
{
    static char buf[128];
    td_story_list *list = NULL;
    uint64_t total = 0, start = 0;
    td_error err;
    size_t i, len = 0;
    td_status rc = td__store_story_page(st, q, &list, &total, &start, &err);
    if (rc != TD_OK) {
        snprintf(buf, sizeof buf, "error %d", (int)rc);
        return buf;
    }
    buf[0] = '\0';
    for (i = 0; i < list->n && len < sizeof buf - 40; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%lld",
                                i ? "," : "", (long long)list->rows[i].id);
    snprintf(buf + len, sizeof buf - len, " %llu %llu",
             (unsigned long long)total, (unsigned long long)start);
    td_story_list_free(list);
    return buf;
}

/* A page of the list in activity order (newest last activity first,
** undated last, ties by id), with its filters, offset, cursor and counts;
** stories without articles are never listed. */
TEST(story_page)
{
    td_store *st = open_memory();
    td_list_query q;
    td_error err;
    /* id: last_date (NO = undated), langs */
    static const struct {
        int64_t id, last;
        const char *langs;
        uint32_t n;
    } rows[] = {
        {1, 500, "en,it", 2}, {2, 900, "ru", 1}, {3, 700, "EN", 4},
        {4, TD_NO_DATE, "en", 1}, {5, 900, "de,en", 3}, {6, TD_NO_DATE, "fr", 2},
        {7, 800, "en", 0},     /* no articles: never listed */
    };
    size_t i;
    CHECK(st != NULL);
    if (!st)
        return;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        td_story_summary s = make_summary(rows[i].id, rows[i].n, "t");
        s.langs = rows[i].langs;
        s.first_date = rows[i].last;
        s.last_date = rows[i].last;
        CHECK(td__store_put_story(st, &s, NULL, 0, &err) == TD_OK);
    }
    memset(&q, 0, sizeof q);
    q.since = TD_NO_DATE;
    q.limit = 10;
    CHECK_STR(page_of(st, &q), "2,5,3,1,4,6 6 0");
    q.limit = 2;
    q.offset = 1;
    CHECK_STR(page_of(st, &q), "5,3 6 1");
    q.offset = 0;
    q.lang = "en";                 /* "EN" matches, "de,en" too */
    q.limit = 10;
    CHECK_STR(page_of(st, &q), "5,3,1,4 4 0");
    q.lang = "e";                  /* a whole code, not a prefix */
    CHECK_STR(page_of(st, &q), " 0 0");
    q.lang = NULL;
    q.since = 700;                 /* undated stories have no activity */
    CHECK_STR(page_of(st, &q), "2,5,3 3 0");
    q.since = TD_NO_DATE;
    /* After a dated story: the rest of its date by id, older, undated. */
    q.has_after = 1;
    q.after_date = 900;
    q.after_id = 2;
    CHECK_STR(page_of(st, &q), "5,3,1,4,6 6 1");
    q.offset = 3;
    q.limit = 1;
    CHECK_STR(page_of(st, &q), "4 6 4");
    /* After an undated one: the undated with a larger id only. */
    q.offset = 0;
    q.limit = 10;
    q.after_date = TD_NO_DATE;
    q.after_id = 4;
    CHECK_STR(page_of(st, &q), "6 6 5");
    q.after_id = 6;
    CHECK_STR(page_of(st, &q), " 6 6");
    td__store_free(st);
}

/* The tests every backend must pass. */
static void suite(void)
{
    RUN(article_round_trip);
    RUN(article_summary_caps);
    RUN(duplicate_ids);
    RUN(story_articles_order);
    RUN(not_found);
    RUN(story_round_trip);
    RUN(df_round_trip);
    RUN(df_log_merges_and_keeps_latest);
    RUN(meta_round_trip);
    RUN(each_article_walk);
    RUN(walks_past_a_page);
    RUN(rollback);
    RUN(file_reopen);
    RUN(copies_round_trip);
    RUN(story_page);
    if (check_pg) {
        RUN(pg_newer_schema);
        RUN(pg_queued_failure);
        RUN(pg_unreachable);
    }
}

int main(void)
{
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/td_store_XXXXXX");
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    check_store_backends(suite);
    RUN(not_a_database);
    RUN(newer_schema);
    RUN(upgrade_adds_edge_kind);
    RUN(free_null);
    rmdir(tmp_dir);
    return check_report();
}
