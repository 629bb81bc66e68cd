/*
** extract_int.h: internals shared by the files of the extract stage:
** charset.c (bytes to UTF-8), prepass.c (canonical, depth-capped HTML),
** tags.c (the element names and their parsing classes), entity.c
** (character references), tree.c (the tree builder), dom.c (the flat tree
** with text statistics), meta.c (title, date, authors...), body.c (the
** article body by content scoring) and boiler.c (boilerplate lines). See
** docs/internals/extract.md.
*/
#ifndef TD_EXTRACT_INT_H
#define TD_EXTRACT_INT_H

#include "extract.h"
#include "util/util.h"


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

/*
** The elements the passes know, in name order, with their classes:
** TP_VOID no end tag; TP_SPECIAL the HTML "special" category (end tags do
** not close through them); TP_FORMAT formatting elements (reopened after a
** block closes them); TP_SCOPE default scope boundaries; TP_CLOSES_P start
** tags that close an open <p>; TP_IMPLIED end tags implied by others;
** TP_BLOCK_END end tags that close through to their element when it is in
** scope; TP_OPTIONAL, TP_PRE_SCOPED, TP_NEST_DROP, TP_RAW_DROP the lists of
** the pre-pass (prepass.c); TP_SKIP, TP_BLOCK the flat tree's flags.
*/
#define TP_VOID       0x0001u
#define TP_SPECIAL    0x0002u
#define TP_FORMAT     0x0004u
#define TP_SCOPE      0x0008u
#define TP_CLOSES_P   0x0010u
#define TP_IMPLIED    0x0020u
#define TP_BLOCK_END  0x0040u
#define TP_OPTIONAL   0x0080u
#define TP_PRE_SCOPED 0x0100u
#define TP_NEST_DROP  0x0200u
#define TP_RAW_DROP   0x0400u
#define TP_SKIP       0x0800u
#define TP_BLOCK      0x1000u

#define TP_BLK (TP_SPECIAL | TP_CLOSES_P | TP_BLOCK_END | TP_PRE_SCOPED | \
                TP_BLOCK)
