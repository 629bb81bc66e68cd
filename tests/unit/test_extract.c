/*
** test_extract.c: td__extract_html: title, body text, lang, canonical
** URL and date from a page; dropped elements; title fallbacks; hostile pages
** (deep nesting, huge attributes, broken markup) that must not crash or hang;
** the title line of a plain-text document (headline.c).
*/
#include "check.h"
#include "extract/extract.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static td_article art;

static td_status run(const char *html)
{
    td_error err;
    td__article_clear(&art);
    snprintf(art.where, sizeof art.where, "page.html");
    return td__extract_html(html, strlen(html), &art, &err);
}

/* A page built from n copies of unit between head and tail. */
static char *repeat(const char *head, const char *unit, size_t n,
                    const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), k;
    char *s = malloc(hl + ul * n + tl + 1), *p = s;
    if (!s)
        return NULL;
    memcpy(p, head, hl);
    p += hl;
    for (k = 0; k < n; k++, p += ul)
        memcpy(p, unit, ul);
    memcpy(p, tail, tl + 1);
    return s;
}

static const char page[] =
    "<!DOCTYPE html>\n<html lang=\"en-US\"><head>\n"
    "<meta charset=utf-8><title>  Peace   talks &amp; secrets | Daily </title>\n"
    "<meta property=\"og:title\" content=\"OG title\">\n"
    "<link rel=\"canonical\" href=\"https://example.com/a/1\">\n"
    "<meta property=\"article:published_time\" "
    "content=\"2023-07-06T12:00:00+02:00\">\n"
    "<script>var x = '<p>not text</p>';</script>\n"
    "<style>p { color: red }</style></head>\n"
    "<body><nav><a href=/>Home</a> <a href=/world>World</a></nav>\n"
    "<header><h1>Site header</h1></header>\n"
    "<article><h2>Former officials met Lavrov</h2>\n"
    "<p>First   paragraph,\n  with a line break.</p>\n"
    "<p>Second&nbsp;paragraph: 3 &lt; 4 and a < b.<br>After break.</p>\n"
    "<!-- <p>commented out</p> -->\n"
    "<div hidden>hidden text</div><div style=\"display: none\">gone</div>\n"
    "<ul><li>one</li><li>two</li></ul>\n"
    "<table><tr><td>cell a</td><td>cell b</td></tr></table>\n"
    "<script>document.write('<b>no</b>')</script><noscript>Enable JS</noscript>\n"
    "<form>Form text<input value=x><button>Send</button></form>\n"
    "<svg><text>svg text</text></svg>\n"
    "</article><aside>Related links</aside><footer>Copyright</footer>\n"
    "<iframe src=x>iframe text</iframe><template><p>tpl</p></template>\n"
    "</body></html>\n";

TEST(full_page)
{
    CHECK(run(page) == TD_OK);
    CHECK_STR(art.title, "OG title");   /* og:title before <title> */
    CHECK_STR(art.lang_hint, "en");
    CHECK_STR(art.url, "https://example.com/a/1");
    CHECK(art.date == 1688637600);   /* 10:00 UTC */
    CHECK_STR(art.text,
              "Former officials met Lavrov\n"
              "First paragraph, with a line break.\n"
              "Second paragraph: 3 < 4 and a < b.\n"
              "After break.\n"
              "one\n"
              "two\n"
              "cell a cell b");
}

TEST(keeps_given_fields)
{
    td__article_clear(&art);
    art.title = td__strdup("Given title");
    art.url = td__strdup("https://given/");
    art.lang_hint = td__strdup("it");
    art.date = 7;
    {
        td_error err;
        snprintf(art.where, sizeof art.where, "x");
        CHECK(td__extract_html(page, strlen(page), &art, &err) == TD_OK);
    }
    CHECK_STR(art.title, "Given title");
    CHECK_STR(art.url, "https://given/");
    CHECK_STR(art.lang_hint, "it");
    CHECK(art.date == 7);
    CHECK(art.text != NULL);
    td__article_clear(&art);
}

TEST(title_fallbacks)
{
    CHECK(run("<meta property='og:title' content='From OG'><h1>From H1</h1>"
              "<p>x</p>") == TD_OK);
    CHECK_STR(art.title, "From OG");
    CHECK(run("<body><header><h1> From\n H1 </h1></header><p>x</p>") == TD_OK);
    CHECK_STR(art.title, "From H1");
    CHECK_STR(art.text, "x");
    CHECK(run("<p>no title at all</p>") == TD_OK);
    CHECK(art.title == NULL);
}

