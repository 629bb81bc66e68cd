/* test_dateline.c: finding a dateline (the first full date) near the top of
** a text, in several languages and formats, and not finding partial dates. */
#include "check.h"
#include "util/util.h"

#include <string.h>

static int64_t find(const char *s)
{
    int64_t t = 0;
    if (td__date_find(s, strlen(s), 300, &t) != TD_OK)
        return -1;
    return t;
}

static int64_t ymd(const char *iso)
{
    int64_t t = 0;
    td_date_parse(iso, &t);
    return t;
}

TEST(english_forms)
{
    CHECK(find("WASHINGTON, DC, April 28, 2009 The Obama administration") == ymd("2009-04-28"));
    CHECK(find("Published: July 29, 2004 Frederick C. LaRue") == ymd("2004-07-29"));
    CHECK(find("Sept. 3, 2015 - Police said") == ymd("2015-09-03"));
    CHECK(find("Posted 3 March 2016, 10:00") == ymd("2016-03-03"));
}

TEST(other_languages)
{
    CHECK(find("Berlin, 28. April 2009 - Die Regierung") == ymd("2009-04-28"));
    CHECK(find("Madrid, 28 de abril de 2009. El gobierno") == ymd("2009-04-28"));
    CHECK(find("Paris, le 14 juillet 2022 : le défilé") == ymd("2022-07-14"));
    CHECK(find("Roma, 2 giugno 2021 - Festa") == ymd("2021-06-02"));
    CHECK(find("Москва, 28 апреля 2009 года. Правительство") == ymd("2009-04-28"));
    CHECK(find("Oslo 17. mai 2023: Folketoget") == ymd("2023-05-17"));
    CHECK(find("Updated 2023-07-06 12:00") == ymd("2023-07-06"));
}

TEST(no_date)
{
    CHECK(find("the 1972 Watergate scandal that toppled Nixon") == -1);
    CHECK(find("He died on Thursday at his home in May") == -1);
    CHECK(find("February 30, 2009 is not a day") == -1);
    CHECK(find("in April 2009 the rule changed") == -1);
    CHECK(find("") == -1);
    CHECK(find("12345678901234567890 march 99, 20099") == -1);
}

TEST(only_the_top_counts)
{
    char text[1000];
    memset(text, 'x', sizeof text);
    memcpy(text + 500, " April 28, 2009 ", 16);
    text[sizeof text - 1] = '\0';
    CHECK(find(text) == -1);
}

int main(void)
{
    RUN(english_forms);
    RUN(other_languages);
    RUN(no_date);
    RUN(only_the_top_counts);
    return check_report();
}
