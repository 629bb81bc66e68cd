/*
** test_extract_body.c: the extraction proper: the shingle metric on
** hand-computed cases, boilerplate lines, charsets, metadata, and a golden
** page (tests/fixtures/extract/news_page.html and .expected.txt) whose body
** must come out without nav, share bar, caption, related block or comments.
*/
#include "check.h"
#include "extract/extract_int.h"

#include <stdlib.h>

#define FIXTURES "tests/fixtures/extract/"

static td_shingle_counts counts(const char *pred, const char *gold)
{
    td_shingle_counts c;
    CHECK(td_eval_extract_page(pred, gold, &c) == TD_OK);
    return c;
}

TEST(metric_hand_computed)
{
    td_shingle_counts c;
    double p, r;
    int has_p, has_r;
    /* "a b c d e": {abcd, bcde}; "a b c d": {abcd}. */
    c = counts("a b c d e", "a b, c. d");
    CHECK(c.tp == 1 && c.fp == 1 && c.fn == 0);
    td_eval_extract_scores(&c, &p, &has_p, &r, &has_r);
    CHECK(has_p && has_r && p == 0.5 && r == 1.0);
    /* Fewer than 4 tokens: one shingle; none for an empty text. */
    c = counts("x y", "x  y!");
    CHECK(c.tp == 1 && c.fp == 0 && c.fn == 0);
    c = counts("", "x y");
    CHECK(c.tp == 0 && c.fp == 0 && c.fn == 1);
    td_eval_extract_scores(&c, &p, &has_p, &r, &has_r);
    CHECK(!has_p && has_r && r == 0.0);
    c = counts(NULL, NULL);
    td_eval_extract_scores(&c, &p, &has_p, &r, &has_r);
    CHECK(!has_p && !has_r && p == 1.0 && r == 1.0);
    /* Multiset: abcd twice in pred, once in gold. */
    c = counts("a b c d a b c d", "a b c d");
    CHECK(c.tp == 1 && c.fp == 4 && c.fn == 0);
    /* Unicode word characters; case matters; marks and dashes split. */
    c = counts("Über-straße café_1 ünd", "Über straße café_1 ünd");
    CHECK(c.tp == 1 && c.fp == 0 && c.fn == 0);
    c = counts("über straße café_1 ünd", "Über straße café_1 ünd");
    CHECK(c.tp == 0 && c.fp == 1 && c.fn == 1);
    c = counts("Путин и Лавров 2023 год", "путин и Лавров 2023 год");
    CHECK(c.tp == 1 && c.fp == 1 && c.fn == 1);
}

static int boiler(const char *s)
{
    return td__boiler_line(s, strlen(s));
}

TEST(boilerplate_lines)
{
    CHECK(boiler("Read also:"));
    CHECK(boiler("Leave a Reply"));
    CHECK(boiler("Please enter your comment!"));
    CHECK(boiler("Source link"));
    CHECK(boiler("Related Articles"));
    CHECK(boiler("Back to top button"));
    CHECK(boiler("See also  Israeli tech startups flock to US - Today at 09:00"));
    CHECK(boiler("Russian foreign minister Sergei Lavrov (Photo: Pavel "
                 "Bednyakov/RIA Novosti via Reuters)"));
    CHECK(boiler("Photo: Jan Berg"));
    CHECK(boiler("Leggi anche: la crisi di governo"));
    CHECK(boiler("Lees ook: Zelensky in Washington"));
    CHECK(boiler("Les også: Dette er saken"));
    CHECK(boiler("ЧИТАЙТЕ ТАКЖЕ: Лавров"));
    CHECK(boiler("Lesen Sie auch"));
    CHECK(!boiler("See how the river rose: the water reached the bridge at "
                  "noon, and by evening the old town was flooded."
                  " Residents were moved to the school, where volunteers "
                  "handed out blankets and food for the night, and more "
                  "help arrived from the capital the next day. Everyone "
                  "was safe."));
    CHECK(!boiler("The minister said talks would go on."));
    CHECK(!boiler("Sourcing of parts was delayed."));
    CHECK(!boiler(""));
}

TEST(plain_text_cleaning)
{
    static const char text[] =
        "Kiev: Our fate cannot be decided without us\n\n"
        "The talks were held in secret, sources said.\n"
        "Read also:\nLeave a Reply\n"
        "Your email address will not be published. Required fields are "
        "marked *\n  Source link  \nRelated Articles\nBack to top button\n";
    td_extract_result *r = NULL;
    CHECK(td_extract_text(text, sizeof text - 1, &r, NULL) == TD_OK);
    CHECK(r != NULL);
    if (r)
        CHECK_STR(r->text, "Kiev: Our fate cannot be decided without us\n"
                           "The talks were held in secret, sources said.");
    td_extract_result_free(r);
    td_extract_result_free(NULL);
}

