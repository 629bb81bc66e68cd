/*
** test_extract_tree.c: the tree builder (lib/extract/tree.c) on the
** pre-pass's output: implied elements, end tags, tables, formatting
** elements reopened, head and body, character references, the tag table.
** Each case prints the tree as name(children) with 'text' leaves.
*/
#include "check.h"
#include "extract/extract_int.h"

#include <stdlib.h>

static void print_node(const dom *d, uint32_t i, td_buf *b)
{
    const dom_node *x = &d->nodes[i];
    uint32_t k;
    if (x->tag == DOM_TEXT) {
        td__buf_printf(b, "'%s'", x->text);
        return;
    }
    td__buf_printf(b, "%s", x->tag ? td__tag_name(x->tag) : "?");
    if (x->end == i + 1)
        return;
    td__buf_putc(b, '(');
    for (k = i + 1; k < x->end; k = d->nodes[k].end) {
        if (k != i + 1)
            td__buf_putc(b, ',');
        print_node(d, k, b);
    }
    td__buf_putc(b, ')');
}

/* The tree of html as a string (static buffer, valid until the next call). */
static const char *tree_of(const char *html)
{
    static char out[4096];
    td_buf clean, b;
    dom d;
    td__buf_init(&b, sizeof out);
    out[0] = '\0';
    CHECK(td__html_prepass(html, strlen(html), &clean, NULL) == TD_OK);
    CHECK(td__dom_parse(&d, clean.data, clean.len) == TD_OK);
    if (d.n)
        print_node(&d, 0, &b);
    if (b.data)
        snprintf(out, sizeof out, "%s", b.data);
    td__dom_free(&d);
    td__buf_free(&clean);
    td__buf_free(&b);
    return out;
}

#define TREE(html, expected) CHECK_STR(tree_of(html), expected)

TEST(implied_elements)
{
    TREE("", "html(head,body)");
    TREE("x", "html(head,body('x'))");
    TREE("<p>a<p>b", "html(head,body(p('a'),p('b')))");
    TREE("<p>a<div>b</div>c", "html(head,body(p('a'),div('b'),'c'))");
    TREE("<ul><li>a<li>b</ul>c", "html(head,body(ul(li('a'),li('b')),'c'))");
    TREE("<li>a<div><li>b", "html(head,body(li('a',div),li('b')))");
    TREE("<dl><dt>a<dd>b<dt>c</dl>", "html(head,body(dl(dt('a'),dd('b'),dt('c'))))");
    TREE("<h1>a<h2>b</h1>c", "html(head,body(h1('a'),h2('b'),'c'))");
    TREE("<option>a<option>b", "html(head,body(option('a'),option('b')))");
    TREE("<p>a<br>b<img>c</br>d",
         "html(head,body(p('a',br,'b',img,'c',br,'d')))");
    TREE("<pre>\nx\n</pre>", "html(head,body(pre('x\n')))");
    TREE("<p>a</p></p></div>b", "html(head,body(p('a'),'b'))");
}

TEST(head_and_body)
{
    TREE("<html lang=en><head><title>T &amp; U</title>\n"
         "<meta name=a content=b></head>\n<body class=x><p>y</p></body></html>",
         "html(head(title('T & U'),meta),body(p('y')))");
    TREE("<title>T</title><link rel=x><p>y",
         "html(head(title('T'),link),body(p('y')))");
    TREE("</p>x</body>y", "html(head,body('x','y'))");
}

