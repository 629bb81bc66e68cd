/*
** test_date.c: td_date_parse and td_date_format: the accepted ISO 8601
** forms, offsets, range checks, and the round trip to "YYYY-MM-DD".
*/
#include "check.h"
#include "tidings.h"

static int64_t parse(const char *s)
{
    int64_t t = 12345;
    return td_date_parse(s, &t) == TD_OK ? t : -1;
}

static int rejects(const char *s)
{
    int64_t t = 12345;
    return td_date_parse(s, &t) == TD_EPARSE && t == 12345;
}

TEST(date_only)
{
    CHECK(parse("1970-01-01") == 0);
    CHECK(parse("2023-07-06") == 1688601600);
    CHECK(parse("2000-02-29") == 951782400);
    CHECK(parse("1969-12-31") == -86400);
    CHECK(parse("  2023-07-06\n") == 1688601600);
}

TEST(date_time)
{
    CHECK(parse("2023-07-06T12:00:00Z") == 1688644800);
    CHECK(parse("2023-07-06T12:00Z") == 1688644800);
    CHECK(parse("2023-07-06 12:00:00") == 1688644800);
    CHECK(parse("2023-07-06t12:00:00z") == 1688644800);
    CHECK(parse("2023-07-06T12:00:00.123Z") == 1688644800);
    CHECK(parse("2023-07-06T12:00:00.123456789") == 1688644800);
    CHECK(parse("2023-07-06T23:59:59Z") == 1688687999);
}

TEST(offsets)
{
    /* 12:00 at +02:00 is 10:00 UTC; at -0530 it is 17:30 UTC. */
    CHECK(parse("2023-07-06T12:00:00+02:00") == 1688644800 - 7200);
    CHECK(parse("2023-07-06T12:00:00+0200") == 1688644800 - 7200);
    CHECK(parse("2023-07-06T12:00:00+02") == 1688644800 - 7200);
    CHECK(parse("2023-07-06T12:00:00-0530") == 1688644800 + 5 * 3600 + 1800);
    CHECK(parse("2023-07-06T12:00-05:30") == 1688644800 + 5 * 3600 + 1800);
    CHECK(parse("2023-01-01T00:30:00+01:00") == 1672529400);   /* 2022-12-31T23:30Z */
}

TEST(invalid)
{
    CHECK(rejects(""));
    CHECK(rejects("yesterday"));
    CHECK(rejects("2023-13-01"));
    CHECK(rejects("2023-00-10"));
    CHECK(rejects("2023-02-29"));
    CHECK(rejects("1900-02-29"));
    CHECK(rejects("2023-04-31"));
    CHECK(rejects("2023-07-00"));
    CHECK(rejects("2023-7-6"));
    CHECK(rejects("23-07-06"));
    CHECK(rejects("2023-07-06T"));
    CHECK(rejects("2023-07-06T24:00:00"));
    CHECK(rejects("2023-07-06T12:60:00"));
    CHECK(rejects("2023-07-06T12:00:61"));
    CHECK(rejects("2023-07-06T12"));
    CHECK(rejects("2023-07-06T12:00:00."));
    CHECK(rejects("2023-07-06T12:00:00+25:00"));
    CHECK(rejects("2023-07-06T12:00:00+02:7"));
    CHECK(rejects("2023-07-06T12:00:00Zjunk"));
    CHECK(rejects("2023-07-06x"));
    CHECK(td_date_parse(NULL, NULL) == TD_EINVAL);
}

TEST(format)
{
    char buf[16];
    CHECK_STR(td_date_format(0, buf, sizeof buf), "1970-01-01");
    CHECK_STR(td_date_format(1688644800, buf, sizeof buf), "2023-07-06");
    CHECK_STR(td_date_format(1688687999, buf, sizeof buf), "2023-07-06");
    CHECK_STR(td_date_format(-1, buf, sizeof buf), "1969-12-31");
    CHECK_STR(td_date_format(951782400, buf, sizeof buf), "2000-02-29");
    CHECK_STR(td_date_format(TD_NO_DATE, buf, sizeof buf), "");
    CHECK(td_date_format(INT64_MAX, buf, sizeof buf) == buf);   /* no crash */
    CHECK_STR(td_date_format(0, buf, 5), "1970");   /* truncated, terminated */
}

TEST(round_trip)
{
    /* Every day of 1600..2400 parses and formats back to itself. */
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, bad = 0;
    int64_t prev = -1;
    char in[48], out[16];
    for (y = 1600; y <= 2400; y++)
        for (m = 1; m <= 12; m++) {
            int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            int n = mdays[m - 1] + (m == 2 && leap);
            for (d = 1; d <= n; d++) {
                int64_t t;
                snprintf(in, sizeof in, "%04d-%02d-%02d", y, m, d);
                if (td_date_parse(in, &t) != TD_OK ||
                    strcmp(td_date_format(t, out, sizeof out), in) != 0 ||
                    (prev != -1 && t != prev + 86400))
                    bad++;
                prev = t;
            }
        }
    CHECK(bad == 0);
}

int main(void)
{
    RUN(date_only);
    RUN(date_time);
    RUN(offsets);
    RUN(invalid);
    RUN(format);
    RUN(round_trip);
    return check_report();
}
