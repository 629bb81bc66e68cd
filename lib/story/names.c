/*
** names.c: the story view's entity names: each distinct spelling of the
** articles' entity lists gets its td__entity_key ("Лавров" -> "lavrov");
** equal keys merge, then same-surname families. Used by view.c for the
** story's entities and by related.c to match other stories' lists.
*/
#include "story/view_names.h"
#include "text/text.h"
#include "util/family.h"

#include <stdlib.h>
#include <string.h>



static uint64_t fnv(const char *s, size_t n, uint64_t salt)
{
    uint64_t h = 0xcbf29ce484222325ull ^ salt;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

/* The spelling of display[0..len), added (with its key) when new. Returns
** its index or (size_t)-1 on out of memory. */
size_t td__names_spelling_of(names *nm, const char *display, size_t len)
{
    uint64_t h = fnv(display, len, 0);
    int added;
    uint64_t *slot = td__map_put(&nm->by_display, h, &added);
    spelling *s;
    if (!slot)
        return (size_t)-1;
    if (!added)
        return (size_t)(*slot - 1);
    if (nm->n == nm->size) {
        size_t size = nm->size ? nm->size * 2 : 64;
        spelling *sp = realloc(nm->sp, size * sizeof *sp);
        if (!sp) {
            td__map_del(&nm->by_display, h);
            return (size_t)-1;
        }
        nm->sp = sp;
        nm->size = size;
    }
    s = &nm->sp[nm->n];
    memset(s, 0, sizeof *s);
    s->display = display;
    s->len = len;
    s->group = nm->n;
    if (!(s->key = td__entity_key(display, len))) {
        td__map_del(&nm->by_display, h);
        return (size_t)-1;
    }
    *slot = ++nm->n;
    return nm->n - 1;
}

int td__names_each(const char *list, name_fn fn, void *ud)
{
    const char *p = list;
    while (p && *p) {
        const char *e = strstr(p, "; ");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len && !fn(ud, p, len))
            return 0;
        p = e ? e + 2 : NULL;
    }
    return 1;
}

size_t td__names_group(spelling *sp, size_t i)
{
    while (sp[i].group != i) {
        sp[i].group = sp[sp[i].group].group;
        i = sp[i].group;
    }
    return i;
}


/* Puts spellings i and j in one group. */
static void unite(spelling *sp, size_t i, size_t j)
{
    size_t gi = td__names_group(sp, i), gj = td__names_group(sp, j);
    if (gi != gj)
        sp[gi].group = gj;
}

/* The family of a key of three words by its last two ("rossii sergey
** lavrov" -> that of "sergey lavrov"): Russian puts the country before
** the minister's name ("министр иностранных дел России Сергей Лавров"). */
static uint64_t inner_family(const spelling *s)
{
    const char *rest = strchr(s->key, ' ');
    if (!rest || !strchr(rest + 1, ' '))
        return 0;
    return td__key_family(rest + 1, s->display, s->len);
}

td_status td__names_merge(names *nm, merge_keys *mk)
{
    size_t i;
    uint64_t *slot, fam;
    for (i = 0; i < nm->n; i++) {
        spelling *s = &nm->sp[i];
        int multi;
        const char *last = td__key_surname(s->key, &multi);
        if (!*s->key)
            continue;
        if (!(slot = td__map_put(&mk->exact, fnv(s->key, strlen(s->key), 1),
                                 NULL)))
            return TD_ENOMEM;
        if (*slot)
            unite(nm->sp, i, (size_t)(*slot - 1));
        else
            *slot = i + 1;
        if (!(fam = td__key_family(s->key, s->display, s->len)))
            continue;
        if (!(slot = td__map_put(&mk->family, fam, NULL)))
            return TD_ENOMEM;
        if (*slot)
            unite(nm->sp, i, (size_t)(*slot - 1));
        else
            *slot = i + 1;
        if (!(slot = td__map_put(&mk->surname, fnv(last, strlen(last), 2),
                                 NULL)))
            return TD_ENOMEM;
        if (!*slot || nm->sp[*slot - 1].n_articles < s->n_articles)
            *slot = i + 1;
    }
    /* A short form and its long one ("US", "United States"). */
    for (i = 0; i < nm->n; i++) {
        const char *full = td__key_expansion(nm->sp[i].key);
        if (full &&
            (slot = td__map_get(&mk->exact, fnv(full, strlen(full), 1))))
            unite(nm->sp, i, (size_t)(*slot - 1));
    }
    for (i = 0; i < nm->n; i++) {
        uint64_t inner = inner_family(&nm->sp[i]);
        if (inner && (slot = td__map_get(&mk->family, inner)))
            unite(nm->sp, i, (size_t)(*slot - 1));
    }
    for (i = 0; i < nm->n; i++) {
        spelling *s = &nm->sp[i];
        int multi;
        const char *last = td__key_surname(s->key, &multi);
        if (multi || strlen(last) < TD_FAMILY_MIN)
            continue;
        slot = td__map_get(&mk->surname, fnv(last, strlen(last), 2));
        if (slot)
            unite(nm->sp, i, (size_t)(*slot - 1));
    }
    return TD_OK;
}

/* The group a key of another story's entity matches, or (size_t)-1. */
size_t td__names_match(const names *nm, const merge_keys *mk, const char *key)
{
    int multi;
    uint64_t fam;
    const char *last = td__key_surname(key, &multi);
    uint64_t *slot = td__map_get(&mk->exact, fnv(key, strlen(key), 1));
    /* The key is its own display: words of it are never hyphenated. */
    if (!slot && multi && (fam = td__key_family(key, key, strlen(key))))
        slot = td__map_get(&mk->family, fam);
    /* "Sergei Lavrov" there, only "Lavrov" here: the surname alone. */
    if (!slot && multi && strlen(last) >= TD_FAMILY_MIN)
        slot = td__map_get(&mk->exact, fnv(last, strlen(last), 1));
    if (!slot && !multi && strlen(last) >= TD_FAMILY_MIN)
        slot = td__map_get(&mk->surname, fnv(last, strlen(last), 2));
    return slot ? nm->sp[*slot - 1].group : (size_t)-1;
}

size_t td__names_find(const names *nm, const char *display, size_t len)
{
    uint64_t *slot = td__map_get(&nm->by_display, fnv(display, len, 0));
    return slot ? (size_t)(*slot - 1) : (size_t)-1;
}

void td__names_init(names *nm, merge_keys *mk)
{
    memset(nm, 0, sizeof *nm);
    td__map_init(&nm->by_display);
    td__map_init(&mk->exact);
    td__map_init(&mk->family);
    td__map_init(&mk->surname);
}

void td__names_free(names *nm, merge_keys *mk)
{
    size_t i;
    for (i = 0; i < nm->n; i++)
        free(nm->sp[i].key);
    free(nm->sp);
    td__map_free(&nm->by_display);
    td__map_free(&mk->exact);
    td__map_free(&mk->family);
    td__map_free(&mk->surname);
}
