/*
** analyze.c: the analyze stage: one article (title + text) in, td_analysis
** out: language, content-word stems and their English pivots (dict.c),
** numbers, and candidate named entities with their per-token entity terms. The method and its parameters are in
** docs/internals/text.md. Per-article state (tokens, distinct words, terms,
** entities) lives in reusable arrays and hash tables of the td_analyzer, so
** that an article costs few mallocs besides its output.
*/
#include "text/analyze_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

td_analyzer *td__analyzer_new(void)
{
    td_analyzer *az = calloc(1, sizeof *az);
    if (!az)
        return NULL;
    td__tokenizer_init(&az->tk);
    td__norm_init(&az->nm);
    td__buf_init(&az->detect, AZ_DETECT_BYTES * 2 + 16);
    td__buf_init(&az->arena, AZ_MAX_ARENA);
    td__buf_init(&az->scratch, AZ_MAX_ARENA);
    td__buf_init(&az->scratch2, AZ_MAX_ARENA);
    az->stemmer = td__stemmer_new();
    if (!az->stemmer) {
        free(az);
        return NULL;
    }
    return az;
}

void td__analyzer_free(td_analyzer *az)
{
    if (!az)
        return;
    td__tokenizer_free(&az->tk);
    td__norm_free(&az->nm);
    td__stemmer_free(az->stemmer);
    td__buf_free(&az->detect);
    td__buf_free(&az->arena);
    td__buf_free(&az->scratch);
    td__buf_free(&az->scratch2);
    free(az->toks);
    free(az->tok_word);
    free(az->tok_anchor);
    free(az->words);
    free(az->word_slots);
    free(az->terms);
    free(az->term_slots);
    free(az->ents);
    free(az->ent_slots);
    free(az->pivots);
    td__key_cache_clear(az);
    free(az->key_cache);
    free(az);
}

/* Sizes a hash table for up to n entries (load <= 1/2) and empties it. */
static td_status table_prepare(uint32_t **slots, size_t *cap, size_t *mask,
                               size_t n)
{
    size_t size = 64;
    td_status st;
    while (size < n * 2)
        size *= 2;
    if ((st = td__grow((void **)slots, cap, size, sizeof **slots)) != TD_OK)
        return st;
    memset(*slots, 0, size * sizeof **slots);
    *mask = size - 1;
    return TD_OK;
}

/* ------------------------------------------------------------------------ */
/* Words */

td_status td__az_arena_put(td_analyzer *az, const char *s, size_t len,
                           uint32_t *off)
{
    *off = (uint32_t)az->arena.len;
    return td__buf_append(&az->arena, s, len);
}

