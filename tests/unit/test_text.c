/*
** test_text.c: unit tests of the analyze stage (lib/text/): language id,
** normalisation, tokenization, stop words, stems, entities and numbers, and
** a throughput figure (printed, not asserted).
*/
#include "check.h"
#include "text/analyze_int.h"
#include "text/text.h"
#include "text/text_int.h"
#include "text/stopwords.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Language identification ------------------------------------------------ */

static const char *detect(const char *s, const char *hint)
{
    static char lang[8];
    td__lang_detect(s, strlen(s), hint, lang);
    return lang;
}

TEST(lang_major_languages)
{
    CHECK_STR(detect("The foreign minister said on Tuesday that the talks "
                     "would continue next week despite the disagreement "
                     "over the ceasefire.", NULL), "en");
    CHECK_STR(detect("Der Außenminister sagte am Dienstag, dass die "
                     "Gespräche trotz der Meinungsverschiedenheiten in der "
                     "nächsten Woche fortgesetzt werden.", NULL), "de");
    CHECK_STR(detect("Le ministre des Affaires étrangères a déclaré mardi "
                     "que les négociations se poursuivraient la semaine "
                     "prochaine malgré le désaccord.", NULL), "fr");
    CHECK_STR(detect("El ministro de Asuntos Exteriores dijo el martes que "
                     "las conversaciones continuarán la próxima semana a "
                     "pesar del desacuerdo.", NULL), "es");
    CHECK_STR(detect("Il ministro degli Esteri ha detto martedì che i "
                     "colloqui continueranno la prossima settimana "
                     "nonostante il disaccordo.", NULL), "it");
    CHECK_STR(detect("De minister van Buitenlandse Zaken zei dinsdag dat de "
                     "gesprekken volgende week worden voortgezet ondanks de "
                     "onenigheid.", NULL), "nl");
    CHECK_STR(detect("Utrikesministern sade på tisdagen att samtalen "
                     "kommer att fortsätta nästa vecka trots oenigheten om "
                     "vapenvilan.", NULL), "sv");
    CHECK_STR(detect("Министр иностранных дел заявил во вторник, что "
                     "переговоры продолжатся на следующей неделе, несмотря "
                     "на разногласия.", NULL), "ru");
    CHECK_STR(detect("Міністр закордонних справ заявив у вівторок, що "
                     "переговори продовжаться наступного тижня, попри "
                     "розбіжності щодо перемир'я.", NULL), "uk");
    CHECK_STR(detect("Minister spraw zagranicznych powiedział we wtorek, że "
                     "rozmowy będą kontynuowane w przyszłym tygodniu mimo "
                     "różnicy zdań.", NULL), "pl");
    CHECK_STR(detect("Dışişleri bakanı salı günü yaptığı açıklamada, "
                     "anlaşmazlığa rağmen görüşmelerin gelecek hafta devam "
                     "edeceğini söyledi.", NULL), "tr");
}

TEST(lang_norwegian_not_danish)
{
    CHECK_STR(detect("Utenriksministeren sa tirsdag at forhandlingene vil "
                     "fortsette neste uke, selv om partene fortsatt er "
                     "uenige om våpenhvilen. Regjeringen mener det er for "
                     "tidlig å si noe om utfallet, men håper at samtalene "
                     "kan føre til en avtale etter hvert.", NULL), "no");
    CHECK_STR(detect("Udenrigsministeren sagde tirsdag, at forhandlingerne "
                     "vil fortsætte i næste uge, selv om parterne stadig er "
                     "uenige om våbenhvilen. Regeringen mener, at det er for "
                     "tidligt at sige noget om udfaldet.", NULL), "da");
}

TEST(lang_short_and_empty)
{
    char lang[8];
    CHECK(td__lang_detect("", 0, NULL, lang) == 0);
    CHECK_STR(lang, "und");
    td__lang_detect(NULL, 0, NULL, lang);
    CHECK_STR(lang, "und");
    td__lang_detect("ok", 2, "nb-NO", lang);
    CHECK_STR(lang, "no");
    td__lang_detect("\xff\xfe\xfd", 3, "de", lang);
    CHECK_STR(lang, "de");
}

/* Normalisation ------------------------------------------------------------ */

static int norm_is(const char *in, const char *want)
{
    char *got = td__normalize(in, strlen(in));
    int ok = got && strcmp(got, want) == 0;
    if (!ok)
        fprintf(stderr, "    normalize(%s) = %s, want %s\n", in,
                got ? got : "(null)", want);
    free(got);
    return ok;
}

static int key_is(const char *in, const char *want)
{
    char *got = td__entity_key(in, strlen(in));
    int ok = got && strcmp(got, want) == 0;
    if (!ok)
        fprintf(stderr, "    entity_key(%s) = %s, want %s\n", in,
                got ? got : "(null)", want);
    free(got);
    return ok;
}

