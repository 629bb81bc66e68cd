/*
** analyze_int.h: the analyzer's state, shared by analyze.c (tokens, words,
** terms, output) and entities.c (entity spans). Internal to lib/text/.
*/
#ifndef TD_TEXT_ANALYZE_INT_H
#define TD_TEXT_ANALYZE_INT_H

#include "text/dict.h"
#include "text/text_int.h"

/* Caps on one article: tokens analysed (the rest is ignored), bytes of the
** per-article arena, bytes given to the language detector, entity span. */
#define AZ_MAX_TOKENS    (1u << 20)
#define AZ_MAX_ARENA     (64u << 20)
#define AZ_DETECT_BYTES  512
#define AZ_MAX_SPAN      6
#define AZ_MAX_DISPLAY   200
#define AZ_MAX_NUMBER    32

/* Cap on the cross-article cache of entity keys of non-ASCII words. */
#define KEY_CACHE_SLOTS  4096

/* One distinct case-folded word form of the article. */
typedef struct az_word {
    uint64_t hash;
    uint32_t fold_off, fold_len;   /* in arena */
    uint32_t stem_off, stem_len;   /* valid when has_stem */
    uint32_t ekey_off, ekey_len;   /* valid when has_ekey */
    uint32_t norm_off, norm_len;   /* valid when has_ekey */
    uint64_t stem_key, ekey_key;
    uint32_t name_anchor;          /* td__name_anchor of the key, 0 = not yet */
    uint64_t pivot_key;            /* English: its own stem as a pivot */
    uint32_t pivots_off;           /* others: index in az->pivots */
    uint8_t n_pivots, has_pivots;  /* valid when has_pivots */
    uint32_t cap_mid;              /* capitalised occurrences mid-sentence */
    uint8_t nchars;                /* code points, saturating at 255 */
    uint8_t stop, has_stem, has_ekey, seen_lower, after_det, is_acronym;
    uint8_t title_word;            /* 0 unknown, else 1 + its title kind
                                   ** (entities.c) */
} az_word;

/* One distinct term being counted. */
typedef struct az_term {
    uint64_t key;
    uint32_t text_off, text_len;   /* in arena */
    uint32_t count, title_count, first_pos;
    uint8_t kind;
} az_term;

/* One distinct entity being counted. */
typedef struct az_entity {
    uint64_t key;
    uint32_t norm_off, norm_len;       /* in arena */
    uint32_t display_off, display_len; /* in arena */
    uint32_t count;
} az_entity;

/* A cross-article cache entry: token -> normalised form and entity key.
** Only non-ASCII tokens are cached: the transliterated ones are slow. */
typedef struct key_cache_entry {
    uint64_t hash;
    char *token;
    char *norm;
    char *key;
} key_cache_entry;

struct td_analyzer {
    td_tokenizer tk;
    td_norm nm;
    td_stemmer *stemmer;
    char lang[8];

    td_buf detect;          /* title + text opening for CLD2 */
    td_buf arena;           /* per-article strings, addressed by offset */
    td_buf scratch, scratch2;

    td_token *toks;
    size_t n_toks, cap_toks, n_title;
    uint32_t *tok_word;     /* word index of each token */
    size_t cap_tok_word;
    uint32_t *tok_anchor;   /* anchor hash of each token, 0 = none */
    size_t cap_tok_anchor;

    az_word *words;
    size_t n_words, cap_words;
    uint32_t *word_slots;   /* index + 1, 0 = empty */
    size_t word_mask, cap_word_slots;

    az_term *terms;
    size_t n_terms, cap_terms;
    uint32_t *term_slots;
    size_t term_mask, cap_term_slots;

    az_entity *ents;
    size_t n_ents, cap_ents;
    uint32_t *ent_slots;
    size_t ent_mask, cap_ent_slots;

    key_cache_entry *key_cache; /* KEY_CACHE_SLOTS entries, lazily */

    /* English pivots of the article's words: the dictionary of its language
    ** (NULL for none, and for English, whose stems are their own pivots). */
    const td_dict *dict;
    td_pivot *pivots;
    size_t n_pivots, cap_pivots;
};

static inline const char *td__az_arena_at(const td_analyzer *az,
                                          uint32_t off)
{
    return az->arena.data + off;
}

/* The text a token indexes into: the title for the first n_title tokens. */
static inline const char *td__az_token_text(const td_analyzer *az, size_t i,
                                            const char *title,
                                            const char *text)
{
    return i < az->n_title ? title : text;
}

/* analyze.c */
/* Appends s to the per-article arena; *off gets its offset. */
td_status td__az_arena_put(td_analyzer *az, const char *s, size_t len,
                           uint32_t *off);
/* Grows *p (of *cap elements of size sz) to hold at least need elements. */
/* Counts one occurrence of a term (at token pos) in the term table. */
/* anchors.c: the anchors (td_analysis.anchors) in az->tok_anchor. */
/* The anchor of a name: the consonant skeleton of its entity key, of kind
** TD_ANCHOR_NAME. */
uint32_t td__name_anchor(const char *key, size_t len);
/* Digits of a number token (any script's digits as ASCII, , . removed)
** into out (AZ_MAX_NUMBER bytes); 0 when too long. */
size_t td__number_digits(const char *s, size_t len, char *out);
/* Sets the anchor of number token i (digits[0..nd) from
** td__number_digits); returns the last token it took (i, or later groups
** of a number written "15 785 641", or the rest of "20万6737"). */
size_t td__number_anchor(td_analyzer *az, size_t i, const char *title,
                         const char *text, const char *digits, size_t nd);
/* Sets the anchor of token i of text s when it is an ordinal or a number
** with its unit in one word ("24th", "10km"). */
void td__ordinal_anchor(td_analyzer *az, size_t i, const char *s);
/* Tuning builds with TD_ANCHOR_DUMP set: prints an's anchors on stderr. */
#ifdef TD_TUNING
void td__anchors_dump(const td_analysis *an);
#else
#define td__anchors_dump(an) ((void)0)
#endif

td_status td__az_term_add(td_analyzer *az, td_term_kind kind, uint64_t key,
                          const char *text, size_t len, uint32_t pos,
                          int in_title);

/* entities.c */
void td__key_cache_clear(td_analyzer *az);
int td__is_german_determiner(const char *w, size_t len);
/* 1 for an all-capitals token of 2+ letters ("NATO", "G7" is not). */
int td__is_acronym(const char *s, size_t len);
/* 1 when the title (tokens [0, n_title)) is written in Title Case. */
int td__title_is_title_case(const td_analyzer *az);
/* Finds the entity spans of tokens [from, to) (one text) and emits the
** entities and entity terms. */
td_status td__find_entities(td_analyzer *az, size_t from, size_t to,
                            const char *title, const char *text,
                            int title_case, int german);
/* Merges the article's spellings of one name (the families of text.h):
** counts go to the family's most mentioned spelling, and a surname alone
** to its most mentioned family; a merged entity is left with count 0 and
** is not output. Entity terms are untouched: this is for the lists a
** reader sees. */
td_status td__merge_families(td_analyzer *az);

#endif