#define TD_TAGS(X) \
    X(A, "a", TP_FORMAT) \
    X(ABBR, "abbr", 0) \
    X(ADDRESS, "address", TP_BLK) \
    X(APPLET, "applet", TP_SPECIAL | TP_SCOPE | TP_PRE_SCOPED) \
    X(AREA, "area", TP_VOID | TP_SPECIAL) \
    X(ARTICLE, "article", TP_BLK) \
    X(ASIDE, "aside", TP_BLK | TP_SKIP) \
    X(AUDIO, "audio", 0) \
    X(B, "b", TP_FORMAT) \
    X(BASE, "base", TP_VOID | TP_SPECIAL) \
    X(BASEFONT, "basefont", TP_VOID | TP_SPECIAL) \
    X(BDI, "bdi", 0) \
    X(BDO, "bdo", 0) \
    X(BGSOUND, "bgsound", TP_VOID | TP_SPECIAL) \
    X(BIG, "big", TP_FORMAT) \
    X(BLOCKQUOTE, "blockquote", TP_BLK) \
    X(BODY, "body", TP_SPECIAL | TP_OPTIONAL | TP_BLOCK) \
    X(BR, "br", TP_VOID | TP_SPECIAL | TP_BLOCK) \
    X(BUTTON, "button", TP_SPECIAL | TP_BLOCK_END | TP_PRE_SCOPED | TP_SKIP) \
    X(CANVAS, "canvas", 0) \
    X(CAPTION, "caption", TP_SPECIAL | TP_SCOPE | TP_OPTIONAL | TP_BLOCK) \
    X(CENTER, "center", TP_BLK) \
    X(CITE, "cite", 0) \
    X(CODE, "code", TP_FORMAT) \
    X(COL, "col", TP_VOID | TP_SPECIAL) \
    X(COLGROUP, "colgroup", TP_SPECIAL | TP_OPTIONAL) \
    X(DATA, "data", 0) \
    X(DD, "dd", TP_SPECIAL | TP_OPTIONAL | TP_IMPLIED | TP_BLOCK) \
    X(DEL, "del", 0) \
    X(DETAILS, "details", TP_BLK) \
    X(DFN, "dfn", 0) \
    X(DIALOG, "dialog", TP_CLOSES_P | TP_BLOCK_END | TP_PRE_SCOPED) \
    X(DIR, "dir", TP_BLK & ~TP_BLOCK) \
    X(DIV, "div", TP_BLK) \
    X(DL, "dl", TP_BLK) \
    X(DT, "dt", TP_SPECIAL | TP_OPTIONAL | TP_IMPLIED | TP_BLOCK) \
    X(EM, "em", TP_FORMAT) \
    X(EMBED, "embed", TP_VOID | TP_SPECIAL) \
    X(FIELDSET, "fieldset", TP_BLK) \
    X(FIGCAPTION, "figcaption", TP_BLK | TP_SKIP) \
    X(FIGURE, "figure", TP_BLK) \
    X(FONT, "font", TP_FORMAT) \
    X(FOOTER, "footer", TP_BLK | TP_SKIP) \
    X(FORM, "form", TP_SPECIAL | TP_BLOCK) \
    X(FRAME, "frame", TP_VOID | TP_SPECIAL) \
    X(FRAMESET, "frameset", TP_SPECIAL) \
    X(H1, "h1", TP_SPECIAL | TP_BLOCK) \
    X(H2, "h2", TP_SPECIAL | TP_BLOCK) \
    X(H3, "h3", TP_SPECIAL | TP_BLOCK) \
    X(H4, "h4", TP_SPECIAL | TP_BLOCK) \
    X(H5, "h5", TP_SPECIAL | TP_BLOCK) \
    X(H6, "h6", TP_SPECIAL | TP_BLOCK) \
    X(HEAD, "head", TP_SPECIAL | TP_OPTIONAL | TP_SKIP) \
    X(HEADER, "header", TP_BLK) \
    X(HGROUP, "hgroup", TP_BLK) \
    X(HR, "hr", TP_VOID | TP_SPECIAL | TP_BLOCK) \
    X(HTML, "html", TP_SPECIAL | TP_SCOPE | TP_OPTIONAL) \
    X(I, "i", TP_FORMAT) \
    X(IFRAME, "iframe", TP_SPECIAL | TP_RAW_DROP | TP_SKIP) \
    X(IMAGE, "image", TP_VOID) \
    X(IMG, "img", TP_VOID | TP_SPECIAL) \
    X(INPUT, "input", TP_VOID | TP_SPECIAL | TP_SKIP) \
    X(INS, "ins", 0) \
    X(KBD, "kbd", 0) \
    X(KEYGEN, "keygen", TP_VOID | TP_SPECIAL) \
    X(LABEL, "label", TP_SKIP) \
    X(LEGEND, "legend", TP_BLOCK) \
    X(LI, "li", TP_SPECIAL | TP_OPTIONAL | TP_IMPLIED | TP_BLOCK) \
    X(LINK, "link", TP_VOID | TP_SPECIAL) \
    X(LISTING, "listing", TP_SPECIAL | TP_BLOCK_END | TP_PRE_SCOPED | \
                          TP_BLOCK) \
    X(MAIN, "main", TP_BLK) \
    X(MAP, "map", 0) \
    X(MARK, "mark", 0) \
    X(MARQUEE, "marquee", TP_SPECIAL | TP_SCOPE | TP_PRE_SCOPED) \
    X(MATH, "math", TP_NEST_DROP | TP_SKIP) \
    X(MENU, "menu", (TP_BLK & ~TP_BLOCK) | TP_SKIP) \
    X(MENUITEM, "menuitem", TP_VOID) \
    X(META, "meta", TP_VOID | TP_SPECIAL) \
    X(METER, "meter", 0) \
    X(NAV, "nav", TP_BLK | TP_SKIP) \
    X(NOBR, "nobr", TP_FORMAT) \
    X(NOEMBED, "noembed", TP_SPECIAL | TP_RAW_DROP) \
    X(NOFRAMES, "noframes", TP_SPECIAL | TP_RAW_DROP) \
    X(NOSCRIPT, "noscript", TP_SPECIAL | TP_RAW_DROP | TP_SKIP) \
    X(OBJECT, "object", TP_SPECIAL | TP_SCOPE | TP_PRE_SCOPED | TP_SKIP) \
    X(OL, "ol", TP_BLK) \
    X(OPTGROUP, "optgroup", TP_OPTIONAL | TP_IMPLIED) \
    X(OPTION, "option", TP_OPTIONAL | TP_IMPLIED) \
    X(OUTPUT, "output", 0) \
    X(P, "p", TP_SPECIAL | TP_CLOSES_P | TP_OPTIONAL | TP_IMPLIED | \
              TP_BLOCK) \
    X(PARAM, "param", TP_VOID | TP_SPECIAL) \
    X(PICTURE, "picture", 0) \
    X(PLAINTEXT, "plaintext", TP_SPECIAL) \
    X(PRE, "pre", TP_SPECIAL | TP_BLOCK_END | TP_PRE_SCOPED | TP_BLOCK) \
    X(PROGRESS, "progress", 0) \
    X(Q, "q", 0) \
    X(RB, "rb", TP_OPTIONAL | TP_IMPLIED) \
    X(RP, "rp", TP_OPTIONAL | TP_IMPLIED) \
    X(RT, "rt", TP_OPTIONAL | TP_IMPLIED) \
    X(RTC, "rtc", TP_OPTIONAL | TP_IMPLIED) \
    X(RUBY, "ruby", 0) \
    X(S, "s", TP_FORMAT) \
    X(SAMP, "samp", 0) \
    X(SCRIPT, "script", TP_SPECIAL | TP_RAW_DROP | TP_SKIP) \
    X(SECTION, "section", TP_BLK) \
    X(SELECT, "select", TP_SPECIAL | TP_NEST_DROP | TP_SKIP) \
    X(SLOT, "slot", 0) \
    X(SMALL, "small", TP_FORMAT) \
    X(SOURCE, "source", TP_VOID | TP_SPECIAL) \
    X(SPAN, "span", 0) \
    X(STRIKE, "strike", TP_FORMAT) \
    X(STRONG, "strong", TP_FORMAT) \
    X(STYLE, "style", TP_SPECIAL | TP_RAW_DROP | TP_SKIP) \
    X(SUB, "sub", 0) \
    X(SUMMARY, "summary", TP_BLK) \
    X(SUP, "sup", 0) \
    X(SVG, "svg", TP_NEST_DROP | TP_SKIP) \
    X(TABLE, "table", TP_SPECIAL | TP_SCOPE | TP_PRE_SCOPED | TP_BLOCK) \
    X(TBODY, "tbody", TP_SPECIAL | TP_OPTIONAL) \
    X(TD, "td", TP_SPECIAL | TP_SCOPE | TP_OPTIONAL) \
    X(TEMPLATE, "template", TP_SPECIAL | TP_SCOPE | TP_NEST_DROP | TP_SKIP) \
    X(TEXTAREA, "textarea", TP_SPECIAL | TP_RAW_DROP | TP_SKIP) \
    X(TFOOT, "tfoot", TP_SPECIAL | TP_OPTIONAL) \
    X(TH, "th", TP_SPECIAL | TP_SCOPE | TP_OPTIONAL) \
    X(THEAD, "thead", TP_SPECIAL | TP_OPTIONAL) \
    X(TIME, "time", 0) \
    X(TITLE, "title", TP_SPECIAL | TP_SKIP) \
    X(TR, "tr", TP_SPECIAL | TP_OPTIONAL | TP_BLOCK) \
    X(TRACK, "track", TP_VOID | TP_SPECIAL) \
    X(TT, "tt", TP_FORMAT) \
    X(U, "u", TP_FORMAT) \
    X(UL, "ul", TP_BLK) \
    X(VAR, "var", 0) \
    X(VIDEO, "video", 0) \
    X(WBR, "wbr", TP_VOID | TP_SPECIAL) \
    X(XMP, "xmp", TP_SPECIAL | TP_RAW_DROP)

