/*
** extract_int.h: internals shared by the files of the extract stage:
** charset.c (bytes to UTF-8), prepass.c (safe HTML for gumbo), dom.c (a
** flat copy of gumbo's tree with text statistics), meta.c (title, date,
** authors...), body.c (the article body by content scoring) and boiler.c
** (boilerplate lines). See docs/internals/extract.md.
*/
#ifndef TD_EXTRACT_INT_H
#define TD_EXTRACT_INT_H

#include "extract.h"
#include "util/util.h"

#include <gumbo.h>

/* Cap of the JSON-LD text kept by the pre-pass, bytes. */
#define TD_LD_JSON_CAP (1u << 20)

/* Rewrites html[0..len) into out (new; td__buf_free) as described in
** prepass.c; JSON-LD script bodies go to ld_json (may be NULL), one a line.
** TD_OK, TD_ENOMEM or TD_ETOOBIG. */
td_status td__html_prepass(const char *html, size_t len, td_buf *out,
                           td_buf *ld_json);

/* When html[0..len) is not UTF-8 (by its BOM, <meta charset> or
** http-equiv, or by failing to decode), *out gets a new UTF-8 copy
** (free()) and *out_len its length; else *out is NULL. TD_OK or TD_ENOMEM. */
td_status td__html_to_utf8(const char *html, size_t len, char **out,
                           size_t *out_len);

/* The flat tree. Nodes are in document order; node i's subtree is
** [i, end). Text nodes have tag DOM_TEXT and point into gumbo's strings. */
#define DOM_TEXT 0xFFFFu

/* Node flags. */
#define DOM_SKIP     0x01u  /* never text: hidden, nav, form, dropped tags */
#define DOM_BLOCK    0x02u  /* a block element: a line break around it */
#define DOM_NEG      0x04u  /* class/id names boilerplate (share, related...) */
#define DOM_POS      0x08u  /* class/id names content (article, body...) */
#define DOM_LINK     0x10u  /* an <a> with href */
#define DOM_IN_LINK  0x20u  /* inside an <a> */
#define DOM_STRONG_NEG 0x40u /* clearly boilerplate (comments, share, related) */

typedef struct dom_node {
    const GumboNode *g;      /* the gumbo element, NULL for text */
    const char *text;        /* text nodes: the text (NUL-terminated) */
    uint32_t parent, end;    /* parent index (UINT32_MAX for roots) */
    uint32_t depth;
    uint16_t tag;            /* GumboTag or DOM_TEXT */
    uint16_t flags;
    uint32_t chars;          /* code points of visible text in the subtree */
    uint32_t link_chars;     /* of which inside links */
    uint32_t commas;         /* commas and like punctuation in the subtree */
    uint32_t sentences;      /* '.', '!', '?' followed by space or end */
    double score;            /* content score (body.c) */
} dom_node;

typedef struct dom {
    dom_node *nodes;
    uint32_t n;
    uint32_t body;           /* index of <body>, or 0 */
} dom;

/* Builds the flat tree of gumbo's document (bounded by node count).
** TD_OK or TD_ENOMEM. */
td_status td__dom_build(dom *d, const GumboNode *document);
void td__dom_free(dom *d);

/* Attribute value of an element node, or NULL. */
const char *td__dom_attr(const dom_node *node, const char *name);

/* Appends the visible text of subtree i to b on one line (whitespace
** collapsed), skipping DOM_SKIP nodes. */
td_status td__dom_text(const dom *d, uint32_t i, td_buf *b);

/* Metadata of a page into res (title, date, authors, site, url, lang).
** ld_json holds JSON-LD bodies, one a line (may be NULL). */
td_status td__meta_extract(const dom *d, const char *ld_json, size_t ld_len,
                           td_extract_result *res);

/* The article body of the page, as paragraphs ('\n'-separated), into *out
** (new; free()), NULL when the page has no text. title (may be NULL) is
** the page title, dropped when it opens the body. */
td_status td__body_extract(dom *d, const char *title, char **out);

/* 1 when one line of text is boilerplate ("Read also: ...", "Leave a
** Reply", "Photo: Reuters"...), in several languages. */
int td__boiler_line(const char *s, size_t len);

/* Date parsing from free text and URLs: Unix seconds, or TD_NO_DATE. */
int64_t td__date_from_url(const char *url);

#endif