TEST(url_and_dates)
{
    CHECK(run("<meta property=og:url content=https://og/url><p>x") == TD_OK);
    CHECK_STR(art.url, "https://og/url");
    CHECK(art.date == TD_NO_DATE);
    CHECK(run("<p>x <time datetime=\"2023-12-08\">Dec 8</time></p>") == TD_OK);
    CHECK(art.date == 1701993600);
    CHECK_STR(art.text, "x Dec 8");
    CHECK(run("<meta itemprop=datePublished content=2023-12-08T10:00:00Z>"
              "<p>x</p>") == TD_OK);
    CHECK(art.date == 1701993600 + 36000);
    CHECK(run("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
              "\"datePublished\": \"2023-12-08\"}</script><p>x</p>") == TD_OK);
    CHECK(art.date == 1701993600);
    CHECK(run("<meta name=date content='not a date'><p>x</p>") == TD_OK);
    CHECK(art.date == TD_NO_DATE);
}

TEST(lang)
{
    CHECK(run("<html lang=NB-no><p>x</p>") == TD_OK);
    CHECK_STR(art.lang_hint, "nb");
    CHECK(run("<html lang=''><p>x</p>") == TD_OK);
    CHECK(art.lang_hint == NULL);
    CHECK(run("<html lang='x-klingon-long'><p>x</p>") == TD_OK);
    CHECK(art.lang_hint == NULL);
}

TEST(fragments_and_empty)
{
    CHECK(run("just text") == TD_OK);
    CHECK_STR(art.text, "just text");
    CHECK(run("") == TD_OK);
    CHECK(art.text == NULL);
    CHECK(run("<html><head><title>T</title></head><body> \n </body>") == TD_OK);
    CHECK(art.text == NULL);
    CHECK_STR(art.title, "T");
    CHECK(run("<pre>line 1\n   line 2\n</pre>") == TD_OK);
    CHECK_STR(art.text, "line 1\nline 2");
}

TEST(broken_markup)
{
    static const char *const pages[] = {
        "<p>a<!-- never closed", "<p>a<div class=\"x", "<p>a</", "<p>a<",
        "<p>a<!", "<p>a<?php echo 1 ?>b", "<p>a</ >b", "<p>a<plaintext><b>b",
        "<p>a<title>t<b>x", "<p>a<script>never closed", "<svg><p>x",
        "<p>a</p></p></p></div></html>b", "<table><td>a<tr>b<caption>c",
        "<p>a<!-->b", "<p>a<!--->b<!-- x --!>c", "<p>\xff\xfe bad <b>\xc3</b>",
        "<math><mi>x</mi></math><p>y", "<select><option>o</select><p>z",
        "<frameset><frame></frameset>", "<p>a</p>\x01\x02<p>b</p>"};
    size_t k;
    for (k = 0; k < sizeof pages / sizeof pages[0]; k++) {
        CHECK(run(pages[k]) == TD_OK);
        if (art.text)
            CHECK(td__utf8_valid_prefix(art.text, strlen(art.text)) ==
                  strlen(art.text));
    }
    CHECK(run("<p>a<plaintext><b>b") == TD_OK);
    CHECK_STR(art.text, "a<b>b");
    CHECK(run("<p>a<!-->b") == TD_OK);
    CHECK_STR(art.text, "ab");
    CHECK(run("<select><option>o</select><p>z") == TD_OK);
    CHECK_STR(art.text, "z");
}

/* Each hostile page parses in bounded time and keeps the final text (an
** svg or select never closed drops the rest of the page, by design). */
static void hostile(const char *unit, size_t n)
{
    int keeps_end = !strstr(unit, "<svg>") && !strstr(unit, "<select>");
    char *html = repeat("<html><body>", unit, n, "<p>THE END</p>");
    CHECK(html != NULL);
    if (!html)
        return;
    CHECK(run(html) == TD_OK);
    if (keeps_end)
        CHECK(art.text != NULL && strstr(art.text, "THE END") != NULL);
    free(html);
}

TEST(deep_nesting)
{
    hostile("<div>", 100000);
    hostile("<table><tr><td>", 50000);
    hostile("<b>", 100000);
    hostile("<span><div></span>", 100000);
    hostile("<div><b id=1>x</div>", 50000);
    hostile("<b><div></b></div>", 50000);
    hostile("<div><table><tr><td></div>", 50000);
    hostile("<a>x<div>", 50000);
    hostile("<x-custom>", 100000);
    hostile("<ul><li>", 100000);
    hostile("<svg><foreignObject><div>", 50000);
    hostile("<math><mi><div></mi></math>", 50000);
    hostile("<select><option><textarea><div>", 50000);
    /* The tree builder's own paths: reopened formatting elements, end
    ** tags of unknown elements, cells and rows, dd/dt, references. */
    hostile("<b><i><u><p>x", 50000);
    hostile("<x-a></x-b></x-c>", 50000);
    hostile("<table><td>x<tr><caption>y<col>", 50000);
    hostile("<dl><dt><dd>", 100000);
    hostile("<form><li>x<h2>y</h2></form>", 50000);
    hostile("&amp;&#99999999999;&notin&#x41;&", 50000);
}

