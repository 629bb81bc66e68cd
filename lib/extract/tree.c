/*
** tree.c: the tree builder of the extract stage. It reads the pre-pass's
** canonical output (prepass.c: "<name attr="value">", "</name>", text with
** every '<' escaped, no comments, scripts or foreign content, nesting
** capped) straight into the flat tree of dom.c, in one pass, decoding
** references and NUL-terminating strings in place.
**
** The tree follows the HTML tree-construction rules the scoring reads:
** implied html/head/body; <p> closed by blocks; li, dd/dt, option closing
** their like; headings; tables with implied tbody and tr, cells and rows
** closing each other; void elements; end tags closing through to their
** element when it is in scope (scopes kept per stack entry, so each check
** is O(1)); formatting elements (a, b, i...) reopened in the next block
** as the list of active formatting elements does. Two rules are
** simplified because the tree is flat and written in document order:
** misnested formatting end tags close through to their element instead
** of running the adoption agency, and content in a table outside cells
** stays where it is instead of being moved before the table. Neither
** changes which text is inside a link or a block in the pages we measured
** (docs/internals/extract.md).
*/
#include "extract_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Stack cap: the pre-pass keeps pages within TD_HTML_MAX_DEPTH; reopened
** formatting elements can add a few more. Start tags past it are dropped. */
#define TREE_MAX_DEPTH (TD_HTML_MAX_DEPTH + 112)
/* Active formatting elements kept; more are inserted but not reopened. */
#define ACTIVE_MAX 32
/* Steps an end tag of an unknown element walks down the stack. */
#define UNKNOWN_WALK 64
#define NONE UINT32_MAX

/* Builder-private node flags, cleared when the element is popped. */
#define DOM_OPEN    0x8000u  /* on the stack of open elements */
#define DOM_REMOVED 0x4000u  /* a closed form: popped once it is on top */

enum { BEFORE_HTML, BEFORE_HEAD, IN_HEAD, AFTER_HEAD, IN_BODY };

typedef struct open_el {
    uint32_t node;
    uint16_t tag;
    int16_t prev_same;       /* last_pos[tag] before this entry */
    /* Position of the nearest boundary at or below this entry, or -1: */
    int16_t scope;           /* default scope (applet, table, td...) */
    int16_t button;          /* button scope */
    int16_t list;            /* list item scope */
    int16_t table;           /* table scope (html, table, template) */
    int16_t special;         /* any special element */
    int16_t li;              /* special but address, div, p (li, dd, dt) */
    const char *name;        /* unknown elements: the name */
} open_el;

typedef struct active_el {
    uint32_t node;           /* NONE: a marker (applet, td, caption...) */
    uint16_t tag;
} active_el;

typedef struct tree {
    dom *d;
    char *s;
    size_t len;
    int mode;
    int skip_newline;        /* after <pre>: a first newline is dropped */
    int stop;                /* node cap reached or out of memory */
    td_status rc;
    uint32_t form;           /* the open form (only one at a time) */
    int n;
    open_el stack[TREE_MAX_DEPTH];
    int16_t last_pos[TAG_COUNT];
    int n_active;
    active_el active[ACTIVE_MAX];
} tree;

static uint16_t props(unsigned tag)
{
    return td__tag_props[tag];
}

