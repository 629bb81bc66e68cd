/*
** extract.h: the extract stage: the article body and metadata of an HTML
** page (charset to UTF-8, a safe pre-pass, our tree builder, content
** scoring; see docs/internals/extract.md), line-level boilerplate removal
** for plain text, and the small text-shaping helpers that ingest shares
** with it.
*/
#ifndef TD_EXTRACT_H
#define TD_EXTRACT_H

#include "../article.h"

/* Nesting cap of the HTML pre-pass: start tags that would nest deeper are
** dropped (their text is kept) before the tree is built, so hostile pages
** cannot make the tree or its walks deep. */
#define TD_HTML_MAX_DEPTH 400

/* Fills art->title (when NULL), art->text (replaced by the article body;
** left NULL when the page has no text), art->lang_hint (from <html lang>, when NULL),
** art->url (canonical link or og:url, when NULL) and art->date (meta
** article:published_time, datePublished, JSON-LD, <time datetime>; when
** TD_NO_DATE) from html[0..len). Strings are repaired to valid UTF-8.
** TD_OK, or TD_ENOMEM / TD_EPARSE in err. */
td_status td__extract_html(const char *html, size_t len, td_article *art,
                           td_error *err);

/* The whole extraction of html[0..len) into res (fields NULL are filled).
** TD_OK, or TD_ENOMEM / TD_ETOOBIG in err. */
td_status td__extract_page(const char *html, size_t len, td_extract_result *res,
                           td_error *err);

/* New string: text[0..len) (valid UTF-8) as paragraphs with boilerplate
** lines removed, and the first kept line too when it repeats title (may be
** NULL); NULL when nothing is left or out of memory (then *rc is set to
** TD_ENOMEM; it is left alone otherwise). */
char *td__boiler_clean_text(const char *text, size_t len, const char *title,
                            td_status *rc);

/* Removes boilerplate lines from art->text (a plain-text article). TD_OK or
** TD_ENOMEM. */
td_status td__extract_text(td_article *art, td_error *err);

/* Primary language subtag of a tag such as "en-US" or "NB_no", lower case:
** new string (free()), or NULL when it is not 2-3 ASCII letters or out of
** memory (then *rc is set to TD_ENOMEM; it is left alone otherwise). */
char *td__lang_primary(const char *tag, td_status *rc);

/* New string: s[0..len) split into lines ('\n', "\r\n", '\r'), each trimmed
** of ASCII whitespace, empty lines dropped, joined with '\n' (the paragraph
** form of article.h). NULL when nothing is left or out of memory (then *rc
** is set to TD_ENOMEM; it is left alone otherwise). */
char *td__text_paragraphs(const char *s, size_t len, td_status *rc);

/* New string: s with each run of whitespace (ASCII or U+00A0) made one
** space, ends trimmed (a one-line title). NULL when empty or out of memory
** (then *rc is set to TD_ENOMEM; it is left alone otherwise). */
char *td__text_one_line(const char *s, td_status *rc);

/* The title line of a plain-text document (headline.c: the repeated
** headline, else the first line of three words, else the first non-blank
** line): byte ranges, trimmed, into s[0..len). */
typedef struct td_headline {
    size_t start, end;            /* the title; equal when s is blank */
    size_t copy_start, copy_end;  /* an earlier copy of it, or equal */
} td_headline;
void td__text_headline(const char *s, size_t len, td_headline *h);

/* Cuts the title line and its earlier copy out of s (NUL-terminated,
** *len bytes), when anything but whitespace is left; returns 1 then, 0
** (s untouched) otherwise. */
int td__text_take_headline(char *s, size_t *len, const td_headline *h);

#endif
