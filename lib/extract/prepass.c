/*
** prepass.c: the linear pre-pass of the extract stage. It rewrites a page
** into a canonical, depth-capped form that the tree builder (tree.c) reads
** in one pass,
** keeps only the attributes the later passes read, and sets aside the
** bodies of JSON-LD scripts for the metadata pass.
*/
#include "extract_int.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/*
** The pre-pass. The page is rewritten before the tree is built, so that the
** builder sees a small, unambiguous language and a bounded depth (the model
** below was first written for gumbo 0.10, which was quadratic in depth):
**   - comments, doctypes and processing instructions are dropped and one
**     "<!DOCTYPE html>" is emitted first;
**   - svg, math, select, template (with nesting) and script, style,
**     textarea, iframe, noembed, noframes, noscript, xmp (raw text) are
**     dropped with their content, so the builder never meets foreign
**     content or raw text; <title> content and what follows
**     <plaintext> are kept as escaped text;
**   - start tags are rewritten as <name attr="value">, keeping only the few
**     attributes the walk reads (which also bounds the per-tag work);
**   - every '<' that does not open a tag becomes "&lt;".
** The output is then unambiguous, and the pre-pass keeps a conservative
** model of an HTML parser's stack of open elements: elements that must be
** closed explicitly are pushed and popped by the HTML end-tag rules (scope
** boundaries, "special" elements); formatting elements are counted as the
** list of active formatting elements (which the parser may reopen) and only
** forgotten when closed cleanly. Start tags that would take the model past TD_HTML_MAX_DEPTH are
** dropped. The model errs on the deep side, never on the shallow one.
*/

#define NAME_CAP 32           /* element names longer than 31 never match */

typedef struct open_element {
    char name[NAME_CAP];
    unsigned tag;             /* TAG_*; unknown elements match by name */
    unsigned char special;    /* an HTML "special" element */
    unsigned char boundary;   /* a scope boundary (table, object...) */
    size_t segment;           /* 1 + index of the innermost boundary, or 0 */
} open_element;

typedef struct formatting_entry {
    char name[8];
    size_t segment;           /* marker segment it was opened in */
    uint64_t epoch;           /* special_epoch when opened */
} formatting_entry;

typedef struct prepass {
    const char *s;
    size_t len, i;
    td_buf out;
    td_status rc;
    open_element stack[TD_HTML_MAX_DEPTH];
    size_t n_stack;
    formatting_entry active[TD_HTML_MAX_DEPTH];
    size_t n_active;
    uint64_t special_epoch;   /* bumped by each non-void special start tag */
    td_buf *ld_json;          /* JSON-LD script bodies, one per line */
} prepass;

/* The element lists of this model are the TP_* classes of tags.c:
** TP_VOID, TP_OPTIONAL (end tag may be omitted or the parser merges them: not
** pushed; none can nest in itself without a pushed element in between),
** TP_FORMAT, TP_SCOPE (boundaries), TP_PRE_SCOPED (end tags that close the
** named element when it is in scope, through any other element: HTML
** "generate implied end tags, pop until"), TP_SPECIAL, TP_NEST_DROP
** (dropped with their content, with nesting) and TP_RAW_DROP (raw text,
** dropped with their content). */
/* Attributes kept by the rewrite: the ones the walk reads. */
static const char *const kept_attrs[] = {
    "lang", "rel", "href", "property", "name", "content", "itemprop",
    "datetime", "hidden", "aria-hidden", "style", "type", "class", "id",
    "role", "itemtype", "http-equiv", "charset", "data-component"};
static const unsigned char kept_len[] = {4, 3, 4, 8, 4, 7, 8, 8, 6, 11, 5,
                                         4, 5, 2, 4, 8, 10, 7, 14};
