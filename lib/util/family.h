/*
** family.h: families of entity keys, the spellings of one person's name
** (family.c). Entity keys are made by lib/text (td__entity_key): lower
** case, Latin letters, single spaces, a run of one letter collapsed. The
** analyzer merges an article's mentions by this rule, the story view its
** articles' lists, the entity index its lookups, the story row its top
** entities: one rule, so that they agree.
*/
#ifndef TD_UTIL_FAMILY_H
#define TD_UTIL_FAMILY_H

#include <stddef.h>
#include <stdint.h>

/* A surname shorter than this never joins a family ("li", "un"). */
#define TD_FAMILY_MIN 4

/* 1 for the lower-case particles of names ("von", "der", "de", "van"...). */
int td__is_name_particle(const char *w, size_t len);
/* 1 for English "of", "on", "for": they join an organisation's name
** ("Bank of England") and make a key no person's. */
int td__is_english_connector(const char *w, size_t len);

/* A key's surname is its last word ("sergei lavrov" -> "lavrov"); *multi
** (when not NULL) says whether there are more. */
const char *td__key_surname(const char *key, int *multi);

/* The family of a key shaped like a person's name, a hash of its surname
** and first letter; 0 for other keys. Person-shaped: two or three words
** besides name particles ("von der", "de"), a surname of TD_FAMILY_MIN
** bytes or more after a space in display (the spelling the key was made
** from; the key itself will do when there is none), no English "of",
** "on", "for", and no first word that names a part or a kind of place or
** body ("South Korea", "United Russia", "Bank of England" are no family
** of "Korea", "Russia", "England"). Then "Sergei Lavrov" and "Sergey
** Lavrov" are one family, which a lone "Lavrov" joins. */
uint64_t td__key_family(const char *key, const char *display,
                        size_t display_len);

/* The key a short form stands for ("us" -> "united states", "uk" ->
** "united kingdom", "eu" -> "european union"), or NULL: one name for the
** reader's lists. A small fixed table of the common ones. */
const char *td__key_expansion(const char *key);

#endif
