/*
** test_backref.c: back-references (lib/story/backref.c) and the related
** stories they make (related.c): earlier times named in en de fr es it nl
** no ru, read against the article's date; words that only look like months
** are not; a later story referring back to an earlier one is related with
** the words and the article as the reason, read from either side.
*/
#include "check.h"
#include "story/view_int.h"

#include <stdlib.h>
#include <string.h>

#define NOV11 1699660800   /* 2023-11-11 00:00 UTC */
#define DAY   86400

static int64_t at(const char *ymd)
{
    int64_t t = 0;
    td_date_parse(ymd, &t);
    return t;
}

static td_article_row row(char *id, int64_t date, char *text)
{
    td_article_row r;
    memset(&r, 0, sizeof r);
    r.id = id;
    r.lang = "und";
    r.date = date;
    r.text = text;
    r.title = "";
    return r;
}

/* The references of one text written on 2023-11-11 10:00: "from..to
** words" for the first, or "" when none. */
static const char *first_ref(char *text, char *buf, size_t cap)
{
    td_article_row r = row("x", NOV11 + 36000, text);
    td_article_list list;
    td_time_ref *refs = NULL;
    size_t n = 0;
    char a[32], b[32];
    list.rows = &r;
    list.n = 1;
    buf[0] = '\0';
    if (td__backref_collect(&list, 10, &refs, &n) != TD_OK || n == 0) {
        free(refs);
        return buf;
    }
    snprintf(buf, cap, "%s..%s %.*s", td_date_format(refs[0].from, a, sizeof a),
             td_date_format(refs[0].to, b, sizeof b),
             (int)(refs[0].end - refs[0].start), text + refs[0].start);
    free(refs);
    return buf;
}

TEST(times_named_in_eight_languages)
{
    char b[128];
    CHECK_STR(first_ref("Back in July this year, officials met Lavrov.", b,
                        sizeof b), "2023-07-01..2023-08-01 July");
    CHECK_STR(first_ref("The talks took place last month in New York.", b,
                        sizeof b), "2023-10-01..2023-11-01 last month");
    CHECK_STR(first_ref("Lavrov met them on March 3, 2022 in New York.", b,
                        sizeof b), "2022-03-03..2022-03-04 March 3, 2022");
    CHECK_STR(first_ref("Earlier this year the ministers met twice.", b,
                        sizeof b), "2023-01-01..2023-10-28 Earlier this year");
    CHECK_STR(first_ref("Am 3. M\xc3\xa4rz hatte Scholz das Treffen "
                        "angek\xc3\xbcndigt.", b, sizeof b),
              "2023-03-03..2023-03-04 3. M\xc3\xa4rz");
    CHECK_STR(first_ref("Le 14 juillet, le ministre avait d\xc3\xa9j\xc3\xa0 "
                        "parl\xc3\xa9.", b, sizeof b),
              "2023-07-14..2023-07-15 14 juillet");
    CHECK_STR(first_ref("El 3 de marzo de 2022 se reunieron en Ginebra.", b,
                        sizeof b), "2022-03-03..2022-03-04 3 de marzo de 2022");
    CHECK_STR(first_ref("Gi\xc3\xa0 all'inizio dell'anno il governo aveva "
                        "deciso.", b, sizeof b),
              "2023-01-01..2023-10-28 inizio dell'anno");
    CHECK_STR(first_ref("In luglio il ministro era a Mosca.", b, sizeof b),
              "2023-07-01..2023-08-01 luglio");
    CHECK_STR(first_ref("Vorig jaar werd het verdrag getekend.", b, sizeof b),
              "2022-01-01..2023-01-01 Vorig jaar");
    CHECK_STR(first_ref("Avtalen ble inng\xc3\xa5tt i fjor etter lange "
                        "forhandlinger.", b, sizeof b),
              "2022-01-01..2023-01-01 i fjor");
    CHECK_STR(first_ref("Forhandlingene startet i juli.", b, sizeof b),
              "2023-07-01..2023-08-01 juli");
    /* В июле министры встретились в Нью-Йорке. */
    CHECK_STR(first_ref("\xd0\x92 \xd0\xb8\xd1\x8e\xd0\xbb\xd0\xb5 "
                        "\xd0\xbc\xd0\xb8\xd0\xbd\xd0\xb8\xd1\x81\xd1\x82"
                        "\xd1\x80\xd1\x8b \xd0\xb2\xd1\x81\xd1\x82\xd1\x80"
                        "\xd0\xb5\xd1\x82\xd0\xb8\xd0\xbb\xd0\xb8\xd1\x81"
                        "\xd1\x8c.", b, sizeof b),
              "2023-07-01..2023-08-01 \xd0\xb8\xd1\x8e\xd0\xbb\xd0\xb5");
    /* 3 марта 2022 года */
    CHECK_STR(first_ref("3 \xd0\xbc\xd0\xb0\xd1\x80\xd1\x82\xd0\xb0 2022 "
                        "\xd0\xb3\xd0\xbe\xd0\xb4\xd0\xb0", b, sizeof b),
              "2022-03-03..2022-03-04 3 \xd0\xbc\xd0\xb0\xd1\x80\xd1\x82"
              "\xd0\xb0 2022");
    /* в прошлом месяце */
    CHECK_STR(first_ref("\xd0\x92 \xd0\xbf\xd1\x80\xd0\xbe\xd1\x88\xd0\xbb"
                        "\xd0\xbe\xd0\xbc \xd0\xbc\xd0\xb5\xd1\x81\xd1\x8f"
                        "\xd1\x86\xd0\xb5 \xd0\xb8\xd1\x85 \xd0\xb1\xd1\x8b"
                        "\xd0\xbb\xd0\xbe \xd0\xb4\xd0\xb2\xd0\xb5.", b,
                        sizeof b),
              "2023-10-01..2023-11-01 \xd0\xbf\xd1\x80\xd0\xbe\xd1\x88\xd0"
              "\xbb\xd0\xbe\xd0\xbc \xd0\xbc\xd0\xb5\xd1\x81\xd1\x8f\xd1\x86"
              "\xd0\xb5");
    /* A month more than three ahead of the article is last year's. */
    CHECK_STR(first_ref("The deal was signed in April.", b, sizeof b),
              "2023-04-01..2023-05-01 April");
    CHECK_STR(first_ref("The deal was signed in March 2021.", b, sizeof b),
              "2021-03-01..2021-04-01 March 2021");
}

