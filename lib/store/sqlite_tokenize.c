/*
** sqlite_tokenize.c: a faster stand-in for FTS5's unicode61 tokenizer on
** our connections. It gives the same tokens as SQLite's own for the
** settings of the search index ('unicode61 remove_diacritics 2'), so the
** file stays a plain FTS5 index that any SQLite reads the same way; it is
** only quicker on the scripts of our articles. See docs/internals/store.md
** ("Search").
**
** unicode61 looks up the Unicode category of every non-ASCII character and
** folds it (case, diacritics) by two binary searches over SQLite's tables:
** about a fifth of the index's cost at ingest. Here each code point below
** U+0800 (Latin, Greek, Cyrillic, Hebrew, Arabic...) is looked up in a
** table, and the table is filled by asking SQLite's unicode61 itself about
** every such code point once per process, so it cannot disagree with the
** SQLite we run on. A text holding anything else (three- and four-byte
** characters, or bytes that are not well-formed UTF-8, which unicode61
** reads in its own way) is handed whole to SQLite's tokenizer.
*/
#include "sqlite_int.h"
#include "util/util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What a character does in unicode61: CH_START, it may begin a token (a
** letter, digit or private-use character); CH_CONT, it may continue one
** (those, and combining marks). fold: the bytes written for it in a token
** (0-3: a mark folds to nothing, "É" to "e", "Ⱥ" U+023A to the three bytes
** of U+2C65). */
#define CH_START 1
#define CH_CONT 2
#define FOLD_MAX 3
typedef struct {
    unsigned char flags, n_fold, fold[FOLD_MAX];
} char_info;

/* Code points 0..0x7FF: one- and two-byte UTF-8. */
#define N_TABLE 0x800
static char_info table[N_TABLE];
/* ASCII again, for the inner loop: the byte a token character folds to
** ("A" to "a"), 0 for a separator. */
static unsigned char ascii_fold[0x80];
static int table_state;           /* 0 not built, 1 good, -1 unusable */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

/* SQLite's unicode61 as found on the connection, before ours replaced
** the name; freed with the connection (sqlite3 calls free_module). */
typedef struct {
    fts5_tokenizer base;
    void *base_ud;
} module;

/* One tokenizer instance: SQLite's own (for other settings and for texts
** the table does not cover) and a buffer for the folded token. */
typedef struct {
    const module *mod;
    Fts5Tokenizer *inner;
    int fast;                     /* settings are the index's */
    char *buf;
    size_t cap;
} tokenizer;

/* The tokens unicode61 gives for one probe text: their count and the
** first one, with where it ended. */
typedef struct {
    int n;
    unsigned char tok[8];
    int len, end;
} probe_out;

static int probe_token(void *ctx, int flags, const char *tok, int len,
                       int start, int end)
{
    probe_out *p = ctx;
    (void)flags;
    (void)start;
    if (p->n++ == 0) {
        p->len = len;
        p->end = end;
        if (len > 0 && (size_t)len <= sizeof p->tok)
            memcpy(p->tok, tok, (size_t)len);
    }
    return SQLITE_OK;
}

static int probe(const module *m, Fts5Tokenizer *t, const char *text, int len,
                 probe_out *out)
{
    memset(out, 0, sizeof *out);
    return m->base.xTokenize(t, out, 0, text, len, probe_token);
}

/* Fills table from t, an instance of SQLite's unicode61 with the index's
** settings: "X" alone tells whether X starts a token and how it folds,
** "aX" whether it continues one. 0 when a character's behaviour is not
** what the fast path can reproduce (then it is never used). */
static int build_table(const module *m, Fts5Tokenizer *t)
{
    unsigned cp;
    for (cp = 1; cp < N_TABLE; cp++) {
        char text[4];
        int n = (int)td__utf8_put(text + 1, cp);
        probe_out alone, after;
        char_info *ci = &table[cp];
        text[0] = 'a';
        if (probe(m, t, text + 1, n, &alone) != SQLITE_OK ||
            probe(m, t, text, n + 1, &after) != SQLITE_OK)
            return 0;
        memset(ci, 0, sizeof *ci);
        if (alone.n > 1 || after.n < 1 || after.n > 2)
            return 0;
        if (after.n == 1 && after.end == n + 1) {
            /* "a" then X folded, in one token */
            if (after.len < 1 || after.len > 1 + FOLD_MAX ||
                after.tok[0] != 'a')
                return 0;
            ci->flags |= CH_CONT;
            ci->n_fold = (unsigned char)(after.len - 1);
            memcpy(ci->fold, after.tok + 1, ci->n_fold);
        } else if (after.end != 1 || after.len != 1) {
            return 0;
        }
        if (alone.n == 1) {
            /* A starter must continue too, folded the same way. */
            if (!(ci->flags & CH_CONT) || alone.len != ci->n_fold ||
                memcmp(alone.tok, ci->fold, ci->n_fold) != 0)
                return 0;
            ci->flags |= CH_START;
        }
        if (cp < 0x80) {
            /* In ASCII, starters and continuers are one set, each folded
            ** to one byte, as the inner loop assumes. */
            if (!(ci->flags & CH_START) != !(ci->flags & CH_CONT) ||
                (ci->flags && (ci->n_fold != 1 || ci->fold[0] == 0)))
                return 0;
            ascii_fold[cp] = ci->flags ? ci->fold[0] : 0;
        }
    }
    return 1;
}

