/*
** gen.h: the synthetic news-stream generator shared by bench/gen.c (which
** prints the stream as JSON Lines) and bench/bench.c (which feeds it to the
** engine). Header-only, static functions, so that each bench program stays a
** single translation unit. The model and its parameters are described in
** docs/internals/bench.md.
*/
#ifndef TD_BENCH_GEN_H
#define TD_BENCH_GEN_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Parameters of the model (see docs/internals/bench.md). */
#define GEN_VOCAB          50000    /* synthetic words per language */
#define GEN_ZIPF_S         1.05     /* exponent of the word-frequency law */
#define GEN_STORY_ALPHA    2.1      /* exponent of the story-size law */
#define GEN_STORY_MAX      1000     /* largest story, articles */
#define GEN_TOPIC_MAX      16       /* topic words per story */
#define GEN_ENTITY_MAX     6        /* named entities per story */
#define GEN_GLOBAL_ENT     400      /* recurring entities shared by stories */
#define GEN_OUTLETS        200      /* news outlets */
#define GEN_T0             1704067200  /* 2024-01-01T00:00:00Z */
#define GEN_YEAR           (366 * 86400)
#define GEN_WORLD_SEED     0x7469646e67730001ull  /* vocabulary, outlets */

/* Random numbers ---------------------------------------------------------- */

/* splitmix64: small, fast, and good enough for synthetic text. */
static uint64_t gen_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t gen_below(uint64_t *state, uint32_t n)
{
    return (uint32_t)(((gen_rand(state) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in (0, 1]: never 0, so logs and negative powers are safe. */
static double gen_unit(uint64_t *state)
{
    return ((double)(gen_rand(state) >> 11) + 1.0) * 0x1p-53;
}

static void *gen_xalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) {
        fprintf(stderr, "gen: out of memory\n");
        exit(1);
    }
    return p;
}

static void *gen_xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (!p) {
        fprintf(stderr, "gen: out of memory\n");
        exit(1);
    }
    return p;
}

/* A growable, NUL-terminated byte string. */
typedef struct gen_buf {
    char *data;
    size_t len;
    size_t size;
} gen_buf;

/* Makes room for extra more bytes plus the NUL. */
static void gen_buf_reserve(gen_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->size)
        return;
    size_t size = b->size ? b->size : 256;
    while (size < b->len + extra + 1)
        size *= 2;
    b->data = gen_xrealloc(b->data, size);
    b->size = size;
}

/* Appends without a capacity check: callers reserve per sentence. */
static void gen_buf_put(gen_buf *b, const char *s, size_t len)
{
    memcpy(b->data + b->len, s, len);
    b->len += len;
}

/* Languages --------------------------------------------------------------- */

/* A language: syllable inventory for the synthetic vocabulary, and a short
** list of its real stop words (most frequent first) so the text reads as
** text to a language detector. */
typedef struct gen_lang_def {
    const char *code;
    const char *tld;
    unsigned weight;               /* share of articles */
    const char *const *onset;  unsigned n_onset;
    const char *const *nucleus; unsigned n_nucleus;
    const char *const *coda;   unsigned n_coda;
    const char *const *stop;   unsigned n_stop;
} gen_lang_def;

#define GEN_N(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

static const char *const gen_en_on[] = {"", "b", "c", "d", "f", "g", "h", "l",
    "m", "n", "p", "r", "s", "t", "w", "th", "sh", "ch", "st", "br", "cl",
    "tr", "gr", "pl", "wh"};
static const char *const gen_en_nu[] = {"a", "e", "i", "o", "u", "ea", "ou",
    "ai", "ee", "oo", "y"};
static const char *const gen_en_co[] = {"", "", "", "n", "r", "t", "s", "ll",
    "nd", "ck", "ng", "st", "rt", "m", "ght"};
static const char *const gen_en_stop[] = {"the", "of", "and", "to", "in",
    "a", "is", "that", "for", "on", "was", "with", "he", "it", "as", "at",
    "by", "from", "his", "said", "have", "has", "are", "be", "an", "not",
    "but", "they", "this", "were", "which", "had", "will", "who", "been",
    "their", "or", "also", "its", "after", "more", "would", "new", "over",
    "two", "about", "than", "into", "last", "year", "first"};

static const char *const gen_de_on[] = {"", "b", "d", "f", "g", "h", "k", "l",
    "m", "n", "p", "r", "s", "t", "w", "z", "sch", "st", "kr", "br", "pf",
    "gr", "fl", "sp"};
