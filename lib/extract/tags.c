/*
** tags.c: the element names the extract stage knows and their parsing
** classes (TD_TAGS in extract_int.h), shared by the pre-pass and the tree
** builder so that both read one list.
*/
#include "extract_int.h"

#include <string.h>

#define TD_TAG_NAME(id, name, props) name,
#define TD_TAG_PROPS(id, name, props) (uint16_t)(props),
static const char *const tag_names[TAG_COUNT - 1] = {TD_TAGS(TD_TAG_NAME)};
const uint16_t td__tag_props[TAG_COUNT] = {0, TD_TAGS(TD_TAG_PROPS)};

unsigned td__tag_lookup(const char *s, size_t n)
{
    /* Binary search: names are in byte order, TAG_* is index + 1. */
    size_t lo = 0, hi = TAG_COUNT - 1;
    if (n == 0 || n > 10)
        return TAG_UNKNOWN;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *t = tag_names[mid];
        size_t k = 0;
        int c;
        while (k < n && t[k] && t[k] == s[k])
            k++;
        if (k == n && !t[k])
            return (unsigned)mid + 1;
        c = k == n ? -1 : !t[k] ? 1 : (unsigned char)s[k] - (unsigned char)t[k];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return TAG_UNKNOWN;
}
