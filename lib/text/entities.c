/*
** entities.c: candidate named entities of the analyze stage: capitalised
** runs of tokens, trimmed of sentence-initial words, personal titles and (in
** German) common nouns; each is merged by its entity key, and each of its
** tokens gives an entity term. Method and parameters: docs/internals/text.md.
*/
#include "text/analyze_int.h"
#include "util/family.h"
#include "util/map.h"

#include <stdlib.h>
#include <string.h>

/* Empties the cross-article cache of normalised forms and entity keys. */
void td__key_cache_clear(td_analyzer *az)
{
    size_t i;
    if (!az->key_cache)
        return;
    for (i = 0; i < KEY_CACHE_SLOTS; i++) {
        free(az->key_cache[i].token);
        free(az->key_cache[i].norm);
        free(az->key_cache[i].key);
    }
    memset(az->key_cache, 0, KEY_CACHE_SLOTS * sizeof *az->key_cache);
}

/* Determiners and article-preposition contractions of German: a capitalised
** word after one (maybe with lower-case adjectives between) is a common
** noun, not a name. */
static const char *const german_determiners[] = {
    "am", "beim", "dem", "den", "der", "des", "die", "das", "diese",
    "diesem", "diesen", "dieser", "dieses", "ein", "eine", "einem", "einen",
    "einer", "eines", "im", "ins", "jede", "jedem", "jeden", "jeder",
    "jedes", "kein", "keine", "keinem", "keinen", "keiner", "seine",
    "seinem", "seinen", "seiner", "ihre", "ihrem", "ihren", "ihrer", "vom",
    "zum", "zur", "unsere", "unserer", "alle", "viele", "mehrere", NULL};

int td__is_german_determiner(const char *w, size_t len)
{
    return td__in_list(german_determiners, w, len);
}

/* Personal titles and offices (case folded) that often precede a name in a
** capitalised run: "Foreign Minister Sergei Lavrov", "Statsminister Jonas
** Gahr Støre". A span loses everything up to its last such word. */
static const char *const title_words[] = {
    /* en (and title_modifiers below) */
    "admiral", "ambassador", "archbishop", "bishop", "capt", "captain",
    "cardinal", "ceo", "chairman", "chairwoman", "chancellor", "col",
    "colonel", "commander", "dame", "director", "dr", "gen", "governor",
    "judge", "king", "lady", "lord", "lt", "mayor", "minister", "mr",
    "mrs", "ms", "pope", "premier", "president", "prince", "princess",
    "prof", "queen", "rep", "secretary", "sen", "senator", "sgt", "sir",
    "speaker", "spokesman", "spokeswoman",
    /* de */
    "aussenminister", "bundeskanzler", "bundeskanzlerin", "bundespräsident",
    "finanzminister", "frau", "herr", "innenminister", "kanzler",
    "kanzlerin", "ministerin", "ministerpräsident", "papst", "präsident",
    "präsidentin", "verteidigungsminister",
    /* fr es it pt */
    "canciller", "chancelier", "madame", "mme", "ministra", "ministre",
    "ministro", "monsieur", "papa", "presidenta", "presidente",
    "président", "présidente", "rainha", "regina", "reina", "rey", "roi",
    "reine", "señor", "señora",
    /* nl no da sv fi */
    "bondskanselier", "dronning", "drottning", "forsvarsminister",
    "finansminister", "koning", "koningin", "kong", "konge", "kung",
    "pääministeri", "presidentti", "statsminister", "statsministeren",
    "udenrigsminister", "utenriksminister", "utrikesminister",
    /* ru uk pl cs tr */
    "министр", "президент", "премьер", "канцлер", "міністр", "прем'єр",
    "prezydent", "premier", "kanclerz", "prezident", "premiér", "ministr",
    "cumhurbaşkanı", "başbakan", "bakan", "bakanı", NULL};

/* Title words that are one only before another ("Foreign Minister",
** "Prime Minister", "Vice President"): alone they are a name's own
** ("Council on Foreign Relations"). */
static const char *const title_modifiers[] = {
    "attorney", "chief", "defence", "defense", "deputy", "finance",
    "foreign", "interior", "lieutenant", "major", "prime", "vice", NULL};

/* Title words that are one only after another ("Chief Justice", "Attorney
** General", "Chief Executive"): first, they begin a name ("General
** Motors"). */
static const char *const title_followers[] = {
    "executive", "general", "justice", "officer", NULL};