static const char *const gen_de_nu[] = {"a", "e", "i", "o", "u", "ei", "au",
    "ie", "ä", "ö", "ü", "eu", "e", "e"};
static const char *const gen_de_co[] = {"", "", "n", "r", "t", "ch", "ng",
    "ss", "tz", "ck", "rn", "lt", "nd", "ß", "n", "st"};
static const char *const gen_de_stop[] = {"der", "die", "und", "in", "den",
    "von", "zu", "das", "mit", "sich", "des", "auf", "für", "ist", "im",
    "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus",
    "er", "hat", "dass", "sie", "nach", "wird", "bei", "einer", "um", "am",
    "sind", "noch", "wie", "einem", "über", "so", "zum", "war", "haben",
    "nur", "oder", "aber", "vor", "zur", "bis", "mehr", "durch"};

static const char *const gen_fr_on[] = {"", "b", "c", "d", "f", "g", "j", "l",
    "m", "n", "p", "r", "s", "t", "v", "ch", "gr", "tr", "pl", "br", "qu"};
static const char *const gen_fr_nu[] = {"a", "e", "i", "o", "u", "é", "è",
    "ou", "ai", "eau", "oi", "an", "on", "ê", "ie", "é"};
static const char *const gen_fr_co[] = {"", "", "", "n", "r", "s", "t", "l",
    "x", "nt", "ille", "que"};
static const char *const gen_fr_stop[] = {"de", "la", "le", "et", "les",
    "des", "en", "un", "du", "une", "que", "est", "pour", "qui", "dans",
    "par", "au", "sur", "pas", "plus", "ne", "se", "il", "a", "avec", "sont",
    "ce", "son", "mais", "aux", "été", "elle", "ont", "cette", "ses", "comme",
    "leur", "entre", "aussi", "après", "deux", "nous", "selon"};

static const char *const gen_es_on[] = {"", "b", "c", "d", "f", "g", "j", "l",
    "m", "n", "p", "r", "s", "t", "v", "ll", "ch", "ñ", "pr", "tr", "br"};
static const char *const gen_es_nu[] = {"a", "e", "i", "o", "u", "ia", "ue",
    "ió", "á", "é", "ó", "í", "a", "o"};
static const char *const gen_es_co[] = {"", "", "", "n", "s", "r", "l", "d",
    "z"};
static const char *const gen_es_stop[] = {"de", "la", "que", "el", "en", "y",
    "a", "los", "del", "se", "las", "por", "un", "para", "con", "no", "una",
    "su", "al", "es", "lo", "como", "más", "pero", "sus", "le", "ha", "sin",
    "sobre", "este", "ya", "entre", "cuando", "todo", "esta", "ser", "son",
    "dos", "también", "fue", "había", "desde"};

static const char *const gen_it_on[] = {"", "b", "c", "d", "f", "g", "l", "m",
    "n", "p", "r", "s", "t", "v", "z", "gl", "ch", "sc", "tr", "pr", "gn"};
static const char *const gen_it_nu[] = {"a", "e", "i", "o", "u", "ia", "io",
    "uo", "à", "è", "ò", "a", "o"};
static const char *const gen_it_co[] = {"", "", "", "", "n", "r", "l", "s",
    "tt", "ll", "zz"};
static const char *const gen_it_stop[] = {"di", "e", "il", "la", "che", "in",
    "a", "per", "un", "del", "è", "non", "con", "una", "le", "i", "si", "da",
    "al", "dei", "della", "gli", "sono", "anche", "alla", "come", "più", "ma",
    "ha", "nel", "delle", "questo", "lo", "dopo", "due", "anni", "stato"};

static const char *const gen_ru_on[] = {"", "б", "в", "г", "д", "ж", "з", "к",
    "л", "м", "н", "п", "р", "с", "т", "ф", "х", "ч", "ш", "ст", "пр", "кр",
    "тр"};
static const char *const gen_ru_nu[] = {"а", "е", "и", "о", "у", "ы", "я",
    "ю", "о", "а"};
static const char *const gen_ru_co[] = {"", "", "", "н", "р", "с", "т", "л",
    "й", "ть", "ск", "в"};
static const char *const gen_ru_stop[] = {"и", "в", "не", "на", "что", "с",
    "по", "это", "как", "к", "из", "за", "он", "от", "о", "а", "для", "то",
    "все", "так", "его", "но", "мы", "бы", "же", "у", "уже", "при", "был",
    "было", "они", "она", "только", "еще", "до", "после", "также", "может",
    "года", "время"};

