/*
** test_fts_tokenize.c: unit tests of the table-driven unicode61 that
** lib/store/sqlite_tokenize.c puts on the store's connections. Each test
** indexes the same texts on a connection with it and on one with SQLite's
** own unicode61, and wants the same tokens, token positions and byte spans:
** every code point below U+0800 at the start, in the middle and at the end
** of a word, and texts it hands to SQLite (three-byte characters, bytes
** that are not well-formed UTF-8).
*/
#include "check.h"
#include "store/sqlite_int.h"
#include "util/util.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every token of the table as "term doc offset", then every row with its
** tokens' byte spans in brackets (highlight), then the rows matching q; in
** one malloc'd string, or NULL. */
static char *index_of(int ours, const char *const *texts, const int *lens,
                      int n, const char *q)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    int i, ok = out != NULL;
    static const char *const reads[] = {
        "SELECT term || ' ' || doc || ' ' || offset FROM v"
        " ORDER BY term, doc, offset",
        "SELECT rowid || ':' || highlight(f, 0, '[', ']') FROM f ORDER BY rowid",
        "SELECT rowid FROM f WHERE f MATCH ?1 ORDER BY rowid",
    };
    ok = ok && sqlite3_open(":memory:", &db) == SQLITE_OK;
    if (ok && ours)
        td__sqlite_tokenizer_register(db);
    ok = ok && sqlite3_exec(db, "CREATE VIRTUAL TABLE f USING fts5(t,"
                            " tokenize='unicode61 remove_diacritics 2');"
                            "CREATE VIRTUAL TABLE v USING fts5vocab(f,"
                            " instance)", NULL, NULL, NULL) == SQLITE_OK;
    ok = ok && sqlite3_prepare_v2(db, "INSERT INTO f(t) VALUES(?1)", -1,
                                  &stmt, NULL) == SQLITE_OK;
    for (i = 0; ok && i < n; i++) {
        sqlite3_bind_text(stmt, 1, texts[i], lens[i], SQLITE_STATIC);
        ok = sqlite3_step(stmt) == SQLITE_DONE;
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    for (i = 0; ok && i < 3; i++) {
        ok = sqlite3_prepare_v2(db, reads[i], -1, &stmt, NULL) == SQLITE_OK;
        if (ok && i == 2)
            sqlite3_bind_text(stmt, 1, q, -1, SQLITE_STATIC);
        while (ok && sqlite3_step(stmt) == SQLITE_ROW) {
            const char *row = (const char *)sqlite3_column_text(stmt, 0);
            size_t n_row = (size_t)sqlite3_column_bytes(stmt, 0);
            if (len + n_row + 2 > cap) {
                char *p = realloc(out, cap = 2 * (len + n_row + 2));
                if (!p) {
                    ok = 0;
                    break;
                }
                out = p;
            }
            memcpy(out + len, row ? row : "", n_row);
            len += n_row;
            out[len++] = '\n';
        }
        sqlite3_finalize(stmt);
        stmt = NULL;
    }
    sqlite3_close(db);
    if (!ok) {
        free(out);
        return NULL;
    }
    out[len] = '\0';
    return out;
}

static void same_index(const char *const *texts, const int *lens, int n,
                       const char *q)
{
    char *theirs = index_of(0, texts, lens, n, q);
    char *mine = index_of(1, texts, lens, n, q);
    CHECK(theirs != NULL && mine != NULL);
    if (theirs && mine)
        CHECK(strcmp(theirs, mine) == 0);
    free(theirs);
    free(mine);
}

/* Code points 1..0x7FF, 32 to a row: alone, after and before a letter,
** doubled, after a separator and before a digit. */
TEST(every_two_byte_code_point)
{
    enum { PER_ROW = 32, N_ROWS = 0x800 / PER_ROW };
    static char rows[N_ROWS][PER_ROW * 24];
    const char *texts[N_ROWS];
    int lens[N_ROWS], r;
    for (r = 0; r < N_ROWS; r++) {
        int len = 0, k;
        for (k = 0; k < PER_ROW; k++) {
            unsigned cp = (unsigned)(r * PER_ROW + k);
            if (cp == 0)
                continue;
            len += (int)td__utf8_put(rows[r] + len, cp);
            rows[r][len++] = ' ';
            rows[r][len++] = 'x';
            len += (int)td__utf8_put(rows[r] + len, cp);
            rows[r][len++] = 'y';
            len += (int)td__utf8_put(rows[r] + len, cp);
            len += (int)td__utf8_put(rows[r] + len, cp);
            rows[r][len++] = ',';
            len += (int)td__utf8_put(rows[r] + len, cp);
            rows[r][len++] = '7';
            rows[r][len++] = ' ';
        }
        texts[r] = rows[r];
        lens[r] = len;
    }
    same_index(texts, lens, N_ROWS, "\"xa\"*");
}

/* Real words, and what goes to SQLite's own tokenizer. */
TEST(words_and_texts_handed_on)
{
    static const char *const texts[] = {
        "Earthquake strikes Adıyaman; Gölbaşı, Café, ŒUVRE, Straße",
        "Лавров прибыл в Женеву. ЗЕМЛЕТРЯСЕНИЕ ёлка Ёлка",
        "Ἀθῆναι Αθήνα שָׁלוֹם مرحبا ⱥȺ",
        "e\xCC\x81t\xC3\xA9 \xCC\x81" "abc \xCC\x81\xCC\x81 a\xCC\x81",
        "日本語 Café 東京 naïve",                  /* three-byte: handed on */
        "caf\xC3\xA9 \xC3",                       /* cut sequence */
        "caf\xC3\xA9\xA9 x",                      /* extra continuation */
        "\x80" "abc \xC0\x80 d\xC1\xBF",          /* stray and overlong */
        "",
        "   ,,, ...",
    };
    int lens[sizeof texts / sizeof texts[0]];
    size_t i;
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
        lens[i] = (int)strlen(texts[i]);
    same_index(texts, lens, (int)(sizeof texts / sizeof texts[0]),
               "\"GOLBASI\"");
    same_index(texts, lens, (int)(sizeof texts / sizeof texts[0]),
               "\"ЕЛКА\"");
    same_index(texts, lens, (int)(sizeof texts / sizeof texts[0]),
               "\"cafe\"*");
}

/* Other settings than the index's are SQLite's tokenizer's alone. */
TEST(other_settings_handed_on)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    td__sqlite_tokenizer_register(db);
    CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE f USING fts5(t,"
                       " tokenize='unicode61 tokenchars ''-''');"
                       "INSERT INTO f VALUES('covid-19 Café')", NULL, NULL,
                       NULL) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db, "SELECT count(*) FROM f WHERE f MATCH"
                             " '\"covid-19\" \"cafe\"'", -1, &stmt, NULL)
          == SQLITE_OK);
    CHECK(sqlite3_step(stmt) == SQLITE_ROW &&
          sqlite3_column_int(stmt, 0) == 1);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

int main(void)
{
    RUN(every_two_byte_code_point);
    RUN(words_and_texts_handed_on);
    RUN(other_settings_handed_on);
    return check_report();
}