static size_t count_chars(const char *s, size_t len)
{
    size_t i, n = 0;
    for (i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* Finds or adds the word whose case-folded form is fold[0..len). Returns its
** index, or -1 on out of memory. */
static long word_intern(td_analyzer *az, const char *fold, size_t len)
{
    uint64_t h = td__hash64(fold, len);
    size_t i = (size_t)h & az->word_mask;
    az_word *w;
    uint32_t off;
    for (;;) {
        uint32_t slot = az->word_slots[i];
        if (!slot)
            break;
        w = &az->words[slot - 1];
        if (w->hash == h && w->fold_len == len &&
            memcmp(td__az_arena_at(az, w->fold_off), fold, len) == 0)
            return (long)(slot - 1);
        i = (i + 1) & az->word_mask;
    }
    if (td__grow((void **)&az->words, &az->cap_words, az->n_words + 1,
             sizeof *az->words) != TD_OK)
        return -1;
    if (td__az_arena_put(az, fold, len, &off) != TD_OK)
        return -1;
    w = &az->words[az->n_words];
    memset(w, 0, sizeof *w);
    w->hash = h;
    w->fold_off = off;
    w->fold_len = (uint32_t)len;
    {
        size_t nc = count_chars(fold, len);
        w->nchars = (uint8_t)(nc > 255 ? 255 : nc);
    }
    w->stop = (uint8_t)td__is_stopword(az->lang, fold, len);
    az->word_slots[i] = (uint32_t)(++az->n_words);
    return (long)(az->n_words - 1);
}

/* The stem of word w, computed once per article. */
static td_status word_stem(td_analyzer *az, az_word *w)
{
    const char *stem;
    size_t stem_len;
    char buf[256];
    if (w->has_stem)
        return TD_OK;
    /* The stemmer may hand back the word itself, which lives in the arena
    ** that arena_put may move: copy it first. */
    if (w->fold_len >= sizeof buf) {
        w->stem_off = w->fold_off;
        w->stem_len = w->fold_len;
    } else {
        memcpy(buf, td__az_arena_at(az, w->fold_off), w->fold_len);
        stem = td__stem(az->stemmer, az->lang, buf, w->fold_len, &stem_len);
        if (td__az_arena_put(az, stem, stem_len, &w->stem_off) != TD_OK)
            return TD_ENOMEM;
        w->stem_len = (uint32_t)stem_len;
    }
    w->stem_key = td__term_key(TD_TERM_WORD, td__az_arena_at(az, w->stem_off),
                               w->stem_len);
    w->has_stem = 1;
    return TD_OK;
}

/* The English pivots of word w (stemmed), looked up once per article. */
static td_status word_pivots(td_analyzer *az, az_word *w)
{
    td_pivot found[TD_DICT_SENSES];
    size_t n;
    if (w->has_pivots)
        return TD_OK;
    n = td__dict_lookup(az->dict, td__az_arena_at(az, w->stem_off),
                        w->stem_len, found);
    if (n && td__grow((void **)&az->pivots, &az->cap_pivots,
                         az->n_pivots + n, sizeof *az->pivots) != TD_OK)
        return TD_ENOMEM;
    if (n)
        memcpy(az->pivots + az->n_pivots, found, n * sizeof *found);
    w->pivots_off = (uint32_t)az->n_pivots;
    w->n_pivots = (uint8_t)n;
    w->has_pivots = 1;
    az->n_pivots += n;
    return TD_OK;
}

/* Counts the pivot terms of one occurrence of word w (stemmed): an
** English word's own stem, another language's dictionary translations. */
static td_status add_pivots(td_analyzer *az, az_word *w, int english,
                            uint32_t pos, int in_title)
{
    size_t k;
    td_status st;
    if (english) {
        if (!w->has_pivots) {
            w->pivot_key = td__term_key(TD_TERM_PIVOT,
                                        td__az_arena_at(az, w->stem_off),
                                        w->stem_len);
            w->has_pivots = 1;
        }
        return td__az_term_add(az, TD_TERM_PIVOT, w->pivot_key,
                               td__az_arena_at(az, w->stem_off), w->stem_len,
                               pos, in_title);
    }
    if ((st = word_pivots(az, w)) != TD_OK)
        return st;
    for (k = 0; k < w->n_pivots; k++) {
        const td_pivot *p = &az->pivots[w->pivots_off + k];
        if ((st = td__az_term_add(az, TD_TERM_PIVOT, p->key, p->stem, p->len,
                                  pos, in_title)) != TD_OK)
            return st;
    }
    return TD_OK;
}

/* ------------------------------------------------------------------------ */
/* Terms */

td_status td__az_term_add(td_analyzer *az, td_term_kind kind, uint64_t key,
                          const char *text, size_t len, uint32_t pos,
                          int in_title)
{
    size_t i = (size_t)key & az->term_mask;
    az_term *t;
    for (;;) {
        uint32_t slot = az->term_slots[i];
        if (!slot)
            break;
        t = &az->terms[slot - 1];
        if (t->key == key) {
            t->count++;
            t->title_count += (uint32_t)in_title;
            return TD_OK;
        }
        i = (i + 1) & az->term_mask;
    }
    if (td__grow((void **)&az->terms, &az->cap_terms, az->n_terms + 1,
             sizeof *az->terms) != TD_OK)
        return TD_ENOMEM;
    t = &az->terms[az->n_terms];
    t->key = key;
    t->kind = (uint8_t)kind;
    t->count = 1;
    t->title_count = (uint32_t)in_title;
    t->first_pos = pos;
    t->text_len = (uint32_t)len;
    /* text may point into the arena: remember the offset when it does. */
    if (text >= az->arena.data && text < az->arena.data + az->arena.len) {
        t->text_off = (uint32_t)(text - az->arena.data);
    } else if (td__az_arena_put(az, text, len, &t->text_off) != TD_OK) {
        return TD_ENOMEM;
    }
    az->term_slots[i] = (uint32_t)(++az->n_terms);
    return TD_OK;
}

/* ------------------------------------------------------------------------ */
/* Output */

static int compare_entities(const void *pa, const void *pb)
{
    const td_entity *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->norm, b->norm);
}

/* td__sort_by_key sorts terms by the uint64_t they begin with. */
_Static_assert(offsetof(td_term, key) == 0, "td_term must begin with its key");

/* Copies s[0..len) into the output's string block at *at. */
static char *put_string(char *block, size_t *at, const char *s, size_t len)
{
    char *p = block + *at;
    memcpy(p, s, len);
    p[len] = '\0';
    *at += len + 1;
    return p;
}

/* The output: arrays of terms and entities, their texts in one block so
** that an article costs three allocations, not hundreds. */
static td_status build_output(td_analyzer *az, td_analysis *out)
{
    size_t i, size = 1, at = 0;
    for (i = 0; i < az->n_terms; i++)
        size += az->terms[i].text_len + 1;
    for (i = 0; i < az->n_ents; i++)
        if (az->ents[i].count)
            size += az->ents[i].norm_len + az->ents[i].display_len + 2;
    if (!(out->strings = malloc(size)))
        return TD_ENOMEM;
    if (az->n_terms) {
        out->terms = calloc(az->n_terms, sizeof *out->terms);
        if (!out->terms)
            return TD_ENOMEM;
        for (i = 0; i < az->n_terms; i++) {
            const az_term *t = &az->terms[i];
            td_term *o = &out->terms[i];
            o->text = put_string(out->strings, &at,
                                 td__az_arena_at(az, t->text_off), t->text_len);
            o->key = t->key;
            o->count = t->count;
            o->title_count = t->title_count;
            o->first_pos = t->first_pos;
            o->kind = t->kind;
        }
        out->n_terms = az->n_terms;
        td__sort_by_key(out->terms, out->n_terms, sizeof *out->terms);
    }
    if (az->n_ents) {
        out->entities = calloc(az->n_ents, sizeof *out->entities);
        if (!out->entities)
            return TD_ENOMEM;
        for (i = 0; i < az->n_ents; i++) {
            const az_entity *e = &az->ents[i];
            td_entity *o = &out->entities[out->n_entities];
            if (!e->count)
                continue; /* merged into its family (td__merge_families) */
            o->norm = put_string(out->strings, &at,
                                 td__az_arena_at(az, e->norm_off), e->norm_len);
            o->display = put_string(out->strings, &at,
                                    td__az_arena_at(az, e->display_off),
                                    e->display_len);
            o->key = e->key;
            o->count = e->count;
            out->n_entities++;
        }
        qsort(out->entities, out->n_entities, sizeof *out->entities,
              compare_entities);
    }
    return TD_OK;
}

/* ------------------------------------------------------------------------ */

static td_status detect_language(td_analyzer *az, const char *title,
                                 size_t title_len, const char *text,
                                 size_t text_len, const char *hint)
{
    td_status st;
    size_t take;
    td__buf_reset(&az->detect);
    take = title_len < AZ_DETECT_BYTES ? title_len : AZ_DETECT_BYTES;
    if ((st = td__buf_append(&az->detect, title, take)) != TD_OK)
        return st;
    if ((st = td__buf_append(&az->detect, ".\n", 2)) != TD_OK)
        return st;
    take = AZ_DETECT_BYTES - take;
    if (take > text_len)
        take = text_len;
    if ((st = td__buf_append(&az->detect, text, take)) != TD_OK)
        return st;
    /* td__lang_detect cuts to its own limit on a character boundary and
    ** stops at invalid UTF-8. */
    td__lang_detect(az->detect.data, az->detect.len, hint, az->lang);
    return TD_OK;
}

static td_status analyze(td_analyzer *az, const char *title,
                         const char *text, const char *lang_hint,
                         td_analysis *out)
{
    size_t title_len = title ? strlen(title) : 0;
    size_t text_len = text ? strlen(text) : 0;
    size_t i, n, next_number;
    td_status st;
    int title_case, german, english;

    if (!title)
        title = "";
    if (!text)
        text = "";
    if (title_len > TD_MAX_FIELD)
        title_len = TD_MAX_FIELD;
    if (text_len > TD_MAX_FIELD)
        text_len = TD_MAX_FIELD;

    td__buf_reset(&az->arena);
    az->n_toks = az->n_words = az->n_terms = az->n_ents = az->n_pivots = 0;

    if ((st = detect_language(az, title, title_len, text, text_len,
                              lang_hint)) != TD_OK)
        return st;
    memcpy(out->lang, az->lang, sizeof out->lang);
    german = strcmp(az->lang, "de") == 0;
    english = strcmp(az->lang, "en") == 0;
    az->dict = english ? NULL : td__dict_get(az->lang);

    if ((st = td__tokenizer_run(&az->tk, title, title_len, &az->toks,
                                &az->n_toks, &az->cap_toks, AZ_MAX_TOKENS)) !=
        TD_OK)
        return st;
    az->n_title = az->n_toks;
    if ((st = td__tokenizer_run(&az->tk, text, text_len, &az->toks,
                                &az->n_toks, &az->cap_toks, AZ_MAX_TOKENS)) !=
        TD_OK)
        return st;
    n = az->n_toks;
    out->n_tokens = (uint32_t)n;

    if ((st = td__grow((void **)&az->tok_word, &az->cap_tok_word, n + 1,
                   sizeof *az->tok_word)) != TD_OK ||
        (st = td__grow((void **)&az->tok_anchor, &az->cap_tok_anchor, n + 1,
                   sizeof *az->tok_anchor)) != TD_OK ||
        (st = table_prepare(&az->word_slots, &az->cap_word_slots,
                            &az->word_mask, n + 1)) != TD_OK ||
        (st = table_prepare(&az->term_slots, &az->cap_term_slots,
                            &az->term_mask,
                            (3 + TD_DICT_SENSES) * n + 1)) != TD_OK ||
        (st = table_prepare(&az->ent_slots, &az->cap_ent_slots,
                            &az->ent_mask, n + 1)) != TD_OK)
        return st;

    /* Pass 1: fold every token, intern it, gather the case evidence. */
    for (i = 0; i < n; i++) {
        const td_token *t = &az->toks[i];
        const char *s = td__az_token_text(az, i, title, text) + t->start;
        az_word *w;
        long wi;
        td__buf_reset(&az->scratch);
        if ((st = td__norm_casefold(&az->nm, s, t->len, &az->scratch)) !=
            TD_OK)
            return st;
        wi = word_intern(az, az->scratch.data, az->scratch.len);
        if (wi < 0)
            return TD_ENOMEM;
        az->tok_word[i] = (uint32_t)wi;
        w = &az->words[wi];
        if (t->is_number)
            continue;
        if (!t->is_upper)
            w->seen_lower = 1;
        else if (!t->sent_start && i >= az->n_title)
            w->cap_mid++;
        if (t->is_upper && !w->is_acronym && td__is_acronym(s, t->len))
            w->is_acronym = 1;
        if (german && t->is_upper && i > 0 && !t->sent_start) {
            /* A determiner right before, or before one or two lower-case
            ** words, in the same text. */
            size_t j = i, steps = 0;
            size_t first = i < az->n_title ? 0 : az->n_title;
            while (j > first && steps < 3 && !az->toks[j].sent_start) {
                const az_word *p = &az->words[az->tok_word[j - 1]];
                const char *pf = td__az_arena_at(az, p->fold_off);
                if (td__is_german_determiner(pf, p->fold_len)) {
                    w->after_det = 1;
                    break;
                }
                if (az->toks[j - 1].is_upper || az->toks[j - 1].is_number)
                    break;
                j--;
                steps++;
            }
        }
    }
    /* Title tokens count as mid-sentence evidence only when the title is
    ** written as a sentence. */
    title_case = td__title_is_title_case(az);
    if (!title_case) {
        for (i = 1; i < az->n_title; i++) {
            const td_token *t = &az->toks[i];
            if (t->is_upper && !t->sent_start && !t->is_number)
                az->words[az->tok_word[i]].cap_mid++;
        }
    }

    /* Pass 2: word, number and pivot terms. */
    memset(az->tok_anchor, 0, n * sizeof *az->tok_anchor);
    for (i = 0, next_number = 0; i < n; i++) {
        const td_token *t = &az->toks[i];
        az_word *w = &az->words[az->tok_word[i]];
        int in_title = i < az->n_title;
        if (t->is_number) {
            char digits[AZ_MAX_NUMBER];
            const char *s = td__az_token_text(az, i, title, text) + t->start;
            size_t nd = td__number_digits(s, t->len, digits);
            if (i >= next_number)
                next_number = td__number_anchor(az, i, title, text, digits,
                                                nd) + 1;
            if (nd >= 2 &&
                (st = td__az_term_add(az, TD_TERM_NUMBER,
                               td__term_key(TD_TERM_NUMBER, digits, nd),
                               digits, nd, (uint32_t)i, in_title)) != TD_OK)
                return st;
            continue;
        }
        if (t->len >= 2) {
            const char *s = td__az_token_text(az, i, title, text);
            if (s[t->start] >= '0' && s[t->start] <= '9')
                td__ordinal_anchor(az, i, s);
        }
        if (w->stop || w->nchars < 2)
            continue;
        if ((st = word_stem(az, w)) != TD_OK)
            return st;
        if ((st = td__az_term_add(az, TD_TERM_WORD, w->stem_key,
                           td__az_arena_at(az, w->stem_off), w->stem_len,
                           (uint32_t)i, in_title)) != TD_OK)
            return st;
        if ((english || az->dict) &&
            (st = add_pivots(az, w, english, (uint32_t)i, in_title)) != TD_OK)
            return st;
    }

    /* Pass 3: entities, title and body separately. */
    if ((st = td__find_entities(az, 0, az->n_title, title, text, title_case,
                            german)) != TD_OK)
        return st;
    if ((st = td__find_entities(az, az->n_title, n, title, text, 0, german)) !=
        TD_OK)
        return st;
    if ((st = td__merge_families(az)) != TD_OK)
        return st;

    for (i = 0; i < n && out->n_anchors < TD_MAX_ANCHORS; i++)
        if (az->tok_anchor[i])
            out->anchors[out->n_anchors++] = az->tok_anchor[i];
    td__anchors_dump(out);
    return build_output(az, out);
}

td_status td__analyze(td_analyzer *az, const char *title, const char *text,
                      const char *lang_hint, td_analysis *out)
{
    td_status st;
    if (!az || !out)
        return TD_EINVAL;
    memset(out, 0, sizeof *out);
    strcpy(out->lang, "und");
    st = analyze(az, title, text, lang_hint, out);
    if (st != TD_OK)
        td__analysis_clear(out);
    return st;
}