#define GEN_LANG_DEF(c, tld, w, p) \
    {c, tld, w, p##_on, GEN_N(p##_on), p##_nu, GEN_N(p##_nu), \
     p##_co, GEN_N(p##_co), p##_stop, GEN_N(p##_stop)}

static const gen_lang_def gen_langs[] = {
    GEN_LANG_DEF("en", "com", 30, gen_en),
    GEN_LANG_DEF("de", "de", 16, gen_de),
    GEN_LANG_DEF("fr", "fr", 15, gen_fr),
    GEN_LANG_DEF("es", "es", 15, gen_es),
    GEN_LANG_DEF("it", "it", 10, gen_it),
    GEN_LANG_DEF("ru", "ru", 14, gen_ru),
};
#define GEN_NLANG GEN_N(gen_langs)
#define GEN_LANG_RU 5              /* the one language in Cyrillic script */

/* Latin to Cyrillic, letter by letter, for names in Russian text: the same
** made-up person is "Varko Mendal" in Latin script and "Варко Мендал" in
** Cyrillic, as real names are transliterated. */
static const char *const gen_cyr_lower[26] = {"а", "б", "ц", "д", "е", "ф",
    "г", "х", "и", "й", "к", "л", "м", "н", "о", "п", "к", "р", "с", "т", "у",
    "в", "в", "кс", "ы", "з"};
static const char *const gen_cyr_upper[26] = {"А", "Б", "Ц", "Д", "Е", "Ф",
    "Г", "Х", "И", "Й", "К", "Л", "М", "Н", "О", "П", "К", "Р", "С", "Т", "У",
    "В", "В", "Кс", "Ы", "З"};

/* Upper-cases the first letter of p in place (ASCII, Latin-1 letters and
** Cyrillic а-я: the only letters the generator writes). */
static void gen_upper_first(char *p)
{
    unsigned char *u = (unsigned char *)p;
    if (u[0] >= 'a' && u[0] <= 'z')
        u[0] = (unsigned char)(u[0] - 32);
    else if (u[0] == 0xC3 && u[1] >= 0xA0 && u[1] <= 0xBE && u[1] != 0xB7)
        u[1] = (unsigned char)(u[1] - 0x20);
    else if (u[0] == 0xD0 && u[1] >= 0xB0 && u[1] <= 0xBF)
        u[1] = (unsigned char)(u[1] - 0x20);
    else if (u[0] == 0xD1 && u[1] >= 0x80 && u[1] <= 0x8F) {
        u[0] = 0xD0;
        u[1] = (unsigned char)(u[1] + 0x20);
    }
}

/* Word sampling: Walker's alias method gives a Zipf rank in O(1). --------- */

typedef struct gen_alias {
    uint32_t n;
    uint32_t *threshold;   /* keep column i when the low 32 bits are below */
    uint32_t *alias;
} gen_alias;

/* Builds the alias table for weights w[0..n), which it overwrites. */
static void gen_alias_build(gen_alias *a, double *w, uint32_t n)
{
    double total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += w[i];
    a->n = n;
    a->threshold = gen_xalloc(n * sizeof *a->threshold);
    a->alias = gen_xalloc(n * sizeof *a->alias);
    uint32_t *small = gen_xalloc(n * sizeof *small);
    uint32_t *large = gen_xalloc(n * sizeof *large);
    uint32_t ns = 0, nl = 0;
    for (uint32_t i = 0; i < n; i++) {
        w[i] = w[i] * n / total;      /* mean 1 */
        if (w[i] < 1.0)
            small[ns++] = i;
        else
            large[nl++] = i;
    }
    /* Each small column is topped up from a large one, which may then
    ** become small itself. */
    while (ns && nl) {
        uint32_t s = small[--ns], l = large[nl - 1];
        a->threshold[s] = (uint32_t)(w[s] * 4294967295.0);
        a->alias[s] = l;
        w[l] -= 1.0 - w[s];
        if (w[l] < 1.0) {
            nl--;
            small[ns++] = l;
        }
    }
    /* What is left is 1 up to rounding. */
    while (nl) {
        uint32_t l = large[--nl];
        a->threshold[l] = UINT32_MAX;
        a->alias[l] = l;
    }
    while (ns) {
        uint32_t s = small[--ns];
        a->threshold[s] = UINT32_MAX;
        a->alias[s] = s;
    }
    free(small);
    free(large);
}

static uint32_t gen_alias_draw(const gen_alias *a, uint64_t *rng)
{
    uint64_t x = gen_rand(rng);
    uint32_t col = (uint32_t)(((x >> 32) * a->n) >> 32);
    return (uint32_t)x < a->threshold[col] ? col : a->alias[col];
}

/* Vocabulary: GEN_VOCAB distinct words per language; rank 0 is the most
** frequent. Rank r names the same concept in every language (a synthetic
** dictionary), so one story's topic reads in each language's own words. */
typedef struct gen_vocab {
    char *arena;
    uint32_t *off;     /* word r is arena[off[r] .. off[r + 1]) */
} gen_vocab;

static uint64_t gen_fnv(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

static void gen_vocab_build(gen_vocab *v, const gen_lang_def *L, uint64_t *rng)
{
    size_t cap = (size_t)GEN_VOCAB * 48, used = 0;
    v->arena = gen_xalloc(cap);
    v->off = gen_xalloc((GEN_VOCAB + 1) * sizeof *v->off);
    /* Open-addressing set of word indices keeps the words distinct. */
    uint32_t set_size = 1u << 17;
    uint32_t *set = gen_xalloc(set_size * sizeof *set);
    memset(set, 0xff, set_size * sizeof *set);
    char word[64];
    uint32_t r = 0;
    while (r < GEN_VOCAB) {
        /* Frequent words are short, as in real languages. */
        unsigned nsyl = r < 150 ? 1 + gen_below(rng, 2)
                      : r < 3000 ? 2 + gen_below(rng, 2)
                      : 2 + gen_below(rng, 3);
        size_t len = 0;
        for (unsigned s = 0; s < nsyl; s++) {
            const char *parts[3] = {
                L->onset[gen_below(rng, L->n_onset)],
                L->nucleus[gen_below(rng, L->n_nucleus)],
                L->coda[gen_below(rng, L->n_coda)]};
            for (int k = 0; k < 3; k++) {
                size_t pl = strlen(parts[k]);
                memcpy(word + len, parts[k], pl);
                len += pl;
            }
        }
        if (len < 2)
            continue;
        uint64_t h = gen_fnv(word, len);
        uint32_t slot = (uint32_t)h & (set_size - 1);
        int dup = 0;
        while (set[slot] != UINT32_MAX) {
            uint32_t o = set[slot];
            if (v->off[o + 1] - v->off[o] == len
                && !memcmp(v->arena + v->off[o], word, len)) {
                dup = 1;
                break;
            }
            slot = (slot + 1) & (set_size - 1);
        }
        if (dup)
            continue;
        set[slot] = r;
        v->off[r] = (uint32_t)used;
        memcpy(v->arena + used, word, len);
        used += len;
        v->off[r + 1] = (uint32_t)used;
        r++;
    }
    free(set);
}

/* Outlets and entities ---------------------------------------------------- */

typedef struct gen_outlet {
    char name[64];
    char domain[64];
    uint8_t lang;
} gen_outlet;

/* A capitalised made-up name word in Latin script: "Varko". */
static size_t gen_name_word(uint64_t *rng, char *out)
{
    static const char cons[] = "bdfgklmnprstvz";
    static const char vow[] = "aeiou";
    unsigned nsyl = 2 + gen_below(rng, 2);
    size_t len = 0;
    for (unsigned s = 0; s < nsyl; s++) {
        out[len++] = cons[gen_below(rng, sizeof cons - 1)];
        out[len++] = vow[gen_below(rng, sizeof vow - 1)];
        if (gen_below(rng, 10) < 3)
            out[len++] = cons[gen_below(rng, sizeof cons - 1)];
    }
    out[0] = (char)(out[0] - 32);
    out[len] = '\0';
    return len;
}

/* A person ("Varko Mendal") or an organisation-like single name ("Telmar"). */
static void gen_entity_name(uint64_t *rng, char *out)
{
    size_t len = gen_name_word(rng, out);
    if (gen_below(rng, 10) < 7) {
        out[len++] = ' ';
        gen_name_word(rng, out + len);
    }
}

/* Writes the Cyrillic transliteration of the Latin name in into out. */
static void gen_to_cyrillic(const char *in, char *out)
{
    size_t len = 0;
    for (; *in; in++) {
        const char *c;
        if (*in >= 'a' && *in <= 'z')
            c = gen_cyr_lower[*in - 'a'];
        else if (*in >= 'A' && *in <= 'Z')
            c = gen_cyr_upper[*in - 'A'];
        else {
            out[len++] = *in;
            continue;
        }
        size_t cl = strlen(c);
        memcpy(out + len, c, cl);
        len += cl;
    }
    out[len] = '\0';
}

static void gen_outlet_make(gen_outlet *o, uint8_t lang, uint64_t *rng)
{
    /* Name patterns: text before and after the made-up word, and the word
    ** the outlet's domain adds to it. */
    static const char *const pattern[GEN_NLANG][4][3] = {
        {{"The ", " Herald", "herald"}, {"", " Times", "times"},
         {"The ", " Post", "post"}, {"", " Daily News", "news"}},
        {{"", " Zeitung", "zeitung"}, {"", " Rundschau", "rundschau"},
         {"", " Anzeiger", "anzeiger"}, {"Neue ", " Presse", "presse"}},
        {{"Le ", "", "journal"}, {"", " Matin", "matin"},
         {"La Voix de ", "", "voix"}, {"Le Courrier de ", "", "courrier"}},
        {{"El ", "", "diario"}, {"Diario ", "", "diario"},
         {"La Voz de ", "", "voz"}, {"Heraldo de ", "", "heraldo"}},
        {{"Il ", "", "giornale"}, {"Corriere di ", "", "corriere"},
         {"La Gazzetta di ", "", "gazzetta"}, {"", " Oggi", "oggi"}},
        {{"", " Вести", "vesti"}, {"Вечерний ", "", "vecherniy"},
         {"", " Правда", "pravda"}, {"Новости ", "", "novosti"}},
    };
    char word[32], cyr[64];
    gen_name_word(rng, word);
    unsigned p = gen_below(rng, 4);
    const char *shown = word;
    if (lang == GEN_LANG_RU) {
        gen_to_cyrillic(word, cyr);
        shown = cyr;
    }
    o->lang = lang;
    snprintf(o->name, sizeof o->name, "%s%s%s", pattern[lang][p][0], shown,
             pattern[lang][p][1]);
    word[0] = (char)(word[0] + 32);
    snprintf(o->domain, sizeof o->domain, "www.%s-%s.%s", word,
             pattern[lang][p][2], gen_langs[lang].tld);
}

/* Stories ----------------------------------------------------------------- */

typedef struct gen_story {
    uint64_t id;
    uint32_t remaining;        /* articles not yet emitted */
    uint32_t next_free;        /* free-list link while unused */
    uint8_t home_lang;
    uint8_t n_topic;
    uint8_t n_entity;
    uint32_t topic[GEN_TOPIC_MAX];               /* vocabulary ranks */
    char entity[GEN_ENTITY_MAX][40];             /* Latin script */
    char entity_cyr[GEN_ENTITY_MAX][96];         /* Cyrillic script */
} gen_story;

/* One pending article in the date-ordered heap. */
typedef struct gen_pending {
    int64_t time;
    uint64_t seq;              /* tie-break: keeps the order total */
    uint32_t story;            /* slot in gen.stories */
} gen_pending;

/* One generated article. Every string is NUL-terminated and borrowed from
** the generator: valid until the next gen_next() or gen_close(). */
typedef struct gen_article {
    char id[24];
    char date[24];             /* ISO 8601, UTC: 2024-03-05T12:34:56Z */
    int64_t time;              /* Unix seconds */
    uint64_t story;            /* gold story id */
    const char *lang;
    const char *source;
    char url[160];
    gen_buf title;
    gen_buf text;              /* paragraphs separated by "\n\n" */
} gen_article;

typedef struct gen {
    uint64_t rng;
    uint64_t n_total;          /* articles in the stream */
    uint64_t n_assigned;       /* articles given to stories so far */
    uint64_t n_emitted;
    uint64_t next_story_id;
    uint64_t seq;
    size_t text_size;          /* mean text bytes per article */
    uint32_t story_cap;
    gen_vocab vocab[GEN_NLANG];
    gen_alias zipf;            /* word ranks */
    gen_alias outlet_pick[GEN_NLANG];
    uint32_t outlet_of[GEN_NLANG][GEN_OUTLETS];
    uint32_t n_outlet_of[GEN_NLANG];
    gen_outlet outlets[GEN_OUTLETS];
    char global_entity[GEN_GLOBAL_ENT][40];
    gen_alias global_pick;
    unsigned lang_weight_total;
    gen_story *stories;
    uint32_t n_stories, stories_size, free_story;
    gen_pending *heap;
    size_t heap_len, heap_size;
    gen_article art;
} gen;

static uint8_t gen_pick_lang(gen *g)
{
    unsigned x = gen_below(&g->rng, g->lang_weight_total);
    for (uint8_t i = 0; i < GEN_NLANG; i++) {
        if (x < gen_langs[i].weight)
            return i;
        x -= gen_langs[i].weight;
    }
    return 0;
}

/* Prepares a stream of n articles with mean text size text_size bytes.
** Everything random comes from seed; the vocabulary, outlets and recurring
** entities come from a fixed world seed, so languages look the same in
** every stream. Free with gen_close(). */
static void gen_open(gen *g, uint64_t n, uint64_t seed, size_t text_size)
{
    memset(g, 0, sizeof *g);
    g->n_total = n;
    g->text_size = text_size < 200 ? 200 : text_size;
    g->story_cap = n / 10 < GEN_STORY_MAX ? (uint32_t)(n / 10) : GEN_STORY_MAX;
    if (g->story_cap < 1)
        g->story_cap = 1;
    g->next_story_id = 1;
    g->free_story = UINT32_MAX;

    uint64_t world = GEN_WORLD_SEED;
    for (unsigned i = 0; i < GEN_NLANG; i++) {
        g->lang_weight_total += gen_langs[i].weight;
        gen_vocab_build(&g->vocab[i], &gen_langs[i], &world);
    }
    double *w = gen_xalloc(GEN_VOCAB * sizeof *w);
    for (uint32_t r = 0; r < GEN_VOCAB; r++)
        w[r] = pow(r + 1.0, -GEN_ZIPF_S);
    gen_alias_build(&g->zipf, w, GEN_VOCAB);

    /* Outlets: languages in proportion to their weight; a few big outlets
    ** write most articles (Zipf, s = 1). */
    g->rng = world;
    for (uint32_t i = 0; i < GEN_OUTLETS; i++) {
        /* The first outlets cover every language once. */
        uint8_t lang = i < GEN_NLANG ? (uint8_t)i : gen_pick_lang(g);
        gen_outlet_make(&g->outlets[i], lang, &g->rng);
        g->outlet_of[lang][g->n_outlet_of[lang]++] = i;
    }
    for (unsigned l = 0; l < GEN_NLANG; l++) {
        for (uint32_t k = 0; k < g->n_outlet_of[l]; k++)
            w[k] = 1.0 / (k + 1.0);
        gen_alias_build(&g->outlet_pick[l], w, g->n_outlet_of[l]);
    }
    for (uint32_t i = 0; i < GEN_GLOBAL_ENT; i++) {
        gen_entity_name(&g->rng, g->global_entity[i]);
        w[i] = 1.0 / (i + 1.0);
    }
    gen_alias_build(&g->global_pick, w, GEN_GLOBAL_ENT);
    free(w);
    g->rng = seed ^ 0x5eed5eed5eed5eedull;
}

static void gen_alias_free(gen_alias *a)
{
    free(a->threshold);
    free(a->alias);
}

static void gen_close(gen *g)
{
    for (unsigned i = 0; i < GEN_NLANG; i++) {
        free(g->vocab[i].arena);
        free(g->vocab[i].off);
        gen_alias_free(&g->outlet_pick[i]);
    }
    gen_alias_free(&g->zipf);
    gen_alias_free(&g->global_pick);
    free(g->stories);
    free(g->heap);
    free(g->art.title.data);
    free(g->art.text.data);
    memset(g, 0, sizeof *g);
}

/* The heap keeps pending articles ordered by (time, seq). */
static int gen_before(const gen_pending *a, const gen_pending *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void gen_heap_push(gen *g, gen_pending p)
{
    if (g->heap_len == g->heap_size) {
        g->heap_size = g->heap_size ? g->heap_size * 2 : 1024;
        g->heap = gen_xrealloc(g->heap, g->heap_size * sizeof *g->heap);
    }
    size_t i = g->heap_len++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!gen_before(&p, &g->heap[parent]))
            break;
        g->heap[i] = g->heap[parent];
        i = parent;
    }
    g->heap[i] = p;
}

static gen_pending gen_heap_pop(gen *g)
{
    gen_pending top = g->heap[0], last = g->heap[--g->heap_len];
    size_t i = 0, n = g->heap_len;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && gen_before(&g->heap[c + 1], &g->heap[c]))
            c++;
        if (!gen_before(&g->heap[c], &last))
            break;
        g->heap[i] = g->heap[c];
        i = c;
    }
    if (n)
        g->heap[i] = last;
    return top;
}

