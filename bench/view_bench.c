/*
** view_bench.c: the cost of building a story view (lib/story/view.c) for a
** synthetic 500-article story (about 3 KB of text each, English and German,
** quotes, copies, ten entities per article in Latin and Cyrillic script)
** among 2000 other stories, half of them earlier (this story's articles
** are read for back-references) and half later (up to 4 are read through
** the fetch callback, 100 articles each, copied as the engine would give
** them). Prints the best of 5 runs in ms; the target is under 50 ms
** (docs/internals/story.md). Usage: view_bench [ARTICLES].
*/
#include "story/view_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_STORIES 2000
#define N_NAMES   30

static uint64_t rng = 0x7669657762656e63ull;

static uint32_t below(uint32_t n)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)(((z ^ (z >> 31)) >> 32) % n);
}

static const char *const syll[] = {"ka", "ro", "mi", "te", "lan", "dor",
    "vi", "sen", "tra", "po", "gu", "ner", "sha", "el", "bri", "ot"};
static const char *const names[N_NAMES] = {"Sergei Lavrov", "Lavrov",
    "\xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2", "NBC News", "Kyiv",
    "Moscow", "Ukraine", "Russia", "Washington", "Joe Biden", "Biden",
    "Richard Haass", "Charles Kupchan", "Thomas Graham", "New York",
    "United Nations", "Kremlin", "White House", "Zelensky", "Reuters",
    "Maria Zakharova", "Crimea", "Donbas", "Europe", "NATO", "Pentagon",
    "CIA", "William Burns", "Council", "Foreign Relations"};

static void word(char *out, size_t cap, uint32_t rank)
{
    size_t n = 2 + rank % 3, i, len = 0;
    uint32_t x = rank * 2654435761u;
    out[0] = '\0';
    for (i = 0; i < n && len + 4 < cap; i++) {
        len += (size_t)snprintf(out + len, cap - len, "%s", syll[x % 16]);
        x /= 16;
    }
}

static char *article_text(int de)
{
    size_t cap = 8192, len = 0;
    char *t = malloc(cap), w[32];
    int s, i, n;
    for (s = 0; s < 20 && len < 3000; s++) {
        n = 10 + (int)below(10);
        for (i = 0; i < n; i++) {
            if (below(12) == 0)
                snprintf(w, sizeof w, "%s", names[below(N_NAMES)]);
            else if (below(3) == 0)
                snprintf(w, sizeof w, "%s", de ? "der" : "the");
            else
                word(w, sizeof w, below(200) * below(15));
            len += (size_t)snprintf(t + len, cap - len, "%s%s", i ? " " : "",
                                    w);
        }
        len += (size_t)snprintf(t + len, cap - len, ".%s",
                                s % 4 == 3 ? "\n" : " ");
        if (s == 5 && below(2) == 0)
            len += (size_t)snprintf(t + len, cap - len,
                                    "\"We shall talk about quote %u and "
                                    "nothing else,\" said %s. ", below(20),
                                    names[below(N_NAMES)]);
    }
    return t;
}

/* Another story's articles: a new copy of the first 100 of this one's,
** dated a year later, as td_engine_story_articles would give them. */
static const td_article_list *bench_arts;

static td_status fetch(void *ud, int64_t story, td_article_list **out)
{
    td_article_list *l = calloc(1, sizeof *l);
    size_t i, n = bench_arts->n < 100 ? bench_arts->n : 100;
    (void)ud;
    (void)story;
    if (!l || !(l->rows = calloc(n, sizeof *l->rows))) {
        free(l);
        return TD_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        const td_article_row *r = &bench_arts->rows[i];
        l->rows[i].id = strdup(r->id);
        l->rows[i].text = strdup(r->text);
        l->rows[i].date = r->date + 365 * 86400;
        l->n = i + 1;
    }
    *out = l;
    return TD_OK;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 500, i, j;
    td_article_list arts;
    td_story_list stories;
    double best = 1e9;
    int run;
    td_story_view *v = NULL;
    arts.rows = calloc(n, sizeof *arts.rows);
    arts.n = n;
    stories.rows = calloc(N_STORIES, sizeof *stories.rows);
    stories.n = N_STORIES;
    for (i = 0; i < n; i++) {
        td_article_row *r = &arts.rows[i];
        char ents[512] = "", id[24];
        int de = below(10) < 3;
        snprintf(id, sizeof id, "a%05zu", i);
        r->seq = (int64_t)i + 1;
        r->id = strdup(id);
        r->lang = de ? "de" : "en";
        r->date = 1688601600 + (int64_t)below(10 * 86400);
        r->copy_group = i % 5 == 4 ? (int64_t)i : (int64_t)i + 1;
        r->text = i % 5 == 4 ? strdup(arts.rows[i - 1].text)
                             : article_text(de);
        for (j = 0; j < 10; j++)
            snprintf(ents + strlen(ents), sizeof ents - strlen(ents), "%s%s",
                     j ? "; " : "", names[below(N_NAMES)]);
        r->entities = strdup(ents);
    }
    for (i = 0; i < N_STORIES; i++) {
        char ents[512] = "";
        stories.rows[i].id = (int64_t)i + 2;
        stories.rows[i].title = "a story";
        stories.rows[i].n_articles = 1 + below(300);
        stories.rows[i].first_date =
            1688601600 + ((int64_t)below(400) - 200) * 86400;
        stories.rows[i].last_date = stories.rows[i].first_date + 86400;
        for (j = 0; j < 5; j++)
            snprintf(ents + strlen(ents), sizeof ents - strlen(ents),
                     "%s%s", j ? "; " : "",
                     below(3) ? names[below(N_NAMES)] : "Someone Else");
        stories.rows[i].entities = strdup(ents);
    }
    bench_arts = &arts;
    for (run = 0; run < 5; run++) {
        double t0 = now_ms(), ms;
        if (td__story_view_build(&arts, &stories, 1, fetch, NULL, &v) !=
            TD_OK) {
            fprintf(stderr, "view_bench: build failed\n");
            return 1;
        }
        ms = now_ms() - t0;
        if (ms < best)
            best = ms;
        if (run < 4)
            td_story_view_free(v);
    }
    printf("view: %zu-article story, %d other stories: %.1f ms (best of 5; "
           "target < 50 ms); %zu summary, %zu quotes, %zu entities, %zu "
           "days, %zu related\n", n, N_STORIES, best, v->n_summary,
           v->n_quotes, v->n_entities, v->n_days, v->n_related);
    td_story_view_free(v);
    for (i = 0; i < n; i++) {
        free(arts.rows[i].id);
        free(arts.rows[i].text);
        free(arts.rows[i].entities);
    }
    for (i = 0; i < N_STORIES; i++)
        free(stories.rows[i].entities);
    free(arts.rows);
    free(stories.rows);
    return 0;
}