/* 1 when every byte of text is read by the table: ASCII, or a two-byte
** sequence C2..DF 80..BF not followed by another continuation byte. */
static int covered(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            uint64_t w;
            i++;
            /* Most of our texts are mostly ASCII: 8 bytes at a time. */
            while (i + 8 <= n) {
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080u)
                    break;
                i += 8;
            }
            continue;
        }
        if (c < 0xC2 || c > 0xDF || i + 1 >= n || (s[i + 1] & 0xC0) != 0x80 ||
            (i + 2 < n && (s[i + 2] & 0xC0) == 0x80))
            return 0;
        i += 2;
    }
    return 1;
}

/* unicode61's loop over a covered text: skip what cannot start a token,
** then fold what continues it into buf, and hand each token on. */
static int tokenize_fast(tokenizer *tk, void *ctx, const unsigned char *s,
                         size_t n,
                         int (*x_token)(void *, int, const char *, int, int,
                                        int))
{
    size_t i = 0;
    if (FOLD_MAX * n + FOLD_MAX > tk->cap) {
        /* A character folds to at most FOLD_MAX bytes (checked when the
        ** table was built), so a token takes at most FOLD_MAX times the
        ** text, and FOLD_MAX more as all of fold is copied, used or not. */
        char *b = sqlite3_realloc64(tk->buf, FOLD_MAX * n + FOLD_MAX);
        if (!b)
            return SQLITE_NOMEM;
        tk->buf = b;
        tk->cap = FOLD_MAX * n + FOLD_MAX;
    }
    for (;;) {
        size_t start, out = 0;
        int rc;
        for (;;) {
            unsigned cp;
            if (i >= n)
                return SQLITE_OK;
            cp = s[i] < 0x80 ? s[i]
                             : ((unsigned)(s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F);
            if (table[cp].flags & CH_START)
                break;
            i += s[i] < 0x80 ? 1 : 2;
        }
        start = i;
        while (i < n) {
            const char_info *ci;
            if (s[i] < 0x80) {
                unsigned char f = ascii_fold[s[i]];
                if (!f)
                    break;
                tk->buf[out++] = (char)f;
                i++;
                continue;
            }
            ci = &table[((unsigned)(s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F)];
            if (!(ci->flags & CH_CONT))
                break;
            memcpy(tk->buf + out, ci->fold, FOLD_MAX);
            out += ci->n_fold;
            i += 2;
        }
        rc = x_token(ctx, 0, tk->buf, (int)out, (int)start, (int)i);
        if (rc != SQLITE_OK)
            return rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
}

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags,
                        const char *text, int len,
                        int (*x_token)(void *, int, const char *, int, int,
                                       int))
{
    tokenizer *tk = (tokenizer *)t;
    if (tk->fast && len > 0 && covered((const unsigned char *)text, (size_t)len))
        return tokenize_fast(tk, ctx, (const unsigned char *)text,
                             (size_t)len, x_token);
    return tk->mod->base.xTokenize(tk->inner, ctx, flags, text, len, x_token);
}

static void tok_delete(Fts5Tokenizer *t)
{
    tokenizer *tk = (tokenizer *)t;
    if (!tk)
        return;
    if (tk->inner)
        tk->mod->base.xDelete(tk->inner);
    sqlite3_free(tk->buf);
    sqlite3_free(tk);
}

static int tok_create(void *ud, const char **args, int n_args,
                      Fts5Tokenizer **out)
{
    const module *m = ud;
    tokenizer *tk = sqlite3_malloc(sizeof *tk);
    int rc;
    *out = NULL;
    if (!tk)
        return SQLITE_NOMEM;
    memset(tk, 0, sizeof *tk);
    tk->mod = m;
    rc = m->base.xCreate(m->base_ud, args, n_args, &tk->inner);
    if (rc != SQLITE_OK) {
        tok_delete((Fts5Tokenizer *)tk);
        return rc;
    }
    /* Only the index's own settings: tokenchars, separators or categories
    ** would change what the table holds. */
    if (n_args == 2 && sqlite3_stricmp(args[0], "remove_diacritics") == 0 &&
        strcmp(args[1], "2") == 0) {
        pthread_mutex_lock(&table_lock);
        if (table_state == 0)
            table_state = build_table(m, tk->inner) ? 1 : -1;
        tk->fast = table_state == 1;
        pthread_mutex_unlock(&table_lock);
    }
    *out = (Fts5Tokenizer *)tk;
    return SQLITE_OK;
}

static void free_module(void *ud)
{
    sqlite3_free(ud);
}

/* The connection's FTS5 API, or NULL (an SQLite built without FTS5). */
static fts5_api *fts5_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return api;
}

void td__sqlite_tokenizer_register(sqlite3 *db)
{
    fts5_api *api = fts5_of(db);
    module *m;
    fts5_tokenizer ours;
    if (!api)
        return;
    m = sqlite3_malloc(sizeof *m);
    if (!m)
        return;
    if (api->xFindTokenizer(api, "unicode61", &m->base_ud, &m->base)
        != SQLITE_OK) {
        sqlite3_free(m);
        return;
    }
    ours.xCreate = tok_create;
    ours.xDelete = tok_delete;
    ours.xTokenize = tok_tokenize;
    /* The newest tokenizer of a name wins. If this fails, the connection
    ** keeps SQLite's unicode61: the same tokens, slower. */
    if (api->xCreateTokenizer(api, "unicode61", m, &ours, free_module)
        != SQLITE_OK)
        sqlite3_free(m);
}