/* Story sizes follow a discrete power law P(k) ~ k^-alpha: about half the
** stories are single articles, three in four have at most three, and one
** in a hundred has a hundred or more (up to story_cap). */
static uint32_t gen_story_size(gen *g)
{
    for (;;) {
        double k = floor(pow(gen_unit(&g->rng), -1.0 / (GEN_STORY_ALPHA - 1)));
        if (k <= g->story_cap)
            return (uint32_t)k;
    }
}

/* Creates the next story and queues its articles. Story starts follow the
** stream order and spread over one year; articles of a story follow its
** start by an exponential delay whose scale grows with the story's size,
** from a few hours to several days. */
static void gen_new_story(gen *g)
{
    uint32_t size = gen_story_size(g);
    if (size > g->n_total - g->n_assigned)
        size = (uint32_t)(g->n_total - g->n_assigned);
    double span = (double)GEN_YEAR / (double)g->n_total;
    int64_t start = GEN_T0 + (int64_t)(span * (double)g->n_assigned
                                       + gen_unit(&g->rng) * span * size);
    g->n_assigned += size;

    uint32_t slot;
    if (g->free_story != UINT32_MAX) {
        slot = g->free_story;
        g->free_story = g->stories[slot].next_free;
    } else {
        if (g->n_stories == g->stories_size) {
            g->stories_size = g->stories_size ? g->stories_size * 2 : 256;
            g->stories = gen_xrealloc(g->stories,
                                      g->stories_size * sizeof *g->stories);
        }
        slot = g->n_stories++;
    }
    gen_story *s = &g->stories[slot];
    s->id = g->next_story_id++;
    s->remaining = size;
    s->home_lang = gen_pick_lang(g);

    /* Topic words are mid-frequency ranks (log-uniform in 300..30000):
    ** rarer than function words, common enough to recur across stories. */
    s->n_topic = (uint8_t)(10 + gen_below(&g->rng, GEN_TOPIC_MAX - 9));
    for (unsigned i = 0; i < s->n_topic; i++)
        s->topic[i] = (uint32_t)(300.0 * exp(gen_unit(&g->rng) * log(100.0)));

    /* Entities: one or two recurring public figures plus the story's own. */
    s->n_entity = (uint8_t)(3 + gen_below(&g->rng, GEN_ENTITY_MAX - 2));
    unsigned n_global = 1 + gen_below(&g->rng, 2);
    for (unsigned i = 0; i < s->n_entity; i++) {
        if (i < n_global)
            strcpy(s->entity[i],
                   g->global_entity[gen_alias_draw(&g->global_pick, &g->rng)]);
        else
            gen_entity_name(&g->rng, s->entity[i]);
        gen_to_cyrillic(s->entity[i], s->entity_cyr[i]);
    }

    double scale = 3600.0 * (2.0 + 6.0 * sqrt((double)size))
                   * (0.5 + gen_unit(&g->rng));
    for (uint32_t a = 0; a < size; a++) {
        double delay = a == 0 ? 0.0 : -log(gen_unit(&g->rng)) * scale;
        if (delay > 30.0 * 86400)
            delay = 30.0 * 86400;
        gen_pending p = {start + (int64_t)delay, g->seq++, slot};
        gen_heap_push(g, p);
    }
}