static int is_heading(unsigned tag)
{
    return tag >= TAG_H1 && tag <= TAG_H6;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static open_el *top(tree *t)
{
    return t->n ? &t->stack[t->n - 1] : NULL;
}

static unsigned top_tag(tree *t)
{
    return t->n ? t->stack[t->n - 1].tag : TAG_UNKNOWN;
}

/* Nearest boundary positions of the top entry (-1 with an empty stack). */
static int top_scope(tree *t) { return t->n ? top(t)->scope : -1; }
static int top_button(tree *t) { return t->n ? top(t)->button : -1; }
static int top_list(tree *t) { return t->n ? top(t)->list : -1; }
static int top_table(tree *t) { return t->n ? top(t)->table : -1; }
static int top_special(tree *t) { return t->n ? top(t)->special : -1; }
static int top_li(tree *t) { return t->n ? top(t)->li : -1; }

static int is_open(const tree *t, uint32_t node)
{
    return (t->d->nodes[node].flags & DOM_OPEN) != 0;
}

static void push(tree *t, uint32_t node, unsigned tag, const char *name)
{
    open_el *e = &t->stack[t->n];
    const open_el *below = t->n ? &t->stack[t->n - 1] : NULL;
    int16_t pos = (int16_t)t->n;
    uint16_t p = props(tag);
    int scope = (p & TP_SCOPE) != 0;
    e->node = node;
    e->tag = (uint16_t)tag;
    e->name = name;
    e->prev_same = t->last_pos[tag];
    t->last_pos[tag] = pos;
    e->scope = scope ? pos : below ? below->scope : -1;
    e->button = scope || tag == TAG_BUTTON ? pos : below ? below->button : -1;
    e->list = scope || tag == TAG_OL || tag == TAG_UL ? pos
              : below ? below->list : -1;
    e->table = tag == TAG_HTML || tag == TAG_TABLE || tag == TAG_TEMPLATE
                   ? pos : below ? below->table : -1;
    e->special = (p & TP_SPECIAL) ? pos : below ? below->special : -1;
    e->li = (p & TP_SPECIAL) && tag != TAG_ADDRESS && tag != TAG_DIV &&
                    tag != TAG_P
                ? pos : below ? below->li : -1;
    t->d->nodes[node].flags |= DOM_OPEN;
    t->n++;
}

/* Drops the active formatting elements up to the last marker. */
static void clear_to_marker(tree *t)
{
    while (t->n_active > 0)
        if (t->active[--t->n_active].node == NONE)
            break;
}

static void pop(tree *t)
{
    do {
        open_el *e = &t->stack[--t->n];
        dom_node *x = &t->d->nodes[e->node];
        t->last_pos[e->tag] = e->prev_same;
        x->end = t->d->n;
        x->flags &= (uint16_t)~(DOM_OPEN | DOM_REMOVED);
        if (e->tag == TAG_TD || e->tag == TAG_TH || e->tag == TAG_CAPTION ||
            e->tag == TAG_APPLET || e->tag == TAG_MARQUEE ||
            e->tag == TAG_OBJECT)
            clear_to_marker(t);
    } while (t->n && (t->d->nodes[top(t)->node].flags & DOM_REMOVED));
}

/* Pops until the stack holds pos entries. */
static void pop_to(tree *t, int pos)
{
    while (t->n > pos && t->n > 0)
        pop(t);
}

/* Is tag open above the given boundary position? */
static int in_scope(tree *t, unsigned tag, int boundary)
{
    int p = t->last_pos[tag];
    return p >= 0 && p >= boundary;
}

static void close_p(tree *t)
{
    if (in_scope(t, TAG_P, top_button(t)))
        pop_to(t, t->last_pos[TAG_P]);
}

/* Inserts an element under the current node; pushes it unless is_void.
** Returns its index, or NONE (dropped: too deep, node cap, no memory). */
static uint32_t insert(tree *t, unsigned tag, uint32_t attr, uint16_t n_attr,
                       const char *name, int is_void)
{
    uint32_t node, parent = t->n ? top(t)->node : NONE;
    if (t->stop || (!is_void && t->n >= TREE_MAX_DEPTH))
        return NONE;
    node = td__dom_add_element(t->d, tag, parent, attr, n_attr);
    if (node == NONE) {
        t->stop = 1;
        if (t->d->n < DOM_MAX_NODES)
            t->rc = TD_ENOMEM;
        return NONE;
    }
    if (is_void)
        t->d->nodes[node].end = t->d->n;
    else
        push(t, node, tag, name);
    return node;
}

static void insert_marker(tree *t)
{
    if (t->n_active < ACTIVE_MAX) {
        t->active[t->n_active].node = NONE;
        t->active[t->n_active++].tag = TAG_UNKNOWN;
    }
}

static int same_attrs(const tree *t, uint32_t a, uint32_t b)
{
    const dom_node *x = &t->d->nodes[a], *y = &t->d->nodes[b];
    uint16_t k;
    if (x->n_attr != y->n_attr)
        return 0;
    for (k = 0; k < x->n_attr; k++) {
        const dom_attr *p = &t->d->attrs[x->attr + k];
        const dom_attr *q = &t->d->attrs[y->attr + k];
        if (strcmp(p->name, q->name) != 0 || strcmp(p->value, q->value) != 0)
            return 0;
    }
    return 1;
}

/* Adds a formatting element to the active list; of three alike since the
** last marker the earliest is dropped (the HTML "Noah's Ark" rule). */
static void push_active(tree *t, uint32_t node, unsigned tag)
{
    int k, alike = 0, earliest = -1;
    for (k = t->n_active - 1; k >= 0 && t->active[k].node != NONE; k--)
        if (t->active[k].tag == tag && same_attrs(t, t->active[k].node, node)) {
            alike++;
            earliest = k;
        }
    if (alike >= 3) {
        memmove(&t->active[earliest], &t->active[earliest + 1],
                (size_t)(t->n_active - earliest - 1) * sizeof t->active[0]);
        t->n_active--;
    }
    if (t->n_active < ACTIVE_MAX) {
        t->active[t->n_active].node = node;
        t->active[t->n_active++].tag = (uint16_t)tag;
    }
}

static void remove_active(tree *t, int k)
{
    memmove(&t->active[k], &t->active[k + 1],
            (size_t)(t->n_active - k - 1) * sizeof t->active[0]);
    t->n_active--;
}

/* Reopens the formatting elements that a closed block left behind. */
static void reconstruct(tree *t)
{
    int k;
    if (t->n_active == 0)
        return;
    k = t->n_active - 1;
    if (t->active[k].node == NONE || is_open(t, t->active[k].node))
        return;
    while (k > 0 && t->active[k - 1].node != NONE &&
           !is_open(t, t->active[k - 1].node))
        k--;
    for (; k < t->n_active; k++) {
        const dom_node *src = &t->d->nodes[t->active[k].node];
        uint32_t node = insert(t, t->active[k].tag, src->attr, src->n_attr,
                               NULL, 0);
        if (node == NONE)
            return;
        t->active[k].node = node;
    }
}

/* Any other end tag: closes the nearest element of that name unless a
** special element is above it. */
static void end_other(tree *t, unsigned tag, const char *name)
{
    int k, steps;
    if (tag != TAG_UNKNOWN) {
        if (in_scope(t, tag, top_special(t)))
            pop_to(t, t->last_pos[tag]);
        return;
    }
    if (!in_scope(t, TAG_UNKNOWN, top_special(t)))
        return;
    for (k = t->n - 1, steps = 0; k >= 0 && steps < UNKNOWN_WALK; k--, steps++) {
        const open_el *e = &t->stack[k];
        if (e->tag == TAG_UNKNOWN && e->name && strcmp(e->name, name) == 0) {
            pop_to(t, k);
            return;
        }
        if (props(e->tag) & TP_SPECIAL)
            return;
    }
}

/* End tag of a formatting element: closes through to it (see the file
** comment); elements closed on the way are reopened by reconstruct(). */
static void end_formatting(tree *t, unsigned tag)
{
    int k;
    for (k = t->n_active - 1; k >= 0 && t->active[k].node != NONE; k--)
        if (t->active[k].tag == tag)
            break;
    if (k < 0 || t->active[k].node == NONE) {
        end_other(t, tag, NULL);
        return;
    }
    if (!is_open(t, t->active[k].node)) {
        remove_active(t, k);
        return;
    }
    if (!in_scope(t, tag, top_scope(t)))
        return;
    remove_active(t, k);
    pop_to(t, t->last_pos[tag]);
}

/* Creates the implied html, head and body up to the body. */
static void ensure_body(tree *t)
{
    if (t->mode == BEFORE_HTML) {
        insert(t, TAG_HTML, 0, 0, NULL, 0);
        t->mode = BEFORE_HEAD;
    }
    if (t->mode == BEFORE_HEAD) {
        insert(t, TAG_HEAD, 0, 0, NULL, 0);
        t->mode = IN_HEAD;
    }
    if (t->mode == IN_HEAD) {
        if (t->last_pos[TAG_HEAD] >= 0)
            pop_to(t, t->last_pos[TAG_HEAD]);
        t->mode = AFTER_HEAD;
    }
    if (t->mode == AFTER_HEAD) {
        insert(t, TAG_BODY, 0, 0, NULL, 0);
        t->mode = IN_BODY;
    }
}

static void text(tree *t, size_t from, size_t to)
{
    char *s = t->s + from;
    size_t n = td__entity_decode(s, to - from, 0), k = 0;
    s[n] = '\0';
    if (t->skip_newline && n && s[0] == '\n')
        k = 1;
    t->skip_newline = 0;
    if (top_tag(t) == TAG_TITLE) {
        if (k < n)
            td__dom_add_text(t->d, s + k, n - k, top(t)->node);
        return;
    }
    if (t->mode != IN_BODY) {
        /* Whitespace before the body says nothing. */
        while (k < n && is_ws(s[k]))
            k++;
        if (k == n)
            return;
        ensure_body(t);
    }
    if (k == n || t->stop)
        return;
    reconstruct(t);
    if (!t->stop && td__dom_add_text(t->d, s + k, n - k,
                                     t->n ? top(t)->node : NONE) == NONE) {
        t->stop = 1;
        if (t->d->n < DOM_MAX_NODES)
            t->rc = TD_ENOMEM;
    }
}

/* The innermost table part open, TAG_TABLE / TR / TD / TBODY (for
** thead, tfoot too) / CAPTION / COLGROUP, or TAG_UNKNOWN outside tables;
** *pos gets its stack position. */
static unsigned table_context(tree *t, int *pos)
{
    static const uint16_t parts[] = {TAG_TABLE, TAG_TBODY, TAG_THEAD,
                                     TAG_TFOOT, TAG_TR, TAG_TD, TAG_TH,
                                     TAG_CAPTION, TAG_COLGROUP};
    unsigned best = TAG_UNKNOWN, k;
    int best_pos = -1;
    for (k = 0; k < sizeof parts / sizeof parts[0]; k++)
        if (t->last_pos[parts[k]] > best_pos) {
            best_pos = t->last_pos[parts[k]];
            best = parts[k];
        }
    *pos = best_pos;
    if (best == TAG_THEAD || best == TAG_TFOOT)
        return TAG_TBODY;
    if (best == TAG_TH)
        return TAG_TD;
    return best;
}

static void insert_cell(tree *t, unsigned tag, uint32_t attr, uint16_t n_attr)
{
    if (insert(t, tag, attr, n_attr, NULL, 0) != NONE)
        insert_marker(t);
}

/* caption, col, colgroup, tbody, thead, tfoot, tr, td, th. */
static void table_part(tree *t, unsigned tag, uint32_t attr, uint16_t n_attr)
{
    int round;
    for (round = 0; round < 6; round++) {
        int pos;
        unsigned ctx = table_context(t, &pos);
        int cell = tag == TAG_TD || tag == TAG_TH;
        switch (ctx) {
        case TAG_UNKNOWN:
            return;   /* outside a table these tags are ignored */
        case TAG_TD:
        case TAG_CAPTION:
            pop_to(t, pos);
            continue;
        case TAG_COLGROUP:
            if (tag == TAG_COL) {
                insert(t, tag, attr, n_attr, NULL, 1);
                return;
            }
            pop_to(t, pos);
            continue;
        case TAG_TR:
            if (cell) {
                pop_to(t, pos + 1);
                insert_cell(t, tag, attr, n_attr);
                return;
            }
            pop_to(t, pos);
            continue;
        case TAG_TBODY:
            pop_to(t, pos + 1);
            if (tag == TAG_TR) {
                insert(t, tag, attr, n_attr, NULL, 0);
                return;
            }
            if (cell) {
                insert(t, TAG_TR, 0, 0, NULL, 0);
                insert_cell(t, tag, attr, n_attr);
                return;
            }
            pop_to(t, pos);
            continue;
        default:   /* TAG_TABLE */
            pop_to(t, pos + 1);
            if (tag == TAG_CAPTION) {
                insert_cell(t, tag, attr, n_attr);
            } else if (tag == TAG_COL) {
                insert(t, TAG_COLGROUP, 0, 0, NULL, 0);
                insert(t, tag, attr, n_attr, NULL, 1);
            } else if (tag == TAG_TR || cell) {
                insert(t, TAG_TBODY, 0, 0, NULL, 0);
                insert(t, TAG_TR, cell ? 0 : attr, cell ? 0 : n_attr, NULL, 0);
                if (cell)
                    insert_cell(t, tag, attr, n_attr);
            } else {
                insert(t, tag, attr, n_attr, NULL, 0);
            }
            return;
        }
    }
}

static void start_in_body(tree *t, unsigned tag, uint32_t attr,
                          uint16_t n_attr, const char *name)
{
    uint16_t p = props(tag);
    uint32_t node;
    int pos, k;
    switch (tag) {
    case TAG_HTML: case TAG_BODY: case TAG_HEAD: case TAG_FRAMESET:
    case TAG_FRAME:
        return;
    case TAG_BASE: case TAG_BASEFONT: case TAG_BGSOUND: case TAG_LINK:
    case TAG_META:
        insert(t, tag, attr, n_attr, NULL, 1);
        return;
    case TAG_CAPTION: case TAG_COL: case TAG_COLGROUP: case TAG_TBODY:
    case TAG_TFOOT: case TAG_THEAD: case TAG_TR: case TAG_TD: case TAG_TH:
        table_part(t, tag, attr, n_attr);
        return;
    case TAG_TABLE: {
        unsigned ctx = table_context(t, &pos);
        if (ctx == TAG_TABLE || ctx == TAG_TBODY || ctx == TAG_TR ||
            ctx == TAG_COLGROUP)
            pop_to(t, t->last_pos[TAG_TABLE]);
        close_p(t);
        insert(t, tag, attr, n_attr, NULL, 0);
        return;
    }
    case TAG_H1: case TAG_H2: case TAG_H3: case TAG_H4: case TAG_H5:
    case TAG_H6:
        close_p(t);
        if (is_heading(top_tag(t)))
            pop(t);
        insert(t, tag, attr, n_attr, NULL, 0);
        return;
    case TAG_PRE: case TAG_LISTING:
        close_p(t);
        if (insert(t, tag, attr, n_attr, NULL, 0) != NONE)
            t->skip_newline = 1;
        return;
    case TAG_FORM:
        if (t->form != NONE)
            return;
        close_p(t);
        t->form = insert(t, tag, attr, n_attr, NULL, 0);
        return;
    case TAG_LI:
        if (in_scope(t, TAG_LI, top_li(t)))
            pop_to(t, t->last_pos[TAG_LI]);
        close_p(t);
        insert(t, tag, attr, n_attr, NULL, 0);
        return;
    case TAG_DD: case TAG_DT:
        pos = t->last_pos[TAG_DD] > t->last_pos[TAG_DT] ? t->last_pos[TAG_DD]
                                                        : t->last_pos[TAG_DT];
        if (pos >= 0 && pos >= top_li(t))
            pop_to(t, pos);
        close_p(t);
        insert(t, tag, attr, n_attr, NULL, 0);
        return;
    case TAG_BUTTON:
        if (in_scope(t, TAG_BUTTON, top_scope(t)))
            pop_to(t, t->last_pos[TAG_BUTTON]);
        reconstruct(t);
        insert(t, tag, attr, n_attr, NULL, 0);
        return;
    case TAG_A:
        for (k = t->n_active - 1; k >= 0 && t->active[k].node != NONE; k--)
            if (t->active[k].tag == TAG_A) {
                uint32_t old = t->active[k].node;
                end_formatting(t, TAG_A);
                /* Still listed when it could not be closed: forget it. */
                for (k = t->n_active - 1; k >= 0; k--)
                    if (t->active[k].node == old)
                        remove_active(t, k);
                break;
            }
        break;
    case TAG_NOBR:
        if (in_scope(t, TAG_NOBR, top_scope(t)))
            end_formatting(t, TAG_NOBR);
        break;
    case TAG_APPLET: case TAG_MARQUEE: case TAG_OBJECT:
        reconstruct(t);
        if (insert(t, tag, attr, n_attr, NULL, 0) != NONE)
            insert_marker(t);
        return;
    case TAG_HR:
        close_p(t);
        insert(t, tag, attr, n_attr, NULL, 1);
        return;
    case TAG_IMAGE:
        tag = TAG_IMG;
        break;
    case TAG_OPTGROUP: case TAG_OPTION:
        if (top_tag(t) == TAG_OPTION)
            pop(t);
        break;
    default:
        break;
    }
    if (p & TP_CLOSES_P) {
        close_p(t);
        insert(t, tag, attr, n_attr, NULL, 0);
        return;
    }
    reconstruct(t);
    if (props(tag) & TP_VOID) {
        insert(t, tag, attr, n_attr, NULL, 1);
        return;
    }
    node = insert(t, tag, attr, n_attr, tag == TAG_UNKNOWN ? name : NULL, 0);
    if (node != NONE && (p & TP_FORMAT))
        push_active(t, node, tag);
}

/* Opens html or head (section) and moves to mode: with the tag's
** attributes when the tag is that element (returns 1: the tag is used),
** else implied. */
static int open_section(tree *t, unsigned section, int mode, unsigned tag,
                        uint32_t attr, uint16_t n_attr)
{
    int own = tag == section;
    insert(t, section, own ? attr : 0, own ? n_attr : 0, NULL, 0);
    t->mode = mode;
    return own;
}

/* Start tags of the head: html and head (ignored, already open), base,
** link, meta... (void) and title. 1 when tag was one of them. */
static int head_element(tree *t, unsigned tag, uint32_t attr, uint16_t n_attr)
{
    if (tag == TAG_HTML || tag == TAG_HEAD)
        return 1;
    if (tag == TAG_BASE || tag == TAG_BASEFONT || tag == TAG_BGSOUND ||
        tag == TAG_LINK || tag == TAG_META || tag == TAG_TITLE) {
        insert(t, tag, attr, n_attr, NULL, tag != TAG_TITLE);
        return 1;
    }
    return 0;
}

static void start_tag(tree *t, unsigned tag, uint32_t attr, uint16_t n_attr,
                      const char *name)
{
    t->skip_newline = 0;
    switch (t->mode) {
    case BEFORE_HTML:
        if (open_section(t, TAG_HTML, BEFORE_HEAD, tag, attr, n_attr))
            return;
        /* fall through */
    case BEFORE_HEAD:
        if (tag == TAG_HTML ||
            open_section(t, TAG_HEAD, IN_HEAD, tag, attr, n_attr))
            return;
        /* fall through */
    case IN_HEAD:
        if (head_element(t, tag, attr, n_attr))
            return;
        if (t->last_pos[TAG_HEAD] >= 0)
            pop_to(t, t->last_pos[TAG_HEAD]);
        t->mode = AFTER_HEAD;
        /* fall through */
    case AFTER_HEAD:
        if (tag == TAG_BODY) {
            insert(t, tag, attr, n_attr, NULL, 0);
            t->mode = IN_BODY;
            return;
        }
        /* Head elements after </head> stay where they are (the HTML rules
        ** put them back in the head; the metadata pass reads them anywhere). */
        if (head_element(t, tag, attr, n_attr))
            return;
        insert(t, TAG_BODY, 0, 0, NULL, 0);
        t->mode = IN_BODY;
        /* fall through */
    default:
        start_in_body(t, tag, attr, n_attr, name);
    }
}

static void end_tag(tree *t, unsigned tag, const char *name)
{
    int pos, k;
    t->skip_newline = 0;
    if (tag == TAG_TITLE) {
        if (top_tag(t) == TAG_TITLE)
            pop(t);
        return;
    }
    if (t->mode != IN_BODY) {
        if (t->mode == IN_HEAD && tag == TAG_HEAD) {
            pop_to(t, t->last_pos[TAG_HEAD] >= 0 ? t->last_pos[TAG_HEAD] : t->n);
            t->mode = AFTER_HEAD;
            return;
        }
        if (tag != TAG_BODY && tag != TAG_HTML && tag != TAG_BR)
            return;
        ensure_body(t);
    }
    switch (tag) {
    case TAG_BODY: case TAG_HTML: case TAG_HEAD: case TAG_COL:
        return;
    case TAG_BR:
        reconstruct(t);
        insert(t, TAG_BR, 0, 0, NULL, 1);
        return;
    case TAG_P:
        close_p(t);
        return;
    case TAG_LI:
        if (in_scope(t, TAG_LI, top_list(t)))
            pop_to(t, t->last_pos[TAG_LI]);
        return;
    case TAG_H1: case TAG_H2: case TAG_H3: case TAG_H4: case TAG_H5:
    case TAG_H6:
        pos = -1;
        for (k = TAG_H1; k <= TAG_H6; k++)
            if (t->last_pos[k] > pos)
                pos = t->last_pos[k];
        if (pos >= 0 && pos >= top_scope(t))
            pop_to(t, pos);
        return;
    case TAG_FORM: {
        uint32_t node = t->form;
        t->form = NONE;
        if (node == NONE || !is_open(t, node))
            return;
        if (top(t)->node == node)
            pop(t);
        else
            t->d->nodes[node].flags |= DOM_REMOVED;
        return;
    }
    case TAG_TABLE: case TAG_TBODY: case TAG_TFOOT: case TAG_THEAD:
    case TAG_TR: case TAG_TD: case TAG_TH: case TAG_CAPTION:
    case TAG_COLGROUP:
        if (in_scope(t, tag, top_table(t)))
            pop_to(t, t->last_pos[tag]);
        return;
    default:
        break;
    }
    if (props(tag) & TP_FORMAT) {
        end_formatting(t, tag);
        return;
    }
    if (props(tag) & (TP_BLOCK_END | TP_IMPLIED | TP_SCOPE)) {
        if (in_scope(t, tag, top_scope(t)))
            pop_to(t, t->last_pos[tag]);
        return;
    }
    end_other(t, tag, name);
}

static td_status add_attr(tree *t, const char *name, const char *value)
{
    dom *d = t->d;
    if (d->n_attrs == d->cap_attrs &&
        td__grow((void **)&d->attrs, &d->cap_attrs, d->n_attrs + 1,
                 sizeof *d->attrs) != TD_OK)
        return TD_ENOMEM;
    d->attrs[d->n_attrs].name = name;
    d->attrs[d->n_attrs++].value = value;
    return TD_OK;
}

/* Parses the attributes of a start tag from s[i] (just past the name and
** one space) to past its '>'; returns the new position. */
static size_t attributes(tree *t, size_t i)
{
    char *s = t->s;
    size_t len = t->len;
    for (;;) {
        char *eq = memchr(s + i, '=', len - i), *q;
        size_t value, n;
        if (!eq || eq + 1 >= s + len || eq[1] != '"')
            break;
        *eq = '\0';
        value = (size_t)(eq - s) + 2;
        q = memchr(s + value, '"', len - value);
        if (!q)
            return len;
        n = td__entity_decode(s + value, (size_t)(q - s) - value, 1);
        s[value + n] = '\0';
        if (add_attr(t, s + i, s + value) != TD_OK) {
            t->rc = TD_ENOMEM;
            t->stop = 1;
            return len;
        }
        i = (size_t)(q - s) + 1;
        if (i < len && s[i] == ' ') {
            i++;
            continue;
        }
        if (i < len && s[i] == '>')
            return i + 1;
        break;
    }
    {
        char *gt = memchr(s + i, '>', len - i);
        return gt ? (size_t)(gt - s) + 1 : len;
    }
}

static void parse(tree *t)
{
    char *s = t->s;
    size_t len = t->len, i = 0;
    while (i < len && !t->stop) {
        char *lt = memchr(s + i, '<', len - i);
        size_t at = lt ? (size_t)(lt - s) : len, start;
        unsigned tag;
        if (at > i)
            text(t, i, at);
        if (at + 1 >= len || t->stop)
            break;
        i = at + 1;
        if (s[i] == '!' || s[i] == '?') {
            char *gt = memchr(s + i, '>', len - i);
            i = gt ? (size_t)(gt - s) + 1 : len;
        } else if (s[i] == '/') {
            char *gt = memchr(s + i, '>', len - i);
            if (!gt)
                break;
            start = i + 1;
            *gt = '\0';
            tag = td__tag_lookup(s + start, (size_t)(gt - s) - start);
            end_tag(t, tag, s + start);
            i = (size_t)(gt - s) + 1;
        } else {
            size_t mark = t->d->n_attrs, k = i;
            char term;
            while (k < len && s[k] != ' ' && s[k] != '>')
                k++;
            if (k >= len)
                break;
            term = s[k];
            s[k] = '\0';
            tag = td__tag_lookup(s + i, k - i);
            start = i;
            i = term == ' ' ? attributes(t, k + 1) : k + 1;
            if (t->stop)
                break;
            start_tag(t, tag, (uint32_t)mark, (uint16_t)(t->d->n_attrs - mark),
                      s + start);
        }
    }
}

td_status td__dom_parse(dom *d, char *html, size_t len)
{
    tree *t = malloc(sizeof *t);
    td_status rc;
    size_t k;
    memset(d, 0, sizeof *d);
    if (!t)
        return TD_ENOMEM;
    memset(t, 0, offsetof(tree, stack));
    for (k = 0; k < TAG_COUNT; k++)
        t->last_pos[k] = -1;
    t->n_active = 0;
    t->d = d;
    t->s = html;
    t->len = len;
    t->form = NONE;
    t->rc = TD_OK;
    /* About one node per 24 bytes of canonical HTML. */
    d->cap = (uint32_t)(len / 24 < 1024 ? 1024
                        : len / 24 > DOM_MAX_NODES ? DOM_MAX_NODES : len / 24);
    d->nodes = malloc(d->cap * sizeof *d->nodes);
    if (!d->nodes) {
        free(t);
        d->cap = 0;
        return TD_ENOMEM;
    }
    parse(t);
    if (!t->stop)
        ensure_body(t);
    pop_to(t, 0);
    rc = t->rc;
    free(t);
    if (rc != TD_OK) {
        td__dom_free(d);
        return rc;
    }
    td__dom_finish(d);
    return TD_OK;
}