TEST(tables)
{
    TREE("<table><tr><td>a<td>b<tr><td>c</table>d",
         "html(head,body(table(tbody(tr(td('a'),td('b')),tr(td('c')))),'d'))");
    TREE("<table><td>a</table>",
         "html(head,body(table(tbody(tr(td('a'))))))");
    TREE("<table><thead><tr><th>h<tbody><tr><td>a</table>",
         "html(head,body(table(thead(tr(th('h'))),tbody(tr(td('a'))))))");
    TREE("<table><tr><td><table><tr><td>i</table>o</table>",
         "html(head,body(table(tbody(tr(td(table(tbody(tr(td('i')))),'o'))))))");
    TREE("<table><caption>c<tr><td>a</table>",
         "html(head,body(table(caption('c'),tbody(tr(td('a'))))))");
    /* Table parts outside a table are ignored, their text kept. */
    TREE("<td>x</td><tr>y", "html(head,body('x','y'))");
    TREE("<p>a<table><tr><td>b</table>",
         "html(head,body(p('a'),table(tbody(tr(td('b'))))))");
}

TEST(formatting_and_end_tags)
{
    /* A formatting element closed by a block is reopened in the next. */
    TREE("<p><b>x</p><p>y", "html(head,body(p(b('x')),p(b('y'))))");
    TREE("<p><a href=u>x</p><p>y</a>z",
         "html(head,body(p(a('x')),p(a('y'),'z')))");
    /* A new <a> closes the open one. */
    TREE("<a href=1>x<a href=2>y", "html(head,body(a('x'),a('y')))");
    /* End tags close through inline elements, not through special ones. */
    TREE("<div><span>a</div>b", "html(head,body(div(span('a')),'b'))");
    TREE("<span><div>a</span>b</div>c",
         "html(head,body(span(div('a','b'),'c')))");
    TREE("<x-a><x-b>t</x-a>u", "html(head,body(?(?('t')),'u'))");
    /* </form> leaves the form's open children where they are. */
    TREE("<form><div>x</form>y</div>z",
         "html(head,body(form(div('x','y')),'z'))");
    TREE("<form>a<form>b</form>c", "html(head,body(form('a','b'),'c'))");
}

TEST(links_and_flags)
{
    td_buf clean;
    dom d;
    uint32_t i, in_link = 0, out_link = 0;
    const char *html = "<a href=u>l<div>d</div></a><p>t</p>";
    CHECK(td__html_prepass(html, strlen(html), &clean, NULL) == TD_OK);
    CHECK(td__dom_parse(&d, clean.data, clean.len) == TD_OK);
    for (i = 0; i < d.n; i++) {
        if (d.nodes[i].tag != DOM_TEXT)
            continue;
        if (strcmp(d.nodes[i].text, "t") == 0)
            out_link = !(d.nodes[i].flags & DOM_IN_LINK);
        if (strcmp(d.nodes[i].text, "d") == 0)
            in_link = (d.nodes[i].flags & DOM_IN_LINK) != 0;
    }
    CHECK(in_link && out_link);
    CHECK(d.nodes[d.body].chars == 3 && d.nodes[d.body].link_chars == 2);
    td__dom_free(&d);
    td__buf_free(&clean);
}

/* Flags of the first div of html (DOM_NEG, DOM_POS, DOM_STRONG_NEG). */
static unsigned div_flags(const char *html, int nth)
{
    td_buf clean;
    dom d;
    uint32_t i;
    unsigned flags = 0xFFFF;
    CHECK(td__html_prepass(html, strlen(html), &clean, NULL) == TD_OK);
    CHECK(td__dom_parse(&d, clean.data, clean.len) == TD_OK);
    for (i = 0; i < d.n; i++)
        if (d.nodes[i].tag == TAG_DIV && nth-- == 0) {
            flags = d.nodes[i].flags & (DOM_NEG | DOM_POS | DOM_STRONG_NEG);
            break;
        }
    td__dom_free(&d);
    td__buf_free(&clean);
    return flags;
}