/* Appends one word of language lang to b: a stop word, a story topic word,
** an entity, or a Zipf-distributed vocabulary word, with the given chances
** out of 1000. */
static void gen_word(gen *g, gen_buf *b, const gen_story *s, unsigned lang,
                     unsigned p_stop, unsigned p_topic, unsigned p_entity)
{
    const gen_lang_def *L = &gen_langs[lang];
    const gen_vocab *v = &g->vocab[lang];
    unsigned x = gen_below(&g->rng, 1000);
    if (x < p_stop) {
        /* Skewed towards the head of the list ("the", "of"...). */
        double u = gen_unit(&g->rng);
        const char *w = L->stop[(unsigned)(u * u * L->n_stop) % L->n_stop];
        gen_buf_put(b, w, strlen(w));
        return;
    }
    x -= p_stop;
    uint32_t rank;
    if (x < p_topic) {
        /* The first topic words are the story's most salient. */
        double u = gen_unit(&g->rng);
        rank = s->topic[(unsigned)(u * u * s->n_topic) % s->n_topic];
    } else if (x - p_topic < p_entity) {
        unsigned e = gen_below(&g->rng, s->n_entity);
        const char *name =
            lang == GEN_LANG_RU ? s->entity_cyr[e] : s->entity[e];
        gen_buf_put(b, name, strlen(name));
        return;
    } else {
        rank = gen_alias_draw(&g->zipf, &g->rng);
    }
    gen_buf_put(b, v->arena + v->off[rank], v->off[rank + 1] - v->off[rank]);
}