TEST(golden_news_page)
{
    char *expected = check_read_file(FIXTURES "news_page.expected.txt");
    td_extract_result *r = NULL;
    td_error err;
    CHECK(expected != NULL);
    CHECK(td_extract_file(FIXTURES "news_page.html", &r, NULL, &err) == TD_OK);
    if (r && expected) {
        size_t n = strlen(expected);
        while (n && expected[n - 1] == '\n')
            expected[--n] = '\0';
        CHECK_STR(r->text, expected);
        CHECK_STR(r->title, "Harbour bridge reopens after repairs");
        CHECK_STR(r->date, "2021-03-14T08:30:00Z");
        CHECK_STR(r->authors, "Ada Lund; Per Holm");
        CHECK_STR(r->site, "The Coastal Herald");
        CHECK_STR(r->url, "https://herald.example/2021/03/14/bridge-reopens");
        CHECK_STR(r->lang, "en");
    }
    td_extract_result_free(r);
    free(expected);
}

TEST(charsets)
{
    td_extract_result *r = NULL;
    td_error err;
    CHECK(td_extract_file(FIXTURES "cyrillic_1251.html", &r, NULL, &err) ==
          TD_OK);
    if (r) {
        CHECK_STR(r->title, "Новости");
        CHECK(r->text && strstr(r->text, "Министр иностранных дел") != NULL);
    }
    td_extract_result_free(r);
    r = NULL;
    CHECK(td_extract_file(FIXTURES "latin1.html", &r, NULL, &err) == TD_OK);
    if (r) {
        CHECK_STR(r->title, "Café news");
        CHECK(r->text && strstr(r->text, "Le café du coin") != NULL);
    }
    td_extract_result_free(r);
    {
        /* A wrong declaration on a valid UTF-8 page is not trusted; bytes
        ** that are not UTF-8 and have no declaration are windows-1252. */
        static const char wrong[] =
            "<meta charset=windows-1251><p>Zürich – Genève, «ça va»</p>";
        static const char bare[] = "<p>na\xefve caf\xe9 \x93quoted\x94</p>";
        r = NULL;
        CHECK(td_extract_html(wrong, sizeof wrong - 1, &r, &err) == TD_OK);
        if (r)
            CHECK_STR(r->text, "Zürich – Genève, «ça va»");
        td_extract_result_free(r);
        r = NULL;
        CHECK(td_extract_html(bare, sizeof bare - 1, &r, &err) == TD_OK);
        if (r)
            CHECK_STR(r->text, "naïve café “quoted”");
        td_extract_result_free(r);
    }
}

TEST(dates)
{
    td_extract_result *r = NULL;
    static const char url_only[] =
        "<link rel=canonical href='https://x.example/news/2019/11/19/story'>"
        "<p>Body text of the story goes here, long enough.</p>";
    static const char time_el[] =
        "<article><time datetime='2020-02-29'>29 Feb</time>"
        "<p>Body text of the story goes here, long enough.</p></article>";
    CHECK(td_extract_html(url_only, sizeof url_only - 1, &r, NULL) == TD_OK);
    if (r)
        CHECK_STR(r->date, "2019-11-19");
    td_extract_result_free(r);
    r = NULL;
    CHECK(td_extract_html(time_el, sizeof time_el - 1, &r, NULL) == TD_OK);
    if (r)
        CHECK_STR(r->date, "2020-02-29");
    td_extract_result_free(r);
    CHECK(td__date_from_url("https://x/a/20191119-b") == 1574121600);
    CHECK(td__date_from_url("https://x/2019/13/40/b") == TD_NO_DATE);
    CHECK(td__date_from_url(NULL) == TD_NO_DATE);
}

TEST(body_beats_boilerplate)
{
    /* A long comment thread and a link-heavy related list must not win over
    ** a shorter article. */
    static const char page[] =
        "<body><div id=main><div class=post-body>"
        "<p>The council voted on Monday to close the old library, citing "
        "repair costs, falling visits and a smaller budget.</p>"
        "<p>Readers can borrow books from the new centre, which opens in "
        "June, the council said in a statement.</p></div>"
        "<ul class=related-links><li><a href=/1>One linked headline that is "
        "long enough to count</a></li><li><a href=/2>Another linked headline "
        "that is also long</a></li></ul></div>"
        "<div id=comments><div class=comment><p>I disagree, the library was "
        "the heart of the town, and closing it is a mistake, a big one, a "
        "sad one, a costly one, in my view, and many agree.</p></div>"
        "<div class=comment><p>Agreed, agreed, agreed: the council should "
        "have asked, consulted, listened, and only then decided, really, "
        "truly, honestly.</p></div></div></body>";
    td_extract_result *r = NULL;
    CHECK(td_extract_html(page, sizeof page - 1, &r, NULL) == TD_OK);
    if (r)
        CHECK_STR(r->text,
                  "The council voted on Monday to close the old library, "
                  "citing repair costs, falling visits and a smaller budget.\n"
                  "Readers can borrow books from the new centre, which opens "
                  "in June, the council said in a statement.");
    td_extract_result_free(r);
}

/* Extracts page and compares the body with expected. */
static void check_body(const char *page, const char *expected)
{
    td_extract_result *r = NULL;
    CHECK(td_extract_html(page, strlen(page), &r, NULL) == TD_OK);
    if (r)
        CHECK_STR(r->text, expected);
    td_extract_result_free(r);
}

