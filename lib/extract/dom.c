/*
** dom.c: a flat copy of gumbo's tree for the scoring passes. Nodes are
** kept in document order so a subtree is an index range; each carries its
** text statistics (visible characters, characters inside links, commas,
** sentence ends), summed bottom-up, and flags from its tag and from the
** words of its class and id (boilerplate or content). The walk is
** stackless, so the depth of the page costs no memory.
*/
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A cap on nodes: past it the rest of the page is not copied. */
#define DOM_MAX_NODES (4u << 20)

static const GumboTag skip_tags[] = {
    GUMBO_TAG_HEAD, GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE, GUMBO_TAG_NOSCRIPT,
    GUMBO_TAG_TEMPLATE, GUMBO_TAG_NAV, GUMBO_TAG_IFRAME, GUMBO_TAG_SVG,
    GUMBO_TAG_BUTTON, GUMBO_TAG_SELECT, GUMBO_TAG_TEXTAREA, GUMBO_TAG_OBJECT,
    GUMBO_TAG_TITLE, GUMBO_TAG_MATH, GUMBO_TAG_MENU, GUMBO_TAG_INPUT,
    GUMBO_TAG_FOOTER, GUMBO_TAG_ASIDE, GUMBO_TAG_FIGCAPTION, GUMBO_TAG_LABEL};

static const GumboTag block_tags[] = {
    GUMBO_TAG_P, GUMBO_TAG_DIV, GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3,
    GUMBO_TAG_H4, GUMBO_TAG_H5, GUMBO_TAG_H6, GUMBO_TAG_LI, GUMBO_TAG_BR,
    GUMBO_TAG_TR, GUMBO_TAG_ARTICLE, GUMBO_TAG_SECTION,
    GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_PRE, GUMBO_TAG_UL, GUMBO_TAG_OL,
    GUMBO_TAG_DL, GUMBO_TAG_DT, GUMBO_TAG_DD, GUMBO_TAG_TABLE,
    GUMBO_TAG_HR, GUMBO_TAG_MAIN, GUMBO_TAG_FIGURE, GUMBO_TAG_FIGCAPTION,
    GUMBO_TAG_ADDRESS, GUMBO_TAG_CENTER, GUMBO_TAG_DETAILS,
    GUMBO_TAG_SUMMARY, GUMBO_TAG_FIELDSET, GUMBO_TAG_LEGEND,
    GUMBO_TAG_CAPTION, GUMBO_TAG_BODY, GUMBO_TAG_HGROUP, GUMBO_TAG_LISTING,
    GUMBO_TAG_HEADER, GUMBO_TAG_FOOTER, GUMBO_TAG_ASIDE, GUMBO_TAG_NAV,
    GUMBO_TAG_FORM};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int tag_in(GumboTag tag, const GumboTag *list, size_t n)
{
    size_t k;
    for (k = 0; k < n; k++)
        if (list[k] == tag)
            return 1;
    return 0;
}