#define TD_TAG_ENUM(id, name, props) TAG_##id,
enum { TAG_UNKNOWN = 0, TD_TAGS(TD_TAG_ENUM) TAG_COUNT };
#undef TD_TAG_ENUM

/* Classes of each tag (TP_*), indexed by TAG_*; 0 for TAG_UNKNOWN. */
extern const uint16_t td__tag_props[TAG_COUNT];

/* TAG_* of the lower-case element name s[0..n), TAG_UNKNOWN if none. */
unsigned td__tag_lookup(const char *s, size_t n);
/* The name of a TAG_* (static), NULL for TAG_UNKNOWN. */
const char *td__tag_name(unsigned tag);
/* Binary search in base[lo..hi), elements of stride bytes that each start
** with their name (const char *), sorted in byte order: the index of the
** one named exactly s[0..n), or SIZE_MAX. */
size_t td__find_name(const void *base, size_t lo, size_t hi, size_t stride,
                     const char *s, size_t n);

/* Decodes the character references of s[0..n) in place (CR LF and CR
** become LF): the result is never longer. in_attr applies
** the attribute-value rule ("&copy=" stays as it is). Returns the new
** length; s is not NUL-terminated by it. */
size_t td__entity_decode(char *s, size_t n, int in_attr);

/* The flat tree. Nodes are in document order; node i's subtree is
** [i, end). Text nodes have tag DOM_TEXT; their text and attribute values
** point into the parsed buffer, NUL-terminated. */
#define DOM_TEXT 0xFFFFu