TEST(class_flags)
{
    const unsigned strong = DOM_NEG | DOM_STRONG_NEG;
    CHECK(div_flags("<div class=share-bar>", 0) == strong);
    CHECK(div_flags("<div class=\"Comment-List\">", 0) == strong);
    CHECK(div_flags("<div class=content-with-sidebar>", 0) ==
          (DOM_NEG | DOM_POS));
    CHECK(div_flags("<div class=ad>", 0) == DOM_NEG);
    CHECK(div_flags("<div class=nav2>", 0) == DOM_NEG);
    CHECK(div_flags("<div class=head>", 0) == 0);
    CHECK(div_flags("<div class=canvas>", 0) == 0);
    CHECK(div_flags("<div class=xad>", 0) == 0);
    CHECK(div_flags("<div class=post-123>", 0) == DOM_POS);
    CHECK(div_flags("<div id=main-ad>", 0) == DOM_POS);
    CHECK(div_flags("<div role=Navigation>", 0) == strong);
    CHECK(div_flags("<div itemprop=articleBody class=share>", 0) == DOM_POS);
    /* The same name again (from the page's cache), and with other digits. */
    CHECK(div_flags("<div class=share-1></div><div class=share-22>", 1) ==
          strong);
    CHECK(div_flags("<div class=a id=navigation></div>"
                    "<div class=a role=navigation>", 1) == strong);
    CHECK(div_flags("<div class=a role=navigation></div>"
                    "<div class=a id=x-navigation>", 1) == 0);
}

static const char *decode(const char *in, int in_attr)
{
    static char buf[256];
    size_t n = strlen(in);
    memcpy(buf, in, n + 1);
    buf[td__entity_decode(buf, n, in_attr)] = '\0';
    return buf;
}

TEST(character_references)
{
    CHECK_STR(decode("a &amp; b &lt;&gt;&quot;&apos;", 0), "a & b <>\"'");
    CHECK_STR(decode("&#8217;&#x41;&#X42;&#65", 0), "\xE2\x80\x99" "ABA");
    CHECK_STR(decode("&#0;&#xD800;&#x110000;&#150;", 0),
              "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xE2\x80\x93");
    CHECK_STR(decode("&copy2&notin;&notit;&nbsp;", 0),
              "\xC2\xA9" "2\xE2\x88\x89\xC2\xAC" "it;\xC2\xA0");
    CHECK_STR(decode("&bogus; & &# &#x; &;", 0), "&bogus; & &# &#x; &;");
    CHECK_STR(decode("a\r\nb\rc", 0), "a\nb\nc");
    /* In attributes a legacy name before '=' or a letter stays. */
    CHECK_STR(decode("?a=1&copy=2&amp;x&notb", 1), "?a=1&copy=2&x&notb");
    CHECK_STR(decode("&copy;&copy", 1), "\xC2\xA9\xC2\xA9");
    /* Never longer than the input, even for &nGt; (its mark is dropped). */
    CHECK_STR(decode("&nGt;", 0), "\xE2\x89\xAB");
}

TEST(tag_table)
{
    unsigned t;
    for (t = 1; t < TAG_COUNT; t++) {
        const char *name = td__tag_name(t);
        CHECK(name && td__tag_lookup(name, strlen(name)) == t);
    }
    CHECK(td__tag_lookup("", 0) == TAG_UNKNOWN);
    CHECK(td__tag_lookup("divx", 4) == TAG_UNKNOWN);
    CHECK(td__tag_lookup("di", 2) == TAG_UNKNOWN);
    CHECK(td__tag_lookup("DIV", 3) == TAG_UNKNOWN);
    CHECK(td__tag_lookup("zz", 2) == TAG_UNKNOWN);
    CHECK(td__tag_lookup("g", 1) == TAG_UNKNOWN);
    CHECK(td__tag_lookup("div", 3) == TAG_DIV);
    CHECK(td__tag_lookup("divp", 3) == TAG_DIV);
    CHECK(td__tag_name(TAG_UNKNOWN) == NULL);
}

int main(void)
{
    RUN(implied_elements);
    RUN(head_and_body);
    RUN(tables);
    RUN(formatting_and_end_tags);
    RUN(links_and_flags);
    RUN(class_flags);
    RUN(character_references);
    RUN(tag_table);
    return check_report();
}
