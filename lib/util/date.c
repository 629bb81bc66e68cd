/*
** date.c: ISO 8601 dates to Unix seconds and back (td_date_parse,
** td_date_format). Calendar arithmetic is done here on the proleptic
** Gregorian calendar, so results never depend on the TZ variable or timegm().
*/
#include "tidings.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

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

/* Datelines ------------------------------------------------------------- */

const char *const td__month_names[TD_MONTH_ROWS][12] = {
    {"january", "february", "march", "april", "may", "june", "july",
     "august", "september", "october", "november", "december"},
    {"januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
     "september", "oktober", "november", "dezember"},
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
     "septembre", "octobre", "novembre", "décembre"},
    {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
     "septiembre", "octubre", "noviembre", "diciembre"},
    {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
     "agosto", "settembre", "ottobre", "novembre", "dicembre"},
    {"januari", "februari", "maart", "april", "mei", "juni", "juli",
     "augustus", "september", "oktober", "november", "december"},
    {"januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
     "september", "oktober", "november", "desember"},
    {"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
     "августа", "сентября", "октября", "ноября", "декабря"},
    {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
     "сентябрь", "октябрь", "ноябрь", "декабрь"},
    {"январе", "феврале", "марте", "апреле", "мае", "июне", "июле",
     "августе", "сентябре", "октябре", "ноябре", "декабре"},
};

/* Lower-cases ASCII letters of s[0..n) into buf (other bytes as they are). */
static size_t lower_word(const char *s, size_t n, char *buf, size_t cap)
{
    size_t i;
    for (i = 0; i < n && i + 1 < cap; i++) {
        char c = s[i];
        buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    buf[i] = '\0';
    return i;
}

/* Month of the word at s[0..n): 1-12, or 0. Cyrillic capitals are left as
** they are (datelines write month names in lower case in Russian). */
static int month_of(const char *s, size_t n)
{
    char w[32];
    size_t len, l, m;
    if (n < 3 || n >= sizeof w)
        return 0;
    len = lower_word(s, n, w, sizeof w);
    /* A prefix of at least 3 bytes matches too ("Apr.", "sept"). */
    for (l = 0; l < TD_MONTH_DATELINE_ROWS; l++) {
        for (m = 0; m < 12; m++) {
            const char *name = td__month_names[l][m];
            size_t nl = strlen(name);
            /* Whole name, or an abbreviation of 3+ bytes ("Sept", "Apr"). */
            if ((len == nl || (len >= 3 && len < nl && w[len - 1] != '\0')) &&
                strncmp(name, w, len) == 0)
                return (int)m + 1;
        }
    }
    return 0;
}

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Reads a 1-2 digit day or a 4-digit year starting at s[i]; returns the
** value and sets *end, or -1. */
static int number_at(const char *s, size_t len, size_t i, size_t *end)
{
    size_t j = i;
    int v = 0;
    while (j < len && j - i < 5 && s[j] >= '0' && s[j] <= '9')
        v = v * 10 + (s[j++] - '0');
    if (j == i || (j < len && s[j] >= '0' && s[j] <= '9'))
        return -1;
    if (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
        return -1;
    *end = j;
    return (j - i == 4 || j - i <= 2) ? v : -1;
}

static int valid_ymd(int y, int m, int d)
{
    return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 &&
           d <= days_in_month(y, m);
}

td_status td__date_find(const char *s, size_t len, size_t within, int64_t *out)
{
    size_t i = 0;
    if (!s)
        return TD_ENOTFOUND;
    if (len > within)
        len = within;
    while (i < len) {
        size_t end, k, w;
        int a, month, y, d;
        /* ISO: 2009-04-28. */
        if ((a = number_at(s, len, i, &end)) >= 1900 && end - i == 4 &&
            end + 5 < len + 0 && s[end] == '-') {
            int mm, dd;
            const char *p = s + end + 1;
            if (read_digits(&p, 2, &mm) && *p == '-' && (p++, read_digits(&p, 2, &dd)) &&
                valid_ymd(a, mm, dd)) {
                *out = days_from_civil(a, mm, dd) * 86400;
                return TD_OK;
            }
        }
        /* A word: maybe a month name followed by "28, 2009" or preceded
        ** by "28 (de|.)". */
        if (is_word_byte((unsigned char)s[i]) && (i == 0 || !is_word_byte((unsigned char)s[i - 1]))) {
            for (w = i; w < len && is_word_byte((unsigned char)s[w]); w++)
                ;
            month = month_of(s + i, w - i);
            if (month) {
                /* "April 28, 2009" / "Apr. 28 2009" */
                k = w;
                if (k < len && s[k] == '.')
                    k++;
                while (k < len && s[k] == ' ')
                    k++;
                d = number_at(s, len, k, &end);
                if (d >= 1 && d <= 31) {
                    k = end;
                    if (k < len && s[k] == ',')
                        k++;
                    while (k < len && s[k] == ' ')
                        k++;
                    y = number_at(s, len, k, &end);
                    if (valid_ymd(y, month, d)) {
                        *out = days_from_civil(y, month, d) * 86400;
                        return TD_OK;
                    }
                }
                /* "28 April 2009" / "28. April 2009" / "28 de abril de 2009" */
                k = i;
                while (k > 0 && s[k - 1] == ' ')
                    k--;
                if (k >= 3 && strncmp(s + k - 3, " de", 3) == 0) {
                    k -= 3;
                    while (k > 0 && s[k - 1] == ' ')
                        k--;
                }
                if (k > 0 && s[k - 1] == '.')
                    k--;
                {
                    size_t ds = k;
                    while (ds > 0 && k - ds < 2 && s[ds - 1] >= '0' && s[ds - 1] <= '9')
                        ds--;
                    d = ds < k ? number_at(s, len, ds, &end) : -1;
                }
                if (d >= 1 && d <= 31) {
                    k = w;
                    while (k < len && s[k] == ' ')
                        k++;
                    if (k + 3 <= len && strncmp(s + k, "de ", 3) == 0)
                        k += 3;
                    y = number_at(s, len, k, &end);
                    if (valid_ymd(y, month, d)) {
                        *out = days_from_civil(y, month, d) * 86400;
                        return TD_OK;
                    }
                }
            }
            i = w;
            continue;
        }
        i++;
    }
    return TD_ENOTFOUND;
}
