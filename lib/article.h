/*
** article.h: the records that flow between the pipeline stages.
**
** ingest/extract produce a td_article; text/ turns it into a td_analysis;
** cluster/ assigns it to a story; store/ persists all three. Each stage takes
** these plain records in and gives them out; no stage calls another.
*/
#ifndef TD_ARTICLE_H
#define TD_ARTICLE_H

#include "tidings.h"

#include <stddef.h>
#include <stdint.h>

/* Hard caps on hostile input. */
#define TD_MAX_RECORD   (8u << 20)   /* one JSON line or one file, bytes */
#define TD_MAX_FIELD    (4u << 20)   /* one text field, bytes */

/* An article after ingest and extraction. Every string is owned (malloc'd,
** valid UTF-8, NUL-terminated, no NUL inside) or NULL. Free the fields with
** td__article_clear(). */
typedef struct td_article {
    char *id;
    char *url;
    char *source;
    char *title;
    char *text;       /* plain text, paragraphs separated by '\n' */
    char *html;       /* raw HTML still to extract into title/text, or NULL */
    char *lang_hint;  /* declared language (JSON "lang", <html lang>), or NULL */
    int64_t date;     /* Unix seconds UTC, TD_NO_DATE when unknown */
    char where[512];  /* "file:line" or "file", for messages */
} td_article;

void td__article_clear(td_article *a);

/* What a term is. Keys of different kinds never collide: the kind is mixed
** into the hash. */
typedef enum td_term_kind {
    TD_TERM_WORD = 0,     /* stem of a content word */
    TD_TERM_ENTITY = 1,   /* one token of a named-entity mention, normalised */
    TD_TERM_NUMBER = 2,   /* a number of 2+ digits or a date, normalised */
    TD_TERM_PREFIX = 3,   /* first TD_PREFIX_LEN letters of an entity token:
                          ** "Ukraine", "Ukraina", "Украина" all give "ukra" */
    TD_TERM_PIVOT = 4     /* a content word translated into an English stem
                          ** (bilingual dictionaries), non-English text only */
} td_term_kind;

/* Bytes of an entity token kept in its TD_TERM_PREFIX term. */
#define TD_PREFIX_LEN 4

/* One distinct term of an article with its counts. */
typedef struct td_term {
    uint64_t key;         /* td__term_key(kind, text) */
    char *text;           /* the stem / normalised entity token / number */
    uint32_t count;       /* occurrences in title + body */
    uint32_t title_count; /* occurrences in the title */
    uint32_t first_pos;   /* token index of the first occurrence */
    uint8_t kind;         /* td_term_kind */
} td_term;

/* A named-entity mention span, merged by normalised form. */
typedef struct td_entity {
    uint64_t key;         /* hash of norm */
    char *norm;           /* lower case, no accents, Latin script: "sergei lavrov" */
    char *display;        /* first surface form seen: "Sergei Lavrov" */
    uint32_t count;
} td_entity;

/* Anchors kept per article: names and numbers in reading order. */
#define TD_MAX_ANCHORS 64
/* An anchor's kind is in its low two bits (the rest is a hash): a number
** of one digit ("3 dead", "2 goals") says less than a name or a longer
** number, and numbers and names are shared differently by translations
** (docs/internals/clustering.md, "Translations"). Never 0. */
#define TD_ANCHOR_NAME   1u
#define TD_ANCHOR_NUMBER 2u
#define TD_ANCHOR_DIGIT  3u
#define TD_ANCHOR_KIND(a) ((a) & 3u)

/* The analysis of one article. Free with td__analysis_clear(). */
typedef struct td_analysis {
    char lang[8];         /* ISO 639-1 code ("en", "no"), "und" when unknown */
    uint32_t n_tokens;    /* word tokens in title + body */
    td_term *terms;       /* sorted by key, distinct */
    size_t n_terms;
    td_entity *entities;  /* sorted by count desc, then norm */
    size_t n_entities;
    char *strings;        /* owned: one block holding every text above, or
                          ** NULL when each text is its own allocation */
    /* The article's names (entity tokens as a consonant skeleton cut to
    ** TD_PREFIX_LEN letters) and numbers in the order they are written, as
    ** 32-bit hashes with their kind (TD_ANCHOR_KIND):
    ** a translation keeps most of them in the same order whatever the
    ** language (docs/internals/clustering.md, "Translations"). */
    uint32_t anchors[TD_MAX_ANCHORS];
    uint32_t n_anchors;
} td_analysis;

void td__analysis_clear(td_analysis *an);

/* Hash key of a term: xxh3-64 of the text, mixed with the kind. */
uint64_t td__term_key(td_term_kind kind, const char *text, size_t len);

#endif