TEST(body_split_across_wrappers)
{
    /* The article's parts sit in sibling wrappers, each with one child
    ** (a page builder's "components"): the part before the embed must
    ** join the larger part after it. */
    static const char page[] =
        "<body><nav><a href=/>Home</a></nav><article>"
        "<div class=component><div class=text-part>"
        "<p>The ferry resumed service on Friday, after storms, floods and a "
        "long repair, the operator said.</p>"
        "<p>Tickets bought for the cancelled crossings stay valid, and the "
        "first boats, full of cars, vans, bikes and walkers, left on "
        "time.</p></div></div>"
        "<div class=component><div class=embed><img src=x.jpg></div></div>"
        "<div class=component><div class=text-part>"
        "<p>Engineers replaced the ramp, the hydraulics, the lights and the "
        "barriers over six weeks, working at night.</p>"
        "<p>The operator thanked islanders for their patience, noting that "
        "shops, schools and the clinic had coped.</p>"
        "<p>A second ferry, bigger and faster, is due next spring, funded by "
        "the region, the state and a loan.</p></div></div>"
        "</article></body>";
    check_body(page,
               "The ferry resumed service on Friday, after storms, floods "
               "and a long repair, the operator said.\n"
               "Tickets bought for the cancelled crossings stay valid, and "
               "the first boats, full of cars, vans, bikes and walkers, left "
               "on time.\n"
               "Engineers replaced the ramp, the hydraulics, the lights and "
               "the barriers over six weeks, working at night.\n"
               "The operator thanked islanders for their patience, noting "
               "that shops, schools and the clinic had coped.\n"
               "A second ferry, bigger and faster, is due next spring, "
               "funded by the region, the state and a loan.");
}

TEST(body_keeps_embedded_posts)
{
    /* An embedded post is a blockquote in a wrapper named for the medium,
    ** and a quoted box may have a name of its own ("note"); the share bar
    ** next to them still goes. */
    static const char page[] =
        "<body><div class=story-body>"
        "<p>The town's new mascot, a seagull in a hat, drew mixed reviews "
        "online, from delight to dismay, within hours of its launch.</p>"
        "<div class=social-embed><blockquote class=post-embed>"
        "<p>Nobody asked for the hat. Nobody.</p>"
        "&mdash; A Resident (@resident) <a href=/s/1>May 2, 2021</a>"
        "</blockquote></div>"
        "<div class=share-bar><p>Share this on your favourite network, "
        "please.</p></div>"
        "<p>The council said the design cost less than a bench, and that the "
        "hat, a gift from a local milliner, will stay for the summer.</p>"
        "<blockquote class=note><p>Tell us what you think of the mascot: "
        "write to the letters desk.</p></blockquote>"
        "</div></body>";
    check_body(page,
               "The town's new mascot, a seagull in a hat, drew mixed reviews "
               "online, from delight to dismay, within hours of its launch.\n"
               "Nobody asked for the hat. Nobody.\n"
               "\xe2\x80\x94 A Resident (@resident) May 2, 2021\n"
               "The council said the design cost less than a bench, and that "
               "the hat, a gift from a local milliner, will stay for the "
               "summer.\n"
               "Tell us what you think of the mascot: write to the letters "
               "desk.");
}

TEST(body_drops_lead_furniture)
{
    /* Above the first paragraph: a date line, the headline again and a
    ** byline go; a date further down, and a short lead sentence, stay. */
    static const char page[] =
        "<head><title>Harbour bridge reopens</title></head><body><article>"
        "<div>Mon, 14 March 2021 08:30 GMT</div>"
        "<div>Harbour bridge reopens</div>"
        "<div>By ADA LUND and PER HOLM</div>"
        "<p>The wait is over.</p>"
        "<p>The harbour bridge reopened on Monday after two years of repairs, "
        "and the first buses, bikes and cars crossed at dawn, the city "
        "said.</p>"
        "<p>Timeline of the works, from the first crack, to the closure, to "
        "the new deck:</p>"
        "<p>March 3, 2019</p>"
        "<p>The council closed the bridge after engineers, divers and "
        "inspectors found cracks in two of its piers.</p>"
        "</article></body>";
    check_body(page,
               "The wait is over.\n"
               "The harbour bridge reopened on Monday after two years of "
               "repairs, and the first buses, bikes and cars crossed at dawn, "
               "the city said.\n"
               "Timeline of the works, from the first crack, to the closure, "
               "to the new deck:\n"
               "March 3, 2019\n"
               "The council closed the bridge after engineers, divers and "
               "inspectors found cracks in two of its piers.");
}

int main(void)
{
    RUN(metric_hand_computed);
    RUN(boilerplate_lines);
    RUN(plain_text_cleaning);
    RUN(golden_news_page);
    RUN(charsets);
    RUN(dates);
    RUN(body_beats_boilerplate);
    RUN(body_split_across_wrappers);
    RUN(body_keeps_embedded_posts);
    RUN(body_drops_lead_furniture);
    return check_report();
}