TEST(normalize_scripts_and_accents)
{
    CHECK(norm_is("Лавров", "lavrov"));
    CHECK(norm_is("Lavrov", "lavrov"));
    CHECK(norm_is("LAVROV", "lavrov"));
    CHECK(norm_is("Lávrov", "lavrov"));
    CHECK(norm_is("Сергей Лавров", "sergey lavrov"));
    CHECK(norm_is("Μητσοτάκης", "mitsotakis"));
    CHECK(norm_is("Αθήνα", "athina"));
    CHECK(norm_is("Straße", "strasse"));
    CHECK(norm_is("Jonas Gahr Støre", "jonas gahr store"));
    CHECK(norm_is("Erdoğan", "erdogan"));
    CHECK(norm_is("İstanbul", "istanbul"));
    CHECK(norm_is("Ｔｏｋｙｏ", "tokyo")); /* NFKC: fullwidth */
    CHECK(norm_is("", ""));
    {
        char *p = td__normalize(NULL, 0);
        CHECK_STR(p, "");
        free(p);
        p = td__normalize("a\xff" "b", 3); /* invalid byte repaired */
        CHECK(p != NULL);
        free(p);
    }
}

TEST(casefold_and_translit)
{
    char *p = td__casefold("ÉCOLE Лавров", strlen("ÉCOLE Лавров"));
    CHECK_STR(p, "école лавров");
    free(p);
    p = td__translit("Москва", strlen("Москва"));
    CHECK_STR(p, "Moskva");
    free(p);
}

TEST(entity_keys)
{
    CHECK(key_is("Haass", "has"));
    CHECK(key_is("Haas", "has"));
    CHECK(key_is("Лавров", "lavrov"));
    CHECK(key_is("O'Brien", "obrien"));
    CHECK(key_is("Sergei  Lavrov", "sergei lavrov"));
    CHECK(key_is("Mississippi", "misisipi"));
}

/* Tokenization ----------------------------------------------------------- */

static int token_is(const char *s, const td_token *t, const char *want)
{
    return t->len == strlen(want) && memcmp(s + t->start, want, t->len) == 0;
}

TEST(tokenize_english)
{
    const char *s = "Sergei Lavrov met Blinken. Talks lasted 3,000 hours!\n"
                    "then more";
    td_token *t = NULL;
    size_t n = 0;
    CHECK(td__tokenize(s, strlen(s), &t, &n) == TD_OK);
    CHECK(n == 10);
    if (n == 10) {
        CHECK(token_is(s, &t[0], "Sergei"));
        CHECK(t[0].sent_start && t[0].is_upper && !t[0].is_number);
        CHECK(token_is(s, &t[1], "Lavrov") && !t[1].sent_start);
        CHECK(token_is(s, &t[4], "Talks") && t[4].sent_start);
        CHECK(token_is(s, &t[6], "3,000") && t[6].is_number);
        CHECK(token_is(s, &t[8], "then") && t[8].sent_start &&
              !t[8].is_upper);
    }
    free(t);
}

TEST(tokenize_russian_norwegian)
{
    const char *ru = "Сергей Лавров заявил, что переговоры продолжатся.";
    const char *no = "Utenriksministeren sa at forhandlingene vil fortsette "
                     "i Bodø.";
    td_token *t = NULL;
    size_t n = 0;
    CHECK(td__tokenize(ru, strlen(ru), &t, &n) == TD_OK);
    CHECK(n == 6);
    if (n == 6) {
        CHECK(token_is(ru, &t[1], "Лавров") && t[1].is_upper);
        CHECK(token_is(ru, &t[5], "продолжатся") && !t[5].is_upper);
    }
    free(t);
    CHECK(td__tokenize(no, strlen(no), &t, &n) == TD_OK);
    CHECK(n == 8);
    if (n == 8)
        CHECK(token_is(no, &t[7], "Bodø"));
    free(t);
}

TEST(tokenize_elision)
{
    const char *s = "Il est à l'Élysée, dell'Unione; they're here.";
    td_token *t = NULL;
    size_t n = 0;
    CHECK(td__tokenize(s, strlen(s), &t, &n) == TD_OK);
    CHECK(n == 7);
    if (n == 7) {
        CHECK(token_is(s, &t[3], "Élysée") && t[3].is_upper);
        CHECK(token_is(s, &t[4], "Unione") && t[4].is_upper);
        CHECK(token_is(s, &t[5], "they're"));
    }
    free(t);
}

TEST(tokenize_hostile)
{
    const char *s = "\xef\xbf\xbd\xff\xfe abc \xe2\x80 def \xf0\x9f\x98\x80!";
    td_token *t = NULL;
    size_t n = 0, i;
    CHECK(td__tokenize(s, strlen(s), &t, &n) == TD_OK);
    for (i = 0; i < n; i++)
        CHECK(t[i].start + t[i].len <= strlen(s));
    free(t);
    CHECK(td__tokenize("", 0, &t, &n) == TD_OK && n == 0);
    free(t);
    CHECK(td__tokenize(NULL, 0, &t, &n) == TD_OK && n == 0);
    free(t);
}

