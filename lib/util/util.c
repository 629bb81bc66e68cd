/*
** util.c: error filling, string copies, the capped growable buffer, hashing
** and UTF-8 validation/repair. The ground floor: depends on nothing else.
*/
#include "util.h"
#include "../article.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

td_status td__error_set(td_error *err, td_status code, const char *where,
                        size_t offset, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        err->offset = offset;
        snprintf(err->where, sizeof err->where, "%s", where ? where : "");
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

char *td__strndup(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *td__strdup(const char *s)
{
    return s ? td__strndup(s, strlen(s)) : NULL;
}

void td__buf_init(td_buf *b, size_t cap)
{
    b->data = NULL;
    b->len = 0;
    b->size = 0;
    b->cap = cap;
}

void td__buf_free(td_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->size = 0;
}

void td__buf_reset(td_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static td_status buf_reserve(td_buf *b, size_t extra)
{
    size_t need, size;
    char *p;
    if (extra > b->cap || b->len > b->cap - extra)
        return TD_ETOOBIG;
    need = b->len + extra + 1;
    if (need <= b->size)
        return TD_OK;
    size = b->size ? b->size : 256;
    while (size < need)
        size *= 2;
    p = realloc(b->data, size);
    if (!p)
        return TD_ENOMEM;
    b->data = p;
    b->size = size;
    return TD_OK;
}

td_status td__buf_append(td_buf *b, const void *data, size_t len)
{
    td_status rc = buf_reserve(b, len);
    if (rc != TD_OK)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return TD_OK;
}

int td__in_list(const char *const *list, const char *w, size_t len)
{
    for (; *list; list++)
        if (strlen(*list) == len && memcmp(*list, w, len) == 0)
            return 1;
    return 0;
}

void td__buf_fixed(td_buf *b, char *storage, size_t n)
{
    b->data = storage;
    b->len = 0;
    b->size = n;
    b->cap = n ? n - 1 : 0;
    if (n)
        storage[0] = '\0';
}

td_status td__buf_reserve(td_buf *b, size_t extra)
{
    return buf_reserve(b, extra);
}

td_status td__buf_putc(td_buf *b, char c)
{
    return td__buf_append(b, &c, 1);
}

td_status td__buf_printf(td_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    td_status rc;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return TD_EINVAL;
    rc = buf_reserve(b, (size_t)n);
    if (rc != TD_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return TD_OK;
}

td_status td__grow(void **p, size_t *cap, size_t need, size_t elem_size)
{
    size_t want = *cap ? *cap : 64;
    void *q;
    if (need <= *cap)
        return TD_OK;
    while (want < need) {
        if (want > SIZE_MAX / 2)
            return TD_ENOMEM;
        want *= 2;
    }
    if (elem_size && want > SIZE_MAX / elem_size)
        return TD_ENOMEM;
    q = realloc(*p, want * elem_size);
    if (!q)
        return TD_ENOMEM;
    *p = q;
    *cap = want;
    return TD_OK;
}

char *td__buf_steal(td_buf *b)
{
    char *p = b->data;
    if (!p)
        p = td__strndup("", 0);
    b->data = NULL;
    b->len = b->size = 0;
    return p;
}

uint64_t td__hash64(const void *data, size_t len)
{
    return XXH3_64bits(data, len);
}

uint64_t td__term_key(td_term_kind kind, const char *text, size_t len)
{
    return XXH3_64bits_withSeed(text, len, (uint64_t)kind + 1);
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when invalid.
** Rejects overlongs, surrogates and code points past U+10FFFF. */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        return (avail >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (avail < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0;
        if (c == 0xED && s[1] >= 0xA0)
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (avail < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0;
        if (c == 0xF4 && s[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

size_t td__utf8_put(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t td__utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n;
        if (u[i] < 0x80) {
            /* Markup is mostly ASCII: skip it 8 bytes at a time. */
            uint64_t w;
            while (i + 8 <= len) {
                memcpy(&w, u + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
                i += 8;
            }
            while (i < len && u[i] < 0x80)
                i++;
            continue;
        }
        n = utf8_seq_len(u + i, len - i);
        if (!n)
            break;
        i += n;
    }
    return i;
}

char *td__utf8_repair(const char *s, size_t len, size_t *n_repaired)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0, bad = 0;
    /* Each invalid byte becomes U+FFFD (3 bytes): at most 3x the input. */
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    while (i < len) {
        size_t n = utf8_seq_len(u + i, len - i);
        if (n) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
            bad++;
        }
    }
    out[o] = '\0';
    if (n_repaired)
        *n_repaired = bad;
    return out;
}

void td__article_clear(td_article *a)
{
    if (!a)
        return;
    free(a->id);
    free(a->url);
    free(a->source);
    free(a->title);
    free(a->text);
    free(a->html);
    free(a->lang_hint);
    a->id = a->url = a->source = a->title = a->text = a->html = a->lang_hint = NULL;
    a->date = TD_NO_DATE;
    a->where[0] = '\0';
}

void td__analysis_clear(td_analysis *an)
{
    size_t i;
    if (!an)
        return;
    if (an->strings) {
        free(an->strings);
    } else {
        for (i = 0; i < an->n_terms; i++)
            free(an->terms[i].text);
        for (i = 0; i < an->n_entities; i++) {
            free(an->entities[i].norm);
            free(an->entities[i].display);
        }
    }
    free(an->terms);
    free(an->entities);
    memset(an, 0, sizeof *an);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Least significant digit first, 8 bits a pass; a pass where every value
** has the same digit is skipped (short arrays of hashes rarely need all 8,
** but they are uniform, so usually do). */
static void radix_u64(uint64_t *a, uint64_t *tmp, size_t n)
{
    size_t count[256], i, shift;
    uint64_t *src = a, *dst = tmp, *t;
    for (shift = 0; shift < 64; shift += 8) {
        size_t sum = 0;
        memset(count, 0, sizeof count);
        for (i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xFF]++;
        if (count[(src[0] >> shift) & 0xFF] == n)
            continue;
        for (i = 0; i < 256; i++) {
            size_t c = count[i];
            count[i] = sum;
            sum += c;
        }
        for (i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xFF]++] = src[i];
        t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

size_t td__sort_unique_u64(uint64_t *a, size_t n)
{
    size_t i, d;
    if (n < 2)
        return n;
    if (n <= 32) {
        for (i = 1; i < n; i++) {
            uint64_t v = a[i];
            size_t j = i;
            for (; j > 0 && a[j - 1] > v; j--)
                a[j] = a[j - 1];
            a[j] = v;
        }
    } else {
        uint64_t *tmp = n <= SIZE_MAX / sizeof *tmp ? malloc(n * sizeof *tmp)
                                                    : NULL;
        if (tmp)
            radix_u64(a, tmp, n);
        else
            qsort(a, n, sizeof *a, cmp_u64);
        free(tmp);
    }
    for (i = 1, d = 1; i < n; i++)
        if (a[i] != a[d - 1])
            a[d++] = a[i];
    return d;
}

static int cmp_key(const void *a, const void *b)
{
    uint64_t x, y;
    memcpy(&x, a, sizeof x);
    memcpy(&y, b, sizeof y);
    return x < y ? -1 : x > y;
}

#define KEY_BUCKET_BITS 11

void td__sort_by_key(void *base, size_t n, size_t elem_size)
{
    size_t count[(1u << KEY_BUCKET_BITS) + 1], i, b, buckets;
    unsigned bits = 4, shift;
    uint64_t *keys;
    uint32_t *order;
    unsigned char *copy, *p = base;
    if (n < 2)
        return;
    keys = n <= SIZE_MAX / sizeof *keys ? malloc(n * sizeof *keys) : NULL;
    order = n <= UINT32_MAX ? malloc(n * sizeof *order) : NULL;
    copy = n <= SIZE_MAX / elem_size ? malloc(n * elem_size) : NULL;
    if (!keys || !order || !copy) {
        free(keys);
        free(order);
        free(copy);
        qsort(base, n, elem_size, cmp_key);
        return;
    }
    /* About one bucket per element, up to 2^KEY_BUCKET_BITS: an article's
    ** few hundred terms do not pay for walking two thousand buckets. */
    while (bits < KEY_BUCKET_BITS && ((size_t)1 << bits) < n)
        bits++;
    buckets = (size_t)1 << bits;
    shift = 64 - bits;
    memset(count, 0, (buckets + 1) * sizeof count[0]);
    for (i = 0; i < n; i++) {
        memcpy(&keys[i], p + i * elem_size, sizeof keys[i]);
        count[(keys[i] >> shift) + 1]++;
    }
    for (b = 1; b <= buckets; b++)
        count[b] += count[b - 1];
    for (i = 0; i < n; i++)
        order[count[keys[i] >> shift]++] = (uint32_t)i;
    /* count[b] is now the end of bucket b: insertion sort each bucket
    ** (a few elements at most when keys are spread). */
    for (b = 0, i = 0; b < buckets; b++) {
        size_t end = count[b], j;
        for (j = i + 1; j < end; j++) {
            uint32_t v = order[j];
            size_t k = j;
            for (; k > i && keys[order[k - 1]] > keys[v]; k--)
                order[k] = order[k - 1];
            order[k] = v;
        }
        i = end;
    }
    memcpy(copy, base, n * elem_size);
    for (i = 0; i < n; i++)
        memcpy(p + i * elem_size, copy + (size_t)order[i] * elem_size,
               elem_size);
    free(keys);
    free(order);
    free(copy);
}

const char *td_strerror(td_status code)
{
    switch (code) {
    case TD_OK: return "ok";
    case TD_ENOMEM: return "out of memory";
    case TD_EINVAL: return "invalid argument";
    case TD_EIO: return "input/output error";
    case TD_EPARSE: return "malformed input";
    case TD_EUTF8: return "invalid UTF-8";
    case TD_ETOOBIG: return "input too large";
    case TD_EMISSING: return "missing field";
    case TD_EDUPID: return "duplicate id";
    case TD_ENOTFOUND: return "not found";
    case TD_ESTORE: return "store error";
    case TD_ENUL: return "NUL byte in text";
    }
    return "unknown error";
}