/* 0 when w is no title word, else TITLE_HEAD, TITLE_MODIFIER or
** TITLE_FOLLOWER (cached in w->title_word, kind + 1). */
enum { TITLE_HEAD = 1, TITLE_MODIFIER, TITLE_FOLLOWER };
static int title_kind(az_word *w, const char *fold)
{
    if (w->title_word == 0)
        w->title_word =
            (uint8_t)(1 + (td__in_list(title_modifiers, fold, w->fold_len)
                               ? TITLE_MODIFIER
                           : td__in_list(title_followers, fold, w->fold_len)
                               ? TITLE_FOLLOWER
                           : td__in_list(title_words, fold, w->fold_len)
                               ? TITLE_HEAD
                               : 0));
    return w->title_word - 1;
}

/* Length of the surface token without a trailing possessive "'s" / "’s" /
** "'", which must not split "Russia's" from "Russia". */
static size_t strip_possessive(const char *s, size_t len)
{
    if (len > 3 && (s[len - 1] == 's' || s[len - 1] == 'S')) {
        if (s[len - 2] == '\'')
            return len - 2;
        if (len > 5 && memcmp(s + len - 4, "\xE2\x80\x99", 3) == 0)
            return len - 4;
    }
    if (len > 2 && s[len - 1] == '\'')
        return len - 1;
    return len;
}

static uint64_t cache_hash(const char *s, size_t len)
{
    return td__hash64(s, len) ^ 0x9E3779B97F4A7C15ull;
}

/* Normalised form of token text s[0..len) into az->scratch and its entity
** key into az->scratch2 (both reset). The slow (non-ASCII) ones are
** remembered across articles in a direct-mapped cache. */
static td_status token_norm_key(td_analyzer *az, const char *s, size_t len)
{
    td_status st;
    uint64_t h = 0;
    key_cache_entry *e = NULL;
    size_t i;
    td__buf_reset(&az->scratch);
    td__buf_reset(&az->scratch2);
    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            break;
    if (i < len) {
        h = cache_hash(s, len);
        if (!az->key_cache)
            az->key_cache = calloc(KEY_CACHE_SLOTS, sizeof *az->key_cache);
        if (az->key_cache) {
            e = &az->key_cache[h & (KEY_CACHE_SLOTS - 1)];
            if (e->token && e->hash == h && strlen(e->token) == len &&
                memcmp(e->token, s, len) == 0) {
                if ((st = td__buf_append(&az->scratch, e->norm,
                                         strlen(e->norm))) != TD_OK)
                    return st;
                return td__buf_append(&az->scratch2, e->key, strlen(e->key));
            }
        }
    }
    if ((st = td__norm_normalize(&az->nm, s, len, &az->scratch)) != TD_OK ||
        (st = td__buf_append(&az->scratch, "", 0)) != TD_OK ||
        (st = td__key_from_norm(az->scratch.data, az->scratch.len,
                                &az->scratch2)) != TD_OK)
        return st;
    if (!e)
        return TD_OK;
    /* Replace whatever the slot held. On out of memory the slot stays
    ** empty: the cache is only an optimisation. */
    free(e->token);
    free(e->norm);
    free(e->key);
    e->token = td__strndup(s, len);
    e->norm = td__strndup(az->scratch.data, az->scratch.len);
    e->key = td__strndup(az->scratch2.data, az->scratch2.len);
    if (!e->token || !e->norm || !e->key) {
        free(e->token);
        free(e->norm);
        free(e->key);
        e->token = e->norm = e->key = NULL;
    }
    e->hash = h;
    return TD_OK;
}

/* The normalised form and entity key of the token t (word w), computed
** once per article. */
static td_status word_entity_key(td_analyzer *az, az_word *w,
                                 const char *text, const td_token *t)
{
    size_t len;
    td_status st;
    if (w->has_ekey)
        return TD_OK;
    len = strip_possessive(text + t->start, t->len);
    if ((st = token_norm_key(az, text + t->start, len)) != TD_OK)
        return st;
    if ((st = td__az_arena_put(az, az->scratch.data, az->scratch.len,
                        &w->norm_off)) != TD_OK)
        return st;
    w->norm_len = (uint32_t)az->scratch.len;
    if ((st = td__az_arena_put(az, az->scratch2.data, az->scratch2.len,
                        &w->ekey_off)) != TD_OK)
        return st;
    w->ekey_len = (uint32_t)az->scratch2.len;
    w->ekey_key = td__term_key(TD_TERM_ENTITY, az->scratch2.data,
                               az->scratch2.len);
    w->has_ekey = 1;
    return TD_OK;
}

