/*
** backref.c: back-references. The earlier times an article's text names
** ("in July", "on 3 March", "last month", "earlier this year", in en de fr
** es it nl no ru), each read as a time range relative to the article's
** date. related.c links a later story to an earlier one whose dates fall in
** such a range. Method: docs/internals/story.md.
*/
#include "story/view_int.h"
#include "util/map.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define REFS_PER_ARTICLE 16

/* Month names (td__month_names, lib/util/date.c) as whole words: every
** row, Russian in the nominative, genitive and prepositional. */
#define N_MONTH_WORDS (TD_MONTH_ROWS * 12)

/* Relative references, as the word reader splits them (apostrophes and
** hyphens split words: "l'année" is "l année"). */
enum { REL_WEEK, REL_MONTH, REL_EARLIER_YEAR, REL_YEAR };
static const struct {
    int kind;
    const char *words;
} phrases[] = {
    {REL_WEEK, "last week"}, {REL_WEEK, "letzte woche"},
    {REL_WEEK, "letzten woche"}, {REL_WEEK, "vergangene woche"},
    {REL_WEEK, "vergangenen woche"}, {REL_WEEK, "semaine dernière"},
    {REL_WEEK, "semana pasada"}, {REL_WEEK, "settimana scorsa"},
    {REL_WEEK, "forrige uke"}, {REL_WEEK, "vorige week"},
    {REL_WEEK, "прошлой неделе"},
    {REL_MONTH, "last month"}, {REL_MONTH, "letzten monat"},
    {REL_MONTH, "vergangenen monat"}, {REL_MONTH, "mois dernier"},
    {REL_MONTH, "mes pasado"}, {REL_MONTH, "mese scorso"},
    {REL_MONTH, "forrige måned"}, {REL_MONTH, "vorige maand"},
    {REL_MONTH, "прошлом месяце"},
    {REL_EARLIER_YEAR, "earlier this year"},
    {REL_EARLIER_YEAR, "anfang des jahres"},
    {REL_EARLIER_YEAR, "anfang dieses jahres"},
    {REL_EARLIER_YEAR, "plus tôt cette année"},
    {REL_EARLIER_YEAR, "début de l année"},
    {REL_EARLIER_YEAR, "principios de año"},
    {REL_EARLIER_YEAR, "principios de este año"},
    {REL_EARLIER_YEAR, "comienzos de año"},
    {REL_EARLIER_YEAR, "inizio dell anno"},
    {REL_EARLIER_YEAR, "inizio di quest anno"},
    {REL_EARLIER_YEAR, "tidligere i år"},
    {REL_EARLIER_YEAR, "eerder dit jaar"},
    {REL_EARLIER_YEAR, "начале года"},
    {REL_EARLIER_YEAR, "начале этого года"},
    {REL_EARLIER_YEAR, "ранее в этом году"},
    {REL_YEAR, "last year"}, {REL_YEAR, "letztes jahr"},
    {REL_YEAR, "letzten jahr"}, {REL_YEAR, "vergangenes jahr"},
    {REL_YEAR, "vergangenen jahr"}, {REL_YEAR, "année dernière"},
    {REL_YEAR, "an dernier"}, {REL_YEAR, "año pasado"},
    {REL_YEAR, "anno scorso"}, {REL_YEAR, "i fjor"},
    {REL_YEAR, "vorig jaar"}, {REL_YEAR, "прошлом году"},
};
#define N_PHRASES (sizeof phrases / sizeof phrases[0])

/* The words that start a month name or a phrase, by the word reader's
** hash: one map lookup per word of text, then string compares on a hit. */
typedef struct trigger {
    uint64_t hash;
    const char *word;      /* the whole first word */
    int month;             /* 1-12, or 0 for a phrase */
    int phrase;            /* index into phrases when month is 0 */
} trigger;

typedef struct scanner {
    trigger trig[N_MONTH_WORDS + N_PHRASES];
    size_t n_trig;
    td_map first;          /* hash -> index of its first trigger + 1 */
    char words[N_PHRASES][48];
} scanner;

static int cmp_trigger(const void *a, const void *b)
{
    const trigger *x = a, *y = b;
    return x->hash < y->hash ? -1 : x->hash > y->hash;
}

static uint64_t word_hash(const char *s)
{
    td_view_word w;
    size_t pos = 0;
    return td__view_next_word(s, strlen(s), &pos, &w) ? w.hash : 0;
}

