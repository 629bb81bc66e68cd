/*
** record.c: turns one input record (a JSON Lines line, a plain-text file, an
** HTML file) into a td_article, applying the ingest policy on NUL bytes,
** invalid UTF-8, sizes and required fields. The reading of paths is in
** ingest.c; raw HTML is handed on in art->html for the extract stage.
*/
#include "ingest.h"
#include "extract/extract.h"   /* text helpers only */
#include "util/util.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int is_blank(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (!is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Number of invalid UTF-8 bytes in s[0..len); *first gets the offset of the
** first one (len when none). */
static size_t count_invalid(const char *s, size_t len, size_t *first)
{
    size_t i = 0, bad = 0;
    *first = len;
    while (i < len) {
        i += td__utf8_valid_prefix(s + i, len - i);
        if (i < len) {
            if (bad == 0)
                *first = i;
            bad++;
            i++;
        }
    }
    return bad;
}

td_status td__utf8_accept(const char *s, size_t len, const char *what,
                          const char *where, size_t base, char **out,
                          td_error *err)
{
    size_t first, bad, limit;
    *out = NULL;
    bad = count_invalid(s, len, &first);
    if (bad == 0) {
        *out = td__strndup(s, len);
    } else {
        limit = len / 100 > 4 ? len / 100 : 4;
        if (bad > limit)
            return td__error_set(err, TD_EUTF8, where, base + first,
                                 "invalid UTF-8 in %s at byte %zu (%zu of "
                                 "%zu bytes invalid)", what, base + first,
                                 bad, len);
        *out = td__utf8_repair(s, len, NULL);
    }
    if (!*out)
        return td__error_set(err, TD_ENOMEM, where, 0, "out of memory");
    return TD_OK;
}

/* Offset in line of the bytes of field value v (which was decoded from
** line) starting at v's first invalid byte. JSON escapes make the mapping
** inexact, so a short run of bytes that are never escaped is searched for;
** failing that, the first invalid byte of the whole line is used. */
static size_t field_bad_offset(const char *line, size_t len, const char *v)
{
    size_t vlen = strlen(v), first, n = 1, line_first;
    const char *hit;
    count_invalid(v, vlen, &first);
    while (first + n < vlen && n < 16) {
        unsigned char c = (unsigned char)v[first + n];
        if (c < 0x20 || c == '"' || c == '\\' || c == '/')
            break;
        n++;
    }
    if (first < vlen) {
        hit = memmem(line, len, v + first, n);
        if (hit)
            return (size_t)(hit - line);
    }
    count_invalid(line, len, &line_first);
    return line_first < len ? line_first : 0;
}

/* Takes a string field from obj into *dst (new, UTF-8 checked), or leaves
** *dst NULL when absent or not a string. */
static td_status take_string(const cJSON *obj, const char *name,
                             const char *line, size_t len, const char *where,
                             char **dst, td_error *err)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    const char *v;
    size_t vlen;
    td_status rc;
    *dst = NULL;
    if (!cJSON_IsString(item) || !item->valuestring)
        return TD_OK;
    v = item->valuestring;
    vlen = strlen(v);
    if (vlen > TD_MAX_FIELD)
        return td__error_set(err, TD_ETOOBIG, where, 0,
                             "field \"%s\" over %u bytes", name,
                             (unsigned)TD_MAX_FIELD);
    rc = td__utf8_accept(v, vlen, name, where, 0, dst, err);
    if (rc == TD_EUTF8 && err) {
        err->offset = field_bad_offset(line, len, v);
        snprintf(err->msg, sizeof err->msg,
                 "invalid UTF-8 in field \"%s\" at byte %zu", name,
                 err->offset);
    }
    return rc;
}

/* Offset of the first \u0000 escape in line, or len when none. A
** backslash counts as an escape only when preceded by an even number of
** backslashes. */
static size_t find_nul_escape(const char *line, size_t len)
{
    size_t i = 0;
    while (i + 6 <= len) {
        /* memchr: most of a line is text without a backslash. */
        const char *bs = memchr(line + i, '\\', len - 5 - i);
        if (!bs)
            break;
        i = (size_t)(bs - line);
        if (memcmp(line + i, "\\u0000", 6) == 0)
            return i;
        i += 2;   /* the backslash and the escaped character */
    }
    return len;
}