static td_status entity_add(td_analyzer *az, const char *key_text,
                            size_t key_len, const char *norm, size_t norm_len,
                            const char *display, size_t display_len)
{
    uint64_t key = td__hash64(key_text, key_len);
    size_t i = (size_t)key & az->ent_mask;
    az_entity *e;
    td_status st;
    for (;;) {
        uint32_t slot = az->ent_slots[i];
        if (!slot)
            break;
        e = &az->ents[slot - 1];
        if (e->key == key) {
            e->count++;
            return TD_OK;
        }
        i = (i + 1) & az->ent_mask;
    }
    if (td__grow((void **)&az->ents, &az->cap_ents, az->n_ents + 1,
             sizeof *az->ents) != TD_OK)
        return TD_ENOMEM;
    e = &az->ents[az->n_ents];
    e->key = key;
    e->count = 1;
    if ((st = td__az_arena_put(az, norm, norm_len, &e->norm_off)) != TD_OK)
        return st;
    e->norm_len = (uint32_t)norm_len;
    if ((st = td__az_arena_put(az, display, display_len, &e->display_off)) != TD_OK)
        return st;
    e->display_len = (uint32_t)display_len;
    az->ent_slots[i] = (uint32_t)(++az->n_ents);
    return TD_OK;
}

/* 1 when only spaces or one hyphen separate two tokens: the span may go on
** ("Sergei Lavrov", "Jean-Pierre"); punctuation or a line break ends it. */
static int gap_joins(const char *s, size_t from, size_t to)
{
    size_t i;
    int hyphens = 0;
    if (to <= from)
        return to == from;
    for (i = from; i < to; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t')
            continue;
        if (c == '-') {
            hyphens++;
            continue;
        }
        if (c == 0xC2 && i + 1 < to && (unsigned char)s[i + 1] == 0xA0) {
            i++; /* no-break space */
            continue;
        }
        return 0;
    }
    return hyphens <= 1;
}

int td__is_acronym(const char *s, size_t len)
{
    size_t i, upper = 0;
    for (i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            upper++;
        else if (!(c >= '0' && c <= '9'))
            return 0;
    }
    return upper >= 2;
}

/* The prefix term of an entity token longer than TD_PREFIX_LEN bytes, cut
** on a character boundary: spellings of one name across languages and
** transliterations often share their first letters ("Kreml"/"Kremlin"). */
/* Bytes of key kept in its prefix: TD_PREFIX_LEN, cut back to a character
** boundary; the whole key when it is no longer. */
static size_t prefix_len(const char *key, size_t len)
{
    size_t n = TD_PREFIX_LEN;
    if (len <= TD_PREFIX_LEN)
        return len;
    while (n > 0 && ((unsigned char)key[n] & 0xC0) == 0x80)
        n--;
    return n ? n : len;
}

static td_status emit_prefix(td_analyzer *az, const char *key, size_t len,
                             uint32_t pos, int in_title)
{
    size_t n = prefix_len(key, len);
    if (n == len)
        return TD_OK;
    return td__az_term_add(az, TD_TERM_PREFIX,
                           td__term_key(TD_TERM_PREFIX, key, n), key, n, pos,
                           in_title);
}