TEST(huge_attributes)
{
    char *html = repeat("<div class=\"", "x", 3u << 20, "\">text<p>THE END");
    char *many = repeat("<div", " a=1 b c=\"2\"", 200000, ">text<p>THE END");
    CHECK(html && many);
    if (html && many) {
        CHECK(run(html) == TD_OK);
        CHECK_STR(art.text, "text\nTHE END");
        CHECK(run(many) == TD_OK);
        CHECK_STR(art.text, "text\nTHE END");
    }
    free(html);
    free(many);
}

TEST(helpers)
{
    td_status rc = TD_OK;
    char *s = td__text_paragraphs("  a \r\n\r\n b\rc\n\n\t", 15, &rc);
    CHECK_STR(s, "a\nb\nc");
    free(s);
    CHECK(td__text_paragraphs(" \n\t ", 4, &rc) == NULL);
    /* Carriage returns after several lines, two in a row, one at the end;
    ** the length (not a NUL) ends the text. */
    s = td__text_paragraphs("one\ntwo\nthree\r\rfour\nfive\r!!", 25, &rc);
    CHECK_STR(s, "one\ntwo\nthree\nfour\nfive");
    free(s);
    s = td__text_paragraphs("x\n\ny z\r", 7, &rc);
    CHECK_STR(s, "x\ny z");
    free(s);
    s = td__text_one_line("\n A \xc2\xa0 b\tc  ", &rc);
    CHECK_STR(s, "A b c");
    free(s);
    CHECK(td__text_one_line("  ", &rc) == NULL);
    s = td__lang_primary("en_GB", &rc);
    CHECK_STR(s, "en");
    free(s);
    CHECK(td__lang_primary("e", &rc) == NULL);
    CHECK(td__lang_primary("engl", &rc) == NULL);
    CHECK(td__lang_primary("e1", &rc) == NULL);
    CHECK(td__lang_primary(NULL, &rc) == NULL);
    CHECK(rc == TD_OK);   /* "nothing" is not "out of memory" */
}

/* The title line of text s and the text left, as "TITLE|TEXT" (the text
** with its newlines as '/'); "-" for no title. */
static const char *headline(const char *s)
{
    static char out[512];
    char buf[512];
    size_t len = strlen(s);
    td_headline h;
    int took;
    snprintf(buf, sizeof buf, "%s", s);
    td__text_headline(buf, len, &h);
    if (h.end == h.start)
        return "-";
    snprintf(out, sizeof out, "%.*s|", (int)(h.end - h.start), buf + h.start);
    took = td__text_take_headline(buf, &len, &h);
    if (!took)
        return strcat(out, "(kept)");
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n')
            buf[i] = '/';
    return strncat(out, buf, sizeof out - strlen(out) - 1);
}

/* Plain text: the repeated headline (with a site prefix glued on the first
** copy, spaces differing), menu words and a date before it, a first line
** of three words, one line only, blank text. */
TEST(text_headline)
{
    CHECK_STR(headline("Big quake hits the coast\nBig quake hits the coast\n"
                       "Body."), "Big quake hits the coast|//Body.");
    CHECK_STR(headline("Sorting by\n\xc3\x97\nFormer officials met in secret, "
                       "report says\nBody one.\nBody two."),
              "Former officials met in secret, report says|"
              "Sorting by/\xc3\x97//Body one./Body two.");
    CHECK_STR(headline("December 8, 2023\nDaily Press\nTalks went on for "
                       "months |  war\nTalks went on for months | war\nText."),
              "Talks went on for months | war|December 8, 2023/Daily Press"
              "///Text.");
    CHECK_STR(headline("SITE.ruNews: Leaders discuss the plan\n\n"
                       "News: Leaders discuss the plan\nText."),
              "News: Leaders discuss the plan|///Text.");
    /* No repeat, nothing of three words: the first line, as before. */
    CHECK_STR(headline("Breaking\nNow\nok"), "Breaking|/Now/ok");
    /* Short repeated lines ("Read more") are not the headline. */
    CHECK_STR(headline("Read more now\nRead more now\nThe real first line here"),
              "Read more now|/Read more now/The real first line here");
    CHECK_STR(headline("Only one line here"), "Only one line here|(kept)");
    CHECK_STR(headline(" \n\t\n"), "-");
}

int main(void)
{
    art.date = TD_NO_DATE;
    RUN(full_page);
    RUN(keeps_given_fields);
    RUN(title_fallbacks);
    RUN(url_and_dates);
    RUN(lang);
    RUN(fragments_and_empty);
    RUN(broken_markup);
    RUN(deep_nesting);
    RUN(huge_attributes);
    RUN(helpers);
    RUN(text_headline);
    td__article_clear(&art);
    return check_report();
}
