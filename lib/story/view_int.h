/*
** view_int.h: the pieces of the story view (td_story_view, built on demand
** by lib/story/view.c from a story's stored articles): the word reader and
** the extractive summary (summary.c), the quotes (quotes.c). Plain data in
** (td_article_list), plain data out. Method: docs/internals/story.md.
*/
#ifndef TD_VIEW_INT_H
#define TD_VIEW_INT_H

#include "tidings.h"

#include <stddef.h>
#include <stdint.h>

/* Sentences kept per summary, and the largest inputs read. */
#define TD_VIEW_SUMMARY_MAX   4
#define TD_VIEW_SENT_PER_ART  40       /* sentences read per article */
#define TD_VIEW_SENT_MAX      20000    /* sentences read per story */
#define TD_VIEW_QUOTES_MAX    20
#define TD_VIEW_QUOTE_BYTES   600      /* longest quote */

/* One word of a text: a run of letters and digits. */
typedef struct td_view_word {
    size_t start, end;     /* byte range */
    uint64_t hash;         /* of its first 6 letters, lower case: a cheap
                           ** stem ("negotiated", "negotiations") */
    uint32_t n_chars;
    int upper;             /* first letter is upper case */
    char low[64];          /* the word in lower case (cut at 63 bytes) */
} td_view_word;

/* Reads the next word of s[*pos..len) into w and moves *pos past it.
** Returns 0 at the end. */
int td__view_next_word(const char *s, size_t len, size_t *pos,
                       td_view_word *w);

/* 1 when the character ending just before byte i of s (the one starting at
** byte i of s[0..len)) is a letter or digit. */
int td__view_word_before(const char *s, size_t i);
int td__view_word_at(const char *s, size_t len, size_t i);

/* Up to max summary sentences from the articles of arts whose language is
** lang (arts->rows[origin] is preferred; origin may be (size_t)-1). *out is
** new (free with td__view_sentences_free); *n gets the count. TD_ENOMEM. */
td_status td__summary_pick(const td_article_list *arts, const char *lang,
                           size_t origin, size_t max, td_view_sentence **out,
                           size_t *n);
void td__view_sentences_free(td_view_sentence *s, size_t n);

/* The quotes of the articles, grouped, most sources first, at most
** TD_VIEW_QUOTES_MAX. *out is new (free with td__view_quotes_free). */
td_status td__quotes_find(const td_article_list *arts, td_view_quote **out,
                          size_t *n);
void td__view_quotes_free(td_view_quote *q, size_t n);

/* One quote of a text (exposed for tests): the byte range inside the marks
** and the speaker's byte range (empty when none). */
typedef struct td_quote_span {
    size_t start, end;
    size_t speaker_start, speaker_end;
} td_quote_span;

/* The quotes of text[0..len), at most max, in text order; returns how many
** were found (may exceed max; only max are written). */
size_t td__quotes_scan(const char *text, size_t len, const char *lang,
                       td_quote_span *out, size_t max);

/* Back-references (backref.c): an earlier time an article's text names,
** read relative to its date ("in July" in November: July of that year;
** "last month"; "on 3 March"; "earlier this year"). */
typedef struct td_time_ref {
    int64_t from, to;      /* [from, to), Unix seconds */
    size_t art;            /* the article's index in its list */
    size_t start, end;     /* the words in its text */
} td_time_ref;

/* The back-references of the first max_articles dated articles of arts.
** *out is new (free()); *n their count. TD_ENOMEM. */
td_status td__backref_collect(const td_article_list *arts,
                              size_t max_articles, td_time_ref **out,
                              size_t *n);
/* The narrowest of refs overlapping [first, last] (a day of slack each
** side), or NULL. */
const td_time_ref *td__backref_match(const td_time_ref *refs, size_t n,
                                     int64_t first, int64_t last);

/* Reads the articles of another story for its back-references (the
** engine's td_engine_story_articles; *out freed by the caller with
** td_article_list_free). May be NULL: then only this story's own
** articles are read. */
typedef td_status (*td_view_fetch_fn)(void *ud, int64_t story,
                                      td_article_list **out);

/* The story's timeline into v (days, n_undated, first_report, peak_day;
** timeline.c). TD_ENOMEM. */
td_status td__view_timeline(const td_article_list *arts, td_story_view *v);

/* Related stories into v->related (related.c): the stories of `stories`
** other than story naming >= 2 of its top entities (groups top[0..n_top)
** of nm, whose names are v->entities[0..n_top)), or naming one when the
** later of the two refers back to the earlier one's time (this story's
** articles arts, or the other's read with fetch). */
#define TD_VIEW_RELATED_TOP 10
struct names;
struct merge_keys;
td_status td__view_related(const td_article_list *arts,
                           const td_story_list *stories, int64_t story,
                           struct names *nm, struct merge_keys *mk,
                           const size_t *top, size_t n_top,
                           td_view_fetch_fn fetch, void *ud,
                           td_story_view *v);

/* The view of a story from plain data: its articles (by date, as
** td_engine_story_articles gives them), every story row (for related
** stories; may be NULL) and a reader of other stories' articles (for
** back-references; may be NULL). *out is new; free with
** td_story_view_free(). */
td_status td__story_view_build(const td_article_list *arts,
                               const td_story_list *stories, int64_t story,
                               td_view_fetch_fn fetch, void *ud,
                               td_story_view **out);

#endif