/* Adds the entity tokens[a, b) and its per-token entity terms. */
static td_status emit_entity(td_analyzer *az, size_t a, size_t b,
                             const char *title, const char *text)
{
    const char *s = td__az_token_text(az, a, title, text);
    size_t i, norm_start, key_start, display_len;
    td_status st;
    /* Build the key and the norm of the span in scratch, then hand them to
    ** entity_add, which copies them into the arena once if new. */
    td_buf *sb = &az->scratch;
    char *norm = NULL, *key = NULL;
    size_t norm_len, key_len;
    for (i = a; i < b; i++) {
        az_word *w = &az->words[az->tok_word[i]];
        const td_token *t = &az->toks[i];
        if ((st = word_entity_key(az, w, s, t)) != TD_OK)
            return st;
        /* Stop words inside a name ("of", "New") are in its key, but give
        ** no term or anchor: "of" would match every such name. */
        if (w->ekey_len == 0 || w->stop)
            continue;
        if ((st = td__az_term_add(az, TD_TERM_ENTITY, w->ekey_key,
                           td__az_arena_at(az, w->ekey_off), w->ekey_len,
                           (uint32_t)i, i < az->n_title)) != TD_OK)
            return st;
        if ((st = emit_prefix(az, td__az_arena_at(az, w->ekey_off),
                              w->ekey_len, (uint32_t)i,
                              i < az->n_title)) != TD_OK)
            return st;
        if (!w->name_anchor)
            w->name_anchor = td__name_anchor(
                td__az_arena_at(az, w->ekey_off), w->ekey_len);
        az->tok_anchor[i] = w->name_anchor;
    }
    /* Key: the token keys joined by spaces. */
    td__buf_reset(sb);
    for (i = a; i < b; i++) {
        az_word *w = &az->words[az->tok_word[i]];
        if (w->ekey_len == 0)
            continue;
        if (sb->len && (st = td__buf_putc(sb, ' ')) != TD_OK)
            return st;
        if ((st = td__buf_append(sb, td__az_arena_at(az, w->ekey_off),
                                 w->ekey_len)) != TD_OK)
            return st;
    }
    if (sb->len == 0)
        return TD_OK;
    key_start = 0;
    key_len = sb->len;
    /* Norm: the normalised tokens joined by spaces. */
    norm_start = sb->len;
    for (i = a; i < b; i++) {
        az_word *w = &az->words[az->tok_word[i]];
        if (w->norm_len == 0)
            continue;
        if ((st = td__buf_putc(sb, ' ')) != TD_OK)
            return st;
        if ((st = td__buf_append(sb, td__az_arena_at(az, w->norm_off),
                                 w->norm_len)) != TD_OK)
            return st;
    }
    if (sb->len == norm_start)
        return TD_OK;
    key = sb->data + key_start;
    norm = sb->data + norm_start + 1;
    norm_len = sb->len - norm_start - 1;
    display_len = az->toks[b - 1].start + az->toks[b - 1].len -
                  az->toks[a].start;
    if (display_len > AZ_MAX_DISPLAY) {
        display_len = AZ_MAX_DISPLAY;
        while (display_len > 0 &&
               ((unsigned char)s[az->toks[a].start + display_len] & 0xC0) ==
                   0x80)
            display_len--;
    }
    /* entity_add appends to the arena, not to scratch: pointers stay. */
    return entity_add(az, key, key_len, norm, norm_len,
                      s + az->toks[a].start, display_len);
}

/* A title is in title case when most of its content words are
** capitalised; then capitals say nothing about names. */
int td__title_is_title_case(const td_analyzer *az)
{
    size_t i, content = 0, caps = 0;
    for (i = 1; i < az->n_title; i++) {
        const az_word *w = &az->words[az->tok_word[i]];
        if (az->toks[i].is_number || w->stop || w->nchars < 2)
            continue;
        content++;
        caps += az->toks[i].is_upper;
    }
    return content >= 2 && caps * 4 >= content * 3;
}

/* May token i be part of an entity span at all? */
static int span_candidate(const td_analyzer *az, size_t i, int title_case)
{
    const td_token *t = &az->toks[i];
    const az_word *w = &az->words[az->tok_word[i]];
    if (!t->is_upper || t->is_number || w->stop || w->nchars < 2)
        return 0;
    if (i < az->n_title && title_case)
        return w->cap_mid > 0 || w->is_acronym;
    return 1;
}

/* Articles and other determiners: capitalised inside a sentence they
** still begin no name ("The Washington Post" is "Washington Post"). */
static const char *const determiners[] = {
    "a", "an", "the", "das", "dem", "den", "der", "des", "die", "ein",
    "eine", "el", "gli", "het", "il", "la", "las", "le", "les", "lo", "los",
    "een", "uma", "um", NULL};

/* Lower-case words inside a name: particles of personal and official
** names (td__is_name_particle: "Ursula von der Leyen", "Banco de España"),
** and English "of", "on", "for" (td__is_english_connector) after the
** head of an organisation ("Bank of England", "Council on Foreign
** Relations"), not after anyone's name ("Lavrov of Russia" is two
** names). */
static const char *const organisation_heads[] = {
    "academy", "agency", "alliance", "bank", "board", "bureau", "campaign",
    "center", "centre", "church", "coalition", "college", "commission",
    "committee", "conference", "council", "court", "department", "duke",
    "federation", "foundation", "fund", "house", "institute", "league",
    "ministry", "museum", "office", "organisation", "organization",
    "party", "republic", "school", "society", "union", "university", NULL};

