/*
** date.c: ISO 8601 dates to Unix seconds and back (td_date_parse,
** td_date_format). Calendar arithmetic is done here on the proleptic
** Gregorian calendar, so results never depend on the TZ variable or timegm().
*/
#include "tidings.h"

#include <stdio.h>

/* Days since 1970-01-01 of civil date y-m-d (m 1..12). Works for any year
** that fits, using 400-year eras of 146097 days. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Inverse of days_from_civil. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly n decimal digits at *p into *out and advances *p. */
static int read_digits(const char **p, int n, int *out)
{
    int v = 0, i;
    for (i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return 0;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

td_status td_date_parse(const char *s, int64_t *out)
{
    int year, month, day, hour = 0, minute = 0, second = 0;
    int64_t offset = 0, t;
    const char *p = s;
    if (!s || !out)
        return TD_EINVAL;
    while (is_space(*p))
        p++;
    if (!read_digits(&p, 4, &year) || *p++ != '-' ||
        !read_digits(&p, 2, &month) || *p++ != '-' ||
        !read_digits(&p, 2, &day))
        return TD_EPARSE;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return TD_EPARSE;
    /* A time part must follow 'T' or a single space and hold HH:MM. */
    if ((*p == 'T' || *p == 't' || *p == ' ') && p[1] >= '0' && p[1] <= '9') {
        p++;
        if (!read_digits(&p, 2, &hour) || *p++ != ':' ||
            !read_digits(&p, 2, &minute))
            return TD_EPARSE;
        if (*p == ':') {
            p++;
            if (!read_digits(&p, 2, &second))
                return TD_EPARSE;
            if (*p == '.' || *p == ',') {
                p++;
                if (*p < '0' || *p > '9')
                    return TD_EPARSE;
                while (*p >= '0' && *p <= '9')   /* fraction: ignored */
                    p++;
            }
        }
        /* 60 is allowed for a leap second; it lands on the next minute. */
        if (hour > 23 || minute > 59 || second > 60)
            return TD_EPARSE;
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
            if (!read_digits(&p, 2, &oh))
                return TD_EPARSE;
            if (*p == ':') {
                p++;
                if (!read_digits(&p, 2, &om))
                    return TD_EPARSE;
            } else if (*p >= '0' && *p <= '9') {
                if (!read_digits(&p, 2, &om))
                    return TD_EPARSE;
            }
            if (oh > 23 || om > 59)
                return TD_EPARSE;
            offset = sign * (int64_t)(oh * 3600 + om * 60);
        }
    }
    while (is_space(*p))
        p++;
    if (*p != '\0')
        return TD_EPARSE;
    t = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
        second;
    /* Local time = UTC + offset, so UTC = local - offset. */
    *out = t - offset;
    return TD_OK;
}

char *td_date_format(int64_t t, char *buf, size_t cap)
{
    int64_t days, year;
    int month, day;
    if (!buf || cap == 0)
        return buf;
    if (t == TD_NO_DATE) {
        buf[0] = '\0';
        return buf;
    }
    days = t / 86400;
    if (t % 86400 < 0)
        days--;   /* floor division for dates before 1970 */
    civil_from_days(days, &year, &month, &day);
    snprintf(buf, cap, "%04lld-%02d-%02d", (long long)year, month, day);
    return buf;
}
