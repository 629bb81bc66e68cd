/*
** story.c: the running description of a story (see story.h). Entities are
** counted once per article, so a story's top entities are those most of its
** articles mention; ties go to the earlier one seen.
*/
#include "story.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void td__story_init(td_story_meta *m, int64_t id)
{
    memset(m, 0, sizeof *m);
    m->id = id;
    m->first_date = m->last_date = TD_NO_DATE;
    m->rep_score = -1;
}

/* Copies at most cap-1 bytes of s without cutting a UTF-8 sequence. */
static void copy_utf8(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void add_lang(td_story_meta *m, const char *code)
{
    uint32_t i;
    for (i = 0; i < m->n_langs; i++) {
        if (strcmp(m->langs[i].code, code) == 0) {
            m->langs[i].n++;
            return;
        }
    }
    if (m->n_langs < TD_STORY_LANGS) {
        copy_utf8(m->langs[m->n_langs].code, sizeof m->langs[0].code, code);
        m->langs[m->n_langs++].n = 1;
    }
}

static void add_entity(td_story_meta *m, const td_entity *e, uint64_t key)
{
    uint32_t i;
    for (i = 0; i < m->n_entities; i++) {
        if (m->entities[i].key == key) {
            m->entities[i].n_articles++;
            return;
        }
    }
    if (m->n_entities < TD_STORY_ENTITIES) {
        td_story_entity *se = &m->entities[m->n_entities++];
        se->key = key;
        se->n_articles = 1;
        copy_utf8(se->display, sizeof se->display, e->display ? e->display : "");
        return;
    }
    /* Full: a new entity replaces the last one seen in only one article. */
    for (i = m->n_entities; i-- > 0;) {
        if (m->entities[i].n_articles == 1) {
            td_story_entity *se = &m->entities[i];
            se->key = key;
            copy_utf8(se->display, sizeof se->display,
                      e->display ? e->display : "");
            return;
        }
    }
}

void td__story_add(td_story_meta *m, const td_analysis *an,
                   const uint64_t *entity_keys, int64_t date,
                   const char *title, const uint64_t *keys, const float *w,
                   size_t n, double centrality, double rep_now)
{
    size_t i;
    m->n_articles++;
    if (date != TD_NO_DATE) {
        if (m->first_date == TD_NO_DATE || date < m->first_date)
            m->first_date = date;
        if (m->last_date == TD_NO_DATE || date > m->last_date)
            m->last_date = date;
    }
    add_lang(m, an->lang[0] ? an->lang : "und");
    for (i = 0; i < an->n_entities; i++)
        add_entity(m, &an->entities[i],
                   entity_keys ? entity_keys[i] : an->entities[i].key);
    if (rep_now >= 0)
        m->rep_score = rep_now;
    if (title && *title && (m->rep_title[0] == '\0' || centrality > m->rep_score)) {
        if (n > TD_STORY_REP_TERMS)
            n = TD_STORY_REP_TERMS;
        copy_utf8(m->rep_title, sizeof m->rep_title, title);
        m->rep_score = centrality;
        memcpy(m->rep_key, keys, n * sizeof *keys);
        memcpy(m->rep_w, w, n * sizeof *w);
        m->n_rep = (uint32_t)n;
    }
}

static int lang_order(const void *a, const void *b)
{
    const td_story_lang *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->code, y->code);
}

void td__story_langs(const td_story_meta *m, char *buf, size_t cap)
{
    td_story_lang sorted[TD_STORY_LANGS];
    size_t used = 0;
    uint32_t i;
    memcpy(sorted, m->langs, m->n_langs * sizeof *sorted);
    qsort(sorted, m->n_langs, sizeof *sorted, lang_order);
    buf[0] = '\0';
    for (i = 0; i < m->n_langs && used < cap; i++) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? "," : "",
                         sorted[i].code);
        if (n < 0 || (size_t)n >= cap - used)
            break;
        used += (size_t)n;
    }
}

void td__story_entities(const td_story_meta *m, size_t top, char *buf,
                        size_t cap)
{
    /* Selection by article count, stable in first-seen order. */
    uint8_t taken[TD_STORY_ENTITIES] = {0};
    size_t used = 0, k;
    buf[0] = '\0';
    for (k = 0; k < top; k++) {
        uint32_t i, best = UINT32_MAX;
        int n;
        for (i = 0; i < m->n_entities; i++)
            if (!taken[i] && (best == UINT32_MAX ||
                              m->entities[i].n_articles > m->entities[best].n_articles))
                best = i;
        if (best == UINT32_MAX)
            break;
        taken[best] = 1;
        n = snprintf(buf + used, cap - used, "%s%s", k ? "; " : "",
                     m->entities[best].display);
        if (n < 0 || (size_t)n >= cap - used)
            break;
        used += (size_t)n;
    }
}

/* The blob is the struct itself behind a magic and size: the store keeps it
** for this build's layout only; a different layout is rejected as corrupt. */
#define META_MAGIC 0x54444d31u /* "TDM1" */

size_t td__story_save(const td_story_meta *m, void *buf, size_t cap)
{
    uint32_t magic = META_MAGIC, size = (uint32_t)sizeof *m;
    if (cap < 8 + sizeof *m)
        return 0;
    memcpy(buf, &magic, 4);
    memcpy((char *)buf + 4, &size, 4);
    memcpy((char *)buf + 8, m, sizeof *m);
    return 8 + sizeof *m;
}

td_status td__story_load(td_story_meta *m, const void *buf, size_t len)
{
    uint32_t magic, size, i;
    if (len != 8 + sizeof *m)
        return TD_EPARSE;
    memcpy(&magic, buf, 4);
    memcpy(&size, (const char *)buf + 4, 4);
    if (magic != META_MAGIC || size != sizeof *m)
        return TD_EPARSE;
    memcpy(m, (const char *)buf + 8, sizeof *m);
    if (m->n_langs > TD_STORY_LANGS || m->n_entities > TD_STORY_ENTITIES ||
        m->n_rep > TD_STORY_REP_TERMS)
        return TD_EPARSE;
    /* The strings are read with strcmp and %s: a corrupt blob must not
    ** send them past their arrays. */
    m->rep_title[TD_STORY_TITLE_MAX - 1] = '\0';
    for (i = 0; i < TD_STORY_LANGS; i++)
        m->langs[i].code[sizeof m->langs[i].code - 1] = '\0';
    for (i = 0; i < TD_STORY_ENTITIES; i++)
        m->entities[i].display[sizeof m->entities[i].display - 1] = '\0';
    return TD_OK;
}
