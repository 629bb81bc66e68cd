/*
** gen_dict.c: writes lib/text/dict_table.c, the English-pivot dictionaries,
** from Debian's FreeDict packages (/usr/share/dictd/freedict-*.index and
** .dict.dz). Each headword is case folded and Snowball-stemmed exactly as the
** analyze stage does; its English translations likewise in English. Built and
** run by tools/gen_dict.sh; see docs/internals/dict.md for the rules.
*/
#include "text/dict.h"
#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_PER_HEADWORD 3   /* translations taken from one headword */
#define MAX_CHUNK 4000       /* bytes of one string literal */
#define MIN_CHARS 3          /* shortest source headword, code points */
#define MAX_STEM 13          /* longest source stem, bytes: long compounds
                             ** are rare in news and half the German table */
#define LINE_WIDTH 78        /* source columns of the generated file */

/* One (source stem -> English stem) vote. */
typedef struct vote {
    char *en;
    unsigned score, order;
} vote;

typedef struct entry {
    char *src;
    vote *votes;
    size_t n_votes, cap_votes;
    struct entry *next;
    int kept;
} entry;

#define BUCKETS (1u << 20)

typedef struct table {
    entry *buckets[BUCKETS];
    size_t n;
    unsigned order;
} table;

static td_stemmer *stemmer;

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "gen_dict: out of memory\n");
        exit(1);
    }
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static unsigned long hash_str(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

static void table_vote(table *t, const char *src, const char *en,
                       unsigned score)
{
    unsigned long h = hash_str(src) & (BUCKETS - 1);
    entry *e;
    size_t i;
    for (e = t->buckets[h]; e; e = e->next)
        if (strcmp(e->src, src) == 0)
            break;
    if (!e) {
        e = calloc(1, sizeof *e);
        if (!e)
            exit(1);
        e->src = xstrndup(src, strlen(src));
        e->next = t->buckets[h];
        t->buckets[h] = e;
        t->n++;
    }
    for (i = 0; i < e->n_votes; i++)
        if (strcmp(e->votes[i].en, en) == 0) {
            e->votes[i].score += score;
            return;
        }
    if (e->n_votes == e->cap_votes) {
        e->cap_votes = e->cap_votes ? e->cap_votes * 2 : 4;
        e->votes = realloc(e->votes, e->cap_votes * sizeof *e->votes);
        if (!e->votes)
            exit(1);
    }
    e->votes[e->n_votes].en = xstrndup(en, strlen(en));
    e->votes[e->n_votes].score = score;
    e->votes[e->n_votes].order = t->order++;
    e->n_votes++;
}

/* ------------------------------------------------------------------------ */
/* dictd files */

static int b64_value(int c)
{
    const char *alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

static int b64_number(const char *s, size_t len, size_t *out)
{
    size_t i, v = 0;
    for (i = 0; i < len; i++) {
        int d = b64_value((unsigned char)s[i]);
        if (d < 0)
            return 0;
        v = v * 64 + (size_t)d;
    }
    *out = v;
    return len > 0;
}

static char *read_gzip(const char *path, size_t *out_len)
{
    gzFile f = gzopen(path, "rb");
    size_t cap = 1 << 20, len = 0;
    char *buf;
    int got;
    if (!f)
        return NULL;
    buf = xmalloc(cap);
    while ((got = gzread(f, buf + len, (unsigned)(cap - len))) > 0) {
        len += (size_t)got;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf)
                exit(1);
        }
    }
    gzclose(f);
    *out_len = len;
    return buf;
}

static char *read_file(const char *path, size_t *out_len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 20, len = 0, got;
    char *buf;
    if (!f)
        return NULL;
    buf = xmalloc(cap + 1);
    while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            if (!buf)
                exit(1);
        }
    }
    fclose(f);
    buf[len] = '\0';
    *out_len = len;
    return buf;
}

/* ------------------------------------------------------------------------ */
/* Words */

/* 1 when s is one word of letters: ASCII letters or any non-ASCII byte
** (ascii_only: ASCII letters only). */
static int is_word(const char *s, size_t len, int ascii_only)
{
    size_t i;
    if (len == 0)
        return 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            if (ascii_only)
                return 0;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return 0;
    }
    return 1;
}