/* Token i's word, case folded, and its length. */
static const char *fold_of(const td_analyzer *az, size_t i, size_t *len)
{
    const az_word *w = &az->words[az->tok_word[i]];
    *len = w->fold_len;
    return td__az_arena_at(az, w->fold_off);
}

/* Do tokens i and i + 1 of one text touch as parts of one name? */
static int joins_next(const td_analyzer *az, size_t i, const char *s)
{
    return gap_joins(s, az->toks[i].start + az->toks[i].len,
                     az->toks[i + 1].start);
}

/* A capitalised stop word inside a sentence that begins a name ("New" in
** "New York"): not a determiner, and followed by a candidate. */
static int stop_word_leads(const td_analyzer *az, size_t i, size_t to,
                           const char *s, int title_case)
{
    const td_token *t = &az->toks[i];
    const az_word *w = &az->words[az->tok_word[i]];
    size_t len;
    const char *f;
    if (!w->stop || !t->is_upper || t->sent_start || t->is_number ||
        w->nchars < 2 || i + 1 >= to ||
        !span_candidate(az, i + 1, title_case) || !joins_next(az, i, s))
        return 0;
    if (i < az->n_title && title_case && w->cap_mid == 0)
        return 0;
    f = fold_of(az, i, &len);
    return !td__in_list(determiners, f, len);
}

/* How many lower-case connectors (one or two) a name of one word so far,
** tokens [a, b), goes on over to a candidate ("Bank of England", "Ursula
** von der Leyen"; not "Bernie Sanders of Vermont"); 0 when it does not. */
static size_t connector_run(const td_analyzer *az, size_t a, size_t b,
                            size_t to, const char *s, int title_case)
{
    size_t k, len, head_len;
    const char *head = fold_of(az, a, &head_len);
    if (b - a != 1)
        return 0;
    for (k = b; k < b + 2 && k + 1 < to; k++) {
        const char *f = fold_of(az, k, &len);
        if (az->toks[k].is_upper || az->toks[k].is_number ||
            !joins_next(az, k - 1, s))
            return 0;
        if (!td__is_name_particle(f, len) &&
            !(k == b && td__is_english_connector(f, len) &&
              td__in_list(organisation_heads, head, head_len)))
            return 0;
        if (span_candidate(az, k + 1, title_case) && joins_next(az, k, s))
            return k + 1 - b;
    }
    return 0;
}

/* The title kind of token j's word (title_kind). */
static int token_title_kind(td_analyzer *az, size_t j)
{
    az_word *w = &az->words[az->tok_word[j]];
    return title_kind(w, td__az_arena_at(az, w->fold_off));
}

