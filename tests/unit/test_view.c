/*
** test_view.c: the story view (lib/story/view.c, summary.c, quotes.c) on a
** small multilingual sample written here: summary sentence choice, quotes
** and speakers in en de fr es it no ru quoting styles, quotes grouped across
** articles and languages, entities merged across scripts, the timeline and
** related stories.
*/
#include "check.h"
#include "story/view_int.h"

#include <stdlib.h>
#include <string.h>

#define DAY0 1688601600   /* 2023-07-06 */

static td_article_row row(int64_t seq, char *id, char *lang, int64_t date,
                          int64_t group, char *entities, char *text)
{
    td_article_row r;
    memset(&r, 0, sizeof r);
    r.seq = seq;
    r.id = id;
    r.lang = lang;
    r.date = date;
    r.copy_group = group;
    r.entities = entities;
    r.text = text;
    r.title = "";
    return r;
}

static const char *quote_speaker(const char *text, char *buf, size_t cap)
{
    td_quote_span q;
    size_t n = td__quotes_scan(text, strlen(text), "und", &q, 1), len;
    if (n != 1)
        return "(no quote)";
    len = q.speaker_end - q.speaker_start;
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, text + q.speaker_start, len);
    buf[len] = '\0';
    return buf;
}

TEST(quotes_in_seven_languages)
{
    char b[128];
    CHECK_STR(quote_speaker("\"We will rebuild the bridge this year,\" said "
                            "Mayor John Smith on Monday.", b, sizeof b),
              "Mayor John Smith");
    CHECK_STR(quote_speaker("Lavrov said: \"There will be no talks without "
                            "us at all.\"", b, sizeof b), "Lavrov");
    CHECK_STR(quote_speaker("\xe2\x80\x9e" "Wir werden die Br\xc3\xbc" "cke "
                            "wieder aufbauen\xe2\x80\x9c, sagte Olaf Scholz "
                            "am Montag.", b, sizeof b), "Olaf Scholz");
    CHECK_STR(quote_speaker("\xc2\xab Nous allons reconstruire le pont "
                            "\xc2\xbb, a d\xc3\xa9" "clar\xc3\xa9 Emmanuel "
                            "Macron.", b, sizeof b), "Emmanuel Macron");
    CHECK_STR(quote_speaker("\xc2\xab" "Vamos a reconstruir el puente\xc2\xbb"
                            ", dijo Pedro S\xc3\xa1nchez.", b, sizeof b),
              "Pedro S\xc3\xa1nchez");
    CHECK_STR(quote_speaker("\"Ricostruiremo il ponte entro l'anno\", ha "
                            "detto Giorgia Meloni.", b, sizeof b),
              "Giorgia Meloni");
    CHECK_STR(quote_speaker("\xe2\x80\x93 \xc2\xabVi skal bygge opp broen "
                            "igjen\xc2\xbb, sa Jonas Gahr St\xc3\xb8re.", b,
                            sizeof b), "Jonas Gahr St\xc3\xb8re");
    /* «Мы восстановим мост в этом году», — заявил Сергей Лавров. */
    CHECK_STR(quote_speaker("\xc2\xab\xd0\x9c\xd1\x8b \xd0\xb2\xd0\xbe\xd1\x81"
        "\xd1\x81\xd1\x82\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xb2\xd0\xb8\xd0\xbc "
        "\xd0\xbc\xd0\xbe\xd1\x81\xd1\x82 \xd0\xb2 \xd1\x8d\xd1\x82\xd0\xbe"
        "\xd0\xbc \xd0\xb3\xd0\xbe\xd0\xb4\xd1\x83\xc2\xbb, \xe2\x80\x94 "
        "\xd0\xb7\xd0\xb0\xd1\x8f\xd0\xb2\xd0\xb8\xd0\xbb \xd0\xa1\xd0\xb5"
        "\xd1\x80\xd0\xb3\xd0\xb5\xd0\xb9 \xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80"
        "\xd0\xbe\xd0\xb2.", b, sizeof b),
        "\xd0\xa1\xd0\xb5\xd1\x80\xd0\xb3\xd0\xb5\xd0\xb9 \xd0\x9b\xd0\xb0"
        "\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2");
    /* Лавров: «Никаких переговоров без участия Москвы не будет». */
    CHECK_STR(quote_speaker("\xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2"
        ": \xc2\xab\xd0\x9d\xd0\xb8\xd0\xba\xd0\xb0\xd0\xba\xd0\xb8\xd1\x85 "
        "\xd0\xbf\xd0\xb5\xd1\x80\xd0\xb5\xd0\xb3\xd0\xbe\xd0\xb2\xd0\xbe\xd1"
        "\x80\xd0\xbe\xd0\xb2 \xd0\xb1\xd0\xb5\xd0\xb7 \xd1\x83\xd1\x87\xd0"
        "\xb0\xd1\x81\xd1\x82\xd0\xb8\xd1\x8f \xd0\x9c\xd0\xbe\xd1\x81\xd0"
        "\xba\xd0\xb2\xd1\x8b \xd0\xbd\xd0\xb5 \xd0\xb1\xd1\x83\xd0\xb4\xd0"
        "\xb5\xd1\x82\xc2\xbb.", b, sizeof b),
        "\xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2");
    /* A pronoun is no speaker; a scare quote and an apostrophe no quote. */
    CHECK_STR(quote_speaker("\"We will not give up this fight,\" he said.", b,
                            sizeof b), "");
    CHECK(td__quotes_scan("He called it \"false news\" again.", 32, "en",
                          NULL, 0) == 0);
    CHECK(td__quotes_scan("Ukraine's partners don't agree, it's said.", 42,
                          "en", NULL, 0) == 0);
}

