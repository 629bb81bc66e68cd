/*
** boiler.c: boilerplate lines of plain text and of extracted bodies:
** "Read also: ...", "See also ...", "Leave a Reply", "Please enter your
** comment!", "Source link", "Related Articles", "Back to top button",
** share and newsletter prompts, and photo credits, in English, Italian,
** Dutch, Norwegian/Danish/Swedish, German, French, Spanish, Portuguese,
** Polish and Russian. A line is compared case-folded; only short lines can
** match, so a paragraph that merely starts with "See also" survives.
*/
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Longest line (bytes) that can be a boilerplate line at all. */
#define MAX_BOILER_LINE 400
/* Longest line that a "see also"-style prefix removes. */
#define MAX_PREFIX_LINE 200
/* Longest line that a credit word ("Getty Images") removes. */
#define MAX_CREDIT_LINE 160

/* Whole lines (after case folding, trailing ":.!…" and spaces dropped). */
static const char *const exact_lines[] = {
    "leave a reply", "leave a comment", "post a comment", "add a comment",
    "please enter your comment", "please enter your name here",
    "you have entered an incorrect email address",
    "your email address will not be published",
    "your email address will not be published. required fields are marked *",
    "required fields are marked *", "source link", "source", "related articles",
    "related posts", "related stories", "related news", "related content",
    "related", "back to top button", "back to top", "share this",
    "share this article", "share this story", "share", "share on facebook",
    "share on twitter", "like this", "advertisement", "advertising",
    "click to share on twitter (opens in new window)",
    "click to share on facebook (opens in new window)", "sorting by", "×",
    "latest posts in this category", "latest posts", "more stories",
    "more from this author", "recommended", "recommended for you",
    "you may also like", "you might also like", "most popular", "most read",
    "trending now", "comments", "print", "email", "tweet", "loading",
    "loading...", "sign up for our newsletter", "subscribe to our newsletter",
    "subscribe", "follow us", "skip to content", "skip to main content",
    "read more", "read also", "see also", "also read", "continue reading",
    "click here", "reklama", "anzeige", "werbung", "pubblicità", "publicité",
    "publicidad", "publicidade", "advertentie", "annonse", "annons",
    "реклама", "комментарии", "поделиться", "leggi anche", "vedi anche",
    "lees ook", "zie ook", "les også", "se også", "läs också", "lesen sie auch",
    "mehr zum thema", "lire aussi", "voir aussi", "à lire aussi",
    "lea también", "ver también", "leia também", "veja também",
    "czytaj także", "czytaj też", "читайте также", "смотрите также",
    "читайте также:", "по теме", "материалы по теме", "artículos relacionados",
    "articoli correlati", "articles similaires", "verwandte artikel",
    "gerelateerde artikelen", "relaterte artikler", "all rights reserved"};

/* Prefixes that start a cross-reference or credit line. */
static const char *const prefixes[] = {
    "see also", "read also", "also read", "read more", "related:",
    "more:", "see:", "watch:", "listen:", "photo:", "photo by", "photos:",
    "photo credit", "image:", "image credit", "image by", "images:",
    "picture:", "credit:", "credits:", "source:", "foto:", "fotos:",
    "фото:", "фото ", "источник:", "leggi anche", "vedi anche", "lees ook",
    "zie ook", "les også", "se også", "läs också", "lesen sie auch",
    "lesen sie mehr", "mehr zum thema", "lire aussi", "voir aussi",
    "à lire aussi", "lea también", "ver también", "lee también",
    "leia também", "veja também", "czytaj także", "czytaj też",
    "читайте также", "смотрите также", "читайте нас", "подписывайтесь",
    "follow us on", "follow @", "share on", "sign up for", "subscribe to",
    "click here to", "copyright ©", "copyright (c)", "© ", "(c) ",
    "this article was originally published", "this story was originally",
    "originally published", "this article is republished",
    "updated at", "please enter", "you have entered"};

/* Words of agency photo captions: a line holding one is a caption at any
** length up to MAX_BOILER_LINE. */
static const char *const caption_words[] = {
    "file photo:", "mandatory credit", "attention editors",
    "image was provided by a third party", "(ap photo", "(afp photo",
    "(reuters photo"};

/* Credit words: a short line holding one is a photo credit. */
static const char *const credit_words[] = {
    "(photo:", "(foto:", "(фото:", "(photo by", "(image:", "(picture:",
    "getty images", "/reuters", "ap photo", "shutterstock", "/afp", "afp/",
    "via reuters", "ria novosti/", "/ria novosti", "(credit:", "© reuters",
    "© afp", "© ap", "tass/", "/tass", "/ap)", "epa/", "/epa"};