TEST(not_back_references)
{
    char b[128];
    /* Verbs, the planet, this month, today, a later date, no month. */
    CHECK_STR(first_ref("You may see the results soon; prices march on.", b,
                        sizeof b), "");
    CHECK_STR(first_ref("The probe reached Mars after seven months.", b,
                        sizeof b), "");
    CHECK_STR(first_ref("The summit opens in November in Paris.", b,
                        sizeof b), "");
    CHECK_STR(first_ref("On 11 November the ministers meet again.", b,
                        sizeof b), "");
    CHECK_STR(first_ref("The vote is set for July 2024.", b, sizeof b), "");
    CHECK_STR(first_ref("The summit will be held in December.", b, sizeof b),
              "");
    CHECK_STR(first_ref("Talks resume on 20 November.", b, sizeof b), "");
    CHECK_STR(first_ref("The Augustine library reopened on Friday.", b,
                        sizeof b), "");
    CHECK_STR(first_ref("No date at all in this text, only 31 words.", b,
                        sizeof b), "");
    /* Dates no calendar reads (a hostile store) give nothing, no crash. */
    {
        td_article_row r[2];
        td_article_list list;
        td_time_ref *refs = NULL;
        size_t n = 1;
        r[0] = row("far", INT64_MAX, "Back in July, last month, 3 March.");
        r[1] = row("past", INT64_MIN + 1, "Back in July, last month.");
        list.rows = r;
        list.n = 2;
        CHECK(td__backref_collect(&list, 10, &refs, &n) == TD_OK && n == 0);
        free(refs);
    }
}

/* Stories for the related tests: 7 in July (this one), 9 in November
** naming Lavrov once and referring back to July, 11 in November naming
** Lavrov with no reference back. */
static td_article_list later_story;
static td_article_row later_rows[1];
static int fetched[16];

