/*
** test_dict.c: the English-pivot dictionaries (lib/text/dict.c): a lookup in
** every language of the generated table, compounds found by their head, and
** German, Norwegian and English sentences about one event sharing pivots.
*/
#include "check.h"

#include "text/dict.h"
#include "text/text.h"

#include <stdlib.h>

/* 1 when the lookup of stem in lang gives the English stem want. */
static int translates(const char *lang, const char *stem, const char *want)
{
    td_pivot out[TD_DICT_SENSES];
    size_t n = td__dict_lookup(td__dict_get(lang), stem, strlen(stem), out);
    size_t i;
    for (i = 0; i < n; i++)
        if (out[i].len == strlen(want) && memcmp(out[i].stem, want, out[i].len) == 0)
            return 1;
    return 0;
}

TEST(every_language_looks_up_its_first_entry)
{
    size_t i;
    CHECK(td__dict_n_sources >= 10);
    for (i = 0; i < td__dict_n_sources; i++) {
        const td_dict_source *src = &td__dict_sources[i];
        const td_dict *dict = td__dict_get(src->lang);
        const char *line = src->chunks[0];
        td_pivot out[TD_DICT_SENSES];
        size_t len = strcspn(line, " ");
        size_t n = td__dict_lookup(dict, line, len, out);
        CHECK(dict != NULL);
        CHECK(n >= 1 && n <= TD_DICT_SENSES);
        CHECK(n && out[0].key == td__term_key(TD_TERM_PIVOT, out[0].stem,
                                              out[0].len));
        CHECK(td__dict_get(src->lang) == dict); /* built once */
    }
}

TEST(known_words)
{
    CHECK(translates("de", "verhandl", "negoti"));
    CHECK(translates("de", "krieg", "war"));
    CHECK(translates("fr", "guerr", "war"));
    CHECK(translates("es", "guerr", "war"));
    CHECK(translates("nl", "oorlog", "war"));
    CHECK(translates("no", "forhandl", "negoti"));
    CHECK(translates("sv", "krig", "war"));
    /* A compound missing from the table is found by its head. */
    CHECK(translates("de", "friedensverhandl", "negoti"));
}

TEST(unknown_and_missing)
{
    td_pivot out[TD_DICT_SENSES];
    CHECK(td__dict_get("en") == NULL);
    CHECK(td__dict_get("ja") == NULL);
    CHECK(td__dict_get(NULL) == NULL);
    CHECK(td__dict_lookup(NULL, "krieg", 5, out) == 0);
    CHECK(td__dict_lookup(td__dict_get("de"), "qqqqqq", 6, out) == 0);
    CHECK(td__dict_lookup(td__dict_get("de"), "", 0, out) == 0);
}

/* 1 when the analysis has the pivot term of English stem. */
static int has_pivot(const td_analysis *an, const char *stem)
{
    uint64_t key = td__term_key(TD_TERM_PIVOT, stem, strlen(stem));
    size_t i;
    for (i = 0; i < an->n_terms; i++)
        if (an->terms[i].key == key && an->terms[i].kind == TD_TERM_PIVOT)
            return 1;
    return 0;
}

TEST(german_norwegian_and_english_share_pivots)
{
    td_analyzer *az = td__analyzer_new();
    td_analysis de, no, en;
    CHECK(az != NULL);
    if (!az)
        return;
    CHECK(td__analyze(az, "Verhandlungen über den Krieg",
                      "Die Regierung hat am Montag neue Verhandlungen über "
                      "den Krieg angekündigt. Die Verhandlungen sollen in "
                      "der nächsten Woche beginnen.", "de", &de) == TD_OK);
    CHECK(td__analyze(az, "Forhandlinger om krigen",
                      "Regjeringen kunngjorde mandag nye forhandlinger om "
                      "krigen. Forhandlingene skal begynne neste uke.", "no",
                      &no) == TD_OK);
    CHECK(td__analyze(az, "Negotiations on the war",
                      "The government announced new negotiations on the war "
                      "on Monday. The negotiations will begin next week.",
                      "en", &en) == TD_OK);
    CHECK_STR(de.lang, "de");
    CHECK_STR(no.lang, "no");
    CHECK_STR(en.lang, "en");
    CHECK(has_pivot(&en, "negoti"));
    CHECK(has_pivot(&de, "negoti"));
    CHECK(has_pivot(&no, "negoti"));
    CHECK(has_pivot(&en, "war"));
    CHECK(has_pivot(&de, "war"));
    /* eng-nor, inverted, gives "krig" only as "warrior": no "war". */
    CHECK(has_pivot(&de, "govern") && has_pivot(&en, "govern"));
    td__analysis_clear(&de);
    td__analysis_clear(&no);
    td__analysis_clear(&en);
    td__analyzer_free(az);
}

int main(void)
{
    RUN(every_language_looks_up_its_first_entry);
    RUN(known_words);
    RUN(unknown_and_missing);
    RUN(german_norwegian_and_english_share_pivots);
    return check_report();
}