static int starts_with(const char *s, size_t n, const char *p)
{
    size_t m;
    /* Most words differ at the first byte: no strlen for them. */
    if (n == 0 || s[0] != p[0])
        return p[0] == '\0';
    m = strlen(p);
    return n >= m && memcmp(s, p, m) == 0;
}

/* Does the prefix end at a word boundary (or at ':' it contains)? */
static int prefix_at_boundary(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    char c;
    if (m == 0 || p[m - 1] == ':' || p[m - 1] == ' ' || p[m - 1] == '@')
        return 1;
    if (n == m)
        return 1;
    c = s[m];
    return c == ' ' || c == ':' || c == '-' || c == '.' || c == ',' ||
           c == '!' || (unsigned char)c == 0xE2 /* dash, ellipsis */ ||
           (unsigned char)c == 0xC2 /* no-break space */;
}

int td__boiler_line(const char *s, size_t len)
{
    char ascii[MAX_BOILER_LINE];
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n;
    const char *f;
    size_t k, fl;
    int hit = 0;
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    if (len == 0 || len > MAX_BOILER_LINE)
        return 0;
    /* Lines that are plain ASCII, and lines too long for anything but the
    ** (ASCII) caption words, are folded on the stack; the rest by utf8proc. */
    for (k = 0, fl = 1; k < len; k++) {
        ascii[k] = (char)((s[k] >= 'A' && s[k] <= 'Z') ? s[k] - 'A' + 'a' : s[k]);
        if ((unsigned char)s[k] & 0x80)
            fl = 0;
    }
    if (fl || len > MAX_PREFIX_LINE) {
        f = ascii;
        fl = len;
    } else {
        n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                         &folded, UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE);
        if (n < 0 || !folded)
            return 0;
        f = (const char *)folded;
        fl = (size_t)n;
    }
    /* Trailing punctuation and spaces do not change what a line is. */
    while (fl && (f[fl - 1] == ' ' || f[fl - 1] == ':' || f[fl - 1] == '.' ||
                  f[fl - 1] == '!' || f[fl - 1] == '\t'))
        fl--;
    while (fl >= 3 && (unsigned char)f[fl - 3] == 0xE2 &&
           (unsigned char)f[fl - 2] == 0x80 && (unsigned char)f[fl - 1] == 0xA6)
        fl -= 3;   /* "…" */
    for (k = 0; k < sizeof exact_lines / sizeof exact_lines[0] && !hit; k++)
        hit = fl && exact_lines[k][0] == f[0] &&
              strlen(exact_lines[k]) == fl &&
              memcmp(exact_lines[k], f, fl) == 0;
    if (!hit && fl <= MAX_PREFIX_LINE)
        for (k = 0; k < sizeof prefixes / sizeof prefixes[0] && !hit; k++)
            hit = starts_with(f, fl, prefixes[k]) &&
                  prefix_at_boundary(f, fl, prefixes[k]);
    if (!hit && fl <= MAX_CREDIT_LINE)
        for (k = 0; k < sizeof credit_words / sizeof credit_words[0] && !hit;
             k++)
            hit = memmem(f, fl, credit_words[k], strlen(credit_words[k])) != NULL;
    for (k = 0; k < sizeof caption_words / sizeof caption_words[0] && !hit;
         k++)
        hit = memmem(f, fl, caption_words[k], strlen(caption_words[k])) != NULL;
    free(folded);
    return hit;
}

char *td__boiler_clean_text(const char *text, size_t len,
                            const char *title, td_status *rc)
{
    char *para = td__text_paragraphs(text, len, rc), *out;
    size_t i = 0, o = 0, n, first = 1;
    if (!para)
        return NULL;
    n = strlen(para);
    out = malloc(n + 1);
    if (!out) {
        free(para);
        *rc = TD_ENOMEM;
        return NULL;
    }
    while (i < n) {
        const char *line = para + i;
        const char *nl = memchr(line, '\n', n - i);
        size_t ll = nl ? (size_t)(nl - line) : n - i;
        int keep = !td__boiler_line(line, ll);
        if (keep && first && title && strlen(title) == ll &&
            memcmp(title, line, ll) == 0)
            keep = 0;
        if (keep) {
            if (o)
                out[o++] = '\n';
            memcpy(out + o, line, ll);
            o += ll;
            first = 0;
        }
        i += ll + 1;
    }
    out[o] = '\0';
    free(para);
    if (!o) {
        free(out);
        return NULL;
    }
    return out;
}

td_status td__extract_text(td_article *art, td_error *err)
{
    char *clean;
    td_status rc = TD_OK;
    if (!art->text)
        return TD_OK;
    clean = td__boiler_clean_text(art->text, strlen(art->text), NULL, &rc);
    if (rc != TD_OK)
        return td__error_set(err, rc, art->where, 0, "out of memory");
    /* NULL: every line was boilerplate (the pipeline rejects empty text). */
    free(art->text);
    art->text = clean;
    return TD_OK;
}
