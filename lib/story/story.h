/*
** story.h: the story stage: what a story shows (representative title,
** languages, top entities, date range), kept up to date as articles join.
** It works on plain data: the article's analysis and the similarities the
** cluster stage computed; it does not call other stages.
*/
#ifndef TD_STORY_H
#define TD_STORY_H

#include "../article.h"

#define TD_STORY_LANGS     16
#define TD_STORY_ENTITIES  24
#define TD_STORY_TITLE_MAX 300
#define TD_STORY_REP_TERMS 64

typedef struct td_story_lang {
    char code[8];
    uint32_t n;
} td_story_lang;

typedef struct td_story_entity {
    uint64_t key;            /* its family (util/family.h), else its key */
    uint32_t n_articles;     /* articles of the story that mention it */
    char display[48];
} td_story_entity;

/* The running description of one story. Plain data; copyable. */
typedef struct td_story_meta {
    int64_t id;
    uint32_t n_articles;
    int64_t first_date;
    int64_t last_date;
    td_story_lang langs[TD_STORY_LANGS];
    uint32_t n_langs;
    td_story_entity entities[TD_STORY_ENTITIES];
    uint32_t n_entities;
    double rep_score;        /* the representative's similarity to the centroid */
    char rep_title[TD_STORY_TITLE_MAX];
    uint64_t rep_key[TD_STORY_REP_TERMS];  /* its heaviest terms, by key */
    float rep_w[TD_STORY_REP_TERMS];
    uint32_t n_rep;
} td_story_meta;

/* A fresh description for story id. */
void td__story_init(td_story_meta *m, int64_t id);

/* Adds an article: its analysis, the keys its entities count under (one
** per entity: their families, util/family.h, so that "Sergei Lavrov" and
** "Sergey Lavrov" are one name across articles; NULL for their own keys),
** date, display title (title or lead), its
** heaviest terms (keys and weights, n <= TD_STORY_REP_TERMS, sorted by key)
** and centrality (their cosine with the story's centroid after it joined;
** the current representative's, computed the same way, is rep_now, negative
** when there is none). The more central one represents the story. */
void td__story_add(td_story_meta *m, const td_analysis *an,
                   const uint64_t *entity_keys, int64_t date,
                   const char *title, const uint64_t *keys, const float *w,
                   size_t n, double centrality, double rep_now);

/* Formats languages ("en,it") and top entities ("A; B; C") into buffers. */
void td__story_langs(const td_story_meta *m, char *buf, size_t cap);
void td__story_entities(const td_story_meta *m, size_t top, char *buf,
                        size_t cap);

/* Serialisation for the store: returns the bytes written (at most cap), or
** 0 when cap is too small. load returns TD_EPARSE on a corrupt blob. */
size_t td__story_save(const td_story_meta *m, void *buf, size_t cap);
td_status td__story_load(td_story_meta *m, const void *buf, size_t len);

#endif