/* Bit k set: kept_attrs[k] starts with 'a' + the index. */
static const uint32_t kept_by_initial[26] = {
    ['a' - 'a'] = 0x00200u, ['c' - 'a'] = 0x21020u, ['d' - 'a'] = 0x40080u,
    ['h' - 'a'] = 0x10104u, ['i' - 'a'] = 0x0a040u, ['l' - 'a'] = 0x00001u,
    ['n' - 'a'] = 0x00010u, ['p' - 'a'] = 0x00008u, ['r' - 'a'] = 0x04002u,
    ['s' - 'a'] = 0x00400u, ['t' - 'a'] = 0x00800u};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

static int is_heading(unsigned tag)
{
    return tag >= TAG_H1 && tag <= TAG_H6;
}

static inline void emit(prepass *pp, const char *data, size_t n)
{
    td_buf *b = &pp->out;
    /* Most pieces fit the room reserved up front: copy them directly. */
    if (pp->rc == TD_OK && b->data && n < b->size - b->len) {
        memcpy(b->data + b->len, data, n);
        b->len += n;
        b->data[b->len] = '\0';
    } else if (pp->rc == TD_OK) {
        pp->rc = td__buf_append(b, data, n);
    }
}

/* Emits s[from..to) as text: NUL bytes dropped, '<' escaped. */
/* First position of c or of a NUL byte in s[from..to), or to. The caller
** says whether the range holds a NUL (rare): without one, memchr. */
static size_t find_or_nul(const char *s, size_t from, size_t to, char c,
                          int has_nul)
{
    const char *p;
    if (has_nul) {
        while (from < to && s[from] != c && s[from] != '\0')
            from++;
        return from;
    }
    p = from < to ? memchr(s + from, c, to - from) : NULL;
    return p ? (size_t)(p - s) : to;
}

static void emit_text(prepass *pp, size_t from, size_t to)
{
    int has_nul = from < to && memchr(pp->s + from, '\0', to - from) != NULL;
    while (from < to && pp->rc == TD_OK) {
        size_t k = find_or_nul(pp->s, from, to, '<', has_nul);
        emit(pp, pp->s + from, k - from);
        if (k < to && pp->s[k] == '<')
            emit(pp, "&lt;", 4);
        from = k + 1;
    }
}

/* Case-insensitive: does s[at..) start with "</name" followed by a tag-name
** end (or with "<name" when closing is 0)? */
static int tag_at(const prepass *pp, size_t at, const char *name, int closing)
{
    size_t n = strlen(name), k, p = at + 1 + (closing ? 1 : 0);
    if (pp->s[at] != '<' || (closing && (at + 1 >= pp->len ||
                                         pp->s[at + 1] != '/')))
        return 0;
    if (p + n > pp->len)
        return 0;
    for (k = 0; k < n; k++)
        if (lower(pp->s[p + k]) != name[k])
            return 0;
    return p + n == pp->len || is_ws(pp->s[p + n]) || pp->s[p + n] == '/' ||
           pp->s[p + n] == '>';
}

/* Position just past the next '>' at or after at (quotes are not special),
** or len. */
static size_t past_gt(const prepass *pp, size_t at)
{
    const char *gt = at < pp->len ? memchr(pp->s + at, '>', pp->len - at) : NULL;
    return gt ? (size_t)(gt - pp->s) + 1 : pp->len;
}

/* Position of the next "</name" at or after at, or len. */
static size_t find_end_tag(const prepass *pp, size_t at, const char *name)
{
    while (at < pp->len) {
        const char *lt = memchr(pp->s + at, '<', pp->len - at);
        if (!lt)
            return pp->len;
        at = (size_t)(lt - pp->s);
        if (tag_at(pp, at, name, 1))
            return at;
        at++;
    }
    return pp->len;
}

/* Skips a dropped element with nesting (svg inside svg) from pp->i, which is
** just past its start tag. */
static void skip_nested(prepass *pp, const char *name)
{
    size_t depth = 1, at = pp->i;
    while (at < pp->len) {
        const char *lt = memchr(pp->s + at, '<', pp->len - at);
        if (!lt)
            break;
        at = (size_t)(lt - pp->s);
        if (tag_at(pp, at, name, 1)) {
            at = past_gt(pp, at);
            if (--depth == 0) {
                pp->i = at;
                return;
            }
        } else if (tag_at(pp, at, name, 0)) {
            size_t end = past_gt(pp, at);
            if (!(end >= 2 && pp->s[end - 1] == '>' && pp->s[end - 2] == '/'))
                depth++;
            at = end;
        } else {
            at++;
        }
    }
    pp->i = pp->len;
}

