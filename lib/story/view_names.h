/*
** view_names.h: entity names of the story view, shared by view.c (the
** story's entities) and related.c (other stories naming them): distinct
** spellings keyed by td__entity_key, merged across spellings and scripts
** (names.c). Method: docs/internals/story.md.
*/
#ifndef TD_VIEW_NAMES_H
#define TD_VIEW_NAMES_H

#include "util/map.h"
#include "util/util.h"

#include <stddef.h>
#include <stdint.h>

/* A distinct spelling seen in an entities list. */
typedef struct spelling {
    const char *display;   /* borrowed from the rows */
    size_t len;
    char *key;             /* td__entity_key */
    uint32_t n_articles;
    size_t group;          /* union-find over spellings */
    uint32_t last_art;     /* + 1, for counting articles once */
    uint32_t mentions_now; /* in article last_art - 1 */
} spelling;

typedef struct names {
    spelling *sp;
    size_t n, size;
    td_map by_display;     /* hash of display -> index + 1 */
} names;

/* Merging keys: "sergei lavrov" and "sergey lavrov" share a family (last
** word and first letter); "lavrov" alone joins the family of that surname
** with most articles. Equal keys merge first. */
typedef struct merge_keys {
    td_map exact;      /* key -> spelling + 1 */
    td_map family;     /* last word + first letter -> spelling + 1 */
    td_map surname;    /* last word -> spelling + 1 (most articles) */
} merge_keys;

/* Called with each name of an entities list; returns 0 to stop. */
typedef int (*name_fn)(void *ud, const char *s, size_t len);

/* The spelling of display[0..len), added (with its key) when new. Returns
** its index or (size_t)-1 on out of memory. */
size_t td__names_spelling_of(names *nm, const char *display, size_t len);
/* The index of a spelling already added, or (size_t)-1. */
size_t td__names_find(const names *nm, const char *display, size_t len);
/* Calls fn on each name of a "; "-separated list; 0 when fn failed. */
int td__names_each(const char *list, name_fn fn, void *ud);
/* The root spelling of i's group (union-find with path halving). */
size_t td__names_group(spelling *sp, size_t i);
/* Merges the spellings' groups (see merge_keys) and fills mk. TD_ENOMEM. */
td_status td__names_merge(names *nm, merge_keys *mk);
/* The group a key of another story's entity matches, or (size_t)-1. */
size_t td__names_match(const names *nm, const merge_keys *mk,
                       const char *key);
/* Empty tables; free the spellings' keys and the tables. */
void td__names_init(names *nm, merge_keys *mk);
void td__names_free(names *nm, merge_keys *mk);

#endif