/* Fills *id from a JSON id value: a string as is, a number as an integer
** when integral (else %.17g). */
static td_status take_id(const cJSON *obj, const char *line, size_t len,
                         const char *where, char **id, td_error *err)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, "id");
    td_status rc;
    char num[64];
    *id = NULL;
    if (cJSON_IsNumber(item)) {
        double v = item->valuedouble;
        if (v > -9.0e15 && v < 9.0e15 && (double)(long long)v == v)
            snprintf(num, sizeof num, "%lld", (long long)v);
        else
            snprintf(num, sizeof num, "%.17g", v);
        *id = td__strdup(num);
        if (!*id)
            return td__error_set(err, TD_ENOMEM, where, 0, "out of memory");
        return TD_OK;
    }
    if (item && !cJSON_IsString(item) && !cJSON_IsNull(item))
        return td__error_set(err, TD_EPARSE, where, 0,
                             "id is not a string or number");
    rc = take_string(obj, "id", line, len, where, id, err);
    if (rc != TD_OK)
        return rc;
    if (*id) {
        /* Only the ends are trimmed: "a  b" and "a b" stay distinct ids. */
        const char *start = *id, *end = *id + strlen(*id);
        char *trimmed;
        while (start < end && is_space((unsigned char)*start))
            start++;
        while (end > start && is_space((unsigned char)end[-1]))
            end--;
        trimmed = end > start ? td__strndup(start, (size_t)(end - start))
                              : NULL;
        free(*id);
        *id = trimmed;
        if (end > start && !trimmed)
            return td__error_set(err, TD_ENOMEM, where, 0, "out of memory");
    }
    if (!*id)
        return td__error_set(err, TD_EMISSING, where, 0, "missing id");
    return TD_OK;
}

/* Sets art->date from "date" or else "published" (string or number). */
static void take_date(const cJSON *obj, td_article *art)
{
    static const char *const names[] = {"date", "published"};
    size_t i;
    for (i = 0; i < 2; i++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, names[i]);
        int64_t t;
        if (cJSON_IsString(item) && item->valuestring &&
            td_date_parse(item->valuestring, &t) == TD_OK) {
            art->date = t;
            return;
        }
        if (cJSON_IsNumber(item) && item->valuedouble > -1e13 &&
            item->valuedouble < 1e13) {
            art->date = (int64_t)item->valuedouble;
            return;
        }
    }
}

static td_status parse_object(const cJSON *root, const char *line, size_t len,
                              const char *where, td_article *art,
                              td_error *err)
{
    char *text = NULL, *html = NULL, *title = NULL, *lang = NULL;
    td_status rc;
    if ((rc = take_id(root, line, len, where, &art->id, err)) != TD_OK ||
        (rc = take_string(root, "url", line, len, where, &art->url, err)) ||
        (rc = take_string(root, "source", line, len, where, &art->source,
                          err)) ||
        (rc = take_string(root, "title", line, len, where, &title, err)) ||
        (rc = take_string(root, "lang", line, len, where, &lang, err)) ||
        (rc = take_string(root, "text", line, len, where, &text, err)) ||
        (rc = take_string(root, "html", line, len, where, &html, err)))
        goto done;
    take_date(root, art);
    if (title)
        art->title = td__text_one_line(title, &rc);
    if (lang)
        art->lang_hint = td__lang_primary(lang, &rc);
    if (text)
        art->text = td__text_paragraphs(text, strlen(text), &rc);
    if (rc != TD_OK) {
        td__error_set(err, rc, where, 0, "out of memory");
        goto done;
    }
    if (!art->text && html && !is_blank(html, strlen(html))) {
        /* Handed on: the extract stage turns it into title and text. */
        art->html = html;
        html = NULL;
    }
    if (!art->text && !art->html) {
        rc = td__error_set(err, TD_EMISSING, where, 0, "missing text");
        goto done;
    }
    if (!art->url || !*art->url) {
        free(art->url);
        art->url = NULL;
    }
done:
    free(text);
    free(html);
    free(title);
    free(lang);
    return rc;
}

/* Common start of every parser: an empty article named where, then the
** size cap and the NUL check. what names the unit in the message. */
static td_status start_record(const char *data, size_t len, const char *where,
                              const char *what, td_article *art, td_error *err)
{
    const char *nul;
    art->id = art->url = art->source = art->title = art->text = NULL;
    art->html = NULL;
    art->lang_hint = NULL;
    art->date = TD_NO_DATE;
    snprintf(art->where, sizeof art->where, "%s", where ? where : "");
    if (len > TD_MAX_RECORD)
        return td__error_set(err, TD_ETOOBIG, where, 0, "%s over %u bytes",
                             what, (unsigned)TD_MAX_RECORD);
    nul = memchr(data, '\0', len);
    if (nul)
        return td__error_set(err, TD_ENUL, where, (size_t)(nul - data),
                             "NUL byte at byte %zu", (size_t)(nul - data));
    return TD_OK;
}

