/*
** site.c: per-site learned boilerplate (see site.h). A line is keyed by
** its site and its whitespace-collapsed text; its count is the number of
** the site's pages that held it. Only short lines are learned: article
** paragraphs are long, and a site's updates of one story must keep theirs.
*/
#include "site.h"
#include "util/map.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define SITE_MIN_PAGES   3        /* earlier pages holding a line */
#define SITE_MAX_LINE    160      /* bytes; longer lines are never learned */
#define SITE_MAX_ENTRIES 2000000  /* past this, lines seen once are forgotten */

struct td_site_lines {
    td_map counts;   /* line key -> pages */
    td_map dirty;    /* line keys changed since the last flush */
    td_map page;     /* line keys of the page being cleaned */
};

td_site_lines *td__site_new(void)
{
    td_site_lines *sl = calloc(1, sizeof *sl);
    if (sl) {
        td__map_init(&sl->counts);
        td__map_init(&sl->dirty);
        td__map_init(&sl->page);
    }
    return sl;
}

void td__site_free(td_site_lines *sl)
{
    if (!sl)
        return;
    td__map_free(&sl->counts);
    td__map_free(&sl->dirty);
    td__map_free(&sl->page);
    free(sl);
}

char *td__site_of(const char *url, const char *source, td_status *rc)
{
    const char *p, *end;
    char *host;
    size_t i, n;
    if (url && (p = strstr(url, "://")) != NULL) {
        p += 3;
        for (end = p; *end && *end != '/' && *end != ':' && *end != '?' &&
                      *end != '#';
             end++)
            ;
        if (end - p > 4 && strncmp(p, "www.", 4) == 0)
            p += 4;
        n = (size_t)(end - p);
        if (n > 0 && n < 256) {
            if ((host = td__strndup(p, n)) == NULL) {
                *rc = TD_ENOMEM;
                return NULL;
            }
            for (i = 0; i < n; i++)
                if (host[i] >= 'A' && host[i] <= 'Z')
                    host[i] = (char)(host[i] - 'A' + 'a');
            return host;
        }
    }
    if (source && *source) {
        if ((host = td__strdup(source)) == NULL)
            *rc = TD_ENOMEM;
        return host;
    }
    return NULL;
}

/* Key of a line: the site and the line with runs of spaces collapsed.
** Returns 0 for a line that is not learned (empty or too long). */
static uint64_t line_key(const char *site, size_t site_len, const char *s,
                         size_t len)
{
    char buf[SITE_MAX_LINE + 256 + 2];
    size_t o, i;
    int space = 0;
    while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\r')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                       s[len - 1] == '\r'))
        len--;
    if (len == 0 || len > SITE_MAX_LINE || site_len > 256)
        return 0;
    memcpy(buf, site, site_len);
    buf[site_len] = '\n';
    o = site_len + 1;
    for (i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t') {
            space = 1;
            continue;
        }
        if (space)
            buf[o++] = ' ';
        space = 0;
        buf[o++] = c;
    }
    return td__hash64(buf, o) | 1;
}

static td_status mark(td_site_lines *sl, uint64_t key)
{
    return td__map_put(&sl->dirty, key, NULL) ? TD_OK : TD_ENOMEM;
}

/* Past the cap, forget every line seen on one page only. Deterministic:
** it depends on the counts alone, which a reopened store restores. */
static td_status prune(td_site_lines *sl)
{
    size_t i = 0, n = 0;
    uint64_t key, val, *gone;
    td_status rc = TD_OK;
    if (sl->counts.n <= SITE_MAX_ENTRIES)
        return TD_OK;
    gone = malloc(sl->counts.n * sizeof *gone);
    if (!gone)
        return TD_ENOMEM;
    while (td__map_next(&sl->counts, &i, &key, &val))
        if (val <= 1)
            gone[n++] = key;
    for (i = 0; i < n && rc == TD_OK; i++) {
        td__map_del(&sl->counts, gone[i]);
        rc = mark(sl, gone[i]);
    }
    free(gone);
    return rc;
}

td_status td__site_clean(td_site_lines *sl, const char *site, char *text,
                         size_t *removed)
{
    size_t site_len, r = 0, w = 0, n_removed = 0;
    td_status rc;
    if (removed)
        *removed = 0;
    if (!site || !*site || !text)
        return TD_OK;
    site_len = strlen(site);
    td__map_clear(&sl->page);
    while (text[r]) {
        size_t start = r, len;
        uint64_t key, *count;
        while (text[r] && text[r] != '\n')
            r++;
        len = r - start;
        key = line_key(site, site_len, text + start, len);
        count = key ? td__map_get(&sl->counts, key) : NULL;
        if (key && !td__map_put(&sl->page, key, NULL))
            return TD_ENOMEM;
        if (count && *count >= SITE_MIN_PAGES) {
            n_removed++;
        } else {
            memmove(text + w, text + start, len);
            w += len;
            if (text[r] == '\n')
                text[w++] = '\n';
        }
        if (text[r] == '\n')
            r++;
    }
    /* No trailing newline left by a removed last line. */
    while (w > 0 && text[w - 1] == '\n')
        w--;
    text[w] = '\0';
    /* Count this page once per distinct line. */
    {
        size_t i = 0;
        uint64_t key, val;
        while (td__map_next(&sl->page, &i, &key, &val)) {
            uint64_t *count = td__map_put(&sl->counts, key, NULL);
            if (!count)
                return TD_ENOMEM;
            (*count)++;
            if ((rc = mark(sl, key)) != TD_OK)
                return rc;
        }
    }
    if (removed)
        *removed = n_removed;
    return prune(sl);
}

td_status td__site_flush(td_site_lines *sl, td_site_count_fn fn, void *ud)
{
    size_t i = 0;
    uint64_t key, val;
    td_status rc;
    while (td__map_next(&sl->dirty, &i, &key, &val)) {
        uint64_t *count = td__map_get(&sl->counts, key);
        uint32_t n = count ? (uint32_t)(*count > UINT32_MAX ? UINT32_MAX : *count) : 0;
        if ((rc = fn(ud, key, n)) != TD_OK)
            return rc;
    }
    td__map_clear(&sl->dirty);
    return TD_OK;
}

td_status td__site_load(td_site_lines *sl, uint64_t key, uint32_t n)
{
    uint64_t *count;
    if (n == 0)
        return TD_OK;
    count = td__map_put(&sl->counts, key, NULL);
    if (!count)
        return TD_ENOMEM;
    *count = n;
    return TD_OK;
}
