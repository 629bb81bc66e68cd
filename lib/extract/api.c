/*
** api.c: the public face of the extract stage (tidings.h "Extraction"):
** a page or a text file in, a td_extract_result out. Like the pipeline, this
** facade also asks the text stage for the language of what it extracted.
*/
#include "extract.h"
#include "text/text.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <libdeflate.h>
#include <zlib.h>

void td_extract_result_free(td_extract_result *res)
{
    if (!res)
        return;
    free(res->title);
    free(res->text);
    free(res->date);
    free(res->authors);
    free(res->site);
    free(res->url);
    free(res->lang);
    free(res);
}

static td_extract_result *result_new(void)
{
    td_extract_result *r = calloc(1, sizeof *r);
    if (r)
        r->date_unix = TD_NO_DATE;
    return r;
}

td_status td_extract_html(const char *html, size_t len,
                          td_extract_result **out, td_error *err)
{
    td_extract_result *r;
    td_status rc;
    *out = NULL;
    if (!html && len)
        return td__error_set(err, TD_EINVAL, NULL, 0, "no HTML");
    r = result_new();
    if (!r)
        return td__error_set(err, TD_ENOMEM, NULL, 0, "out of memory");
    rc = td__extract_page(html ? html : "", len, r, err);
    if (rc != TD_OK) {
        td_extract_result_free(r);
        return rc;
    }
    *out = r;
    return TD_OK;
}

td_status td_extract_text(const char *text, size_t len,
                          td_extract_result **out, td_error *err)
{
    td_extract_result *r;
    char *fixed;
    td_status rc = TD_OK;
    *out = NULL;
    if (!text && len)
        return td__error_set(err, TD_EINVAL, NULL, 0, "no text");
    r = result_new();
    fixed = td__utf8_repair(text ? text : "", len, NULL);
    if (!r || !fixed) {
        free(fixed);
        td_extract_result_free(r);
        return td__error_set(err, TD_ENOMEM, NULL, 0, "out of memory");
    }
    r->text = td__boiler_clean_text(fixed, strlen(fixed), NULL, &rc);
    free(fixed);
    if (rc != TD_OK) {
        td_extract_result_free(r);
        return td__error_set(err, rc, NULL, 0, "out of memory");
    }
    *out = r;
    return TD_OK;
}

/* The language of the extracted text; the declared one is only a hint. */
static td_status detect_language(td_extract_result *r, td_error *err)
{
    char lang[8];
    const char *text = r->text ? r->text : (r->title ? r->title : "");
    td__lang_detect(text, strlen(text), r->lang, lang);
    if (strcmp(lang, "und") == 0 && r->lang)
        return TD_OK;
    free(r->lang);
    r->lang = td__strdup(lang);
    return r->lang ? TD_OK
                   : td__error_set(err, TD_ENOMEM, NULL, 0, "out of memory");
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/*
** The fast read: the whole file in one read, and a gzip file inflated in
** one call by libdeflate (about twice zlib's speed) into a buffer of the
** size its trailer gives. Returns 1 with the page in *b, or 0 when the
** file needs the streaming read below: larger than the record cap, several
** gzip members, a stream cut short or corrupt (zlib keeps what it can).
*/
static int read_fast(const char *path, td_buf *b)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    unsigned char *raw = NULL;
    size_t n;
    int ok = 0;
    if (!f)
        return 0;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size > TD_MAX_RECORD / 2 ||
        !(raw = malloc((size_t)st.st_size + 1))) {
        fclose(f);
        return 0;
    }
    n = fread(raw, 1, (size_t)st.st_size, f);
    fclose(f);
    if (n != (size_t)st.st_size) {
        free(raw);
        return 0;
    }
    if (n >= 18 && raw[0] == 0x1f && raw[1] == 0x8b) {
        size_t out_len = (size_t)raw[n - 4] | (size_t)raw[n - 3] << 8 |
                         (size_t)raw[n - 2] << 16 | (size_t)raw[n - 1] << 24;
        size_t used = 0, got = 0;
        struct libdeflate_decompressor *dec;
        if (out_len < TD_MAX_RECORD / 2 &&
            (dec = libdeflate_alloc_decompressor()) != NULL) {
            td__buf_init(b, TD_MAX_RECORD);
            if (td__buf_reserve(b, out_len + 1) == TD_OK &&
                libdeflate_gzip_decompress_ex(dec, raw, n, b->data, out_len,
                                              &used, &got) == LIBDEFLATE_SUCCESS &&
                used == n && got == out_len) {
                b->len = got;
                b->data[got] = '\0';
                ok = 1;
            } else {
                td__buf_free(b);
            }
            libdeflate_free_decompressor(dec);
        }
        free(raw);
        return ok;
    }
    raw[n] = '\0';
    td__buf_init(b, TD_MAX_RECORD);
    b->data = (char *)raw;
    b->len = n;
    b->size = n + 1;
    return 1;
}

