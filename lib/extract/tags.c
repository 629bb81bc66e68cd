/*
** tags.c: the element names the extract stage knows and their parsing
** classes (TD_TAGS in extract_int.h), shared by the pre-pass and the tree
** builder so that both read one list.
*/
#include "extract_int.h"

#include <pthread.h>
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

/* Tags by a hash of their name (open addressing, TAG_UNKNOWN = empty),
** built once: a lookup is a few instructions, for every tag of a page. */
#define TAG_SLOTS 512u
static uint8_t tag_slots[TAG_SLOTS];
static pthread_once_t tag_slots_once = PTHREAD_ONCE_INIT;

static unsigned tag_hash(const char *s, size_t n)
{
    unsigned h = (unsigned)n * 31u + (unsigned char)s[0] * 7u +
                 (unsigned char)s[n - 1] * 131u;
    if (n > 2)
        h += (unsigned char)s[1] * 17u;
    return h & (TAG_SLOTS - 1);
}

static void tag_slots_init(void)
{
    unsigned t;
    for (t = 1; t < TAG_COUNT; t++) {
        unsigned h = tag_hash(tag_names[t - 1], strlen(tag_names[t - 1]));
        while (tag_slots[h] != TAG_UNKNOWN)
            h = (h + 1) & (TAG_SLOTS - 1);
        tag_slots[h] = (uint8_t)t;
    }
}

unsigned td__tag_lookup(const char *s, size_t n)
{
    unsigned h;
    if (n == 0 || n > 10)
        return TAG_UNKNOWN;
    pthread_once(&tag_slots_once, tag_slots_init);
    for (h = tag_hash(s, n); tag_slots[h] != TAG_UNKNOWN;
         h = (h + 1) & (TAG_SLOTS - 1)) {
        const char *t = tag_names[tag_slots[h] - 1];
        size_t k = 0;
        while (k < n && t[k] && t[k] == s[k])
            k++;
        if (k == n && !t[k])
            return tag_slots[h];
    }
    return TAG_UNKNOWN;
}

const char *td__tag_name(unsigned tag)
{
    return tag > TAG_UNKNOWN && tag < TAG_COUNT ? tag_names[tag - 1] : NULL;
}
