/*
** meta.c: the metadata of a page: title, publication date, authors, site
** name, canonical URL and declared language. Sources in order of trust:
** <meta> tags (Open Graph, article:*, Dublin Core, itemprop), JSON-LD
** (the first Article-like object, also inside @graph), <link
** rel=canonical>, <time datetime>, the URL (/2019/11/19/) and a date
** written near the top of the visible text.
*/
#include "extract_int.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SNIPPET_CAP 4096

typedef struct meta {
    char *og_title, *title_tag, *h1, *ld_headline;
    char *meta_date, *ld_date, *time_date;
    char *meta_author, *ld_author;
    char *og_site, *ld_site, *app_name;
    char *canonical, *og_url;
    char *html_lang, *meta_lang, *og_locale, *ld_lang;
    td_status rc;
} meta;

/* Keeps a copy of s (capped at a character boundary, one line) in *slot
** when still NULL. */
static void keep(meta *m, char **slot, const char *s)
{
    size_t n;
    char *cut;
    if (*slot || !s || !*s || m->rc != TD_OK)
        return;
    n = strlen(s);
    if (n > SNIPPET_CAP) {
        n = SNIPPET_CAP;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    cut = td__strndup(s, n);
    if (!cut) {
        m->rc = TD_ENOMEM;
        return;
    }
    *slot = td__text_one_line(cut, &m->rc);
    free(cut);
}

static void keep_text(meta *m, char **slot, const dom *d, uint32_t i)
{
    td_buf b;
    if (*slot || m->rc != TD_OK)
        return;
    td__buf_init(&b, SNIPPET_CAP);
    /* Past SNIPPET_CAP the text is cut (TD_ETOOBIG). */
    if (td__dom_text(d, i, &b) == TD_ENOMEM)
        m->rc = TD_ENOMEM;
    if (b.data)
        keep(m, slot, b.data);
    td__buf_free(&b);
}

static int key_is(const char *key, const char *const *names, size_t n)
{
    size_t k;
    for (k = 0; k < n; k++)
        if (strcasecmp(key, names[k]) == 0)
            return 1;
    return 0;
}

#define KEY_IS(key, list) key_is(key, list, sizeof(list) / sizeof((list)[0]))

static const char *const date_keys[] = {
    "article:published_time", "datePublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "date", "dc.date", "dc.date.issued",
    "dcterms.created", "dcterms.date", "sailthru.date", "parsely-pub-date",
    "og:published_time", "article.published", "published_time",
    "originalpublicationdate", "dateCreated", "article:published",
    "cxenseparse:recs:publishtime", "og:article:published_time"};
static const char *const author_keys[] = {
    "author", "article:author", "parsely-author", "dc.creator",
    "sailthru.author", "byl", "og:article:author", "citation_author"};

static void meta_tag(meta *m, const dom *d, const dom_node *x)
{
    const char *key = td__dom_attr(d, x, "property");
    const char *content = td__dom_attr(d, x, "content");
    const char *equiv = td__dom_attr(d, x, "http-equiv");
    if (equiv && content && strcasecmp(equiv, "content-language") == 0)
        keep(m, &m->meta_lang, content);
    if (!key)
        key = td__dom_attr(d, x, "name");
    if (!key)
        key = td__dom_attr(d, x, "itemprop");
    if (!key || !content)
        return;
    if (strcasecmp(key, "og:title") == 0)
        keep(m, &m->og_title, content);
    else if (strcasecmp(key, "og:url") == 0)
        keep(m, &m->og_url, content);
    else if (strcasecmp(key, "og:site_name") == 0)
        keep(m, &m->og_site, content);
    else if (strcasecmp(key, "application-name") == 0)
        keep(m, &m->app_name, content);
    else if (strcasecmp(key, "og:locale") == 0)
        keep(m, &m->og_locale, content);
    else if (strcasecmp(key, "language") == 0 ||
             strcasecmp(key, "content-language") == 0 ||
             strcasecmp(key, "dc.language") == 0)
        keep(m, &m->meta_lang, content);
    else if (KEY_IS(key, date_keys)) {
        int64_t t;
        if (td_date_parse(content, &t) == TD_OK)
            keep(m, &m->meta_date, content);
    } else if (KEY_IS(key, author_keys) && strncmp(content, "http", 4) != 0)
        keep(m, &m->meta_author, content);
}

/* A JSON-LD value as text: a string, or the "name" of an object, or the
** names of an array joined with "; ". */
static void ld_names(meta *m, char **slot, const cJSON *v)
{
    if (*slot || !v)
        return;
    if (cJSON_IsString(v)) {
        keep(m, slot, v->valuestring);
    } else if (cJSON_IsObject(v)) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(v, "name");
        if (cJSON_IsString(name))
            keep(m, slot, name->valuestring);
    } else if (cJSON_IsArray(v)) {
        td_buf b;
        const cJSON *item;
        td__buf_init(&b, SNIPPET_CAP);
        cJSON_ArrayForEach(item, v) {
            char *one = NULL;
            ld_names(m, &one, item);
            if (one) {
                if (b.len)
                    td__buf_append(&b, "; ", 2);
                td__buf_append(&b, one, strlen(one));
                free(one);
            }
        }
        if (b.data)
            keep(m, slot, b.data);
        td__buf_free(&b);
    }
}