/* A sentence of 6-25 words, capitalised, ending in a full stop. */
static void gen_sentence(gen *g, gen_buf *b, const gen_story *s, unsigned lang,
                         unsigned p_topic)
{
    gen_buf_reserve(b, 4096);
    size_t start = b->len;
    unsigned n = 6 + gen_below(&g->rng, 20);
    for (unsigned i = 0; i < n; i++) {
        if (i) {
            int comma = gen_below(&g->rng, 100) < 6;
            gen_buf_put(b, comma ? ", " : " ", comma ? 2 : 1);
        }
        gen_word(g, b, s, lang, 380, p_topic, 15);
    }
    b->data[b->len] = '\0';
    gen_upper_first(b->data + start);
    gen_buf_put(b, ".", 1);
    b->data[b->len] = '\0';
}

/* Produces the next article in date order into g->art. Returns 0 at the
** end of the stream, 1 otherwise. */
static int gen_next(gen *g, gen_article **out)
{
    /* Queue stories until the earliest pending article cannot be preceded
    ** by any story still to come: stories start in stream order, so the
    ** next start bounds every later article. */
    for (;;) {
        if (g->n_assigned >= g->n_total)
            break;
        double span = (double)GEN_YEAR / (double)g->n_total;
        int64_t next_start = GEN_T0 + (int64_t)(span * (double)g->n_assigned);
        if (g->heap_len && g->heap[0].time < next_start)
            break;
        gen_new_story(g);
    }
    if (!g->heap_len)
        return 0;
    gen_pending p = gen_heap_pop(g);
    gen_story *s = &g->stories[p.story];
    gen_article *a = &g->art;

    /* Most articles are in the story's home language, the rest anywhere. */
    unsigned lang = s->home_lang;
    if (gen_below(&g->rng, 100) < 35)
        lang = gen_pick_lang(g);
    g->n_emitted++;
    a->time = p.time;
    a->story = s->id;
    a->lang = gen_langs[lang].code;
    snprintf(a->id, sizeof a->id, "a%09llu", (unsigned long long)g->n_emitted);
    time_t t = (time_t)p.time;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(a->date, sizeof a->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const gen_outlet *o = &g->outlets[g->outlet_of[lang][
        gen_alias_draw(&g->outlet_pick[lang], &g->rng)]];
    a->source = o->name;
    snprintf(a->url, sizeof a->url, "https://%s/%04d/%02d/%02d/%s.html",
             o->domain, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, a->id);

    /* Title: 8-12 words, dense in topic words and entities. */
    gen_buf *b = &a->title;
    b->len = 0;
    gen_buf_reserve(b, 4096);
    unsigned n = 8 + gen_below(&g->rng, 5);
    for (unsigned i = 0; i < n; i++) {
        if (i)
            gen_buf_put(b, " ", 1);
        gen_word(g, b, s, lang, 250, 350, 120);
    }
    b->data[b->len] = '\0';
    gen_upper_first(b->data);

    /* Text: paragraphs of 2-6 sentences up to a log-normal length around
    ** text_size (sigma 0.5, clamped to a quarter..four times). */
    double z = (gen_unit(&g->rng) + gen_unit(&g->rng) + gen_unit(&g->rng)
                + gen_unit(&g->rng) - 2.0) * 1.7320508;
    double target = (double)g->text_size * exp(0.5 * z - 0.125);
    if (target < g->text_size / 4.0)
        target = g->text_size / 4.0;
    if (target > g->text_size * 4.0)
        target = g->text_size * 4.0;
    b = &a->text;
    b->len = 0;
    for (unsigned para = 0; b->len < (size_t)target; para++) {
        if (para)
            gen_buf_put(b, "\n\n", 2);
        unsigned ns = 2 + gen_below(&g->rng, 5);
        /* The lede carries more of the topic than later paragraphs. */
        unsigned p_topic = para == 0 ? 120 : 60;
        /* Every paragraph gets at least one sentence: the text never
        ** ends in a bare separator. */
        for (unsigned i = 0; i < ns && (i == 0 || b->len < (size_t)target);
             i++) {
            if (i)
                gen_buf_put(b, " ", 1);
            gen_sentence(g, b, s, lang, p_topic);
        }
    }

    if (--s->remaining == 0) {
        s->next_free = g->free_story;
        g->free_story = p.story;
    }
    *out = a;
    return 1;
}

#endif
