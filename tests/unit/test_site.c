/* test_site.c: per-site learned boilerplate: lines recurring on a site's
** pages are removed from its later pages (any language), other sites and
** long paragraphs are left alone, and the counts survive a flush/load. */
#include "check.h"
#include "extract/site.h"

#include <stdlib.h>
#include <string.h>

static char *page(int i, const char *footer)
{
    char buf[1024];
    snprintf(buf, sizeof buf,
             "Story number %d begins with its own opening line.\n"
             "A long paragraph that belongs to article %d alone, with enough "
             "words in it that it reads like news and not like a menu.\n"
             "%s", i, i, footer);
    return strdup(buf);
}

static const char *footer = "Del denne artikkelen\nLes også:\nKommentarer (0)";

TEST(site_of_url_and_source)
{
    td_status rc = TD_OK;
    char *a = td__site_of("https://www.Example.COM/news/1?x=2", "Example", &rc);
    char *b = td__site_of(NULL, "Taylor Daily Press", &rc);
    char *c = td__site_of("not a url", NULL, &rc);
    CHECK_STR(a, "example.com");
    CHECK_STR(b, "Taylor Daily Press");
    CHECK(c == NULL);
    CHECK(rc == TD_OK);
    free(a);
    free(b);
    free(c);
}

TEST(recurring_lines_removed_after_three_pages)
{
    td_site_lines *sl = td__site_new();
    size_t removed = 9;
    int i;
    for (i = 1; i <= 3; i++) {
        char *p = page(i, footer);
        CHECK(td__site_clean(sl, "avis.no", p, &removed) == TD_OK);
        CHECK(removed == 0);
        CHECK(strstr(p, "Les også:") != NULL);
        free(p);
    }
    {
        char *p = page(4, footer);
        CHECK(td__site_clean(sl, "avis.no", p, &removed) == TD_OK);
        CHECK(removed == 3);
        CHECK(strstr(p, "Les også:") == NULL);
        CHECK(strstr(p, "Kommentarer") == NULL);
        CHECK(strstr(p, "Story number 4") != NULL);
        CHECK(strstr(p, "belongs to article 4") != NULL);
        CHECK(p[strlen(p) - 1] != '\n');
        free(p);
    }
    {
        /* Another site has learned nothing. */
        char *p = page(5, footer);
        CHECK(td__site_clean(sl, "other.example", p, &removed) == TD_OK);
        CHECK(removed == 0);
        CHECK(strstr(p, "Les også:") != NULL);
        free(p);
    }
    td__site_free(sl);
}

TEST(long_lines_never_learned)
{
    td_site_lines *sl = td__site_new();
    const char *para = "This paragraph is long enough to be article text rather than "
                       "a navigation line, so even when a site prints it on every page "
                       "it is not treated as boilerplate by the learner at all.";
    size_t removed = 9;
    int i;
    for (i = 0; i < 6; i++) {
        char *p = strdup(para);
        CHECK(td__site_clean(sl, "site.example", p, &removed) == TD_OK);
        CHECK(removed == 0 && strcmp(p, para) == 0);
        free(p);
    }
    td__site_free(sl);
}

/* Flush into a small table, load into a fresh learner: same decisions. */
static uint64_t keys[64];
static uint32_t ns[64];
static int n_saved;

static td_status save(void *ud, uint64_t key, uint32_t n)
{
    int i;
    (void)ud;
    for (i = 0; i < n_saved && keys[i] != key; i++)
        ;
    if (i == n_saved) {
        if (n_saved == 64)
            return TD_ETOOBIG;
        n_saved++;
    }
    keys[i] = key;
    ns[i] = n;
    return TD_OK;
}

TEST(counts_survive_flush_and_load)
{
    td_site_lines *a = td__site_new(), *b = td__site_new();
    size_t ra, rb;
    int i;
    for (i = 1; i <= 3; i++) {
        char *p = page(i, footer);
        CHECK(td__site_clean(a, "avis.no", p, NULL) == TD_OK);
        free(p);
    }
    n_saved = 0;
    CHECK(td__site_flush(a, save, NULL) == TD_OK);
    CHECK(n_saved > 3);
    for (i = 0; i < n_saved; i++)
        CHECK(td__site_load(b, keys[i], ns[i]) == TD_OK);
    {
        char *pa = page(4, footer), *pb = page(4, footer);
        CHECK(td__site_clean(a, "avis.no", pa, &ra) == TD_OK);
        CHECK(td__site_clean(b, "avis.no", pb, &rb) == TD_OK);
        CHECK(ra == 3 && rb == 3);
        CHECK_STR(pa, pb);
        free(pa);
        free(pb);
    }
    td__site_free(a);
    td__site_free(b);
}

TEST(no_site_no_change)
{
    td_site_lines *sl = td__site_new();
    char text[] = "Leave a Reply\nSource link";
    size_t removed = 9;
    CHECK(td__site_clean(sl, NULL, text, &removed) == TD_OK);
    CHECK(removed == 0);
    CHECK_STR(text, "Leave a Reply\nSource link");
    td__site_free(sl);
}

int main(void)
{
    RUN(site_of_url_and_source);
    RUN(recurring_lines_removed_after_three_pages);
    RUN(long_lines_never_learned);
    RUN(counts_survive_flush_and_load);
    RUN(no_site_no_change);
    return check_report();
}