/* Finds the entity spans of tokens [from, to) (one text) and emits them. */
td_status td__find_entities(td_analyzer *az, size_t from, size_t to,
                            const char *title, const char *text,
                            int title_case, int german)
{
    size_t i = from;
    td_status st;
    while (i < to) {
        size_t a = i, b, c, j, cut, lead = (size_t)-1;
        const char *s = td__az_token_text(az, i, title, text);
        if (!span_candidate(az, i, title_case)) {
            if (!stop_word_leads(az, i, to, s, title_case)) {
                i++;
                continue;
            }
            lead = i; /* "New" of "New York": kept, though a stop word */
        }
        b = a + 1;
        for (;;) {
            if (b < to && b - a < AZ_MAX_SPAN &&
                span_candidate(az, b, title_case) && joins_next(az, b - 1, s))
                b++;
            else if (lead == (size_t)-1 && b - a + 2 < AZ_MAX_SPAN &&
                     (c = connector_run(az, a, b, to, s, title_case)) > 0)
                b += c + 1;
            else
                break;
        }
        i = b;
        /* A sentence-initial word is capitalised anyway: it stays only
        ** when it is capitalised mid-sentence elsewhere, or leads a longer
        ** span (not through a connector: "Expert on NATO") and is never
        ** seen in lower case. */
        if (az->toks[a].sent_start) {
            const az_word *w = &az->words[az->tok_word[a]];
            if (w->cap_mid == 0 && (b - a == 1 || w->seen_lower ||
                                    !span_candidate(az, a + 1, title_case)))
                a++;
        }
        /* German capitalises every noun: drop nouns (seen after a
        ** determiner) from the ends; a lone word must be capitalised
        ** mid-sentence at least twice (or be an acronym). */
        if (german) {
            while (a < b && az->words[az->tok_word[a]].after_det &&
                   !az->words[az->tok_word[a]].is_acronym)
                a++;
            while (b > a && az->words[az->tok_word[b - 1]].after_det &&
                   !az->words[az->tok_word[b - 1]].is_acronym)
                b--;
            if (b - a == 1) {
                const az_word *w = &az->words[az->tok_word[a]];
                if (w->cap_mid < 2 && !w->is_acronym)
                    continue;
            }
        }
        /* Offices and titles before a name are not part of it; a span of
        ** titles only ("Foreign Minister") is no entity. A modifier
        ** ("Foreign") is one only before another title word, a follower
        ** ("General") only after one. */
        for (j = a, cut = a; j < b; j++) {
            int kind = token_title_kind(az, j);
            if (kind == TITLE_HEAD ||
                (kind == TITLE_MODIFIER && j + 1 < b &&
                 token_title_kind(az, j + 1)) ||
                (kind == TITLE_FOLLOWER && j > a &&
                 token_title_kind(az, j - 1)))
                cut = j + 1;
        }
        a = cut;
        /* Nor does a connector begin or end one ("of Russia" after
        ** "President"). */
        while (a < b && a != lead && !span_candidate(az, a, title_case))
            a++;
        while (b > a && !span_candidate(az, b - 1, title_case))
            b--;
        if (a >= b)
            continue;
        if ((st = emit_entity(az, a, b, title, text)) != TD_OK)
            return st;
    }
    return TD_OK;
}

/* Entity from's mentions count as entity into's; from leaves the list. */
static void merge_entity(td_analyzer *az, size_t from, size_t into)
{
    az->ents[into].count += az->ents[from].count;
    az->ents[from].count = 0;
}

/* The entity still listed whose key (kb + off[]) is key, found through map
** (key hash -> entity + 1), other than entity self; (size_t)-1 if none. */
static size_t entity_with_key(const td_analyzer *az, const td_map *map,
                              const char *kb, const uint32_t *off,
                              const char *key, size_t self)
{
    uint64_t *slot = td__map_get(map, td__hash64(key, strlen(key)));
    size_t d;
    if (!slot || (d = *slot - 1) == self || !az->ents[d].count ||
        strcmp(kb + off[d], key) != 0)
        return (size_t)-1;
    return d;
}

/* Are the keys a and b in one family: the same surname, and the same first
** letter when both have more words (td__key_family's hashes may collide)? */
static int same_family(const char *a, const char *b)
{
    int ma, mb;
    const char *la = td__key_surname(a, &ma), *lb = td__key_surname(b, &mb);
    return strcmp(la, lb) == 0 && (!ma || !mb || a[0] == b[0]);
}

/* Endings that make an English demonym of a place's key, after the whole
** key or after its last vowel: "russia" + "n", "ukraine" -> "ukrainian",
** "china" -> "chinese", "israel" + "i"; with a plural "s" too. */
static const char *const demonym_endings[] = {
    "n", "an", "ian", "ese", "i", NULL};

/* English nationality words not made by those endings, with the keys of
** their place (as td__key_from_norm writes them: "grece" for "Greece"),
** tried in order. */
static const struct {
    const char *word;
    const char *places[4];
} irregular_demonyms[] = {
    {"american", {"us", "usa", "united states", "america"}},
    {"british", {"uk", "britain", "united kingdom", "great britain"}},
    {"danish", {"denmark", NULL, NULL, NULL}},
    {"dutch", {"netherlands", "holand", NULL, NULL}},
    {"english", {"england", NULL, NULL, NULL}},
    {"filipino", {"philipines", NULL, NULL, NULL}},
    {"finnish", {"finland", NULL, NULL, NULL}},
    {"french", {"france", NULL, NULL, NULL}},
    {"german", {"germany", NULL, NULL, NULL}},
    {"grek", {"grece", NULL, NULL, NULL}},
    {"irish", {"ireland", NULL, NULL, NULL}},
    {"polish", {"poland", NULL, NULL, NULL}},
    {"saudi", {"saudi arabia", NULL, NULL, NULL}},
    {"scotish", {"scotland", NULL, NULL, NULL}},
    {"spanish", {"spain", NULL, NULL, NULL}},
    {"swedish", {"sweden", NULL, NULL, NULL}},
    {"swis", {"switzerland", NULL, NULL, NULL}},
    {"thai", {"thailand", NULL, NULL, NULL}},
    {"turkish", {"turkey", "turkiye", NULL, NULL}},
    {"welsh", {"wales", NULL, NULL, NULL}},
    {NULL, {NULL, NULL, NULL, NULL}}};