/* Keeps a JSON-LD script body (newlines made spaces) as one line of
** pp->ld_json; bodies past its cap are left out. */
static void keep_json_ld(prepass *pp, size_t from, size_t to)
{
    size_t k, mark;
    if (!pp->ld_json || to <= from || pp->ld_json->len + (to - from) + 1 >
                                          pp->ld_json->cap)
        return;
    mark = pp->ld_json->len;
    if (td__buf_append(pp->ld_json, pp->s + from, to - from) != TD_OK ||
        td__buf_putc(pp->ld_json, '\n') != TD_OK) {
        pp->ld_json->len = mark;
        if (pp->ld_json->data)
            pp->ld_json->data[mark] = '\0';
        return;
    }
    for (k = mark; k + 1 < pp->ld_json->len; k++)
        if (pp->ld_json->data[k] == '\n' || pp->ld_json->data[k] == '\r' ||
            pp->ld_json->data[k] == '\0')
            pp->ld_json->data[k] = ' ';
}

/* Bytes that end an attribute name. */
static const unsigned char name_end[256] = {
    [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['/'] = 1,
    ['>'] = 1, ['='] = 1};

/* One parsed attribute, as offsets into the input. */
typedef struct attr_span {
    size_t name, name_len, value, value_len;
    int kept;                 /* index into kept_attrs, or -1 */
} attr_span;

/* Parses the attributes of a start or end tag from pp->i up to and past its
** '>'. Kept attributes (first of each name) are emitted into pp->out when
** emit_attrs. Returns 0 when the input ends inside the tag. *self_closing
** (may be NULL) gets whether it ended with "/>". *type_ld gets whether a
** type attribute holds "ld+json". */
static int parse_attributes(prepass *pp, int emit_attrs, int *self_closing,
                            int *type_ld)
{
    unsigned seen = 0;
    const char *s = pp->s;
    size_t len = pp->len, i = pp->i;
    if (self_closing)
        *self_closing = 0;
    if (type_ld)
        *type_ld = 0;
    for (;;) {
        attr_span a;
        size_t k;
        uint32_t candidates;
        while (i < len && (is_ws(s[i]) || s[i] == '/')) {
            if (s[i] == '/' && i + 1 < len && s[i + 1] == '>' && self_closing)
                *self_closing = 1;
            i++;
        }
        if (i >= len)
            return 0;
        if (s[i] == '>') {
            pp->i = i + 1;
            return 1;
        }
        a.name = i++;
        while (i < len && !name_end[(unsigned char)s[i]])
            i++;
        a.name_len = i - a.name;
        a.value = i;
        a.value_len = 0;
        while (i < len && is_ws(s[i]))
            i++;
        if (i < len && s[i] == '=') {
            i++;
            while (i < len && is_ws(s[i]))
                i++;
            if (i < len && (s[i] == '"' || s[i] == '\'')) {
                const char *q = memchr(s + i + 1, s[i], len - i - 1);
                if (!q)
                    return 0;
                a.value = i + 1;
                a.value_len = (size_t)(q - s) - a.value;
                i = (size_t)(q - s) + 1;
            } else {
                a.value = i;
                while (i < len && !is_ws(s[i]) && s[i] != '>')
                    i++;
                a.value_len = i - a.value;
            }
        }
        a.kept = -1;
        {
            unsigned initial = (unsigned char)lower(s[a.name]) - 'a';
            candidates = initial < 26 && a.name_len <= 14
                             ? kept_by_initial[initial] : 0;
        }
        for (k = 0; candidates; k++, candidates >>= 1) {
            size_t n = kept_len[k], c;
            if (!(candidates & 1) || n != a.name_len)
                continue;
            for (c = 0; c < n && lower(s[a.name + c]) == kept_attrs[k][c]; c++)
                ;
            if (c == n)
                a.kept = (int)k;
        }
        if (a.kept < 0 || (seen & (1u << a.kept)))
            continue;
        seen |= 1u << a.kept;
        if (type_ld && strcmp(kept_attrs[a.kept], "type") == 0 &&
            memmem(s + a.value, a.value_len, "ld+json", 7))
            *type_ld = 1;
        if (emit_attrs) {
            size_t from = a.value, end = a.value + a.value_len;
            emit(pp, " ", 1);
            emit(pp, kept_attrs[a.kept], strlen(kept_attrs[a.kept]));
            emit(pp, "=\"", 2);
            int has_nul = from < end && memchr(s + from, '\0', end - from);
            while (from < end) {
                size_t j = find_or_nul(s, from, end, '"', has_nul);
                emit(pp, s + from, j - from);
                if (j < end && s[j] == '"')
                    emit(pp, "&quot;", 6);
                from = j + 1;
            }
            emit(pp, "\"", 1);
        }
    }
}

/* Reads a tag name at pp->i (lower-cased into name, truncated marks it as
** never matching) and advances past it. */
static void read_name(prepass *pp, char name[NAME_CAP], size_t *raw_start,
                      size_t *raw_len)
{
    size_t n = 0, start = pp->i;
    while (pp->i < pp->len && !is_ws(pp->s[pp->i]) && pp->s[pp->i] != '/' &&
           pp->s[pp->i] != '>') {
        if (n < NAME_CAP - 1)
            name[n] = lower(pp->s[pp->i]);
        n++;
        pp->i++;
    }
    if (n >= NAME_CAP - 1) {
        /* A name no list holds and no end tag can match. */
        memcpy(name, "\x01long", 6);
    } else {
        name[n] = '\0';
    }
    *raw_start = start;
    *raw_len = pp->i - start;
}

static void emit_name(prepass *pp, size_t start, size_t n)
{
    char part[64];
    size_t k, m = 0;
    for (k = 0; k < n; k++) {
        char c = lower(pp->s[start + k]);
        if (c)
            part[m++] = c;
        if (m == sizeof part) {
            emit(pp, part, m);
            m = 0;
        }
    }
    emit(pp, part, m);
}

static size_t current_segment(const prepass *pp)
{
    return pp->n_stack ? pp->stack[pp->n_stack - 1].segment : 0;
}

static void start_tag(prepass *pp)
{
    char name[NAME_CAP];
    size_t raw, raw_len, body, end;
    int self_closing, type_ld, ok;
    unsigned tag;
    uint16_t props;
    read_name(pp, name, &raw, &raw_len);
    tag = td__tag_lookup(name, strlen(name));
    props = td__tag_props[tag];
    if (props & (TP_NEST_DROP | TP_RAW_DROP)) {
        if (!parse_attributes(pp, 0, &self_closing, &type_ld)) {
            pp->i = pp->len;
            return;
        }
        if (props & TP_NEST_DROP) {
            if (!self_closing)
                skip_nested(pp, name);
            return;
        }
        body = pp->i;
        end = find_end_tag(pp, body, name);
        if (type_ld && tag == TAG_SCRIPT)
            keep_json_ld(pp, body, end);
        pp->i = past_gt(pp, end);
        return;
    }
    if (tag == TAG_PLAINTEXT) {
        if (parse_attributes(pp, 0, NULL, NULL))
            emit_text(pp, pp->i, pp->len);
        pp->i = pp->len;
        return;
    }
    if (tag == TAG_TITLE) {
        if (!parse_attributes(pp, 0, NULL, NULL)) {
            pp->i = pp->len;
            return;
        }
        end = find_end_tag(pp, pp->i, "title");
        emit(pp, "<title>", 7);
        emit_text(pp, pp->i, end);
        emit(pp, "</title>", 8);
        pp->i = past_gt(pp, end);
        return;
    }
    {
        int is_void = (props & TP_VOID) != 0;
        int is_fmt = (props & TP_FORMAT) != 0;
        int is_optional = (props & TP_OPTIONAL) != 0;
        int reuse_a = 0;
        size_t k;
        if (!is_void && pp->n_stack + pp->n_active >= TD_HTML_MAX_DEPTH) {
            /* Too deep: drop the tag, keep what follows as content. */
            if (!parse_attributes(pp, 0, NULL, NULL))
                pp->i = pp->len;
            return;
        }
        if (tag == TAG_A) {
            /* A new <a> closes the open one of the same marker segment. */
            for (k = pp->n_active; k-- > 0;)
                if (strcmp(pp->active[k].name, "a") == 0 &&
                    pp->active[k].segment == current_segment(pp))
                    reuse_a = 1;
        }
        /* Emit first: attributes are parsed while writing them out. */
        {
            size_t mark = pp->out.len;
            emit(pp, "<", 1);
            emit_name(pp, raw, raw_len);
            ok = parse_attributes(pp, 1, NULL, NULL);
            if (!ok) {
                /* Input ends inside the tag: an HTML parser drops it too. */
                pp->out.len = mark;
                if (pp->out.data)
                    pp->out.data[mark] = '\0';
                pp->i = pp->len;
                return;
            }
            emit(pp, ">", 1);
        }
        if (is_void)
            return;
        if (props & TP_SPECIAL)
            pp->special_epoch++;
        if (is_fmt) {
            if (!reuse_a) {
                formatting_entry *f = &pp->active[pp->n_active++];
                memcpy(f->name, name, strlen(name) + 1);
                f->segment = current_segment(pp);
                f->epoch = pp->special_epoch;
            }
            return;
        }
        if (is_optional)
            return;
        {
            open_element *e = &pp->stack[pp->n_stack];
            memcpy(e->name, name, sizeof e->name);
            e->tag = tag;
            e->special = (props & TP_SPECIAL) != 0;
            e->boundary = (props & TP_SCOPE) != 0;
            e->segment = e->boundary ? pp->n_stack + 1 : current_segment(pp);
            pp->n_stack++;
        }
    }
}

static void end_tag(prepass *pp)
{
    char name[NAME_CAP];
    size_t raw, raw_len, k;
    unsigned tag;
    uint16_t props;
    read_name(pp, name, &raw, &raw_len);
    if (!parse_attributes(pp, 0, NULL, NULL)) {
        pp->i = pp->len;
        return;
    }
    tag = td__tag_lookup(name, strlen(name));
    props = td__tag_props[tag];
    if ((props & (TP_NEST_DROP | TP_RAW_DROP)) || tag == TAG_TITLE ||
        tag == TAG_PLAINTEXT)
        return;
    emit(pp, "</", 2);
    emit_name(pp, raw, raw_len);
    emit(pp, ">", 1);
    if (props & TP_FORMAT) {
        /* Forgotten only when no special element was opened inside it:
        ** otherwise the adoption agency keeps a clone active. */
        for (k = pp->n_active; k-- > 0;) {
            if (strcmp(pp->active[k].name, name) != 0)
                continue;
            if (pp->active[k].epoch == pp->special_epoch) {
                memmove(&pp->active[k], &pp->active[k + 1],
                        (pp->n_active - k - 1) * sizeof pp->active[0]);
                pp->n_active--;
            }
            break;
        }
        return;
    }
    if ((props & TP_OPTIONAL) || tag == TAG_BR)
        return;
    if (is_heading(tag) || (props & TP_PRE_SCOPED) || tag == TAG_FORM) {
        for (k = pp->n_stack; k-- > 0;) {
            const open_element *e = &pp->stack[k];
            int match = is_heading(tag) ? is_heading(e->tag) : e->tag == tag;
            if (match) {
                if (tag == TAG_FORM) {
                    /* </form> removes only the form element itself. */
                    memmove(&pp->stack[k], &pp->stack[k + 1],
                            (pp->n_stack - k - 1) * sizeof pp->stack[0]);
                    pp->n_stack--;
                } else {
                    pp->n_stack = k;
                }
                return;
            }
            if (e->boundary)
                return;
        }
        return;
    }
    /* Any other end tag: closes the nearest element of that name unless a
    ** special element is above it. */
    for (k = pp->n_stack; k-- > 0;) {
        if (tag != TAG_UNKNOWN ? pp->stack[k].tag == tag
                               : strcmp(pp->stack[k].name, name) == 0) {
            pp->n_stack = k;
            return;
        }
        if (pp->stack[k].special)
            return;
    }
}

/* Drops a comment, doctype or processing instruction at pp->i ('<'). */
static void skip_markup_declaration(prepass *pp)
{
    size_t i = pp->i;
    if (i + 4 <= pp->len && memcmp(pp->s + i, "<!--", 4) == 0) {
        size_t k = i + 4;
        if (k < pp->len && pp->s[k] == '>') {
            pp->i = k + 1;
            return;
        }
        if (k + 1 < pp->len && pp->s[k] == '-' && pp->s[k + 1] == '>') {
            pp->i = k + 2;
            return;
        }
        while (k + 3 <= pp->len) {
            const char *dash = memchr(pp->s + k, '-', pp->len - k);
            if (!dash)
                break;
            k = (size_t)(dash - pp->s);
            if (k + 3 <= pp->len && memcmp(pp->s + k, "-->", 3) == 0) {
                pp->i = k + 3;
                return;
            }
            if (k + 4 <= pp->len && memcmp(pp->s + k, "--!>", 4) == 0) {
                pp->i = k + 4;
                return;
            }
            k++;
        }
        pp->i = pp->len;
        return;
    }
    pp->i = past_gt(pp, i);
}

static td_status prepass_run(prepass *pp, const char *html, size_t len)
{
    pp->s = html;
    pp->len = len;
    pp->i = 0;
    pp->rc = TD_OK;
    pp->n_stack = pp->n_active = 0;
    pp->special_epoch = 0;
    /* Escapes can grow the text 4x ("<" -> "&lt;"); attributes add quotes. */
    td__buf_init(&pp->out, len * 6 + 64);
    /* The output is usually smaller than the page: one allocation. */
    pp->rc = td__buf_reserve(&pp->out, len + 64 < 4096 ? len + 64 : len + 4096);
    emit(pp, "<!DOCTYPE html>", 15);
    while (pp->i < len && pp->rc == TD_OK) {
        const char *lt = memchr(html + pp->i, '<', len - pp->i);
        size_t at = lt ? (size_t)(lt - html) : len;
        emit_text(pp, pp->i, at);
        pp->i = at;
        if (at >= len)
            break;
        if (at + 1 < len && (html[at + 1] == '!' || html[at + 1] == '?')) {
            skip_markup_declaration(pp);
        } else if (at + 2 < len && html[at + 1] == '/' &&
                   is_alpha(html[at + 2])) {
            pp->i = at + 2;
            end_tag(pp);
        } else if (at + 2 < len && html[at + 1] == '/' && html[at + 2] == '>') {
            pp->i = at + 3;
        } else if (at + 1 < len && html[at + 1] == '/') {
            pp->i = at + 1;
            skip_markup_declaration(pp);
        } else if (at + 1 < len && is_alpha(html[at + 1])) {
            pp->i = at + 1;
            start_tag(pp);
        } else {
            emit(pp, "&lt;", 4);
            pp->i = at + 1;
        }
    }
    return pp->rc;
}

td_status td__html_prepass(const char *html, size_t len, td_buf *out,
                           td_buf *ld_json)
{
    prepass *pp = malloc(sizeof *pp);
    td_status rc;
    td__buf_init(out, 0);
    if (!pp)
        return TD_ENOMEM;
    pp->ld_json = ld_json;
    rc = prepass_run(pp, html, len);
    if (rc == TD_OK)
        *out = pp->out;
    else
        td__buf_free(&pp->out);
    free(pp);
    return rc;
}