static td_status scanner_init(scanner *sc)
{
    size_t i;
    td__map_init(&sc->first);
    sc->n_trig = 0;
    for (i = 0; i < N_MONTH_WORDS; i++) {
        trigger *t = &sc->trig[sc->n_trig++];
        t->hash = word_hash(td__month_names[i / 12][i % 12]);
        t->word = td__month_names[i / 12][i % 12];
        t->month = (int)(i % 12) + 1;
        t->phrase = 0;
    }
    for (i = 0; i < N_PHRASES; i++) {
        trigger *t = &sc->trig[sc->n_trig++];
        const char *sp = strchr(phrases[i].words, ' ');
        size_t n = sp ? (size_t)(sp - phrases[i].words)
                      : strlen(phrases[i].words);
        snprintf(sc->words[i], sizeof sc->words[i], "%.*s", (int)n,
                 phrases[i].words);
        t->hash = word_hash(sc->words[i]);
        t->word = sc->words[i];
        t->month = 0;
        t->phrase = (int)i;
    }
    qsort(sc->trig, sc->n_trig, sizeof *sc->trig, cmp_trigger);
    for (i = sc->n_trig; i > 0; i--) {
        uint64_t *slot = td__map_put(&sc->first, sc->trig[i - 1].hash, NULL);
        if (!slot)
            return TD_ENOMEM;
        *slot = i;     /* walking down, the first of equal hashes wins */
    }
    return TD_OK;
}

/* Calendar ---------------------------------------------------------------- */

typedef struct ymd {
    int y, m, d;
} ymd;

static ymd ymd_of(int64_t t)
{
    char buf[32];
    ymd r = {1970, 1, 1};
    if (td_date_format(t, buf, sizeof buf))
        sscanf(buf, "%d-%d-%d", &r.y, &r.m, &r.d);
    return r;
}

/* Midnight UTC of y-m-d (month 0 or 13 roll into the next year), or
** TD_NO_DATE when the day does not exist. */
static int64_t time_of(int y, int m, int d)
{
    char buf[32];
    int64_t t;
    if (m < 1) {
        m += 12;
        y--;
    } else if (m > 12) {
        m -= 12;
        y++;
    }
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return td_date_parse(buf, &t) == TD_OK ? t : TD_NO_DATE;
}

/* Reading ----------------------------------------------------------------- */

/* A 1-2 digit day or a 4-digit year as the whole word, else -1. */
static int number_word(const td_view_word *w)
{
    size_t i, n = strlen(w->low);
    int v = 0;
    if (n == 0 || n == 3 || n > 4)
        return -1;
    for (i = 0; i < n; i++) {
        if (w->low[i] < '0' || w->low[i] > '9')
            return -1;
        v = v * 10 + (w->low[i] - '0');
    }
    return v;
}

/* 1 when the words after pos are those of phrase (past its first word);
** *end gets the end of the last one. */
static int phrase_follows(const char *text, size_t len, size_t pos,
                          const char *phrase, size_t *end)
{
    const char *p = strchr(phrase, ' ');
    td_view_word w;
    while (p) {
        const char *q = strchr(p + 1, ' ');
        size_t n = q ? (size_t)(q - p - 1) : strlen(p + 1);
        if (!td__view_next_word(text, len, &pos, &w) ||
            strlen(w.low) != n || memcmp(w.low, p + 1, n) != 0)
            return 0;
        p = q;
    }
    *end = pos;
    return 1;
}

/* The range a relative phrase names, written on day now. */
static int relative_range(int kind, ymd now, td_time_ref *r)
{
    int64_t today = time_of(now.y, now.m, now.d);
    if (today == TD_NO_DATE)
        return 0;
    switch (kind) {
    case REL_WEEK:
        r->from = today - 14 * DAY;
        r->to = today - 5 * DAY;
        break;
    case REL_MONTH:
        r->from = time_of(now.y, now.m - 1, 1);
        r->to = time_of(now.y, now.m, 1);
        break;
    case REL_EARLIER_YEAR:
        r->from = time_of(now.y, 1, 1);
        r->to = today - 14 * DAY;
        break;
    default:
        r->from = time_of(now.y - 1, 1, 1);
        r->to = time_of(now.y, 1, 1);
        break;
    }
    return r->from != TD_NO_DATE && r->to != TD_NO_DATE && r->to > r->from;
}

/* The range "month" (with an optional day and year) names, written on day
** now: the latest such time before now; 0 when it is today or later, or
** when it is probably ahead: without a year, a month of the next three
** ("the summit in December", written in November) or a later day of this
** month. */
static int month_range(int month, int day, int year, ymd now, td_time_ref *r)
{
    int y = year > 0 ? year : now.y;
    if (year <= 0 && month > now.m) {
        if (month - now.m <= 3)
            return 0;
        y--;
    }
    if (y > now.y || (y == now.y && month > now.m) ||
        (y == now.y && month == now.m && (day <= 0 || day >= now.d)))
        return 0;
    if (day > 0) {
        r->from = time_of(y, month, day);
        r->to = r->from == TD_NO_DATE ? TD_NO_DATE : r->from + DAY;
    } else {
        r->from = time_of(y, month, 1);
        r->to = time_of(y, month + 1, 1);
    }
    return r->from != TD_NO_DATE && r->to != TD_NO_DATE;
}