/* 1 when the fast segmenter and ICU give the same tokens for s. */
static int same_as_icu(const char *s)
{
    td_tokenizer fast, icu;
    td_token *a = NULL, *b = NULL;
    size_t na = 0, nb = 0, ca = 0, cb = 0, i, len = strlen(s);
    int same;
    td__tokenizer_init(&fast);
    td__tokenizer_init(&icu);
    icu.icu_only = 1;
    same = td__tokenizer_run(&fast, s, len, &a, &na, &ca, (size_t)-1) == TD_OK &&
           td__tokenizer_run(&icu, s, len, &b, &nb, &cb, (size_t)-1) == TD_OK &&
           na == nb;
    for (i = 0; same && i < na; i++)
        same = a[i].start == b[i].start && a[i].len == b[i].len &&
               a[i].is_upper == b[i].is_upper &&
               a[i].is_number == b[i].is_number &&
               a[i].sent_start == b[i].sent_start;
    if (!same)
        fprintf(stderr, "  fast and ICU segment differently: %.60s\n", s);
    free(a);
    free(b);
    td__tokenizer_free(&fast);
    td__tokenizer_free(&icu);
    return same;
}

/* The direct UAX #29 segmenter must agree with ICU's word break iterator on
** the cases its rules name and on the whole sample corpus. */
TEST(tokenize_fast_path_matches_icu)
{
    static const char *const cases[] = {
        "U.S. officials, e.g. the F.B.I., said 1,000.5 or 3.x; 10:30 a.m.",
        "don't l'Élysée l\u2019Unione they\u2019re Russia\u2019s rock'n'roll",
        "@TheAcademy wrote to jane.doe@example.com and @ 09:29 pm",
        "a_b __ ____ _ x_ _y snake_case_name 3_000",
        "Фото:pxhere.com России:Вратари «Лавров» — Зеленский, 2023 г.",
        "Cafe\xcc\x81 nai\xcc\x88ve soft\xc2\xadhyphen zero\xe2\x80\x8bwidth",
        "10\xe2\x80\xaf" "000 euros, 1.5.2023, v2.0-beta, 4x4, CO2, 9/11",
        "Ελλάδα: Ο Μητσοτάκης είπε «όχι». Հայաստան ქართული العربية 123",
        "\xef\xbf\xbd\xff\xfe abc \xe2\x80 def \xf0\x9f\x98\x80! ok.",
        "Mid.dle a.1 1.a 1'000 x'y 'quoted' ''double'' x.. y.",
        "Line one\nLine two\r\nTHREE? four! five\xe2\x80\xa6 six",
    };
    static const char *const files[] = {
        "samples/corpus/news.jsonl", "samples/corpus/txt/flood-blog.txt",
        "samples/corpus/txt/quake-farm-copy.txt",
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK(same_as_icu(cases[i]));
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *text = check_read_file(files[i]);
        CHECK(text != NULL);
        if (text)
            CHECK(same_as_icu(text));
        free(text);
    }
}

/* Stop words and stems --------------------------------------------------- */

TEST(stopwords)
{
    CHECK(td__is_stopword("en", "the", 3));
    CHECK(td__is_stopword("en", "said", 4));
    CHECK(!td__is_stopword("en", "minister", 8));
    CHECK(td__is_stopword("no", "og", 2));
    CHECK(td__is_stopword("ru", "что", strlen("что")));
    CHECK(td__is_stopword("de", "dass", 4));
    CHECK(td__is_stopword("pl", "się", strlen("się")));
    CHECK(td__is_stopword("cs", "který", strlen("který")));
    CHECK(td__is_stopword("uk", "що", strlen("що")));
    CHECK(!td__is_stopword("xx", "the", 3));
    CHECK(!td__is_stopword(NULL, "the", 3));
    CHECK(!td__is_stopword("en", "th", 2));
    CHECK(!td__is_stopword("en", "thee", 4));
    /* The last language's list is remembered: switching must not reuse it. */
    CHECK(td__is_stopword("de", "die", 3));
    CHECK(!td__is_stopword("en", "die", 3));
    CHECK(td__is_stopword("de", "die", 3));
    CHECK(!td__is_stopword("", "die", 3));
    CHECK(!td__is_stopword("deutsch-de", "die", 3));
}

/* Every word of every generated list is found, under its own language
** only (a word of one list is not a stop word of a list that lacks it),
** and a prefix of a listed word is not (unless listed itself). */
TEST(stopwords_every_list)
{
    size_t l, i, missing = 0, wrong_lang = 0, prefix = 0;
    for (l = 0; l < td__n_stoplists; l++) {
        const td_stoplist *a = &td__stoplists[l];
        const td_stoplist *b = &td__stoplists[(l + 1) % td__n_stoplists];
        for (i = 0; i < a->n; i++) {
            const char *w = a->words[i];
            size_t j, len = strlen(w), in_b = 0;
            missing += !td__is_stopword(a->lang, w, len);
            for (j = 0; j < b->n; j++)
                in_b |= strcmp(b->words[j], w) == 0;
            wrong_lang += td__is_stopword(b->lang, w, len) != (int)in_b;
            if (len > 1) {
                size_t listed = 0;
                for (j = 0; j < a->n; j++)
                    listed |= strlen(a->words[j]) == len - 1 &&
                              memcmp(a->words[j], w, len - 1) == 0;
                prefix += td__is_stopword(a->lang, w, len - 1) != (int)listed;
            }
        }
    }
    CHECK(td__n_stoplists >= 16);
    CHECK(missing == 0);
    CHECK(wrong_lang == 0);
    CHECK(prefix == 0);
}

