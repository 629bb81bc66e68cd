/*
** body.c: the article body by content scoring. Method (parameters in
** docs/internals/extract.md):
**  1. Every text block (p, pre, td, blockquote, and div-like elements
**     without block children) of at least MIN_BLOCK_CHARS characters
**     scores 1 + commas + min(chars / 100, 3); the score goes to its
**     parent in full, its grandparent halved, and to higher ancestors
**     divided by 3 x level, up to 5 levels. An ancestor starts from a
**     prior by tag (div +5, lists -3, headings -5) and by the words of its
**     class and id (content +25, boilerplate -25).
**  2. Scores are scaled by 1 - link density; the best node is the article
**     container, taken up through wrappers holding the same text. Its
**     siblings join when their score is a fifth of the best or when they
**     are paragraphs of prose with few links.
**  3. The text of the chosen nodes is written block by block, leaving out
**     boilerplate: class/id words such as share, related, comment; link
**     lists; headers, figures and captions; lines that td__boiler_line
**     knows (Read also..., photo credits). Blockquotes (embedded posts)
**     are kept whatever their wrapper is named; the lead's date line,
**     byline and repeated headline go.
*/
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>

#define MIN_BLOCK_CHARS 25
#define SIBLING_SHARE 0.2
#define SIBLING_MIN_SCORE 10.0
#define NAME_WEIGHT 25.0
#define NAME_FULL_CHARS 1000

static int is_heading(uint16_t tag)
{
    return tag == TAG_H1 || tag == TAG_H2 || tag == TAG_H3 ||
           tag == TAG_H4 || tag == TAG_H5 || tag == TAG_H6;
}

static double link_density(const dom_node *x)
{
    return x->chars ? (double)x->link_chars / (double)x->chars : 0.0;
}

/* Does element i have a block-level element child? */
static int has_block_child(const dom *d, uint32_t i)
{
    uint32_t k = i + 1;
    while (k < d->nodes[i].end) {
        const dom_node *c = &d->nodes[k];
        if (c->tag != DOM_TEXT && (c->flags & DOM_BLOCK) &&
            c->tag != TAG_BR && c->tag != TAG_HR)
            return 1;
        k = c->end;
    }
    return 0;
}

static int is_text_block(const dom *d, uint32_t i)
{
    uint16_t tag = d->nodes[i].tag;
    if (tag == TAG_P || tag == TAG_PRE || tag == TAG_TD ||
        tag == TAG_BLOCKQUOTE || tag == TAG_DD)
        return 1;
    if (tag == TAG_DIV || tag == TAG_SECTION ||
        tag == TAG_ARTICLE || tag == TAG_SPAN ||
        tag == TAG_FONT || tag == TAG_CENTER)
        return !has_block_child(d, i);
    return 0;
}

static double prior(const dom_node *x)
{
    double s = 0;
    switch (x->tag) {
    case TAG_DIV: case TAG_ARTICLE: case TAG_MAIN:
        s = 5; break;
    case TAG_PRE: case TAG_TD: case TAG_BLOCKQUOTE:
    case TAG_SECTION:
        s = 3; break;
    case TAG_ADDRESS: case TAG_OL: case TAG_UL:
    case TAG_DL: case TAG_DD: case TAG_DT:
    case TAG_LI: case TAG_FORM:
        s = -3; break;
    case TAG_H1: case TAG_H2: case TAG_H3:
    case TAG_H4: case TAG_H5: case TAG_H6:
    case TAG_TH:
        s = -5; break;
    default:
        break;
    }
    /* A content name is worth its full weight only on a block holding
    ** some text: else a short "entry-title" beats a real body. */
    if (x->flags & DOM_POS)
        s += NAME_WEIGHT * (x->chars < NAME_FULL_CHARS
                                ? (double)x->chars / NAME_FULL_CHARS : 1.0);
    if (x->flags & DOM_NEG)
        s -= NAME_WEIGHT;
    return s;
}

/* Adds the score of a paragraph of chars characters and commas to the
** ancestors of node `from` (from itself is level 0). */
static void propagate(dom *d, unsigned char *seen, uint32_t from,
                      uint32_t chars, uint32_t commas)
{
    double s = 1.0 + commas + (chars / 100 < 3 ? chars / 100 : 3);
    uint32_t a;
    int level;
    for (a = from, level = 0; a != UINT32_MAX && level < 5;
         a = d->nodes[a].parent, level++) {
        dom_node *p = &d->nodes[a];
        if (!seen[a]) {
            seen[a] = 1;
            p->score = prior(p);
        }
        p->score += s / (level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0);
        if (a == d->body)
            break;
    }
}