/* Reads path (gzip or not) into b, cut at the record cap. */
static td_status read_file(const char *path, td_buf *b, td_error *err)
{
    gzFile gz;
    td_status rc = TD_OK;
    char chunk[65536];
    if (read_fast(path, b))
        return TD_OK;
    gz = gzopen(path, "rb");
    if (!gz)
        return td__error_set(err, TD_EIO, path, 0, "cannot open");
    td__buf_init(b, TD_MAX_RECORD);
    for (;;) {
        int n = gzread(gz, chunk, sizeof chunk);
        if (n < 0) {
            int errnum;
            const char *msg = gzerror(gz, &errnum);
            if (errnum == Z_BUF_ERROR)
                break;   /* a gzip stream cut short: keep what was read */
            td__error_set(err, TD_EIO, path, 0, "read failed: %s", msg);
            gzclose(gz);
            td__buf_free(b);
            return TD_EIO;
        }
        if (n == 0)
            break;
        rc = td__buf_append(b, chunk, (size_t)n);
        if (rc == TD_ETOOBIG) {
            /* Past the cap the page is cut: what comes first is extracted. */
            size_t room = b->cap - b->len;
            rc = td__buf_append(b, chunk, room < (size_t)n ? room : (size_t)n);
            break;
        }
        if (rc != TD_OK)
            break;
    }
    gzclose(gz);
    if (rc != TD_OK && rc != TD_ETOOBIG) {
        td__buf_free(b);
        return td__error_set(err, rc, path, 0, "%s", td_strerror(rc));
    }
    return TD_OK;
}

td_status td_extract_file(const char *path, td_extract_result **out,
                          uint64_t *bytes, td_error *err)
{
    td_buf b;
    td_status rc;
    int is_html, is_text;
    *out = NULL;
    if (bytes)
        *bytes = 0;
    rc = read_file(path, &b, err);
    if (rc != TD_OK)
        return rc;
    if (bytes)
        *bytes = b.len;
    {
        char *name = td__strdup(path);
        size_t n;
        if (!name) {
            td__buf_free(&b);
            return td__error_set(err, TD_ENOMEM, path, 0, "out of memory");
        }
        n = strlen(name);
        if (ends_with(name, ".gz"))
            name[n - 3] = '\0';
        is_html = ends_with(name, ".html") || ends_with(name, ".htm") ||
                  ends_with(name, ".xhtml");
        is_text = ends_with(name, ".txt");
        free(name);
    }
    if (!is_html && !is_text) {
        size_t k = 0;
        while (k < b.len && (b.data[k] == ' ' || b.data[k] == '\n' ||
                             b.data[k] == '\r' || b.data[k] == '\t'))
            k++;
        is_html = k < b.len && b.data[k] == '<';
    }
    if (is_html) {
        rc = td_extract_html(b.data ? b.data : "", b.len, out, err);
    } else {
        /* The title line first, as ingest reads a text file
        ** (headline.c), then the rest cleaned. */
        td_headline head;
        char *title = NULL;
        rc = td__buf_putc(&b, '\0');
        if (rc == TD_OK) {
            b.len--;
            td__text_headline(b.data, b.len, &head);
            if (head.end > head.start) {
                title = td__strndup(b.data + head.start,
                                    head.end - head.start);
                if (!title)
                    rc = TD_ENOMEM;
                else if (!td__text_take_headline(b.data, &b.len, &head)) {
                    free(title);   /* one line: it is the text */
                    title = NULL;
                }
            }
        }
        if (rc != TD_OK)
            rc = td__error_set(err, rc, path, 0, "out of memory");
        else
            rc = td_extract_text(b.data, b.len, out, err);
        if (rc == TD_OK && !(*out)->title) {
            (*out)->title = title;
            title = NULL;
        }
        free(title);
    }
    td__buf_free(&b);
    if (rc == TD_OK)
        rc = detect_language(*out, err);
    if (rc != TD_OK && *out) {
        td_extract_result_free(*out);
        *out = NULL;
    }
    if (rc != TD_OK && err && !err->where[0])
        snprintf(err->where, sizeof err->where, "%s", path);
    return rc;
}