static int stem_is(td_stemmer *st, const char *lang, const char *w,
                   const char *want)
{
    size_t n;
    const char *s = td__stem(st, lang, w, strlen(w), &n);
    int ok = n == strlen(want) && memcmp(s, want, n) == 0;
    if (!ok)
        fprintf(stderr, "    stem(%s, %s) = %.*s, want %s\n", lang, w,
                (int)n, s, want);
    return ok;
}

TEST(stems)
{
    td_stemmer *st = td__stemmer_new();
    CHECK(st != NULL);
    CHECK(stem_is(st, "en", "negotiations", "negoti"));
    CHECK(stem_is(st, "en", "negotiating", "negoti"));
    CHECK(stem_is(st, "ru", "переговоры", "переговор"));
    CHECK(stem_is(st, "no", "forhandlingene", "forhandling"));
    CHECK(stem_is(st, "pl", "rozmowy", "rozmowy")); /* no stemmer: kept */
    CHECK(stem_is(st, NULL, "words", "words"));
    td__stemmer_free(st);
    td__stemmer_free(NULL);
}

/* Analysis --------------------------------------------------------------- */

static const td_term *find_term(const td_analysis *an, td_term_kind kind,
                                const char *text)
{
    uint64_t key = td__term_key(kind, text, strlen(text));
    size_t i;
    for (i = 0; i < an->n_terms; i++)
        if (an->terms[i].key == key)
            return &an->terms[i];
    return NULL;
}

static const td_entity *find_entity(const td_analysis *an, const char *norm)
{
    size_t i;
    for (i = 0; i < an->n_entities; i++)
        if (strcmp(an->entities[i].norm, norm) == 0)
            return &an->entities[i];
    return NULL;
}

TEST(analyze_english)
{
    td_analyzer *az = td__analyzer_new();
    td_analysis an;
    size_t i;
    const td_term *t;
    CHECK(az != NULL);
    CHECK(td__analyze(az, "Lavrov says talks with Kyiv will go on",
                      "Russian Foreign Minister Sergei Lavrov said on "
                      "Tuesday that negotiations with Ukraine would "
                      "continue. The talks in Geneva lasted 12 hours, and "
                      "1,500 people protested. Lavrov added that Ukraine "
                      "must accept the terms. Talks resume on Friday.",
                      NULL, &an) == TD_OK);
    CHECK_STR(an.lang, "en");
    CHECK(an.n_tokens > 30);
    for (i = 1; i < an.n_terms; i++)
        CHECK(an.terms[i - 1].key < an.terms[i].key);
    t = find_term(&an, TD_TERM_WORD, "negoti");
    CHECK(t && t->count == 1 && t->title_count == 0);
    t = find_term(&an, TD_TERM_WORD, "talk");
    CHECK(t && t->count == 3 && t->title_count == 1 && t->first_pos == 2);
    CHECK(find_term(&an, TD_TERM_WORD, "the") == NULL);
    t = find_term(&an, TD_TERM_ENTITY, "lavrov");
    CHECK(t && t->count >= 2);
    CHECK(find_term(&an, TD_TERM_NUMBER, "12") != NULL);
    CHECK(find_term(&an, TD_TERM_NUMBER, "1500") != NULL);
    {
        const td_entity *e = find_entity(&an, "sergei lavrov");
        CHECK(e && strcmp(e->display, "Sergei Lavrov") == 0);
        e = find_entity(&an, "ukraine");
        CHECK(e && e->count == 2);
        CHECK(find_entity(&an, "geneva") != NULL);
        /* Sentence-initial words that are not names. */
        CHECK(find_entity(&an, "talks") == NULL);
        CHECK(find_entity(&an, "says") == NULL);
    }
    for (i = 1; i < an.n_entities; i++)
        CHECK(an.entities[i - 1].count >= an.entities[i].count);
    td__analysis_clear(&an);
    td__analyzer_free(az);
}

TEST(analyze_cross_script_entity)
{
    td_analyzer *az = td__analyzer_new();
    td_analysis en, ru;
    const td_term *a, *b;
    CHECK(td__analyze(az, NULL, "Foreign Minister Sergei Lavrov spoke to "
                      "reporters in Moscow.", NULL, &en) == TD_OK);
    CHECK(td__analyze(az, NULL, "Министр иностранных дел Сергей Лавров "
                      "заявил журналистам в Москве, что переговоры "
                      "продолжатся.", NULL, &ru) == TD_OK);
    CHECK_STR(ru.lang, "ru");
    a = find_term(&en, TD_TERM_ENTITY, "lavrov");
    b = find_term(&ru, TD_TERM_ENTITY, "lavrov");
    CHECK(a != NULL && b != NULL);
    CHECK(find_entity(&ru, "sergey lavrov") != NULL);
    CHECK(find_term(&ru, TD_TERM_WORD, "переговор") != NULL);
    td__analysis_clear(&en);
    td__analysis_clear(&ru);
    td__analyzer_free(az);
}