static size_t count_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Folds and stems word for lang. New string, or NULL when the word is a
** stop word, too short, or not a word. */
static char *fold_stem(const char *lang, const char *word, size_t len,
                       size_t min_chars)
{
    char *fold, *out;
    const char *stem;
    size_t stem_len;
    if (!is_word(word, len, strcmp(lang, "en") == 0))
        return NULL;
    fold = td__casefold(word, len);
    if (!fold)
        return NULL;
    if (count_chars(fold) < min_chars ||
        td__is_stopword(lang, fold, strlen(fold))) {
        free(fold);
        return NULL;
    }
    stem = td__stem(stemmer, lang, fold, strlen(fold), &stem_len);
    out = stem_len >= 2 ? xstrndup(stem, stem_len) : NULL;
    free(fold);
    return out;
}

/* ------------------------------------------------------------------------ */
/* Entries */

/* Removes the bracketed parts ([..], <..>, (..), {..}, "..") of line. */
static void strip_brackets(char *line)
{
    char *r = line, *w = line;
    char close = 0;
    for (; *r; r++) {
        if (close) {
            if (*r == close)
                close = 0;
            continue;
        }
        switch (*r) {
        case '[': close = ']'; continue;
        case '<': close = '>'; continue;
        case '(': close = ')'; continue;
        case '{': close = '}'; continue;
        case '"': close = '"'; continue;
        default: *w++ = *r;
        }
    }
    *w = '\0';
}

static char *trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '.'))
        *--e = '\0';
    return s;
}

/* The glosses of one entry, by the rules of docs/internals/dict.md: the
** numbered senses ("1. x, y") when there are any, else the first line after
** the headword that is not a note. Each gloss is a comma/semicolon piece;
** fn is called with its words (leading "to", "a", "the" dropped) and its
** rank in the entry. */
typedef void (*gloss_fn)(void *ctx, char **words, size_t n_words,
                         unsigned rank);

static int is_meta(const char *line)
{
    const char *s = line;
    while (*s == ' ')
        s++;
    return strncmp(s, "see:", 4) == 0 || strncmp(s, "Synonym", 7) == 0 ||
           strncmp(s, "Note:", 5) == 0 || strncmp(s, "Antonym", 7) == 0 ||
           (line[0] == ' ' && line[1] == ' ' && line[2] == ' ');
}

static int numbered(const char *s)
{
    const char *p = s;
    while (*p == ' ')
        p++;
    if (*p < '1' || *p > '9')
        return 0;
    while (*p >= '0' && *p <= '9')
        p++;
    return p[0] == '.' && p[1] == ' ' ? (int)(p + 2 - s) : 0;
}

static void gloss_piece(char *piece, gloss_fn fn, void *ctx, unsigned *rank)
{
    char *words[8];
    size_t n = 0;
    char *tok, *save = NULL;
    for (tok = strtok_r(piece, " \t", &save); tok;
         tok = strtok_r(NULL, " \t", &save)) {
        if (n == 0 && (strcmp(tok, "to") == 0 || strcmp(tok, "a") == 0 ||
                       strcmp(tok, "an") == 0 || strcmp(tok, "the") == 0))
            continue;
        if (n == 8)
            return;
        words[n++] = tok;
    }
    if (n == 0)
        return;
    fn(ctx, words, n, (*rank)++);
}

static void gloss_line(char *line, gloss_fn fn, void *ctx, unsigned *rank)
{
    char *p, *start;
    strip_brackets(line);
    /* Senses numbered inside one line ("1. x 2. y") split like commas. */
    for (p = line; *p; p++)
        if (p[0] >= '1' && p[0] <= '9' && p[1] == '.' && p[2] == ' ' &&
            (p == line || p[-1] == ' '))
            p[0] = p[1] = ',';
    start = line;
    for (p = line;; p++) {
        if (*p == ',' || *p == ';' || *p == '/' || *p == '\0') {
            int end = *p == '\0';
            *p = '\0';
            gloss_piece(trim(start), fn, ctx, rank);
            if (end)
                break;
            start = p + 1;
        }
    }
}