/* Three articles of one story in English (two copies of one text) and one
** German one quoting the same English words: the quote groups. */
TEST(summary_and_quotes_grouped)
{
    td_article_row rows[4];
    td_article_list list;
    td_story_view *v = NULL;
    size_t i;
    int central = 0, quote_ok = 0;
    rows[0] = row(1, "a1", "en", DAY0 + 3600, 1,
        "Valencia; Pedro S\xc3\xa1nchez",
        "Heavy floods hit the city of Valencia on Tuesday, killing twelve "
        "people and cutting power to thousands of homes.\n"
        "Rescue teams searched flooded streets in Valencia through the night "
        "as the river burst its banks after record rain.\n"
        "Subscribe to our newsletter for the latest news about the floods in "
        "Valencia.\n"
        "The football club announced a new coach for next season on "
        "Tuesday afternoon.\n"
        "\"Nothing about Valencia without Valencia, we will rebuild,\" said "
        "Pedro S\xc3\xa1nchez in a speech.");
    rows[1] = row(2, "a2", "en", DAY0 + 7200, 1, "Valencia",
        "Heavy floods hit the city of Valencia on Tuesday, killing twelve "
        "people and cutting power to thousands of homes.\n"
        "Officials said the floods in Valencia were the worst in decades.");
    rows[2] = row(3, "a3", "en", DAY0 + 86400, 3, "Valencia; Spain",
        "The floods in Valencia killed twelve people after record rain made "
        "the river burst its banks on Tuesday.\n"
        "Power was cut to thousands of homes in Valencia as rescue teams "
        "searched flooded streets.");
    rows[3] = row(4, "a4", "de", TD_NO_DATE, 4, "Valencia",
        "Bei Hochwasser in Valencia starben zw\xc3\xb6lf Menschen. "
        "\xe2\x80\x9eNothing about Valencia without Valencia, we will "
        "rebuild\xe2\x80\x9c, sagte der spanische Regierungschef.");
    list.rows = rows;
    list.n = 4;
    CHECK(td__story_view_build(&list, NULL, 7, NULL, NULL, &v) == TD_OK);
    if (!v)
        return;
    CHECK_STR(v->lang, "en");
    CHECK(v->n_summary >= 2 && v->n_summary <= TD_VIEW_SUMMARY_MAX);
    for (i = 0; i < v->n_summary; i++) {
        CHECK(!strstr(v->summary[i].text, "newsletter"));
        CHECK(!strstr(v->summary[i].text, "football"));
        if (strstr(v->summary[i].text, "Heavy floods hit the city"))
            central = 1;
    }
    CHECK(central);
    for (i = 0; i < v->n_quotes; i++)
        if (strstr(v->quotes[i].text, "Nothing about Valencia")) {
            quote_ok = v->quotes[i].n_articles == 2 &&
                       v->quotes[i].n_sources == 2 && v->quotes[i].speaker &&
                       strcmp(v->quotes[i].speaker,
                              "Pedro S\xc3\xa1nchez") == 0;
        }
    CHECK(quote_ok);
    /* Timeline: the dated articles span a day, so it is by the hour:
    ** three hours with one article each, one undated, first report a1,
    ** the peak the earliest of the tied hours. */
    CHECK(v->bucket == 3600);
    CHECK(v->n_days == 3);
    CHECK(v->n_days == 3 && v->days[0].day == DAY0 + 3600 &&
          v->days[0].n_articles == 1 && strcmp(v->days[0].langs, "en:1") == 0 &&
          v->days[2].day == DAY0 + 86400);
    CHECK(v->n_undated == 1);
    CHECK_STR(v->first_report, "a1");
    CHECK(v->peak_day == DAY0 + 3600);
    td_story_view_free(v);
}

