/*
** charset.c: bytes of a page to UTF-8 before the pre-pass. The declared
** charset (BOM, <meta charset>, http-equiv content-type in the first 8 KB)
** is trusted only when the page is not valid UTF-8 already: wrong
** declarations are common, and valid UTF-8 is almost never an accident.
** An undeclared page that is not UTF-8 is read as windows-1252, as browsers
** do; ISO-8859-1 and ASCII labels also mean windows-1252 (HTML standard).
*/
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucnv.h>

#define SNIFF_BYTES 8192
#define LABEL_CAP 40

static char lower_ascii(char c)
{
    return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* Finds "charset=" (any case, spaces around '=', optional quote) in the
** first SNIFF_BYTES and copies the label; "" when none. */
static void declared_charset(const char *html, size_t len, char label[LABEL_CAP])
{
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES, i;
    label[0] = '\0';
    for (i = 0; i + 7 < n; i++) {
        size_t k = 0, j;
        static const char key[] = "charset";
        while (k < 7 && lower_ascii(html[i + k]) == key[k])
            k++;
        if (k < 7)
            continue;
        j = i + 7;
        while (j < n && (html[j] == ' ' || html[j] == '\t'))
            j++;
        if (j >= n || html[j] != '=')
            continue;
        j++;
        while (j < n && (html[j] == ' ' || html[j] == '"' || html[j] == '\''))
            j++;
        k = 0;
        while (j < n && k < LABEL_CAP - 1 &&
               ((html[j] >= 'a' && html[j] <= 'z') ||
                (html[j] >= 'A' && html[j] <= 'Z') ||
                (html[j] >= '0' && html[j] <= '9') || html[j] == '-' ||
                html[j] == '_' || html[j] == ':' || html[j] == '.'))
            label[k++] = lower_ascii(html[j++]);
        label[k] = '\0';
        if (k)
            return;
    }
}

static td_status convert(const char *from, const char *html, size_t len,
                         char **out, size_t *out_len)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t cap, got;
    char *buf;
    if (len > (size_t)INT32_MAX / 4)
        return TD_ETOOBIG;
    cap = (int32_t)len * 3 + 16;
    buf = malloc((size_t)cap);
    if (!buf)
        return TD_ENOMEM;
    got = ucnv_convert("UTF-8", from, buf, cap, html, (int32_t)len, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR && got > 0) {
        char *grown = realloc(buf, (size_t)got + 1);
        if (!grown) {
            free(buf);
            return TD_ENOMEM;
        }
        buf = grown;
        cap = got + 1;
        status = U_ZERO_ERROR;
        got = ucnv_convert("UTF-8", from, buf, cap, html, (int32_t)len, &status);
    }
    if (U_FAILURE(status)) {
        free(buf);
        return status == U_MEMORY_ALLOCATION_ERROR ? TD_ENOMEM : TD_EPARSE;
    }
    *out = buf;
    *out_len = (size_t)got;
    return TD_OK;
}

td_status td__html_to_utf8(const char *html, size_t len, char **out,
                           size_t *out_len)
{
    char label[LABEL_CAP];
    const char *from;
    td_status rc;
    *out = NULL;
    *out_len = 0;
    if (len >= 2 && (unsigned char)html[0] == 0xFF &&
        (unsigned char)html[1] == 0xFE)
        return convert("UTF-16LE", html + 2, len - 2, out, out_len) == TD_ENOMEM
                   ? TD_ENOMEM : TD_OK;
    if (len >= 2 && (unsigned char)html[0] == 0xFE &&
        (unsigned char)html[1] == 0xFF)
        return convert("UTF-16BE", html + 2, len - 2, out, out_len) == TD_ENOMEM
                   ? TD_ENOMEM : TD_OK;
    if (td__utf8_valid_prefix(html, len) == len)
        return TD_OK;
    declared_charset(html, len, label);
    if (strcmp(label, "utf-8") == 0 || strcmp(label, "utf8") == 0)
        return TD_OK;   /* invalid bytes are repaired later */
    if (!label[0] || strcmp(label, "iso-8859-1") == 0 ||
        strcmp(label, "latin1") == 0 || strcmp(label, "us-ascii") == 0 ||
        strcmp(label, "ascii") == 0 || strcmp(label, "iso8859-1") == 0 ||
        strncmp(label, "utf-16", 6) == 0)
        from = "windows-1252";
    else
        from = label;
    rc = convert(from, html, len, out, out_len);
    if (rc == TD_EPARSE)   /* a label ICU does not know */
        rc = convert("windows-1252", html, len, out, out_len);
    return rc == TD_ENOMEM ? TD_ENOMEM : TD_OK;
}