/* A translation's names and numbers give the same anchors in the same
** order: transliterated spellings meet by their consonant skeleton
** (Rossiya/Russia, Vashington/Washington, Aleksandr/Alexander), a number
** grouped by spaces meets its comma form, an ordinal ("24th") its number,
** a Japanese number with a multiplier its digits. Kinds: names, numbers,
** and one-digit numbers apart. */
TEST(analyze_anchors_across_languages)
{
    td_analyzer *az = td__analyzer_new();
    td_analysis en, ru, other;
    uint32_t i;
    CHECK(td__analyze(az, NULL, "On Monday officials in Russia told "
                      "Washington that Alexander Petrov counted 15,785,641 "
                      "votes on the 24th, and 3 more.", NULL, &en) == TD_OK);
    CHECK(td__analyze(az, NULL, "В понедельник власти в России сообщили "
                      "Вашингтону, что Александр Петров насчитал "
                      "15 785 641 голос 24 июля, и ещё 3.", NULL, &ru) ==
          TD_OK);
    CHECK_STR(ru.lang, "ru");
    CHECK(en.n_anchors == 7 && ru.n_anchors == 7);
    for (i = 0; i < en.n_anchors && i < ru.n_anchors; i++)
        CHECK(en.anchors[i] == ru.anchors[i]);
    if (en.n_anchors == 7) {
        CHECK(TD_ANCHOR_KIND(en.anchors[0]) == TD_ANCHOR_NAME);
        CHECK(TD_ANCHOR_KIND(en.anchors[4]) == TD_ANCHOR_NUMBER);
        CHECK(TD_ANCHOR_KIND(en.anchors[5]) == TD_ANCHOR_NUMBER);
        CHECK(TD_ANCHOR_KIND(en.anchors[6]) == TD_ANCHOR_DIGIT);
    }
    /* Other names and numbers do not meet them: 15 785 and 641 apart. */
    CHECK(td__analyze(az, NULL, "On Monday officials in Belarus told "
                      "Warsaw that Boris Popov counted 15 785, then 641 "
                      "on the 25th.", NULL, &other) == TD_OK);
    for (i = 0; i < other.n_anchors; i++) {
        uint32_t j;
        for (j = 0; j < en.n_anchors; j++)
            CHECK(other.anchors[i] != en.anchors[j]);
    }
    td__analysis_clear(&en);
    td__analysis_clear(&ru);
    td__analysis_clear(&other);
    /* Japanese numbers with their multiplier: 20万6737 is 206,737. */
    CHECK(td__analyze(az, NULL, "In the end Tokyo counted 206,737 people, "
                      "and the ticket cost 4,000 yen.", NULL, &en) == TD_OK);
    CHECK(td__analyze(az, NULL, "東京都では２０万６７３７人が参加し、"
                      "チケットは4千円だった。", NULL, &other) == TD_OK);
    CHECK_STR(other.lang, "ja");
    CHECK(en.n_anchors == 3 && other.n_anchors == 2);
    if (en.n_anchors == 3 && other.n_anchors == 2)
        CHECK(other.anchors[0] == en.anchors[1] &&
              other.anchors[1] == en.anchors[2]);
    td__analysis_clear(&en);
    td__analysis_clear(&other);
    td__analyzer_free(az);
}

TEST(analyze_spelling_drift)
{
    td_analyzer *az = td__analyzer_new();
    td_analysis a, b;
    CHECK(td__analyze(az, NULL, "The diplomat Richard Haass warned that "
                      "talks could fail.", "en", &a) == TD_OK);
    CHECK(td__analyze(az, NULL, "The diplomat Richard Haas warned that "
                      "talks could fail.", "en", &b) == TD_OK);
    CHECK(find_term(&a, TD_TERM_ENTITY, "has") != NULL);
    CHECK(find_term(&b, TD_TERM_ENTITY, "has") != NULL);
    CHECK(a.n_entities == 1 && b.n_entities == 1);
    if (a.n_entities == 1 && b.n_entities == 1)
        CHECK(a.entities[0].key == b.entities[0].key);
    td__analysis_clear(&a);
    td__analysis_clear(&b);
    td__analyzer_free(az);
}

