/*
** site.h: per-site learned boilerplate. Lines that recur across the pages
** of one site (host) are its boilerplate whatever their language: once
** SITE_MIN_PAGES earlier pages of a site held a short line, the line is
** removed from that site's later pages. No word lists. The counts persist
** in the store (a counter log) so that a reopened store goes on the same.
*/
#ifndef TD_SITE_H
#define TD_SITE_H

#include "../article.h"

typedef struct td_site_lines td_site_lines;

/* New, empty learner; NULL on out of memory. Free with td__site_free(). */
td_site_lines *td__site_new(void);
void td__site_free(td_site_lines *sl);

/* The site of an article: the host of its URL without "www." (lower
** case), else its source name; NULL when it has neither or out of memory
** (then *rc is set to TD_ENOMEM; it is left alone otherwise). New; free(). */
char *td__site_of(const char *url, const char *source, td_status *rc);

/* Removes from text (owned, NUL-terminated, edited in place) the lines
** learned as boilerplate of site, then counts this page's lines. site may
** be NULL: nothing is learned or removed. *removed (may be NULL) gets the
** number of lines removed. */
td_status td__site_clean(td_site_lines *sl, const char *site, char *text,
                         size_t *removed);

/* Persistence: flush calls fn for every count changed since the last flush
** (0 means forgotten); load sets one count. */
typedef td_status (*td_site_count_fn)(void *ud, uint64_t key, uint32_t n);
td_status td__site_flush(td_site_lines *sl, td_site_count_fn fn, void *ud);
td_status td__site_load(td_site_lines *sl, uint64_t key, uint32_t n);

#endif