/* Node flags. */
#define DOM_SKIP     0x01u  /* never text: hidden, nav, form, dropped tags */
#define DOM_BLOCK    0x02u  /* a block element: a line break around it */
#define DOM_NEG      0x04u  /* class/id names boilerplate (share, related...) */
#define DOM_POS      0x08u  /* class/id names content (article, body...) */
#define DOM_LINK     0x10u  /* an <a> with href */
#define DOM_IN_LINK  0x20u  /* inside an <a> */
#define DOM_STRONG_NEG 0x40u /* clearly boilerplate (comments, share, related) */

/* One attribute: name and value point into the parsed buffer. */
typedef struct dom_attr {
    const char *name, *value;
} dom_attr;

typedef struct dom_node {
    const char *text;        /* text nodes: the text (NUL-terminated) */
    uint32_t parent, end;    /* parent index (UINT32_MAX for roots) */
    uint32_t depth;
    uint32_t attr;           /* elements: first attribute in dom.attrs */
    uint16_t n_attr;         /* elements: number of attributes */
    uint16_t tag;            /* TAG_* or DOM_TEXT */
    uint16_t flags;
    uint32_t chars;          /* code points of visible text in the subtree */
    uint32_t link_chars;     /* of which inside links */
    uint32_t commas;         /* commas and like punctuation in the subtree */
    uint32_t sentences;      /* '.', '!', '?' followed by space or end */
    double score;            /* content score (body.c) */
} dom_node;

/* Flags of a class/id/role name already seen on the page (dom.c). */
typedef struct dom_name_cache {
    uint64_t key;
    uint16_t flags;
    uint8_t used;
} dom_name_cache;
#define DOM_NAME_CACHE 4096u

typedef struct dom {
    dom_node *nodes;
    uint32_t n, cap;
    dom_attr *attrs;
    size_t n_attrs, cap_attrs;
    uint32_t body;           /* index of <body>, or 0 */
    dom_name_cache *name_cache;  /* DOM_NAME_CACHE slots, or NULL */
} dom;

/* A cap on nodes: past it the rest of the page is left out. */
#define DOM_MAX_NODES (4u << 20)

/* Builds the flat tree of html[0..len), the pre-pass's canonical output
** (tree.c). The buffer is rewritten in place (references decoded, strings
** NUL-terminated) and must outlive d. TD_OK or TD_ENOMEM. */
td_status td__dom_parse(dom *d, char *html, size_t len);
void td__dom_free(dom *d);

/* Appends a new node (tree.c builds with these; dom.c sets the flags and
** text statistics). An element's attributes are the last n_attr of
** d->attrs. Returns the node's index, or UINT32_MAX when out of memory or
** past DOM_MAX_NODES. */
uint32_t td__dom_add_element(dom *d, unsigned tag, uint32_t parent,
                             uint32_t attr, uint16_t n_attr);
uint32_t td__dom_add_text(dom *d, const char *text, size_t len,
                          uint32_t parent);
/* After the build: sums the text statistics bottom-up. */
void td__dom_finish(dom *d);

/* Attribute value of an element node, or NULL. */
const char *td__dom_attr(const dom *d, const dom_node *node, const char *name);

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