const char *td__dom_attr(const dom_node *node, const char *name)
{
    const GumboAttribute *a;
    if (!node->g || node->g->type != GUMBO_NODE_ELEMENT)
        return NULL;
    a = gumbo_get_attribute(&node->g->v.element.attributes, name);
    return a ? a->value : NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int hidden(const dom_node *node)
{
    const char *style = td__dom_attr(node, "style");
    const char *aria = td__dom_attr(node, "aria-hidden");
    if (td__dom_attr(node, "hidden") || (aria && strcasecmp(aria, "true") == 0))
        return 1;
    if (style) {
        char compact[96];
        size_t n = 0;
        for (; *style && n < sizeof compact - 1; style++)
            if (!is_space(*style))
                compact[n++] = (char)(*style >= 'A' && *style <= 'Z'
                                          ? *style + 32 : *style);
        compact[n] = '\0';
        if (strstr(compact, "display:none") ||
            strstr(compact, "visibility:hidden"))
            return 1;
    }
    return 0;
}

/*
** Class and id words. A name is split into words at '-', '_', ' ' and
** case changes are ignored. Whole-word lists catch short words ("ad",
** "nav") without matching inside longer ones ("head", "canvas"); the
** substring lists catch long distinctive stems ("comment" in
** "commentlist"). Strong words mark blocks that are never article text.
*/
static const char *const strong_substrings[] = {
    "comment", "disqus", "share", "sharing", "social", "related",
    "recommend", "newsletter", "subscri", "cookie", "consent", "outbrain",
    "taboola", "byline", "caption", "credit", "breadcrumb", "sidebar",
    "advert", "sponsor", "promo", "popular", "trending", "signup", "paywall",
    "readmore", "read-more", "more-stories", "morestories", "tags", "author",
    "footer", "masthead", "toolbar", "pagination", "modal",
    "popup", "banner", "dateline", "timestamp", "print", "rating", "login",
    "follow", "donate", "outstream", "also-read", "alsoread", "see-also"};
static const char *const weak_words[] = {
    "ad", "ads", "nav", "menu", "meta", "tag", "info", "date", "time",
    "hidden", "skip", "header", "aside", "foot", "links", "extra", "tools",
    "utility", "card", "teaser", "list", "bio", "inline", "aux", "top",
    "bottom", "rail", "box", "photo", "image", "img", "media", "figure",
    "video", "gallery", "note", "disclaimer", "notice", "alert", "widget"};
static const char *const positive_substrings[] = {
    "article", "content", "entry", "post", "story", "text", "body", "main",
    "blog", "prose", "paragraph", "rich", "news-detail"};

static int has_word(const char *s, const char *word)
{
    size_t n = strlen(word);
    const char *p = s;
    while ((p = strstr(p, word)) != NULL) {
        int left = p == s || p[-1] == '-' || p[-1] == '_' || p[-1] == ' ';
        char r = p[n];
        int right = r == '\0' || r == '-' || r == '_' || r == ' ' ||
                    (r >= '0' && r <= '9');
        if (left && right)
            return 1;
        p++;
    }
    return 0;
}

/* Flags from the class and id of an element. */
static unsigned name_flags(const dom_node *node)
{
    char buf[256];
    size_t n = 0, k;
    const char *cls = td__dom_attr(node, "class");
    const char *id = td__dom_attr(node, "id");
    const char *role = td__dom_attr(node, "role");
    const char *prop = td__dom_attr(node, "itemprop");
    const char *parts[3];
    unsigned flags = 0;
    int neg = 0, strong = 0, pos = 0;
    parts[0] = cls;
    parts[1] = id;
    parts[2] = role;
    if (prop && strstr(prop, "articleBody"))
        return DOM_POS;
    for (k = 0; k < 3; k++) {
        const char *p = parts[k];
        if (!p)
            continue;
        /* Names past the buffer are cut: the first words decide. */
        for (; *p && n < sizeof buf - 2; p++)
            buf[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        if (n < sizeof buf - 1)
            buf[n++] = ' ';
    }
    if (n == 0)
        return 0;
    buf[n] = '\0';
    for (k = 0; k < COUNT(strong_substrings); k++)
        if (strstr(buf, strong_substrings[k])) {
            strong = 1;
            break;
        }
    for (k = 0; k < COUNT(weak_words) && !strong; k++)
        if (has_word(buf, weak_words[k])) {
            neg = 1;
            break;
        }
    for (k = 0; k < COUNT(positive_substrings); k++)
        if (strstr(buf, positive_substrings[k])) {
            pos = 1;
            break;
        }
    if (role && (strcasecmp(role, "navigation") == 0 ||
                 strcasecmp(role, "complementary") == 0 ||
                 strcasecmp(role, "contentinfo") == 0 ||
                 strcasecmp(role, "banner") == 0 ||
                 strcasecmp(role, "dialog") == 0 ||
                 strcasecmp(role, "alert") == 0))
        strong = 1;
    /* "content-with-sidebar": a content word makes a strong word weak. */
    if (strong && !pos)
        flags |= DOM_STRONG_NEG | DOM_NEG;
    else if (strong)
        flags |= DOM_NEG;
    else if (neg && !pos)
        flags |= DOM_NEG;
    if (pos)
        flags |= DOM_POS;
    return flags;
}

static td_status push(dom *d, uint32_t *cap, const GumboNode *g,
                      uint32_t parent)
{
    dom_node *x;
    if (d->n == *cap) {
        uint32_t grown_cap = *cap ? *cap * 2 : 1024;
        dom_node *grown = realloc(d->nodes, grown_cap * sizeof *grown);
        if (!grown)
            return TD_ENOMEM;
        d->nodes = grown;
        *cap = grown_cap;
    }
    x = &d->nodes[d->n];
    memset(x, 0, sizeof *x);
    x->parent = parent;
    x->depth = parent == UINT32_MAX ? 0 : d->nodes[parent].depth + 1;
    x->end = d->n + 1;
    if (g->type == GUMBO_NODE_ELEMENT) {
        GumboTag tag = g->v.element.tag;
        x->g = g;
        x->tag = (uint16_t)tag;
        if (tag_in(tag, skip_tags, COUNT(skip_tags)) || hidden(x))
            x->flags |= DOM_SKIP;
        if (tag_in(tag, block_tags, COUNT(block_tags)))
            x->flags |= DOM_BLOCK;
        if (tag == GUMBO_TAG_A && td__dom_attr(x, "href"))
            x->flags |= DOM_LINK;
        if (tag == GUMBO_TAG_BODY && !d->body)
            d->body = d->n;
        x->flags |= (uint16_t)name_flags(x);
    } else {
        x->tag = DOM_TEXT;
        x->text = g->v.text.text;
    }
    if (parent != UINT32_MAX &&
        (d->nodes[parent].flags & (DOM_LINK | DOM_IN_LINK)))
        x->flags |= DOM_IN_LINK;
    d->n++;
    return TD_OK;
}

/* Counts of one text node. */
static void text_stats(dom_node *x)
{
    const unsigned char *s = (const unsigned char *)x->text;
    uint32_t chars = 0, commas = 0, sentences = 0;
    for (; *s; s++) {
        if ((*s & 0xC0) == 0x80 || is_space((char)*s))
            continue;
        chars++;
        if (*s == ',')
            commas++;
        else if ((*s == '.' || *s == '!' || *s == '?') &&
                 (s[1] == '\0' || is_space((char)s[1])))
            sentences++;
        else if (*s == 0xEF && s[1] == 0xBC && s[2] == 0x8C)   /* ， */
            commas++;
        else if (*s == 0xE3 && s[1] == 0x80 && (s[2] == 0x81 || s[2] == 0x82))
            s[2] == 0x81 ? commas++ : sentences++;             /* 、 。 */
    }
    x->chars = chars;
    x->commas = commas;
    x->sentences = sentences;
    x->link_chars = (x->flags & DOM_IN_LINK) ? chars : 0;
}

td_status td__dom_build(dom *d, const GumboNode *document)
{
    const GumboNode *node;
    uint32_t cap = 0, cur = UINT32_MAX, i;
    td_status rc = TD_OK;
    memset(d, 0, sizeof *d);
    if (document->type != GUMBO_NODE_DOCUMENT ||
        !document->v.document.children.length)
        return TD_OK;
    node = document->v.document.children.data[0];
    while (node && rc == TD_OK) {
        int has_kids = 0;
        if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEXT ||
            node->type == GUMBO_NODE_WHITESPACE ||
            node->type == GUMBO_NODE_CDATA) {
            if (d->n >= DOM_MAX_NODES)
                break;
            rc = push(d, &cap, node, cur);
            if (rc != TD_OK)
                break;
            has_kids = node->type == GUMBO_NODE_ELEMENT &&
                       node->v.element.children.length > 0;
        }
        if (has_kids) {
            cur = d->n - 1;
            node = node->v.element.children.data[0];
            continue;
        }
        for (;;) {
            const GumboNode *parent = node->parent;
            const GumboVector *kids;
            if (!parent || parent->type == GUMBO_NODE_DOCUMENT) {
                kids = parent ? &parent->v.document.children : NULL;
                if (kids && node->index_within_parent + 1 < kids->length) {
                    node = kids->data[node->index_within_parent + 1];
                } else {
                    node = NULL;
                }
                break;
            }
            kids = &parent->v.element.children;
            if (node->index_within_parent + 1 < kids->length) {
                node = kids->data[node->index_within_parent + 1];
                break;
            }
            /* Leaving parent: its subtree ends here. */
            d->nodes[cur].end = d->n;
            cur = d->nodes[cur].parent;
            node = parent;
        }
    }
    if (rc != TD_OK) {
        td__dom_free(d);
        return rc;
    }
    /* Close what the node cap left open. */
    while (cur != UINT32_MAX) {
        d->nodes[cur].end = d->n;
        cur = d->nodes[cur].parent;
    }
    for (i = 0; i < d->n; i++)
        if (d->nodes[i].tag == DOM_TEXT)
            text_stats(&d->nodes[i]);
    for (i = d->n; i-- > 0;) {
        dom_node *x = &d->nodes[i];
        dom_node *p;
        if (x->parent == UINT32_MAX || (x->flags & DOM_SKIP))
            continue;
        p = &d->nodes[x->parent];
        p->chars += x->chars;
        p->link_chars += x->link_chars;
        p->commas += x->commas;
        p->sentences += x->sentences;
    }
    return TD_OK;
}

void td__dom_free(dom *d)
{
    free(d->nodes);
    memset(d, 0, sizeof *d);
}

td_status td__dom_text(const dom *d, uint32_t i, td_buf *b)
{
    uint32_t end = d->nodes[i].end, k = i;
    int space = 0;
    td_status rc = TD_OK;
    while (k < end && rc == TD_OK) {
        const dom_node *x = &d->nodes[k];
        if (x->flags & DOM_SKIP) {
            k = x->end;
            continue;
        }
        if (x->tag == DOM_TEXT) {
            const char *s = x->text;
            while (*s && rc == TD_OK) {
                if (is_space(*s) ||
                    ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)) {
                    space = 1;
                    s += (unsigned char)*s == 0xC2 ? 2 : 1;
                    continue;
                }
                if (space && b->len && b->data[b->len - 1] != ' ')
                    rc = td__buf_putc(b, ' ');
                space = 0;
                if (rc == TD_OK)
                    rc = td__buf_putc(b, *s);
                s++;
            }
        } else if (x->flags & DOM_BLOCK) {
            space = 1;
        }
        k++;
    }
    return rc;
}
