/*
** tags.c: the element names the extract stage knows and their parsing
** classes (TD_TAGS in extract_int.h), shared by the pre-pass and the tree
** builder so that both read one list.
*/
#include "extract_int.h"

#include <stdint.h>
#include <string.h>

#define TD_TAG_NAME(id, name, props) name,
#define TD_TAG_PROPS(id, name, props) (uint16_t)(props),
static const char *const tag_names[TAG_COUNT - 1] = {TD_TAGS(TD_TAG_NAME)};
const uint16_t td__tag_props[TAG_COUNT] = {0, TD_TAGS(TD_TAG_PROPS)};

size_t td__find_name(const void *base, size_t lo, size_t hi, size_t stride,
                     const char *s, size_t n)
{
    while (lo < hi) {
        size_t mid = (lo + hi) / 2, k = 0;
        const char *t = *(const char *const *)((const char *)base + mid * stride);
        int c;
        while (k < n && t[k] && t[k] == s[k])
            k++;
        if (k == n && !t[k])
            return mid;
        c = k == n ? -1 : !t[k] ? 1 : (unsigned char)s[k] - (unsigned char)t[k];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return SIZE_MAX;
}

/* First TAG_* of each initial letter 'a'..'z' (names are in byte order);
** a letter no name starts with gets the next letter's start. */
static const uint8_t letter_first[27] = {
    TAG_A, TAG_B, TAG_CANVAS, TAG_DATA, TAG_EM, TAG_FIELDSET, TAG_H1, TAG_H1,
    TAG_I, TAG_KBD, TAG_KBD, TAG_LABEL, TAG_MAIN, TAG_NAV, TAG_OBJECT, TAG_P,
    TAG_Q, TAG_RB, TAG_S, TAG_TABLE, TAG_U, TAG_VAR, TAG_WBR, TAG_XMP,
    TAG_COUNT, TAG_COUNT, TAG_COUNT};

unsigned td__tag_lookup(const char *s, size_t n)
{
    /* A search among the names of the same initial; TAG_* is the index in
    ** tag_names + 1. */
    size_t k;
    if (n == 0 || n > 10 || s[0] < 'a' || s[0] > 'z')
        return TAG_UNKNOWN;
    k = td__find_name(tag_names, letter_first[s[0] - 'a'] - 1u,
                      letter_first[s[0] - 'a' + 1] - 1u, sizeof tag_names[0],
                      s, n);
    return k == SIZE_MAX ? TAG_UNKNOWN : (unsigned)k + 1;
}

const char *td__tag_name(unsigned tag)
{
    return tag > TAG_UNKNOWN && tag < TAG_COUNT ? tag_names[tag - 1] : NULL;
}