static int is_article_type(const cJSON *obj)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(obj, "@type");
    const cJSON *item;
    if (cJSON_IsString(type))
        return strstr(type->valuestring, "Article") != NULL ||
               strstr(type->valuestring, "BlogPosting") != NULL ||
               strcmp(type->valuestring, "WebPage") == 0;
    if (cJSON_IsArray(type))
        cJSON_ArrayForEach(item, type)
            if (cJSON_IsString(item) &&
                (strstr(item->valuestring, "Article") ||
                 strstr(item->valuestring, "BlogPosting")))
                return 1;
    return 0;
}

/* Reads an Article-like object; walks arrays and @graph (bounded depth). */
static void ld_walk(meta *m, const cJSON *v, int depth)
{
    const cJSON *item;
    if (!v || depth > 8)
        return;
    if (cJSON_IsArray(v)) {
        cJSON_ArrayForEach(item, v) ld_walk(m, item, depth + 1);
        return;
    }
    if (!cJSON_IsObject(v))
        return;
    if (is_article_type(v)) {
        const cJSON *date = cJSON_GetObjectItemCaseSensitive(v, "datePublished");
        const cJSON *pub = cJSON_GetObjectItemCaseSensitive(v, "publisher");
        int64_t t;
        if (cJSON_IsString(date) && td_date_parse(date->valuestring, &t) == TD_OK)
            keep(m, &m->ld_date, date->valuestring);
        ld_names(m, &m->ld_headline,
                 cJSON_GetObjectItemCaseSensitive(v, "headline"));
        ld_names(m, &m->ld_author, cJSON_GetObjectItemCaseSensitive(v, "author"));
        if (cJSON_IsObject(pub))
            ld_names(m, &m->ld_site, pub);
        ld_names(m, &m->ld_lang,
                 cJSON_GetObjectItemCaseSensitive(v, "inLanguage"));
    }
    ld_walk(m, cJSON_GetObjectItemCaseSensitive(v, "@graph"), depth + 1);
}

static void read_json_ld(meta *m, const char *ld, size_t len)
{
    size_t i = 0;
    while (i < len && m->rc == TD_OK) {
        const char *nl = memchr(ld + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - ld) : len;
        cJSON *doc = cJSON_ParseWithLength(ld + i, end - i);
        if (doc) {
            ld_walk(m, doc, 0);
            cJSON_Delete(doc);
        }
        i = end + 1;
    }
}

static void meta_free(meta *m)
{
    char **all[] = {&m->og_title, &m->title_tag, &m->h1, &m->ld_headline,
                    &m->meta_date, &m->ld_date, &m->time_date,
                    &m->meta_author, &m->ld_author, &m->og_site, &m->ld_site,
                    &m->app_name, &m->canonical, &m->og_url, &m->html_lang,
                    &m->meta_lang, &m->og_locale, &m->ld_lang};
    size_t k;
    for (k = 0; k < sizeof all / sizeof all[0]; k++) {
        free(*all[k]);
        *all[k] = NULL;
    }
}

/* Moves the first non-NULL candidate into *dst when *dst is NULL. */
static void pick(meta *m, char **dst, char **a, char **b, char **c)
{
    char **from = *a ? a : *b ? b : c;
    if (*dst || m->rc != TD_OK || !from || !*from)
        return;
    *dst = td__utf8_repair(*from, strlen(*from), NULL);
    if (!*dst)
        m->rc = TD_ENOMEM;
}

static char *no_string;