/* Adds the references of article art (dated) to *refs. */
static td_status scan_article(const scanner *sc, const td_article_row *row,
                              size_t art, td_time_ref **refs, size_t *n,
                              size_t *size)
{
    const char *text = row->text;
    size_t len = text ? strlen(text) : 0, pos = 0, found = 0;
    td_view_word w, prev[2];
    int n_prev = 0;
    ymd now;
    /* Years 1900-2199 only: the calendar helpers read 4-digit years. */
    if (row->date < -2208988800LL || row->date >= 7258118400LL)
        return TD_OK;
    now = ymd_of(row->date);
    while (found < REFS_PER_ARTICLE && td__view_next_word(text, len, &pos, &w)) {
        uint64_t *slot = td__map_get(&sc->first, w.hash);
        size_t k, start = w.start, end = w.end;
        td_time_ref r;
        int hit = 0;
        for (k = slot ? *slot - 1 : sc->n_trig;
             !hit && k < sc->n_trig && sc->trig[k].hash == w.hash; k++) {
            const trigger *t = &sc->trig[k];
            if (strcmp(t->word, w.low) != 0)
                continue;
            if (!t->month) {
                hit = phrase_follows(text, len, pos, phrases[t->phrase].words,
                                     &end) &&
                      relative_range(phrases[t->phrase].kind, now, &r);
                continue;
            }
            /* English "may" and "march" are verbs unless capitalised; a
            ** capitalised "Mars" is the planet, the month is lower case in
            ** French and Norwegian. */
            if ((!w.upper && (strcmp(w.low, "may") == 0 ||
                              strcmp(w.low, "march") == 0)) ||
                (w.upper && strcmp(w.low, "mars") == 0))
                continue;
            {
                int day = -1, year = -1, v;
                size_t p2 = pos;
                td_view_word nx;
                /* A day before: "3 March", "3. März", "le 3 mars",
                ** "3 марта", or "3 de marzo". */
                if (n_prev >= 1 && (v = number_word(&prev[0])) >= 1 && v <= 31) {
                    day = v;
                    start = prev[0].start;
                } else if (n_prev >= 2 && strcmp(prev[0].low, "de") == 0 &&
                           (v = number_word(&prev[1])) >= 1 && v <= 31) {
                    day = v;
                    start = prev[1].start;
                }
                /* A day or a year after: "March 3", "July 2023",
                ** "March 3, 2023", "marzo de 2023". */
                if (td__view_next_word(text, len, &p2, &nx)) {
                    if (strcmp(nx.low, "de") == 0 &&
                        !td__view_next_word(text, len, &p2, &nx))
                        nx.low[0] = '\0';
                    v = number_word(&nx);
                    if (v >= 1 && v <= 31 && day < 0 && nx.start - w.end <= 2) {
                        day = v;
                        end = nx.end;
                        if (td__view_next_word(text, len, &p2, &nx) &&
                            (v = number_word(&nx)) >= 1900 && v <= 2100) {
                            year = v;
                            end = nx.end;
                        }
                    } else if (v >= 1900 && v <= 2100) {
                        year = v;
                        end = nx.end;
                    }
                }
                hit = month_range(t->month, day, year, now, &r);
            }
        }
        if (hit) {
            td_time_ref *a = *refs;
            if (*n == *size) {
                size_t s2 = *size ? *size * 2 : 16;
                if (!(a = realloc(*refs, s2 * sizeof *a)))
                    return TD_ENOMEM;
                *refs = a;
                *size = s2;
            }
            r.art = art;
            r.start = start;
            r.end = end;
            (*refs)[(*n)++] = r;
            found++;
        }
        prev[1] = prev[0];
        prev[0] = w;
        if (n_prev < 2)
            n_prev++;
    }
    return TD_OK;
}

td_status td__backref_collect(const td_article_list *arts, size_t max_articles,
                              td_time_ref **out, size_t *n)
{
    scanner *sc;
    size_t i, size = 0;
    td_status rc = TD_OK;
    *out = NULL;
    *n = 0;
    if (!(sc = malloc(sizeof *sc)))
        return TD_ENOMEM;
    if ((rc = scanner_init(sc)) == TD_OK)
        for (i = 0; i < arts->n && i < max_articles && rc == TD_OK; i++)
            if (arts->rows[i].date != TD_NO_DATE && arts->rows[i].text)
                rc = scan_article(sc, &arts->rows[i], i, out, n, &size);
    td__map_free(&sc->first);
    free(sc);
    if (rc != TD_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

const td_time_ref *td__backref_match(const td_time_ref *refs, size_t n,
                                     int64_t first, int64_t last)
{
    const td_time_ref *best = NULL;
    size_t i;
    if (first == TD_NO_DATE || last == TD_NO_DATE)
        return NULL;
    /* A day of slack each side: a story dated the evening before its
    ** event, or "on 3 March" for a report of the 4th. */
    for (i = 0; i < n; i++)
        if (refs[i].from < last + DAY && refs[i].to > first - DAY &&
            (!best || refs[i].to - refs[i].from < best->to - best->from))
            best = &refs[i];
    return best;
}