TEST(analyze_name_spans)
{
    td_analyzer *az = td__analyzer_new();
    td_analysis an;
    CHECK(td__analyze(az, "Talks in New York",
                      "Officials met in New York on Monday with Richard "
                      "Haass of the Council on Foreign Relations and Ursula "
                      "von der Leyen. Senator Bernie Sanders of Vermont "
                      "wrote to the Bank of England, said The Washington "
                      "Post. Expert on NATO issues, he said. Foreign "
                      "Minister Sergei Lavrov and CIA Director William "
                      "Burns did not comment. Lavrov of Russia spoke for "
                      "Moscow. Both Chief Justice John Roberts and Attorney "
                      "General Merrick Garland drove cars made by General "
                      "Motors.",
                      NULL, &an) == TD_OK);
    /* A capitalised stop word begins a name; lower-case connectors join
    ** a one-word start to the rest. */
    CHECK(find_entity(&an, "new york") != NULL);
    CHECK(find_entity(&an, "york") == NULL);
    CHECK(find_entity(&an, "council on foreign relations") != NULL);
    CHECK(find_entity(&an, "ursula von der leyen") != NULL);
    CHECK(find_entity(&an, "bank of england") != NULL);
    /* Not after a name of two words, nor before a title. */
    CHECK(find_entity(&an, "bernie sanders") != NULL);
    CHECK(find_entity(&an, "vermont") != NULL);
    CHECK(find_entity(&an, "richard haass") != NULL);
    CHECK(find_entity(&an, "lavrov of russia") == NULL);
    CHECK(find_entity(&an, "russia") != NULL);
    /* Determiners begin no name; a sentence's first word does not go on
    ** over a connector. */
    CHECK(find_entity(&an, "washington post") != NULL);
    CHECK(find_entity(&an, "nato") != NULL);
    CHECK(find_entity(&an, "expert on nato") == NULL);
    /* "Foreign" is a title only before "Minister"; "Director" is one. */
    CHECK(find_entity(&an, "sergei lavrov") != NULL);
    CHECK(find_entity(&an, "william burns") != NULL);
    /* "General" is a title only after another: not in "General Motors". */
    CHECK(find_entity(&an, "john roberts") != NULL);
    CHECK(find_entity(&an, "merrick garland") != NULL);
    CHECK(find_entity(&an, "general motors") != NULL);
    /* The stop words of a name give no entity term. */
    CHECK(find_term(&an, TD_TERM_ENTITY, "york") != NULL);
    CHECK(find_term(&an, TD_TERM_ENTITY, "new") == NULL);
    CHECK(find_term(&an, TD_TERM_ENTITY, "of") == NULL);
    CHECK(find_term(&an, TD_TERM_ENTITY, "on") == NULL);
    td__analysis_clear(&an);
    td__analyzer_free(az);
}

TEST(analyze_name_families)
{
    td_analyzer *az = td__analyzer_new();
    td_analysis an;
    const td_entity *e;
    CHECK(td__analyze(az, "Talks in Geneva",
                      "Foreign Minister Sergei Lavrov met the envoys on "
                      "Monday. The Kremlin said Sergey Lavrov would stay. "
                      "Officials said Lavrov was tired, and Sergei Lavrov "
                      "left. Hillary Clinton spoke first, and later Bill "
                      "Clinton and Hillary Clinton met reporters; Clinton "
                      "smiled. The United Nations Security Council met "
                      "while the Council of Europe waited. Officials in "
                      "Russia welcomed the US-Russia talks. Jing Li and Li "
                      "met.",
                      NULL, &an) == TD_OK);
    /* Two spellings with one first letter and the lone surname are one
    ** name, shown as the most mentioned spelling. */
    e = find_entity(&an, "sergei lavrov");
    CHECK(e && e->count == 4);
    CHECK(e && strcmp(e->display, "Sergei Lavrov") == 0);
    CHECK(find_entity(&an, "sergey lavrov") == NULL);
    CHECK(find_entity(&an, "lavrov") == NULL);
    /* Two Clintons: the lone surname goes to the most mentioned. */
    e = find_entity(&an, "hillary clinton");
    CHECK(e && e->count == 3);
    e = find_entity(&an, "bill clinton");
    CHECK(e && e->count == 1);
    /* Organisations and compounds are no families of their last word, and
    ** a surname of under TD_FAMILY_MIN bytes never merges. */
    CHECK(find_entity(&an, "united nations security council") != NULL);
    CHECK(find_entity(&an, "russia") != NULL);
    CHECK(find_entity(&an, "us russia") != NULL);
    CHECK(find_entity(&an, "jing li") != NULL && find_entity(&an, "li"));
    td__analysis_clear(&an);
    /* A place keeps its own count beside an organisation or a region
    ** named after it; particles do not count as a name's words. */
    CHECK(td__analyze(az, "Banks",
                      "Officials of the Bank of England met in England. "
                      "Leaders of South Korea spoke of Korea. Then Ursula "
                      "von der Leyen spoke, and von der Leyen left; Leyen "
                      "smiled.",
                      NULL, &an) == TD_OK);
    e = find_entity(&an, "england");
    CHECK(e && e->count == 1);
    e = find_entity(&an, "korea");
    CHECK(e && e->count == 1);
    e = find_entity(&an, "ursula von der leyen");
    CHECK(e && e->count >= 2);
    CHECK(find_entity(&an, "leyen") == NULL);
    td__analysis_clear(&an);
    /* Nationality words go to their place when the article names it. */
    CHECK(td__analyze(az, "Troops",
                      "Officials in Russia said Russian troops and Russians "
                      "left, and in Ukraine the Ukrainian army stayed; both "
                      "China and Chinese firms, both Israel and Israeli "
                      "forces. Jordan Smith met Jordanian officials. The "
                      "Canadian team flew home. Officials in the US said "
                      "American and Swiss banks in Switzerland agreed.",
                      NULL, &an) == TD_OK);
    e = find_entity(&an, "russia");
    CHECK(e && e->count == 3);
    e = find_entity(&an, "ukraine");
    CHECK(e && e->count == 2);
    CHECK(find_entity(&an, "russian") == NULL);
    CHECK(find_entity(&an, "chinese") == NULL);
    CHECK(find_entity(&an, "israeli") == NULL);
    /* And the irregular ones. */
    e = find_entity(&an, "us");
    CHECK(e && e->count == 2);
    CHECK(find_entity(&an, "american") == NULL);
    e = find_entity(&an, "switzerland");
    CHECK(e && e->count == 2);
    /* No one-word "Jordan", no "Canada": they stay. */
    CHECK(find_entity(&an, "jordanian") != NULL);
    CHECK(find_entity(&an, "canadian") != NULL);
    td__analysis_clear(&an);
    /* A short form goes to its long one, and a nationality word after. */
    CHECK(td__analyze(az, "Troops",
                      "Officials in the US said American troops would leave "
                      "the United States on Monday.",
                      NULL, &an) == TD_OK);
    e = find_entity(&an, "united states");
    CHECK(e && e->count == 3);
    CHECK(find_entity(&an, "us") == NULL);
    td__analysis_clear(&an);
    /* In Cyrillic too, and after a no-break space. */
    CHECK(td__analyze(az, "Переговоры",
                      "В среду Сергей Лавров заявил, что Лавров "
                      "встретится с коллегами. Потом Сергей\xC2\xA0Лавров "
                      "уехал.",
                      "ru", &an) == TD_OK);
    e = find_entity(&an, "sergey lavrov");
    CHECK(e && e->count == 3);
    CHECK(find_entity(&an, "lavrov") == NULL);
    td__analysis_clear(&an);
    td__analyzer_free(az);
}