td_status td__meta_extract(const dom *d, const char *ld_json, size_t ld_len,
                           td_extract_result *res)
{
    meta m;
    uint32_t i;
    int64_t t = TD_NO_DATE;
    memset(&m, 0, sizeof m);
    for (i = 0; i < d->n && m.rc == TD_OK; i++) {
        const dom_node *x = &d->nodes[i];
        if (x->tag == DOM_TEXT)
            continue;
        switch (x->tag) {
        case TAG_HTML:
            keep(&m, &m.html_lang, td__dom_attr(d, x, "lang"));
            break;
        case TAG_TITLE:
            if (!m.title_tag) {
                td_buf b;
                uint32_t k;
                td__buf_init(&b, SNIPPET_CAP);
                /* Past SNIPPET_CAP the title is cut (TD_ETOOBIG). */
                for (k = i + 1; k < x->end; k++)
                    if (d->nodes[k].tag == DOM_TEXT &&
                        td__buf_append(&b, d->nodes[k].text,
                                       strlen(d->nodes[k].text)) == TD_ENOMEM)
                        m.rc = TD_ENOMEM;
                if (b.data)
                    keep(&m, &m.title_tag, b.data);
                td__buf_free(&b);
            }
            break;
        case TAG_H1:
            keep_text(&m, &m.h1, d, i);
            break;
        case TAG_META:
            meta_tag(&m, d, x);
            break;
        case TAG_LINK: {
            const char *rel = td__dom_attr(d, x, "rel");
            if (rel && strcasecmp(rel, "canonical") == 0)
                keep(&m, &m.canonical, td__dom_attr(d, x, "href"));
            break;
        }
        case TAG_TIME: {
            const char *dt = td__dom_attr(d, x, "datetime");
            if (dt && td_date_parse(dt, &t) == TD_OK)
                keep(&m, &m.time_date, dt);
            break;
        }
        default:
            break;
        }
    }
    if (ld_json && ld_len)
        read_json_ld(&m, ld_json, ld_len);
    if (m.og_title || m.ld_headline)
        pick(&m, &res->title, &m.og_title, &m.ld_headline, &no_string);
    else
        pick(&m, &res->title, &m.title_tag, &m.h1, &no_string);
    pick(&m, &res->authors, &m.meta_author, &m.ld_author, &no_string);
    pick(&m, &res->site, &m.og_site, &m.ld_site, &m.app_name);
    pick(&m, &res->url, &m.canonical, &m.og_url, &no_string);
    if (!res->lang && m.rc == TD_OK) {
        const char *tags[4];
        size_t k;
        tags[0] = m.html_lang;
        tags[1] = m.meta_lang;
        tags[2] = m.og_locale;
        tags[3] = m.ld_lang;
        for (k = 0; k < 4 && !res->lang; k++)
            if (tags[k])
                res->lang = td__lang_primary(tags[k], &m.rc);
    }
    if (res->date_unix == TD_NO_DATE && m.rc == TD_OK) {
        const char *ds = m.meta_date ? m.meta_date
                         : m.ld_date ? m.ld_date : m.time_date;
        char buf[40];
        if (ds && td_date_parse(ds, &t) == TD_OK) {
            res->date_unix = t;
            /* A date alone stays a date; a time is given in UTC. */
            if (strlen(ds) > 10 && t % 86400 != 0) {
                td_date_format(t, buf, sizeof buf);
                snprintf(buf + 10, sizeof buf - 10, "T%02d:%02d:%02dZ",
                         (int)((t % 86400 + 86400) % 86400 / 3600),
                         (int)((t % 3600 + 3600) % 3600 / 60),
                         (int)((t % 60 + 60) % 60));
                res->date = td__strdup(buf);
            } else {
                res->date = td__strdup(td_date_format(t, buf, sizeof buf));
            }
            if (!res->date)
                m.rc = TD_ENOMEM;
        } else if (res->url || m.og_url) {
            t = td__date_from_url(res->url ? res->url : m.og_url);
            if (t != TD_NO_DATE) {
                res->date_unix = t;
                res->date = td__strdup(td_date_format(t, buf, sizeof buf));
                if (!res->date)
                    m.rc = TD_ENOMEM;
            }
        }
    }
    meta_free(&m);
    return m.rc;
}

/* Reads "/2019/11/19/" or "/2019-11-19" or "/20191119" style dates from a
** URL path. */
int64_t td__date_from_url(const char *url)
{
    const char *p;
    if (!url)
        return TD_NO_DATE;
    for (p = url; *p; p++) {
        int y = 0, mo = 0, da = 0, k, ok = 1;
        const char *q;
        char buf[16];
        int64_t t;
        if (*p != '/' && *p != '-' && *p != '_')
            continue;
        q = p + 1;
        for (k = 0; k < 4; k++, q++) {
            if (*q < '0' || *q > '9') {
                ok = 0;
                break;
            }
            y = y * 10 + (*q - '0');
        }
        if (!ok || y < 1990 || y > 2100)
            continue;
        if (*q == '/' || *q == '-' || *q == '_')
            q++;
        if (q[0] < '0' || q[0] > '9' || q[1] < '0' || q[1] > '9')
            continue;
        mo = (q[0] - '0') * 10 + (q[1] - '0');
        q += 2;
        if (*q == '/' || *q == '-' || *q == '_')
            q++;
        if (q[0] < '0' || q[0] > '9' || q[1] < '0' || q[1] > '9')
            continue;
        da = (q[0] - '0') * 10 + (q[1] - '0');
        if (q[2] >= '0' && q[2] <= '9')
            continue;
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, da);
        if (td_date_parse(buf, &t) == TD_OK)
            return t;
    }
    return TD_NO_DATE;
}
