/*
** family.c: families of entity keys (family.h).
*/
#include "util/family.h"
#include "util/util.h"

#include <string.h>

/* Name particles: inside a person's name, not counted as its words. */
static const char *const particles[] = {
    "da", "de", "del", "della", "der", "di", "do", "dos", "du", "la",
    "van", "von", NULL};

/* Words that make a key no person's name: anywhere, English connectors
** of organisations; first, the words of regions, parties and bodies. */
static const char *const connectors[] = {"of", "on", "for", NULL};
static const char *const not_first[] = {
    "central", "east", "eastern", "great", "greater", "lower", "new",
    "north", "northern", "south", "southern", "united", "upper", "west",
    "western", NULL};

int td__is_name_particle(const char *w, size_t len)
{
    return td__in_list(particles, w, len);
}

int td__is_english_connector(const char *w, size_t len)
{
    return td__in_list(connectors, w, len);
}

const char *td__key_surname(const char *key, int *multi)
{
    const char *sp = strrchr(key, ' ');
    if (multi)
        *multi = sp != NULL;
    return sp ? sp + 1 : key;
}

/* 1 when c ends a separator of display's words before p: a space, a tab
** or a no-break space (UTF-8 C2 A0). */
static int space_before(const char *display, const char *p)
{
    if (p[-1] == ' ' || p[-1] == '\t')
        return 1;
    return p - display >= 2 && (unsigned char)p[-1] == 0xA0 &&
           (unsigned char)p[-2] == 0xC2;
}

uint64_t td__key_family(const char *key, const char *display,
                        size_t display_len)
{
    int multi;
    const char *last = td__key_surname(key, &multi), *w, *p;
    size_t n = strlen(last), words = 0;
    if (!multi || n < TD_FAMILY_MIN)
        return 0;
    for (w = key; *w; w = *p ? p + 1 : p) {
        size_t len;
        p = strchr(w, ' ');
        if (!p)
            p = w + strlen(w);
        len = (size_t)(p - w);
        if (td__in_list(connectors, w, len) ||
            (w == key && td__in_list(not_first, w, len)))
            return 0;
        words += !td__in_list(particles, w, len);
    }
    if (words < 2 || words > 3)
        return 0;
    /* The display's last word must follow a space, not a hyphen:
    ** "US-Russia" is no name of a person called Russia. */
    p = display + display_len;
    while (p > display && p[-1] != '-' && !space_before(display, p))
        p--;
    if (p == display || p[-1] == '-')
        return 0;
    return td__hash64(last, n) ^
           ((uint64_t)(unsigned char)key[0] * UINT64_C(0x9e3779b97f4a7c15));
}

const char *td__key_expansion(const char *key)
{
    static const char *const pairs[][2] = {
        {"eu", "european union"},
        {"uae", "united arab emirates"},
        {"uk", "united kingdom"},
        {"un", "united nations"},
        {"us", "united states"},
        {"usa", "united states"},
        {"usr", "soviet union"}}; /* "USSR" as a key */
    size_t i;
    for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (strcmp(pairs[i][0], key) == 0)
            return pairs[i][1];
    return NULL;
}