static td_status fetch(void *ud, int64_t story, td_article_list **out)
{
    td_article_list *l;
    (void)ud;
    if (story >= 0 && story < 16)
        fetched[story]++;
    *out = NULL;
    if (story != 9)
        return TD_ENOTFOUND;
    /* A copy the caller frees with td_article_list_free: strings too. */
    if (!(l = calloc(1, sizeof *l)) || !(l->rows = calloc(1, sizeof *l->rows))) {
        free(l);
        return TD_ENOMEM;
    }
    l->n = 1;
    l->rows[0].id = strdup(later_rows[0].id);
    l->rows[0].text = strdup(later_rows[0].text);
    l->rows[0].date = later_rows[0].date;
    *out = l;
    return TD_OK;
}

TEST(related_by_back_reference)
{
    td_article_row july[2];
    td_story_row others[3];
    td_article_list list;
    td_story_list stories;
    td_story_view *v = NULL;
    size_t i;
    july[0] = row("j1", at("2023-07-06"), "Sergei Lavrov met former US "
                  "officials in New York, NBC News reported.");
    july[0].entities = "Sergei Lavrov; NBC News";
    july[1] = row("j2", at("2023-07-07"), "Lavrov met them, NBC News said.");
    july[1].entities = "Lavrov; NBC News";
    list.rows = july;
    list.n = 2;
    later_rows[0] = row("n1", at("2023-11-10"), "Back in July this year, "
                        "officials confirmed the talks with Lavrov.");
    later_rows[0].entities = "Lavrov; John Kirby";
    later_story.rows = later_rows;
    later_story.n = 1;
    memset(others, 0, sizeof others);
    others[0].id = 7;
    others[0].entities = "Sergei Lavrov; NBC News";
    others[0].first_date = at("2023-07-06");
    others[0].last_date = at("2023-07-07");
    others[1].id = 9;
    others[1].title = "Kirby confirms talks";
    others[1].entities = "John Kirby; Lavrov";
    others[1].first_date = others[1].last_date = at("2023-11-10");
    others[2].id = 11;
    others[2].title = "Lavrov in Pyongyang";
    others[2].entities = "Lavrov; Pyongyang";
    others[2].first_date = others[2].last_date = at("2023-11-12");
    stories.rows = others;
    stories.n = 3;

    /* From the July story: 9 refers back to it (its article read through
    ** fetch); 11 shares only Lavrov and does not. */
    CHECK(td__story_view_build(&list, &stories, 7, fetch, NULL, &v) == TD_OK);
    if (!v)
        return;
    CHECK(v->n_related == 1);
    if (v->n_related == 1) {
        CHECK(v->related[0].story == 9);
        CHECK(v->related[0].when == 1);
        CHECK(v->related[0].n_shared == 1);
        CHECK_STR(v->related[0].backref, "July");
        CHECK_STR(v->related[0].backref_article, "n1");
    }
    CHECK(fetched[9] == 1 && fetched[11] == 1);
    td_story_view_free(v);

    /* Without a reader of other stories, nothing is related. */
    CHECK(td__story_view_build(&list, &stories, 7, NULL, NULL, &v) == TD_OK);
    CHECK(v && v->n_related == 0);
    td_story_view_free(v);

    /* From the November story: its own article refers back to story 7. */
    for (i = 0; i < 3; i++)
        if (others[i].id == 9)
            others[i].entities = "Lavrov; John Kirby";
    CHECK(td__story_view_build(&later_story, &stories, 9, NULL, NULL, &v) ==
          TD_OK);
    if (!v)
        return;
    CHECK(v->n_related >= 1);
    if (v->n_related >= 1) {
        CHECK(v->related[0].story == 7);
        CHECK(v->related[0].when == -1);
        CHECK_STR(v->related[0].backref, "July");
        CHECK_STR(v->related[0].backref_article, "n1");
    }
    for (i = 0; i < v->n_related; i++)
        CHECK(v->related[i].story != 11);
    td_story_view_free(v);
}

int main(void)
{
    RUN(times_named_in_eight_languages);
    RUN(not_back_references);
    RUN(related_by_back_reference);
    return check_report();
}
