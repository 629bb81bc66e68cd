/* test_dedup_attrib.c: the outlets a text credits, with hand-written
** sentences in en, de, fr, es, it, nl, no and ru: cue before or after the
** name, articles and lower-case words skipped, aliases merged. */
#include "check.h"
#include "dedup/dedup.h"

#include <string.h>

/* The top credited outlet of s, its key, and the number of outlets. */
static size_t top(const char *s, char *name, char *key, uint32_t *count)
{
    td_credit *c;
    size_t n = 0;
    name[0] = key[0] = 0;
    *count = 0;
    if (td__credits_find(s, strlen(s), &c, &n) != TD_OK)
        return (size_t)-1;
    if (n) {
        snprintf(name, 64, "%s", c[0].name);
        snprintf(key, 64, "%s", c[0].key);
        *count = c[0].count;
    }
    td__credits_free(c, n);
    return n;
}

static void expect(const char *s, const char *name, const char *key)
{
    char got_name[64], got_key[64];
    uint32_t count;
    size_t n = top(s, got_name, got_key, &count);
    if (n == 0 || strcmp(got_name, name) != 0 || strcmp(got_key, key) != 0)
        fprintf(stderr, "  in: %s\n", s);
    CHECK(n >= 1);
    CHECK_STR(got_name, name);
    CHECK_STR(got_key, key);
}

TEST(english)
{
    expect("The talks began in April, according to NBC News.", "NBC News", "nbc");
    expect("The ministry denied it, Reuters reported on Monday.", "Reuters", "reuters");
    expect("This was reported by The Guardian, citing officials.", "The Guardian", "guardian");
    expect("The minister told Reuters that no deal was near.", "Reuters", "reuters");
    expect("NBC News reports. Officials did not comment.", "NBC News", "nbc");
    expect("He said so, citing Bloomberg News.", "Bloomberg News", "bloomberg");
    expect("Nbc News disclosure: talks with Lavrov", "Nbc News", "nbc");
    expect("According to the Wall Street Journal, the deal is off.",
           "Wall Street Journal", "wall street journal");
}

TEST(other_languages)
{
    expect("Laut einem Bericht der Süddeutschen Zeitung trafen sich die Diplomaten.",
           "Süddeutschen Zeitung", "süddeutschen zeitung");
    expect("Wie der Spiegel berichtet, wurde nicht verhandelt.", "Spiegel", "spiegel");
    expect("Das Treffen fand im April statt, berichtet die ARD.", "ARD", "ard");
    expect("Selon Le Monde, les discussions ont eu lieu à New York.", "Le Monde", "monde");
    expect("D'après l'AFP, aucun accord n'a été trouvé.", "AFP", "afp");
    expect("Según El País, las conversaciones siguen en marcha.", "El País", "país");
    expect("La reunión fue secreta, informó la agencia EFE.", "EFE", "efe");
    expect("Secondo il Corriere della Sera, i colloqui sono falliti.",
           "Corriere", "corriere");
    expect("Lo riporta l'ANSA in una nota.", "ANSA", "ansa");
    expect("Volgens de NOS zijn de gesprekken mislukt.", "NOS", "nos");
    expect("Ifølge NRK møttes diplomatene i april.", "NRK", "nrk");
    expect("Samtalene var hemmelige, melder NTB.", "NTB", "ntb");
    expect("По данным ТАСС, переговоры прошли в апреле.", "ТАСС", "тасс");
    expect("Как сообщает РИА Новости, встреча прошла в Нью-Йорке.",
           "РИА News", "риа");
    expect("Об этом сообщает Интерфакс со ссылкой на источники.", "Интерфакс",
           "интерфакс");
}

TEST(aliases_and_ranking)
{
    const char *s = "Ifølge media NBC Nyheter, har en gruppe møttes. "
                    "«Ikke realistisk,» ifølge informasjon NBC News har samlet inn. "
                    "Dette melder også Aftenposten.";
    td_credit *c;
    size_t n;
    CHECK(td__credits_find(s, strlen(s), &c, &n) == TD_OK);
    CHECK(n == 2);
    if (n == 2) {
        CHECK_STR(c[0].name, "NBC News");
        CHECK_STR(c[0].key, "nbc");
        CHECK(c[0].count == 2);
        CHECK_STR(c[1].name, "Aftenposten");
    }
    td__credits_free(c, n);
    /* "NBC" and "NBC News" are one outlet, shown with its full name. */
    expect("NBC reported it. According to NBC, the talks failed. NBC News reports.",
           "NBC News", "nbc");
}

TEST(no_credit)
{
    char name[64], key[64];
    uint32_t count;
    CHECK(top("According to officials, the talks failed.", name, key, &count) == 0);
    CHECK(top("He reported nothing new.", name, key, &count) == 0);
    CHECK(top("", name, key, &count) == 0);
    CHECK(top("according to", name, key, &count) == 0);
    CHECK(top("Diplomats met in April, the ministry said.", name, key, &count) == 0);
    td__credits_free(NULL, 0);
}

int main(void)
{
    RUN(english);
    RUN(other_languages);
    RUN(aliases_and_ranking);
    RUN(no_credit);
    return check_report();
}