/* Text of element i outside its block children: loose text between blocks
** ("<div>text<br>text<div>...</div></div>") scores like a paragraph. */
static void score_loose_text(dom *d, unsigned char *seen, uint32_t i)
{
    uint32_t k = i + 1, chars = 0, commas = 0;
    while (k < d->nodes[i].end) {
        const dom_node *c = &d->nodes[k];
        if (!(c->flags & DOM_SKIP) &&
            (c->tag == DOM_TEXT || !(c->flags & DOM_BLOCK) ||
             c->tag == TAG_BR)) {
            chars += c->chars - c->link_chars;
            commas += c->commas;
        }
        k = c->end;
    }
    if (chars >= MIN_BLOCK_CHARS)
        propagate(d, seen, i, chars, commas);
}

/* Step 1 and 2: returns the best container, or d->body (or 0). */
static uint32_t best_candidate(dom *d, unsigned char *seen)
{
    uint32_t i = d->body, end, best = UINT32_MAX;
    double best_score = 0;
    if (d->n == 0)
        return 0;
    end = d->nodes[i].end;
    while (i < end) {
        dom_node *x = &d->nodes[i];
        /* Comments, related links...: their paragraphs do not vote, unless
        ** the block holds most of the page (a misnamed wrapper). */
        if ((x->flags & DOM_SKIP) ||
            ((x->flags & DOM_STRONG_NEG) &&
             x->chars * 2 < d->nodes[d->body].chars)) {
            i = x->end;
            continue;
        }
        if (x->tag == DOM_TEXT || x->chars < MIN_BLOCK_CHARS) {
            i = x->tag == DOM_TEXT ? i + 1 : x->end;
            continue;
        }
        if (!is_text_block(d, i)) {
            score_loose_text(d, seen, i);
            i++;
            continue;
        }
        propagate(d, seen, x->parent, x->chars, x->commas);
        i = x->end;
    }
    for (i = 0; i < d->n; i++) {
        dom_node *x = &d->nodes[i];
        if (!seen[i])
            continue;
        x->score *= 1.0 - link_density(x);
        if (best == UINT32_MAX || x->score > best_score) {
            best = i;
            best_score = x->score;
        }
    }
    return best == UINT32_MAX ? d->body : best;
}

typedef struct writer {
    const dom *d;
    td_buf out;
    td_status rc;
    uint32_t root_chars;
} writer;