/* Лавров, Lavrov and Sergei Lavrov are one entity; a story sharing two top
** entities is related, one sharing one is not. */
TEST(entities_across_scripts_and_related)
{
    td_article_row rows[3];
    td_story_row others[3];
    td_article_list list;
    td_story_list stories;
    td_story_view *v = NULL;
    rows[0] = row(1, "r1", "ru", DAY0, 1,
        "\xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2; NBC News",
        "\xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2 \xd0\xb8 NBC News.");
    rows[1] = row(2, "e1", "en", DAY0, 2, "Sergei Lavrov; NBC News; Kyiv",
                  "Sergei Lavrov met them, NBC News said. Lavrov left.");
    rows[2] = row(3, "e2", "en", DAY0 + 86400, 3, "Lavrov",
                  "Lavrov spoke in New York.");
    list.rows = rows;
    list.n = 3;
    memset(others, 0, sizeof others);
    others[0].id = 7;
    others[0].entities = "Lavrov; NBC News";
    others[0].first_date = DAY0;
    others[0].last_date = DAY0 + 86400;
    others[1].id = 9;
    others[1].title = "Talks in November";
    others[1].entities = "Ukraine; \xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe"
                         "\xd0\xb2; NBC";
    others[1].first_date = DAY0 + 120 * 86400;
    others[1].last_date = DAY0 + 121 * 86400;
    others[2].id = 11;
    others[2].title = "Kyiv weather";
    others[2].entities = "Kyiv; Odesa";
    others[2].first_date = TD_NO_DATE;
    others[2].last_date = TD_NO_DATE;
    stories.rows = others;
    stories.n = 3;
    CHECK(td__story_view_build(&list, &stories, 7, NULL, NULL, &v) == TD_OK);
    if (!v)
        return;
    CHECK(v->n_entities >= 2);
    if (v->n_entities >= 2) {
        CHECK_STR(v->entities[0].key, "sergei lavrov");
        CHECK(v->entities[0].n_articles == 3);
        CHECK(v->entities[0].mentions == 4);
        CHECK_STR(v->entities[1].name, "NBC News");
        CHECK(v->entities[1].n_articles == 2);
    }
    /* Story 9 shares Lavrov and ... only Лавров ("NBC" is not "NBC News"),
    ** so it is not related; a story naming Lavrov and Kyiv would be. */
    CHECK(v->n_related == 0);
    td_story_view_free(v);
    others[1].entities = "Ukraine; \xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe"
                         "\xd0\xb2; NBC News";
    CHECK(td__story_view_build(&list, &stories, 7, NULL, NULL, &v) == TD_OK);
    if (!v)
        return;
    CHECK(v->n_related == 1);
    if (v->n_related == 1) {
        CHECK(v->related[0].story == 9);
        CHECK(v->related[0].when == 1);
        CHECK(v->related[0].n_shared == 2);
        CHECK_STR(v->related[0].shared, "Sergei Lavrov; NBC News");
    }
    td_story_view_free(v);
}