/* Appends key[0..len) + ending (+ "s") to out as an entity key would read
** (a run of one letter collapsed: "hawai" + "ian" -> "hawaian"); 0 when it
** does not fit. */
static size_t demonym_key(const char *key, size_t len, const char *ending,
                          int plural, char *out, size_t cap)
{
    size_t n = 0, i;
    char tail[8];
    size_t t = strlen(ending);
    memcpy(tail, ending, t);
    if (plural)
        tail[t++] = 's';
    if (len + t >= cap)
        return 0;
    for (i = 0; i < len + t; i++) {
        char c = i < len ? key[i] : tail[i - len];
        if (n == 0 || out[n - 1] != c)
            out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

/* Short forms go to their long one ("US" to "United States"), and
** nationality words ("Russian", "Ukrainians", "American") to their place
** when the article names it ("Russia", "US"): for a reader they are the
** place, not a person or an organisation. one is scratch, for the
** keys (hash) of the entities (+ 1); keys are kb + off[i]. */
static td_status merge_demonyms(td_analyzer *az, const char *kb,
                                const uint32_t *off, td_map *one)
{
    size_t i, n = az->n_ents;
    td__map_clear(one);
    for (i = 0; i < n; i++) {
        const char *key = kb + off[i];
        uint64_t *slot;
        if (!az->ents[i].count)
            continue;
        if (!(slot = td__map_put(one, td__hash64(key, strlen(key)), NULL)))
            return TD_ENOMEM;
        *slot = i + 1;
    }
    /* Short forms go to their long one ("US" to "United States"). */
    for (i = 0; i < n; i++) {
        const char *full = td__key_expansion(kb + off[i]);
        size_t d;
        if (full && az->ents[i].count &&
            (d = entity_with_key(az, one, kb, off, full, i)) != (size_t)-1)
            merge_entity(az, i, d);
    }
    /* Then the irregular nationality words. */
    for (i = 0; i < n; i++) {
        const char *key = kb + off[i];
        size_t len = strlen(key), k, p;
        if (!az->ents[i].count || strchr(key, ' '))
            continue;
        for (k = 0; irregular_demonyms[k].word; k++) {
            size_t w = strlen(irregular_demonyms[k].word);
            /* The word, or its plural ("Americans"). */
            if (!(w == len || (w + 1 == len && key[w] == 's')) ||
                memcmp(irregular_demonyms[k].word, key, w) != 0)
                continue;
            for (p = 0; p < 4 && irregular_demonyms[k].places[p]; p++) {
                size_t d = entity_with_key(az, one, kb, off,
                                           irregular_demonyms[k].places[p], i);
                if (d != (size_t)-1) {
                    merge_entity(az, i, d);
                    break;
                }
            }
            break;
        }
    }
    for (i = 0; i < n; i++) {
        const char *key = kb + off[i];
        size_t len = strlen(key), cut, e;
        int plural;
        if (!az->ents[i].count || len < TD_FAMILY_MIN || strchr(key, ' '))
            continue;
        /* The whole key, then without a final vowel. */
        for (cut = 0; cut < 2; cut++) {
            size_t base = len - cut;
            if (cut && !strchr("aeoy", key[len - 1]))
                break;
            for (e = 0; demonym_endings[e]; e++)
                for (plural = 0; plural < 2; plural++) {
                    char cand[64];
                    size_t d;
                    if (demonym_key(key, base, demonym_endings[e], plural,
                                    cand, sizeof cand) &&
                        (d = entity_with_key(az, one, kb, off, cand, i)) !=
                            (size_t)-1)
                        merge_entity(az, d, i);
                }
        }
    }
    return TD_OK;
}

td_status td__merge_families(td_analyzer *az)
{
    size_t i, n = az->n_ents;
    td_buf *kb = &az->scratch2;
    uint32_t *off;
    uint64_t *family; /* of each entity (td__key_family), 0 for none */
    td_map fam, sur;
    td_status st = TD_OK;
    if (n < 2)
        return TD_OK;
    off = malloc(n * sizeof *off);
    family = malloc(n * sizeof *family);
    if (!off || !family) {
        free(off);
        free(family);
        return TD_ENOMEM;
    }
    td__map_init(&fam);
    td__map_init(&sur);
    td__buf_reset(kb);
    for (i = 0; i < n && st == TD_OK; i++) {
        const az_entity *e = &az->ents[i];
        off[i] = (uint32_t)kb->len;
        if ((st = td__key_from_norm(td__az_arena_at(az, e->norm_off),
                                    e->norm_len, kb)) == TD_OK)
            st = td__buf_putc(kb, '\0');
    }
    for (i = 0; i < n && st == TD_OK; i++) {
        const az_entity *e = &az->ents[i];
        family[i] = td__key_family(kb->data + off[i],
                                   td__az_arena_at(az, e->display_off),
                                   e->display_len);
    }
    /* A name of three words that ends in a name of two the article also
    ** has is that name after a word of context ("России Сергей
    ** Лавров"): it counts as the shorter one. */
    for (i = 0; i < n && st == TD_OK; i++) {
        const char *key = kb->data + off[i];
        uint64_t *slot = td__map_put(&sur, td__hash64(key, strlen(key)), NULL);
        if (!slot)
            st = TD_ENOMEM;
        else if (!*slot)
            *slot = i + 1;
    }
    for (i = 0; i < n && st == TD_OK; i++) {
        const char *key = kb->data + off[i], *rest = strchr(key, ' ');
        size_t r;
        if (!rest || !strchr(rest + 1, ' ') ||
            strchr(strchr(rest + 1, ' ') + 1, ' '))
            continue; /* not three words */
        if ((r = entity_with_key(az, &sur, kb->data, off, rest + 1, i)) !=
            (size_t)-1)
            merge_entity(az, i, r);
    }
    td__map_clear(&sur);
    /* Each family's most mentioned spelling (the first of equals) takes the
    ** others' counts. */
    for (i = 0; i < n && st == TD_OK; i++) {
        const char *key = kb->data + off[i];
        uint64_t h = family[i], *slot;
        if (!h)
            continue;
        if (!(slot = td__map_put(&fam, h, NULL))) {
            st = TD_ENOMEM;
            break;
        }
        if (!*slot)
            *slot = i + 1;
        else if (az->ents[i].count > az->ents[*slot - 1].count &&
                 same_family(key, kb->data + off[*slot - 1]))
            *slot = i + 1;
    }
    for (i = 0; i < n && st == TD_OK; i++) {
        const char *key = kb->data + off[i];
        uint64_t h = family[i], *slot;
        size_t r;
        if (!h || !(slot = td__map_get(&fam, h)) || (r = *slot - 1) == i ||
            !same_family(key, kb->data + off[r]))
            continue;
        merge_entity(az, i, r);
    }
    /* A surname alone goes to the most mentioned family of that surname. */
    for (i = 0; i < n && st == TD_OK; i++) {
        const char *key = kb->data + off[i];
        int multi;
        const char *last = td__key_surname(key, &multi);
        uint64_t *slot;
        if (!az->ents[i].count || !family[i])
            continue;
        if (!(slot = td__map_put(&sur, td__hash64(last, strlen(last)), NULL))) {
            st = TD_ENOMEM;
            break;
        }
        if (!*slot || az->ents[i].count > az->ents[*slot - 1].count)
            *slot = i + 1;
    }
    for (i = 0; i < n && st == TD_OK; i++) {
        const char *key = kb->data + off[i];
        int multi;
        size_t len;
        uint64_t *slot;
        td__key_surname(key, &multi);
        len = strlen(key);
        if (multi || len < TD_FAMILY_MIN || !az->ents[i].count ||
            !(slot = td__map_get(&sur, td__hash64(key, len))) ||
            !same_family(key, kb->data + off[*slot - 1]))
            continue;
        merge_entity(az, i, (size_t)(*slot - 1));
    }
    if (st == TD_OK)
        st = merge_demonyms(az, kb->data, off, &fam);
    td__map_free(&fam);
    td__map_free(&sur);
    free(off);
    free(family);
    return st;
}
