/*
** dom.c: the flat tree of the scoring passes (tree.c builds it). Nodes are
** kept in document order so a subtree is an index range; each carries its
** text statistics (visible characters, characters inside links, commas,
** sentence ends), summed bottom-up, and flags from its tag and from the
** words of its class and id (boilerplate or content).
*/
#include "extract_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *td__dom_attr(const dom *d, const dom_node *node, const char *name)
{
    const dom_attr *a;
    uint32_t k;
    if (node->tag == DOM_TEXT || node->n_attr == 0)
        return NULL;
    a = d->attrs + node->attr;
    for (k = 0; k < node->n_attr; k++)
        if (a[k].name[0] == name[0] && strcmp(a[k].name, name) == 0)
            return a[k].value;
    return NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* The attributes the flags read, found in one pass. */
typedef struct named_attrs {
    const char *cls, *id, *role, *prop, *style, *aria, *hidden, *href;
} named_attrs;

static void read_attrs(const dom *d, const dom_node *x, named_attrs *na)
{
    const dom_attr *a = d->attrs + x->attr;
    uint16_t k;
    memset(na, 0, sizeof *na);
    for (k = 0; k < x->n_attr; k++) {
        const char *name = a[k].name, **slot = NULL;
        switch (name[0]) {
        case 'c': slot = strcmp(name, "class") == 0 ? &na->cls : NULL; break;
        case 'i':
            slot = strcmp(name, "id") == 0 ? &na->id
                   : strcmp(name, "itemprop") == 0 ? &na->prop : NULL;
            break;
        case 'r': slot = strcmp(name, "role") == 0 ? &na->role : NULL; break;
        case 's': slot = strcmp(name, "style") == 0 ? &na->style : NULL; break;
        case 'a':
            slot = strcmp(name, "aria-hidden") == 0 ? &na->aria : NULL;
            break;
        case 'h':
            slot = strcmp(name, "hidden") == 0 ? &na->hidden
                   : strcmp(name, "href") == 0 ? &na->href : NULL;
            break;
        default:
            break;
        }
        if (slot && !*slot)
            *slot = a[k].value;
    }
}

static int hidden(const named_attrs *na)
{
    const char *style = na->style;
    if (na->hidden || (na->aria && strcasecmp(na->aria, "true") == 0))
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

/* The three word lists in one index by initial letter, so that a name is
** read once whatever the length of the lists (built once, see
** word_index_init). */
enum { WORD_STRONG = 1, WORD_WEAK = 2, WORD_POSITIVE = 4 };
#define N_WORDS (COUNT(strong_substrings) + COUNT(weak_words) + \
                 COUNT(positive_substrings))

static struct {
    uint8_t start[27];       /* words of initial 'a' + L: [start[L], start[L+1]) */
    uint32_t second[26];     /* bit S: a word of initial L has 'a' + S next */
    const char *word[N_WORDS];
    uint8_t len[N_WORDS];
    uint8_t kind[N_WORDS];   /* WORD_* */
} words;
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

static void word_index_init(void)
{
    static const struct {
        const char *const *list;
        size_t count;
        uint8_t kind;
    } lists[] = {{strong_substrings, COUNT(strong_substrings), WORD_STRONG},
                 {weak_words, COUNT(weak_words), WORD_WEAK},
                 {positive_substrings, COUNT(positive_substrings),
                  WORD_POSITIVE}};
    size_t l, k, m = 0;
    int letter;
    for (letter = 0; letter < 26; letter++) {
        words.start[letter] = (uint8_t)m;
        for (l = 0; l < COUNT(lists); l++)
            for (k = 0; k < lists[l].count; k++) {
                const char *w = lists[l].list[k];
                if (w[0] != 'a' + letter)
                    continue;
                /* Every word has two or more letters. */
                words.second[letter] |= 1u << (w[1] - 'a');
                words.word[m] = w;
                words.len[m] = (uint8_t)strlen(w);
                words.kind[m++] = lists[l].kind;
            }
    }
    words.start[26] = (uint8_t)m;
}

/* WORD_* of the words s[0..n) holds: strong and positive words anywhere,
** weak words whole (between '-', '_', ' ' or the ends; a digit may
** follow). */
static unsigned held_words(const char *s, size_t n)
{
    size_t p;
    unsigned held = 0;
    for (p = 0; p + 1 < n; p++) {
        unsigned c = (unsigned char)s[p] - 'a', c2, j;
        int left;
        if (c >= 26)
            continue;
        c2 = (unsigned char)s[p + 1] - 'a';
        if (c2 >= 26 || !(words.second[c] & (1u << c2)))
            continue;
        left = p == 0 || s[p - 1] == '-' || s[p - 1] == '_' || s[p - 1] == ' ';
        for (j = words.start[c]; j < words.start[c + 1]; j++) {
            const char *w = words.word[j];
            size_t len = words.len[j], k = 2;
            char r;
            if (p + len > n || (held & words.kind[j]))
                continue;
            while (k < len && s[p + k] == w[k])
                k++;
            if (k < len || w[1] != s[p + 1])
                continue;
            if (words.kind[j] != WORD_WEAK) {
                held |= words.kind[j];
                continue;
            }
            r = p + len < n ? s[p + len] : '\0';
            if (left && (r == '\0' || r == '-' || r == '_' || r == ' ' ||
                         (r >= '0' && r <= '9')))
                held |= WORD_WEAK;
        }
    }
    return held;
}

/* Flags from the class and id of an element. */
static unsigned name_flags(dom *d, const named_attrs *na)
{
    char buf[256];
    size_t n = 0, k;
    const char *role = na->role;
    const char *parts[3];
    unsigned flags = 0, present = 0;
    int neg = 0, strong = 0, pos = 0;
    unsigned held;
    uint64_t key;
    dom_name_cache *slot = NULL;
    parts[0] = na->cls;
    parts[1] = na->id;
    parts[2] = role;
    if (na->prop && strstr(na->prop, "articleBody"))
        return DOM_POS;
    for (k = 0; k < 3; k++) {
        const char *p = parts[k];
        if (!p)
            continue;
        present |= 1u << k;
        /* Names past the buffer are cut: the first words decide. A run of
        ** digits is kept as one: no word holds a digit and a digit is a
        ** word end either way, so "post-123" and "post-9" match alike and
        ** share a cache slot. */
        for (; *p && n < sizeof buf - 2; p++) {
            if (*p >= '0' && *p <= '9' && n && buf[n - 1] >= '0' &&
                buf[n - 1] <= '9')
                continue;
            buf[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        }
        if (n < sizeof buf - 1)
            buf[n++] = ' ';
    }
    if (n == 0)
        return 0;
    buf[n] = '\0';
    /* Pages repeat their class names: the words are matched once per
    ** distinct name (which parts are present is part of the key, as the
    ** role is also read alone below). */
    key = td__hash64(buf, n) ^ present;
    if (!d->name_cache)
        d->name_cache = calloc(DOM_NAME_CACHE, sizeof *d->name_cache);
    if (d->name_cache) {
        slot = &d->name_cache[key & (DOM_NAME_CACHE - 1)];
        if (slot->used && slot->key == key)
            return slot->flags;
    }
    pthread_once(&words_once, word_index_init);
    held = held_words(buf, n);
    strong = (held & WORD_STRONG) != 0;
    neg = !strong && (held & WORD_WEAK);
    pos = (held & WORD_POSITIVE) != 0;
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
    if (slot) {
        slot->key = key;
        slot->flags = (uint16_t)flags;
        slot->used = 1;
    }
    return flags;
}

/* A new zeroed node under parent, or NULL (out of memory, or the cap). */
static dom_node *add_node(dom *d, uint32_t parent)
{
    dom_node *x;
    if (d->n >= DOM_MAX_NODES)
        return NULL;
    if (d->n == d->cap) {
        uint32_t grown_cap = d->cap ? d->cap * 2 : 1024;
        dom_node *grown = realloc(d->nodes, grown_cap * sizeof *grown);
        if (!grown)
            return NULL;
        d->nodes = grown;
        d->cap = grown_cap;
    }
    x = &d->nodes[d->n];
    memset(x, 0, sizeof *x);
    x->parent = parent;
    x->end = d->n + 1;
    if (parent != UINT32_MAX) {
        x->depth = d->nodes[parent].depth + 1;
        if (d->nodes[parent].flags & (DOM_LINK | DOM_IN_LINK))
            x->flags |= DOM_IN_LINK;
    }
    d->n++;
    return x;
}

uint32_t td__dom_add_element(dom *d, unsigned tag, uint32_t parent,
                             uint32_t attr, uint16_t n_attr)
{
    dom_node *x = add_node(d, parent);
    uint16_t props = td__tag_props[tag];
    if (!x)
        return UINT32_MAX;
    x->tag = (uint16_t)tag;
    x->attr = attr;
    x->n_attr = n_attr;
    if (props & TP_SKIP)
        x->flags |= DOM_SKIP;
    if (props & TP_BLOCK)
        x->flags |= DOM_BLOCK;
    if (tag == TAG_BODY && !d->body)
        d->body = d->n - 1;
    if (n_attr) {
        named_attrs na;
        unsigned flags;
        read_attrs(d, x, &na);
        if (hidden(&na))
            x->flags |= DOM_SKIP;
        if (tag == TAG_A && na.href)
            x->flags |= DOM_LINK;
        /* name_flags may allocate its cache: x is re-read after it. */
        flags = name_flags(d, &na);
        d->nodes[d->n - 1].flags |= (uint16_t)flags;
    }
    return d->n - 1;
}

/* Counts of one text node. */
/* Byte classes of text_stats: 0 a character, 1 not counted (UTF-8
** continuation byte, whitespace), 2 a character to look at. */
static const unsigned char text_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,};

static void text_stats(dom_node *x, size_t len)
{
    const unsigned char *s = (const unsigned char *)x->text, *end = s + len;
    uint32_t chars = 0, commas = 0, sentences = 0;
    /* The text is NUL-terminated, so s[1] and s[2] can be read. */
    for (; s < end; s++) {
        unsigned c = text_class[*s];
        if (c == 1)
            continue;
        chars++;
        if (c == 0)
            continue;
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

uint32_t td__dom_add_text(dom *d, const char *text, size_t len,
                          uint32_t parent)
{
    dom_node *x = add_node(d, parent);
    if (!x)
        return UINT32_MAX;
    x->tag = DOM_TEXT;
    x->text = text;
    text_stats(x, len);
    return d->n - 1;
}

void td__dom_finish(dom *d)
{
    uint32_t i;
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
}

void td__dom_free(dom *d)
{
    free(d->nodes);
    free(d->attrs);
    free(d->name_cache);
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