static void entry_glosses(char *text, gloss_fn fn, void *ctx)
{
    char *lines[256];
    size_t n = 0, i;
    char *p = text, *nl;
    unsigned rank = 0;
    int any_numbered = 0;
    while (n < 256 && *p) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        lines[n++] = p;
        if (!nl)
            break;
        p = nl + 1;
    }
    for (i = 1; i < n; i++)
        if (numbered(lines[i]))
            any_numbered = 1;
    for (i = 1; i < n; i++) {
        int skip = numbered(lines[i]);
        if (any_numbered) {
            if (skip)
                gloss_line(lines[i] + skip, fn, ctx, &rank);
            continue;
        }
        if (lines[i][0] == '\0' || is_meta(lines[i]))
            continue;
        gloss_line(lines[i], fn, ctx, &rank);
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* One dictionary */

typedef struct gloss_ctx {
    table *t;
    const char *lang;       /* the non-English language */
    const char *head;       /* headword, raw */
    char *head_stem;        /* X->eng: the source stem */
    int inverted;           /* eng->X */
    unsigned taken;
    /* Two-word glosses, used only when the entry has no one-word one. */
    char *fallback[MAX_PER_HEADWORD];
    size_t n_fallback;
} gloss_ctx;

static unsigned rank_score(unsigned rank)
{
    return rank == 0 ? 4 : rank == 1 ? 2 : 1;
}

static void on_gloss(void *vctx, char **words, size_t n_words, unsigned rank)
{
    gloss_ctx *c = vctx;
    char *stem;
    if (c->taken >= MAX_PER_HEADWORD)
        return;
    if (!c->inverted) {
        if (n_words == 1) {
            stem = fold_stem("en", words[0], strlen(words[0]), 2);
            if (!stem)
                return;
            table_vote(c->t, c->head_stem, stem, rank_score(c->taken));
            c->taken++;
            free(stem);
        } else if (n_words == 2 && c->n_fallback < MAX_PER_HEADWORD &&
                   is_word(words[0], strlen(words[0]), 1)) {
            /* "peace negotiations": the head noun is the last word. */
            stem = fold_stem("en", words[1], strlen(words[1]), 2);
            if (stem)
                c->fallback[c->n_fallback++] = stem;
        }
        return;
    }
    /* eng->X: each one-word X translation votes for the English headword. */
    (void)rank;
    if (n_words != 1)
        return;
    stem = fold_stem(c->lang, words[0], strlen(words[0]), MIN_CHARS);
    if (!stem)
        return;
    table_vote(c->t, stem, c->head_stem, rank_score(c->taken));
    c->taken++;
    free(stem);
}

static void load(table *t, const char *dir, const char *name,
                 const char *lang, int inverted)
{
    char path[1024];
    char *index, *dict, *line, *save = NULL;
    size_t index_len, dict_len, n = 0;
    snprintf(path, sizeof path, "%s/freedict-%s.index", dir, name);
    if (!(index = read_file(path, &index_len))) {
        fprintf(stderr, "gen_dict: no %s, skipped\n", path);
        return;
    }
    snprintf(path, sizeof path, "%s/freedict-%s.dict.dz", dir, name);
    if (!(dict = read_gzip(path, &dict_len))) {
        fprintf(stderr, "gen_dict: no %s, skipped\n", path);
        free(index);
        return;
    }
    for (line = strtok_r(index, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *tab1 = strchr(line, '\t'), *tab2;
        size_t off, len, i;
        gloss_ctx c;
        char *text;
        if (!tab1 || !(tab2 = strchr(tab1 + 1, '\t')))
            continue;
        if (!b64_number(tab1 + 1, (size_t)(tab2 - tab1 - 1), &off) ||
            !b64_number(tab2 + 1, strlen(tab2 + 1), &len) ||
            off > dict_len || len > dict_len - off)
            continue;
        memset(&c, 0, sizeof c);
        c.t = t;
        c.lang = lang;
        c.head = line;
        c.inverted = inverted;
        c.head_stem = fold_stem(inverted ? "en" : lang, line,
                                (size_t)(tab1 - line),
                                inverted ? 2 : MIN_CHARS);
        if (!c.head_stem)
            continue;
        text = xstrndup(dict + off, len);
        entry_glosses(text, on_gloss, &c);
        if (!c.taken)
            for (i = 0; i < c.n_fallback; i++)
                table_vote(t, c.head_stem, c.fallback[i], 1);
        for (i = 0; i < c.n_fallback; i++)
            free(c.fallback[i]);
        free(text);
        free(c.head_stem);
        n++;
    }
    fprintf(stderr, "gen_dict: %s: %zu headwords\n", name, n);
    free(index);
    free(dict);
}

/* ------------------------------------------------------------------------ */
/* Output */

static int compare_votes(const void *pa, const void *pb)
{
    const vote *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int compare_entries(const void *pa, const void *pb)
{
    const entry *a = *(const entry *const *)pa, *b = *(const entry *const *)pb;
    return strcmp(a->src, b->src);
}

static int compare_lengths(const void *pa, const void *pb)
{
    const entry *a = *(const entry *const *)pa, *b = *(const entry *const *)pb;
    size_t la = strlen(a->src), lb = strlen(b->src);
    return la < lb ? -1 : la > lb ? 1 : strcmp(a->src, b->src);
}

/* The kept entry whose source is the longest proper suffix of src that
** td__dict_lookup would try (TD_DICT_MIN_SUFFIX+ bytes, on a character
** boundary, after TD_DICT_MIN_PREFIX+ bytes), or NULL. */
static entry *kept_suffix(table *t, const char *src)
{
    size_t len = strlen(src), i;
    for (i = TD_DICT_MIN_PREFIX; i + TD_DICT_MIN_SUFFIX <= len; i++) {
        entry *e;
        if (((unsigned char)src[i] & 0xC0) == 0x80)
            continue;
        for (e = t->buckets[hash_str(src + i) & (BUCKETS - 1)]; e;
             e = e->next)
            if (e->kept && strcmp(e->src, src + i) == 0)
                return e;
    }
    return NULL;
}

/* Compounds: drops an entry when the lookup of its head (a suffix entry)
** already gives one of its translations (German: 166k -> 128k stems).
** Shorter entries are decided first, as a lookup sees only kept ones. */
static void prune_compounds(table *t, entry **all, size_t n)
{
    size_t i, j, k;
    qsort(all, n, sizeof *all, compare_lengths);
    for (i = 0; i < n; i++) {
        entry *head = kept_suffix(t, all[i]->src);
        all[i]->kept = 1;
        if (!head || !all[i]->n_votes)
            continue;
        for (j = 0; j < head->n_votes && j < TD_DICT_SENSES; j++)
            for (k = 0; k < all[i]->n_votes && k < TD_DICT_SENSES; k++)
                if (strcmp(head->votes[j].en, all[i]->votes[k].en) == 0)
                    all[i]->kept = 0;
    }
}

static void emit(table *t, const char *lang, int compounding)
{
    entry **all = xmalloc((t->n + 1) * sizeof *all);
    size_t n = 0, i, j, chunk = 0, used = 0, written = 0, column = 0;
    for (i = 0; i < BUCKETS; i++) {
        entry *e;
        for (e = t->buckets[i]; e; e = e->next)
            all[n++] = e;
    }
    for (i = 0; i < n; i++) {
        qsort(all[i]->votes, all[i]->n_votes, sizeof *all[i]->votes,
              compare_votes);
        all[i]->kept = 1;
    }
    if (compounding)
        prune_compounds(t, all, n);
    qsort(all, n, sizeof *all, compare_entries);
    for (i = 0; i < n; i++) {
        entry *e = all[i];
        char line[512];
        size_t len;
        int at;
        if (!e->kept || strlen(e->src) > MAX_STEM || strchr(e->src, '"') ||
            strchr(e->src, '\\') || strstr(e->src, "??"))
            continue;
        at = snprintf(line, sizeof line, "%s", e->src);
        for (j = 0; j < e->n_votes && j < 3; j++)
            at += snprintf(line + at, sizeof line - (size_t)at, " %s",
                           e->votes[j].en);
        at += snprintf(line + at, sizeof line - (size_t)at, "\\n");
        if (at <= 0 || (size_t)at >= sizeof line)
            continue;
        len = (size_t)at - 1; /* the escape is one byte */
        if (used == 0 || used + len > MAX_CHUNK) {
            if (used)
                printf("\";\n");
            printf("static const char %s_%zu[] =\n\"", lang, chunk++);
            used = 0;
            column = 1;
        } else if (column + (size_t)at + 1 > LINE_WIDTH) {
            printf("\"\n\"");
            column = 1;
        }
        fputs(line, stdout);
        column += (size_t)at;
        used += len;
        written++;
    }
    if (used)
        printf("\";\n");
    if (!chunk) {
        free(all);
        t->n = 0;
        return;
    }
    printf("static const char *const %s_chunks[] = {", lang);
    for (i = 0; i < chunk; i++)
        printf("%s%s%s_%zu", i ? "," : "", i % 6 == 0 ? "\n    " : " ", lang,
               i);
    printf("};\n\n");
    fprintf(stderr, "gen_dict: %s: %zu stems\n", lang, written);
    t->n = written;
    free(all);
}

static void table_free(table *t)
{
    size_t i, j;
    for (i = 0; i < BUCKETS; i++) {
        entry *e = t->buckets[i], *next;
        for (; e; e = next) {
            next = e->next;
            for (j = 0; j < e->n_votes; j++)
                free(e->votes[j].en);
            free(e->votes);
            free(e->src);
            free(e);
        }
        t->buckets[i] = NULL;
    }
    t->n = 0;
    t->order = 0;
}

/* language, X->eng dictionary or NULL, eng->X dictionary to invert or NULL */
static const char *const sources[][3] = {
    {"cs", "ces-eng", "eng-ces"}, {"da", "dan-eng", NULL},
    {"de", "deu-eng", NULL},      {"es", "spa-eng", NULL},
    {"fi", "fin-eng", NULL},      {"fr", "fra-eng", NULL},
    {"is", "isl-eng", NULL},      {"it", "ita-eng", NULL},
    {"nl", "nld-eng", NULL},      {"no", NULL, "eng-nor"},
    {"pl", "pol-eng", NULL},      {"pt", "por-eng", NULL},
    {"ru", NULL, "eng-rus"},      {"sv", "swe-eng", NULL}};

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/usr/share/dictd";
    size_t i, n_sources = sizeof sources / sizeof sources[0];
    size_t counts[sizeof sources / sizeof sources[0]];
    static table t;
    stemmer = td__stemmer_new();
    if (!stemmer)
        return 1;
    printf("/*\n** dict_table.c: the English-pivot dictionaries, generated by "
           "tools/gen_dict.sh\n** from Debian's FreeDict packages "
           "(dict-freedict-*). Do not edit.\n** Entries \"source-stem "
           "english-stem...\\n\"; see docs/internals/dict.md.\n*/\n"
           "#include \"text/dict.h\"\n\n");
    for (i = 0; i < n_sources; i++) {
        if (sources[i][1])
            load(&t, dir, sources[i][1], sources[i][0], 0);
        if (sources[i][2])
            load(&t, dir, sources[i][2], sources[i][0], 1);
        emit(&t, sources[i][0], td__dict_compounding(sources[i][0]));
        counts[i] = t.n;
        table_free(&t);
    }
    printf("const td_dict_source td__dict_sources[] = {\n");
    for (i = 0; i < n_sources; i++)
        if (counts[i])
            printf("    {\"%s\", %s_chunks, sizeof %s_chunks / sizeof "
                   "%s_chunks[0], %zu},\n",
                   sources[i][0], sources[i][0], sources[i][0],
                   sources[i][0], counts[i]);
    printf("};\nconst size_t td__dict_n_sources =\n"
           "    sizeof td__dict_sources / sizeof td__dict_sources[0];\n");
    td__stemmer_free(stemmer);
    return 0;
}
