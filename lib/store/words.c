/*
** words.c: the words of full-text search, shared by both backends. A word
** is a run of letters and numbers (SQLite's unicode61 tokens); a user's
** query is only ever cut into words, never read as syntax. PostgreSQL has
** no tokenizer that folds every script in a C-locale database, so for it
** texts and queries are folded here (case, diacritics) with utf8proc.
*/
#include "store_int.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

size_t td__store_word_char(const char *q)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t n;
    unsigned char b = (unsigned char)*q;
    if (b < 0x80)
        return ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') ||
               (b >= '0' && b <= '9');
    n = utf8proc_iterate((const utf8proc_uint8_t *)q, 4, &c);
    if (n <= 0)
        return 0;
    /* unicode61's token characters: its default categories "L* N* Co".
    ** Marks separate tokens there ("e" + U+0301 is two), so here too. */
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_CO:
        return (size_t)n;
    default:
        return 0;
    }
}

/* A new folded copy of s (free()): case folded, diacritics removed ("É" ->
** "e", "ё" -> "е", "ı" kept), the way unicode61 with remove_diacritics 2
** reads text. NULL when s is not UTF-8 or out of memory. */
static char *fold(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                         UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD) < 0)
        return NULL;
    return (char *)out;
}

/* Appends the words of s to b, each after a space when b is not empty, up
** to max bytes in b (whole words), counting them in *n_words when given.
** Words over max_word bytes are left out. */
static td_status put_words(const char *s, td_buf *b, size_t max,
                           size_t max_word, size_t *n_words)
{
    size_t k;
    while (*s) {
        const char *start;
        if (!(k = td__store_word_char(s))) {
            s++;
            while (((unsigned char)*s & 0xC0) == 0x80)
                s++;
            continue;
        }
        for (start = s; (k = td__store_word_char(s)) != 0; s += k)
            ;
        if ((size_t)(s - start) > max_word)
            continue;
        if (b->len + 1 + (size_t)(s - start) > max)
            return TD_OK;   /* the rest of the text is not indexed */
        if ((b->len && td__buf_putc(b, ' ') != TD_OK) ||
            td__buf_append(b, start, (size_t)(s - start)) != TD_OK)
            return TD_ENOMEM;
        if (n_words)
            (*n_words)++;
    }
    return TD_OK;
}

/* The words of s (folded when fold is set) into b. */
static td_status words_of(const char *s, int fold_it, td_buf *b, size_t max,
                          size_t max_word, size_t *n_words)
{
    char *folded = fold_it ? fold(s) : NULL;
    td_status st = put_words(folded ? folded : s, b, max, max_word, n_words);
    free(folded);
    return st;
}

td_status td__store_search_text(const char *title, const char *text,
                                td_buf *b, size_t max, size_t max_word)
{
    td_status s = TD_OK;
    td__buf_reset(b);
    if (title)
        s = words_of(title, 1, b, max, max_word, NULL);
    if (s == TD_OK && text)
        s = words_of(text, 1, b, max, max_word, NULL);
    return s;
}

td_status td__store_query_words(const char *query, int fold_it, td_buf *b,
                                const char ***words, size_t *n_words)
{
    const char **list;
    td_status s;
    size_t i;
    char *p;

    *words = NULL;
    *n_words = 0;
    td__buf_reset(b);
    s = words_of(query, fold_it, b, b->cap, b->cap, n_words);
    if (s != TD_OK)
        return s;
    list = malloc((*n_words + 1) * sizeof *list);
    if (!list)
        return TD_ENOMEM;
    /* The words are separated by single spaces: cut them in place. */
    for (i = 0, p = b->data; i < *n_words; i++) {
        char *sp = strchr(p, ' ');
        list[i] = p;
        if (sp) {
            *sp = '\0';
            p = sp + 1;
        }
    }
    *words = list;
    return TD_OK;
}