td_status td__parse_json_record(const char *line, size_t len, const char *where,
                                td_article *art, td_error *err)
{
    const char *end = NULL;
    cJSON *root;
    size_t off;
    td_status rc;
    if ((rc = start_record(line, len, where, "record", art, err)) != TD_OK)
        return rc;
    root = cJSON_ParseWithLengthOpts(line, len, &end, 0);
    if (root && end) {
        /* Only whitespace may follow the value. */
        off = (size_t)(end - line);
        while (off < len && is_space((unsigned char)line[off]))
            off++;
        if (off < len) {
            cJSON_Delete(root);
            root = NULL;
            end = line + off;
        }
    }
    if (!root) {
        off = (end && end >= line && end <= line + len) ? (size_t)(end - line)
                                                         : 0;
        return td__error_set(err, TD_EPARSE, where, off,
                             "malformed JSON at byte %zu", off);
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return td__error_set(err, TD_EPARSE, where, 0,
                             "record is not a JSON object");
    }
    off = find_nul_escape(line, len);
    if (off < len) {
        cJSON_Delete(root);
        return td__error_set(err, TD_ENUL, where, off,
                             "NUL escape (\\u0000) at byte %zu", off);
    }
    rc = parse_object(root, line, len, where, art, err);
    cJSON_Delete(root);
    if (rc != TD_OK) {
        td__article_clear(art);
        snprintf(art->where, sizeof art->where, "%s", where ? where : "");
    }
    return rc;
}

/* Shared start of the whole-document parsers: size, NUL and UTF-8 checks.
** On TD_OK *clean is new (free()) and *clean_len its length. */
static td_status accept_document(const char *data, size_t len,
                                 const char *where, td_article *art,
                                 char **clean, size_t *clean_len,
                                 td_error *err)
{
    td_status rc;
    *clean = NULL;
    if ((rc = start_record(data, len, where, "file", art, err)) != TD_OK)
        return rc;
    /* A UTF-8 byte order mark is not text. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        rc = td__utf8_accept(data + 3, len - 3, "document", where, 3, clean,
                             err);
    } else {
        rc = td__utf8_accept(data, len, "document", where, 0, clean, err);
    }
    if (rc == TD_OK)
        *clean_len = strlen(*clean);
    return rc;
}

td_status td__parse_text_doc(const char *data, size_t len, const char *id,
                             const char *where, td_article *art, td_error *err)
{
    char *clean;
    size_t clean_len;
    td_headline head;
    td_status rc = accept_document(data, len, where, art, &clean, &clean_len,
                                   err);
    if (rc != TD_OK)
        return rc;
    /* The title line (extract/headline.c: the repeated headline, else the
    ** first line of three words); the lines before it stay in the text. */
    td__text_headline(clean, clean_len, &head);
    art->title = NULL;
    if (head.end > head.start) {
        char *title_raw = td__strndup(clean + head.start,
                                      head.end - head.start);
        if (!title_raw) {
            free(clean);
            return td__error_set(err, TD_ENOMEM, where, 0, "out of memory");
        }
        art->title = td__text_one_line(title_raw, &rc);
        free(title_raw);
        if (!td__text_take_headline(clean, &clean_len, &head))
            clean_len = 0;   /* the title alone: no text */
    }
    art->text = td__text_paragraphs(clean, clean_len, &rc);
    free(clean);
    art->id = rc == TD_OK ? td__strdup(id) : NULL;
    if (!art->id)
        rc = td__error_set(err, TD_ENOMEM, where, 0, "out of memory");
    else if (!art->text)
        rc = td__error_set(err, TD_EMISSING, where, 0, "missing text");
    if (rc != TD_OK) {
        td__article_clear(art);
        snprintf(art->where, sizeof art->where, "%s", where ? where : "");
    }
    return rc;
}

td_status td__parse_html_doc(const char *data, size_t len, const char *id,
                             const char *where, td_article *art, td_error *err)
{
    char *clean;
    size_t clean_len;
    td_status rc = accept_document(data, len, where, art, &clean, &clean_len,
                                   err);
    if (rc != TD_OK)
        return rc;
    if (is_blank(clean, clean_len)) {
        free(clean);
        return td__error_set(err, TD_EMISSING, where, 0, "missing text");
    }
    /* Handed on: the extract stage turns it into title and text. */
    art->html = clean;
    art->id = td__strdup(id);
    if (!art->id) {
        td__article_clear(art);
        snprintf(art->where, sizeof art->where, "%s", where ? where : "");
        return td__error_set(err, TD_ENOMEM, where, 0, "out of memory");
    }
    return TD_OK;
}
