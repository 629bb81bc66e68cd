/*
** html.c: the extract stage's driver for one HTML page: charset to UTF-8
** (charset.c), the safe pre-pass (prepass.c), the tree builder (tree.c)
** into the flat tree (dom.c), metadata (meta.c) and the article body
** (body.c). Also the small
** text-shaping helpers that ingest shares with this stage.
*/
#include "extract_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

td_status td__extract_page(const char *html, size_t len, td_extract_result *res,
                           td_error *err)
{
    char *utf8 = NULL;
    size_t utf8_len = 0;
    td_buf clean, ld;
    dom d;
    td_status rc;
    char *text = NULL;
    if (len > TD_MAX_RECORD)
        return td__error_set(err, TD_ETOOBIG, NULL, 0, "HTML over %u bytes",
                             (unsigned)TD_MAX_RECORD);
    rc = td__html_to_utf8(html, len, &utf8, &utf8_len);
    if (rc != TD_OK)
        return td__error_set(err, rc, NULL, 0, "charset: %s", td_strerror(rc));
    if (utf8) {
        html = utf8;
        len = utf8_len;
    }
    td__buf_init(&ld, TD_LD_JSON_CAP);
    rc = td__html_prepass(html, len, &clean, &ld);
    free(utf8);
    if (rc != TD_OK) {
        td__buf_free(&ld);
        return td__error_set(err, rc, NULL, 0, "HTML pre-pass: %s",
                             td_strerror(rc));
    }
    rc = td__dom_parse(&d, clean.data ? clean.data : (char *)"", clean.len);
    if (rc == TD_OK)
        rc = td__meta_extract(&d, ld.data, ld.len, res);
    if (rc == TD_OK)
        rc = td__body_extract(&d, res->title, &text);
    td__dom_free(&d);
    td__buf_free(&clean);
    td__buf_free(&ld);
    if (rc == TD_OK && text) {
        size_t n = strlen(text);
        free(res->text);
        /* Valid text (the usual case) is kept as it is; a body cut at its
        ** cap may end inside a character, which is repaired. */
        if (td__utf8_valid_prefix(text, n) == n) {
            res->text = text;
            text = NULL;
        } else {
            res->text = td__utf8_repair(text, n, NULL);
            if (!res->text)
                rc = TD_ENOMEM;
        }
    }
    free(text);
    if (rc != TD_OK)
        return td__error_set(err, rc, NULL, 0, "HTML extraction: %s",
                             td_strerror(rc));
    return TD_OK;
}

/* Moves *src into *dst when *dst is NULL. */
static void adopt(char **dst, char **src)
{
    if (!*dst) {
        *dst = *src;
        *src = NULL;
    }
}

td_status td__extract_html(const char *html, size_t len, td_article *art,
                           td_error *err)
{
    td_extract_result res;
    td_status rc;
    if (!html || !art)
        return td__error_set(err, TD_EINVAL, NULL, 0, "no HTML");
    memset(&res, 0, sizeof res);
    res.date_unix = TD_NO_DATE;
    rc = td__extract_page(html, len, &res, err);
    if (rc != TD_OK) {
        if (err && !err->where[0])
            snprintf(err->where, sizeof err->where, "%s", art->where);
    } else {
        free(art->text);
        art->text = res.text;
        res.text = NULL;
        adopt(&art->title, &res.title);
        adopt(&art->url, &res.url);
        adopt(&art->lang_hint, &res.lang);
        if (art->date == TD_NO_DATE)
            art->date = res.date_unix;
    }
    free(res.title);
    free(res.text);
    free(res.date);
    free(res.authors);
    free(res.site);
    free(res.url);
    free(res.lang);
    return rc;
}

char *td__lang_primary(const char *tag, td_status *rc)
{
    char buf[4], *out;
    size_t n = 0;
    if (!tag)
        return NULL;
    while (is_ws(*tag))
        tag++;
    while (is_alpha(*tag) && n < 4)
        buf[n++] = lower(*tag++);
    if (n < 2 || n > 3 || (*tag && *tag != '-' && *tag != '_' && !is_ws(*tag)))
        return NULL;
    if ((out = td__strndup(buf, n)) == NULL)
        *rc = TD_ENOMEM;
    return out;
}

char *td__text_paragraphs(const char *s, size_t len, td_status *rc)
{
    size_t i = 0, o = 0, next_cr = 0;
    int cr_known = 0;
    char *out = malloc(len + 1);
    if (!out) {
        *rc = TD_ENOMEM;
        return NULL;
    }
    while (i < len) {
        size_t start = i, end;
        const char *nl;
        /* Lines end at \n or \r: memchr for each, the next \r kept until
        ** passed (most text has none). */
        if (!cr_known || next_cr < i) {
            const char *cr = memchr(s + i, '\r', len - i);
            next_cr = cr ? (size_t)(cr - s) : len;
            cr_known = 1;
        }
        nl = memchr(s + i, '\n', next_cr - i);
        i = nl ? (size_t)(nl - s) : next_cr;
        end = i;
        if (i < len)
            i++;   /* "\r\n" leaves an empty line, which is dropped */
        while (start < end && (is_ws(s[start]) || s[start] == '\v'))
            start++;
        while (end > start && (is_ws(s[end - 1]) || s[end - 1] == '\v'))
            end--;
        if (end == start)
            continue;
        if (o)
            out[o++] = '\n';
        memcpy(out + o, s + start, end - start);
        o += end - start;
    }
    out[o] = '\0';
    if (o == 0) {
        free(out);
        return NULL;
    }
    return out;
}

char *td__text_one_line(const char *s, td_status *rc)
{
    size_t len = strlen(s), o = 0, i;
    int pending = 0;
    char *out = malloc(len + 1);
    if (!out) {
        *rc = TD_ENOMEM;
        return NULL;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_ws((char)c) || c == '\v' ||
            (c == 0xC2 && (unsigned char)s[i + 1] == 0xA0)) {
            if (c == 0xC2)
                i++;
            pending = o > 0;
            continue;
        }
        if (pending)
            out[o++] = ' ';
        pending = 0;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    if (o == 0) {
        free(out);
        return NULL;
    }
    return out;
}