TEST(analyze_german_nouns)
{
    td_analyzer *az = td__analyzer_new();
    td_analysis an;
    CHECK(td__analyze(az, "Scholz trifft Macron in Paris",
                      "Bundeskanzler Olaf Scholz hat am Montag den "
                      "französischen Präsidenten Emmanuel Macron getroffen. "
                      "Die Regierung sagte, die Gespräche seien gut "
                      "verlaufen. Auch die Regierung in Paris sprach von "
                      "einem guten Treffen. Scholz und Macron wollen sich im "
                      "Sommer wieder treffen, sagte Scholz.",
                      NULL, &an) == TD_OK);
    CHECK_STR(an.lang, "de");
    /* The lone "Scholz" (three times, the title's too) and "Macron" (twice)
    ** are counted with the full names. */
    CHECK(find_entity(&an, "olaf scholz") != NULL &&
          find_entity(&an, "olaf scholz")->count == 4);
    CHECK(find_entity(&an, "emmanuel macron") != NULL &&
          find_entity(&an, "emmanuel macron")->count == 3);
    CHECK(find_entity(&an, "scholz") == NULL);
    CHECK(find_entity(&an, "regierung") == NULL);
    CHECK(find_entity(&an, "sommer") == NULL);
    CHECK(find_entity(&an, "treffen") == NULL);
    td__analysis_clear(&an);
    td__analyzer_free(az);
}

TEST(analyze_norwegian)
{
    td_analyzer *az = td__analyzer_new();
    td_analysis an;
    CHECK(td__analyze(az, "Støre møtte Zelenskyj i Oslo",
                      "Statsminister Jonas Gahr Støre sa tirsdag at "
                      "forhandlingene med Ukraina vil fortsette. Regjeringen "
                      "mener det er for tidlig å si noe om utfallet, men "
                      "Støre håper at samtalene kan føre til en avtale.",
                      NULL, &an) == TD_OK);
    CHECK_STR(an.lang, "no");
    CHECK(find_term(&an, TD_TERM_WORD, "forhandling") != NULL);
    CHECK(find_term(&an, TD_TERM_ENTITY, "store") != NULL);
    CHECK(find_entity(&an, "jonas gahr store") != NULL);
    td__analysis_clear(&an);
    td__analyzer_free(az);
}