/* Per hour under three days of dated articles, per day from three days;
** languages per entry, most articles first; the peak. */
TEST(timeline_by_hour_or_day)
{
    td_article_row rows[6];
    td_article_list list;
    td_story_view *v = NULL;
    rows[0] = row(1, "t1", "tr", DAY0 + 4 * 3600 + 600, 1, "", "a");
    rows[1] = row(2, "t2", "en", DAY0 + 5 * 3600, 2, "", "b");
    rows[2] = row(3, "t3", "de", DAY0 + 5 * 3600 + 1800, 3, "", "c");
    rows[3] = row(4, "t4", "en", DAY0 + 5 * 3600 + 2400, 4, "", "d");
    rows[4] = row(5, "t5", "ru", DAY0 + 30 * 3600, 5, "", "e");
    rows[5] = row(6, "t6", "en", DAY0 + 3 * 86400 + 5 * 3600, 6, "", "f");
    list.rows = rows;
    list.n = 5;
    CHECK(td__story_view_build(&list, NULL, 1, NULL, NULL, &v) == TD_OK);
    if (!v)
        return;
    CHECK(v->bucket == 3600);
    CHECK(v->n_days == 3);
    if (v->n_days == 3) {
        CHECK(v->days[0].day == DAY0 + 4 * 3600 && v->days[0].n_articles == 1);
        CHECK(v->days[1].day == DAY0 + 5 * 3600 && v->days[1].n_articles == 3);
        CHECK_STR(v->days[1].langs, "en:2,de:1");
        CHECK(v->days[2].day == DAY0 + 30 * 3600);
    }
    CHECK(v->peak_day == DAY0 + 5 * 3600);
    CHECK_STR(v->first_report, "t1");
    td_story_view_free(v);
    /* With t6 the span is three days: by the day. */
    list.n = 6;
    CHECK(td__story_view_build(&list, NULL, 1, NULL, NULL, &v) == TD_OK);
    if (!v)
        return;
    CHECK(v->bucket == 86400);
    CHECK(v->n_days == 3);
    if (v->n_days == 3) {
        CHECK(v->days[0].day == DAY0 && v->days[0].n_articles == 4);
        CHECK_STR(v->days[0].langs, "en:2,de:1,tr:1");
        CHECK(v->days[1].day == DAY0 + 86400);
        CHECK(v->days[2].day == DAY0 + 3 * 86400);
    }
    CHECK(v->peak_day == DAY0);
    td_story_view_free(v);
}

TEST(empty_story)
{
    td_article_list list;
    td_story_view *v = NULL;
    list.rows = NULL;
    list.n = 0;
    CHECK(td__story_view_build(&list, NULL, 1, NULL, NULL, &v) == TD_OK);
    CHECK(v && v->n_summary == 0 && v->n_quotes == 0 && v->n_days == 0);
    td_story_view_free(v);
    td_story_view_free(NULL);
}

int main(void)
{
    RUN(quotes_in_seven_languages);
    RUN(summary_and_quotes_grouped);
    RUN(entities_across_scripts_and_related);
    RUN(timeline_by_hour_or_day);
    RUN(empty_story);
    return check_report();
}