static void put(writer *w, const char *s, size_t n)
{
    td_status rc;
    if (w->rc != TD_OK)
        return;
    rc = td__buf_append(&w->out, s, n);
    if (rc != TD_OK)
        w->rc = rc;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Whitespace runs (and U+00A0) become one space; in <pre> newlines stay. */
static void put_text(writer *w, const char *s, int in_pre)
{
    while (*s && w->rc == TD_OK) {
        const char *start = s;
        while (*s && !is_space(*s) &&
               !((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0))
            s++;
        put(w, start, (size_t)(s - start));
        if (*s) {
            int newline = 0;
            while (*s && (is_space(*s) || ((unsigned char)s[0] == 0xC2 &&
                                           (unsigned char)s[1] == 0xA0))) {
                if (*s == '\n')
                    newline = 1;
                s += (unsigned char)*s == 0xC2 ? 2 : 1;
            }
            put(w, in_pre && newline ? "\n" : " ", 1);
        }
    }
}

/* Is element i a blockquote, or does most of its text lie in blockquotes?
** Embedded posts (a tweet, an Instagram caption) are blockquotes by their
** embed code, in wrappers named for the medium ("social-embed",
** "video-container"); a quoted box has names of its own ("note"). */
static int holds_quote(const dom *d, uint32_t i)
{
    uint32_t k = i, end = d->nodes[i].end, quoted = 0;
    while (k < end) {
        const dom_node *c = &d->nodes[k];
        if (c->tag == TAG_BLOCKQUOTE) {
            quoted += c->chars;
            k = c->end;
        } else {
            k++;
        }
    }
    return quoted * 2 >= d->nodes[i].chars && quoted > 0;
}

/* A quoted post keeps its text whatever its wrapper is named. Asked only
** when a boilerplate name would otherwise drop the element: the scan reads
** the element's whole subtree. */
static int quoted_post(const writer *w, uint32_t i)
{
    return (w->d->nodes[i].flags & DOM_NEG) && holds_quote(w->d, i);
}

/* Should element i (not the root of the walk) be left out? */
static int drop(const writer *w, uint32_t i)
{
    const dom_node *x = &w->d->nodes[i];
    double ld = link_density(x);
    if (x->flags & DOM_SKIP)
        return 1;
    /* A boilerplate name on most of the text is a wrapper ("paywall"). */
    if ((x->flags & DOM_STRONG_NEG) && x->chars * 2 < w->root_chars &&
        !quoted_post(w, i))
        return 1;
    if (x->tag == TAG_H1 || x->tag == TAG_FIGURE ||
        x->tag == TAG_HEADER)
        return 1;
    if (x->chars == 0)
        return 0;
    if ((x->flags & DOM_NEG) && !(x->flags & DOM_POS) &&
        (ld > 0.3 || x->sentences == 0 || x->chars * 3 < w->root_chars) &&
        !quoted_post(w, i))
        return 1;
    if ((x->tag == TAG_UL || x->tag == TAG_OL) && ld > 0.5)
        return 1;
    if ((x->flags & DOM_BLOCK) && ld > 0.6 && !is_heading(x->tag))
        return 1;
    if (x->tag == TAG_FORM && x->chars * 2 < w->root_chars)
        return 1;
    if (is_heading(x->tag) && ld > 0.5)
        return 1;
    return 0;
}

/* Writes the text of subtree root as lines. */
static void write_subtree(writer *w, uint32_t root)
{
    const dom *d = w->d;
    uint32_t i = root, end = d->nodes[root].end, pre_end = 0;
    uint32_t stack_end[64];
    size_t n_open = 0;
    while (i < end && w->rc == TD_OK) {
        const dom_node *x = &d->nodes[i];
        /* Close the blocks that ended before i. */
        while (n_open && stack_end[n_open - 1] <= i) {
            put(w, "\n", 1);
            n_open--;
        }
        if (x->tag == DOM_TEXT) {
            put_text(w, x->text, i < pre_end);
            i++;
            continue;
        }
        if (i != root && drop(w, i)) {
            i = x->end;
            continue;
        }
        if (x->tag == TAG_PRE && pre_end <= i)
            pre_end = x->end;
        if (x->flags & DOM_BLOCK) {
            put(w, "\n", 1);
            if (x->tag != TAG_BR && n_open < 64)
                stack_end[n_open++] = x->end;
        } else if (x->tag == TAG_TD || x->tag == TAG_TH) {
            put(w, " ", 1);
        }
        i++;
    }
    put(w, "\n", 1);
}

/*
** Lead furniture. The first LEAD_MAX_LINES lines above the first paragraph
** of LEAD_END_LINE bytes or more are the lead, where pages print the
** headline again, a date line ("Nov. 20, 2019 6:02 AM EST", "sexta-feira,
** 22 de outubro de 2010 às 20:13") and a byline ("By ANNA LUND and PER
** HOLM"); none is article text, and further down the same shapes may be
** (a timeline's dates).
*/
#define LEAD_END_LINE 100
#define LEAD_MAX_LINES 5
#define DATE_LINE_MAX 64
#define BYLINE_MAX 80

/* A short line of numbers, one a year (19xx, 20xx), with at most three
** words of three or more letters (month, weekday, zone). */
static int is_date_line(const char *s, size_t n)
{
    size_t k = 0, numbers = 0, words = 0;
    int year = 0;
    if (n > DATE_LINE_MAX)
        return 0;
    while (k < n) {
        unsigned char c = (unsigned char)s[k];
        size_t start = k, letters = 0;
        if (c >= '0' && c <= '9') {
            while (k < n && s[k] >= '0' && s[k] <= '9')
                k++;
            numbers++;
            if (k - start == 4 && ((s[start] == '1' && s[start + 1] == '9') ||
                                   (s[start] == '2' && s[start + 1] == '0')))
                year = 1;
            continue;
        }
        /* Letters, ASCII or not (a UTF-8 lead byte counts one). */
        while (k < n && ((unsigned)((unsigned char)s[k] | 32) - 'a' < 26 ||
                         (unsigned char)s[k] >= 0x80)) {
            if ((unsigned char)s[k] < 0x80 || (unsigned char)s[k] >= 0xC0)
                letters++;
            k++;
        }
        if (letters >= 3)
            words++;
        if (k == start)
            k++;
    }
    return words <= 3 && numbers >= 2 && year;
}

/* "By " and names: every word of four or more letters is capitalised. */
static int is_byline(const char *s, size_t n)
{
    size_t k;
    if (n > BYLINE_MAX || n < 4 || (s[0] != 'B' && s[0] != 'b') ||
        (s[1] != 'y' && s[1] != 'Y') || s[2] != ' ')
        return 0;
    for (k = 3; k < n; k++) {
        size_t start = k;
        if (s[k] == '.' || s[k] == '!' || s[k] == '?')
            return 0;
        while (k < n && s[k] != ' ')
            k++;
        if (k - start >= 4 && !(s[start] >= 'A' && s[start] <= 'Z'))
            return 0;
    }
    return 1;
}

/* Drops the lead furniture of text (lines, '\n'-separated) in place. */
static void drop_lead(char *text, const char *title)
{
    size_t i = 0, o = 0, n = strlen(text), line_no = 0;
    size_t title_len = title ? strlen(title) : 0;
    int lead = 1;
    while (i < n) {
        char *line = text + i;
        char *nl = memchr(line, '\n', n - i);
        size_t ll = nl ? (size_t)(nl - line) : n - i;
        int keep = 1;
        if (ll >= LEAD_END_LINE || line_no++ >= LEAD_MAX_LINES)
            lead = 0;
        if (lead)
            keep = !(title_len == ll && memcmp(title, line, ll) == 0) &&
                   !is_date_line(line, ll) && !is_byline(line, ll);
        if (keep) {
            if (o)
                text[o++] = '\n';
            memmove(text + o, line, ll);
            o += ll;
        }
        i += ll + 1;
    }
    text[o] = '\0';
}

/* Step 2, siblings: does sibling s of the best node join it? */
static int sibling_joins(const dom *d, const unsigned char *seen, uint32_t s,
                         double threshold)
{
    const dom_node *x = &d->nodes[s];
    double ld = link_density(x);
    if (x->flags & (DOM_SKIP | DOM_STRONG_NEG))
        return 0;
    if (seen[s] && x->score >= threshold)
        return 1;
    if (x->tag == TAG_P || (is_text_block(d, s) && x->tag != TAG_TD)) {
        if (x->chars > 80 && ld < 0.25)
            return 1;
        if (x->chars >= MIN_BLOCK_CHARS && ld == 0 && x->sentences > 0)
            return 1;
    }
    return 0;
}

td_status td__body_extract(dom *d, const char *title, char **out)
{
    unsigned char *seen;
    uint32_t best, parent, k;
    writer w;
    double threshold;
    *out = NULL;
    if (d->n == 0)
        return TD_OK;
    seen = calloc(d->n, 1);
    if (!seen)
        return TD_ENOMEM;
    best = best_candidate(d, seen);
    memset(&w, 0, sizeof w);
    w.d = d;
    w.rc = TD_OK;
    w.root_chars = d->nodes[best].chars;
    td__buf_init(&w.out, TD_MAX_FIELD);
    threshold = d->nodes[best].score * SIBLING_SHARE;
    if (threshold < SIBLING_MIN_SCORE)
        threshold = SIBLING_MIN_SCORE;
    parent = d->nodes[best].parent;
    /* Climb through wrappers that hold the same text: the article's other
    ** parts are siblings of the outermost wrapper, not of the best node
    ** ("<div><div>part 1</div></div><div><div>part 2</div></div>"). */
    while (best != d->body && parent != UINT32_MAX &&
           d->nodes[parent].chars == d->nodes[best].chars) {
        best = parent;
        parent = d->nodes[best].parent;
    }
    if (best == d->body || parent == UINT32_MAX) {
        write_subtree(&w, best);
    } else {
        for (k = parent + 1; k < d->nodes[parent].end && w.rc == TD_OK;
             k = d->nodes[k].end)
            if (k == best || (d->nodes[k].tag != DOM_TEXT &&
                              sibling_joins(d, seen, k, threshold)))
                write_subtree(&w, k);
    }
    free(seen);
    if (w.rc == TD_ETOOBIG)
        w.rc = TD_OK;   /* a longer text is cut, not rejected */
    if (w.rc == TD_OK && w.out.data) {
        /* NULL here is an empty body, unless w.rc says out of memory. */
        *out = td__boiler_clean_text(w.out.data, w.out.len, title, &w.rc);
        if (*out) {
            drop_lead(*out, title);
            if (!**out) {
                free(*out);
                *out = NULL;
            }
        }
    }
    td__buf_free(&w.out);
    return w.rc;
}