TEST(analyze_empty_and_hostile)
{
    td_analyzer *az = td__analyzer_new();
    td_analysis an;
    char big[5000];
    size_t i;
    CHECK(td__analyze(az, NULL, NULL, NULL, &an) == TD_OK);
    CHECK_STR(an.lang, "und");
    CHECK(an.n_terms == 0 && an.n_entities == 0 && an.n_tokens == 0);
    td__analysis_clear(&an);
    CHECK(td__analyze(az, "", "", "fr", &an) == TD_OK);
    CHECK_STR(an.lang, "fr");
    td__analysis_clear(&an);
    CHECK(td__analyze(az, "\xef\xbf\xbd\xef\xbf\xbd",
                      "A\xff\xfe B\xe2\x80 C \xef\xbf\xbd Д \xf0\x9f\x98\x80"
                      " 北京 اﻟﻌﺮﺑﻴﺔ 12.5.2024",
                      NULL, &an) == TD_OK);
    td__analysis_clear(&an);
    for (i = 0; i < sizeof big - 1; i++)
        big[i] = "Ab C. "[i % 6];
    big[sizeof big - 1] = '\0';
    CHECK(td__analyze(az, big, big, NULL, &an) == TD_OK);
    td__analysis_clear(&an);
    CHECK(td__analyze(NULL, "a", "b", NULL, &an) == TD_EINVAL);
    td__analyzer_free(az);
    td__analyzer_free(NULL);
}

/* The per-article caps (README "Limits"): past AZ_MAX_TOKENS tokens the
** rest of a text is ignored, and entities (one per distinct name) stay
** within the tokens read. Sentences naming thousands of people. */
TEST(analyze_caps)
{
    td_analyzer *az = td__analyzer_new();
    td_buf text;
    td_analysis an;
    unsigned i = 0;
    char sent[96];
    CHECK(az != NULL);
    td__buf_init(&text, TD_MAX_FIELD);
    while (text.len < 3500000) {
        /* "Then Kabe Lodu met a b c ...": distinct two-word names, and
        ** short words so that 3.5 MB hold more than AZ_MAX_TOKENS. */
        int n = snprintf(sent, sizeof sent,
                         "Then K%c%c%c L%c%c%c met a b c d e f g h i j k l m "
                         "n o p. ",
                         'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676 % 26,
                         'a' + i % 23, 'a' + i / 23 % 23, 'e' + i % 5);
        CHECK(td__buf_append(&text, sent, (size_t)n) == TD_OK);
        i++;
    }
    CHECK(td__analyze(az, "Caps", text.data, "en", &an) == TD_OK);
    CHECK(an.n_tokens == AZ_MAX_TOKENS);
    if (an.n_tokens != AZ_MAX_TOKENS)
        fprintf(stderr, "  n_tokens %u, entities %zu\n", an.n_tokens,
                an.n_entities);
    CHECK(an.n_entities > 1000 && an.n_entities <= AZ_MAX_TOKENS);
    td__analysis_clear(&an);
    td__buf_free(&text);
    td__analyzer_free(az);
}

/* Throughput: printed, never asserted (see bench/ for the real figure). */
TEST(analyze_throughput)
{
    static const char para[] =
        "Russian Foreign Minister Sergei Lavrov said on Tuesday that talks "
        "with Ukraine over a ceasefire would continue next week in Geneva, "
        "despite deep disagreement over the terms of a prisoner exchange. "
        "Speaking to reporters after a meeting with his Turkish counterpart "
        "Hakan Fidan, Lavrov said the negotiations had made some progress "
        "but that many questions remained open. The United Nations welcomed "
        "the announcement and urged both sides to agree on humanitarian "
        "corridors for civilians in the east of the country. ";
    td_analyzer *az = td__analyzer_new();
    td_buf text;
    td_analysis an;
    clock_t t0;
    int i, rounds = 1000;
    double ms;
    td__buf_init(&text, 1 << 16);
    while (text.len < 3000)
        td__buf_append(&text, para, sizeof para - 1);
    t0 = clock();
    for (i = 0; i < rounds; i++) {
        if (td__analyze(az, "Lavrov says ceasefire talks will continue",
                        text.data, NULL, &an) != TD_OK)
            break;
        td__analysis_clear(&an);
    }
    ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC / rounds;
    CHECK(i == rounds);
    printf("analyze: %.3f ms per %zu-byte English article\n", ms, text.len);
    td__buf_free(&text);
    td__analyzer_free(az);
}

int main(void)
{
    RUN(lang_major_languages);
    RUN(lang_norwegian_not_danish);
    RUN(lang_short_and_empty);
    RUN(normalize_scripts_and_accents);
    RUN(casefold_and_translit);
    RUN(entity_keys);
    RUN(tokenize_english);
    RUN(tokenize_russian_norwegian);
    RUN(tokenize_elision);
    RUN(tokenize_hostile);
    RUN(tokenize_fast_path_matches_icu);
    RUN(stopwords);
    RUN(stopwords_every_list);
    RUN(stems);
    RUN(analyze_english);
    RUN(analyze_cross_script_entity);
    RUN(analyze_anchors_across_languages);
    RUN(analyze_spelling_drift);
    RUN(analyze_name_spans);
    RUN(analyze_name_families);
    RUN(analyze_german_nouns);
    RUN(analyze_norwegian);
    RUN(analyze_empty_and_hostile);
    RUN(analyze_caps);
    RUN(analyze_throughput);
    return check_report();
}
