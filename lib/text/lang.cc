/*
** lang.cc: language identification, the one C++ file of the library: a small
** C-callable wrapper over CLD2 (compact_lang_det.h). Maps CLD2's codes to
** ISO 639-1 ("nb"/"nn"/"no" -> "no") and settles CLD2's Danish/Norwegian
** confusion with a count of marker words. See docs/internals/text.md.
*/
#include <cstdio> /* compact_lang_det.h uses FILE without including it */
#include <cld2/public/compact_lang_det.h>

#include <string.h>

extern "C" {
#include "text/text.h"
#include "util/util.h"
}

/* CLD2 reads at most this many bytes: the opening of an article decides its
** language, and the detector's cost grows with the input. */
static const size_t kMaxDetectBytes = 4096;

/* Words frequent in one of Danish / Norwegian Bokmal (and Nynorsk) but not
** the other. CLD2 confuses the two, often calling Bokmal Danish. */
static const char *const kDanishMarkers[] = {
    "af", "efter", "hvad", "noget", "nogle", "meget", "mellem", "uden",
    "gennem", "nu", "mig", "dig", "sig", "mod", "blev", "bliver", "end",
    "siger", "sagde", "hendes", "regeringen", "ligesom", "derfor", "hvor",
    "kommer", "danmark", "danske", "dansk", "op", "lidt", NULL};
static const char *const kNorwegianMarkers[] = {
    "av", "etter", "hva", "noe", "noen", "mye", "mellom", "uten", "gjennom",
    "nå", "meg", "deg", "seg", "mot", "ble", "blir", "enn", "sier", "sa",
    "hennes", "regjeringen", "ikkje", "eg", "ein", "norge", "norske",
    "norsk", "opp", "litt", "også", "bare", "hvordan", "skulle", NULL};

/* Counts marker words of each language; ASCII case folded, the markers with
** non-ASCII letters are written lower case and match lower-case input. */
static int danish_minus_norwegian(const char *s, size_t len)
{
    char word[32];
    int score = 0;
    size_t i = 0;
    while (i < len) {
        size_t n = 0;
        while (i < len && ((unsigned char)s[i] >= 0x80 ||
                           (s[i] >= 'a' && s[i] <= 'z') ||
                           (s[i] >= 'A' && s[i] <= 'Z'))) {
            if (n < sizeof word) {
                char c = s[i];
                word[n] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
            }
            n++;
            i++;
        }
        if (n > 0 && n <= sizeof word) {
            score += td__in_list(kDanishMarkers, word, n);
            score -= td__in_list(kNorwegianMarkers, word, n);
        }
        if (n == 0)
            i++;
    }
    return score;
}

/* Writes the ISO 639-1 form of a declared language ("en-US" -> "en",
** "nb" -> "no") into lang; returns 0 when code is unusable. */
static int iso_from_code(const char *code, char out[8])
{
    char lang[8];
    size_t n = 0;
    if (!code)
        return 0;
    while (n < 3 && ((code[n] >= 'a' && code[n] <= 'z') ||
                     (code[n] >= 'A' && code[n] <= 'Z'))) {
        lang[n] = (char)(code[n] | 0x20);
        n++;
    }
    if (n < 2 || (code[n] != '\0' && code[n] != '-' && code[n] != '_'))
        return 0;
    lang[n] = '\0';
    if (strcmp(lang, "nb") == 0 || strcmp(lang, "nn") == 0 ||
        strcmp(lang, "nob") == 0 || strcmp(lang, "nno") == 0)
        strcpy(lang, "no");
    if (strcmp(lang, "un") == 0 || strcmp(lang, "und") == 0 ||
        strcmp(lang, "xx") == 0)
        return 0;
    memcpy(out, lang, n + 1);
    return 1;
}

/* Cuts len back so the text does not end inside a UTF-8 sequence. */
static size_t cut_utf8(const char *s, size_t len)
{
    size_t back = 0;
    while (back < len && back < 4 &&
           ((unsigned char)s[len - 1 - back] & 0xC0) == 0x80)
        back++;
    if (back < len && (unsigned char)s[len - 1 - back] >= 0xC0)
        return len - 1 - back;
    return len;
}

extern "C" int td__lang_detect(const char *text, size_t len, const char *hint,
                               char lang[8])
{
    strcpy(lang, "und");
    if (!text)
        len = 0;
    if (len > kMaxDetectBytes)
        len = cut_utf8(text, kMaxDetectBytes);
    len = td__utf8_valid_prefix(text, len);

    bool reliable = false;
    CLD2::Language detected = CLD2::UNKNOWN_LANGUAGE;
    if (len > 0) {
        CLD2::Language lang3[3];
        int percent3[3];
        int text_bytes = 0;
        detected = CLD2::DetectLanguageSummary(text, (int)len, true, lang3,
                                               percent3, &text_bytes,
                                               &reliable);
        /* CLD2 defaults very short text to English; only trust a guess
        ** that it calls reliable or that saw a fair amount of letters. */
        if (!reliable && text_bytes < 24)
            detected = CLD2::UNKNOWN_LANGUAGE;
    }
    if (detected == CLD2::UNKNOWN_LANGUAGE ||
        detected == CLD2::TG_UNKNOWN_LANGUAGE) {
        iso_from_code(hint, lang);
        return 0;
    }
    if (!reliable && iso_from_code(hint, lang))
        return 0;

    const char *code = CLD2::LanguageCode(detected);
    if (detected == CLD2::NORWEGIAN || detected == CLD2::NORWEGIAN_N ||
        detected == CLD2::DANISH) {
        int score = danish_minus_norwegian(text, len);
        code = score > 0 ? "da" : score < 0 ? "no"
               : (detected == CLD2::DANISH ? "da" : "no");
    }
    if (!code || !iso_from_code(code, lang)) {
        strcpy(lang, "und");
        return 0;
    }
    /* CLD2 gives "zh-Hant" for traditional Chinese: iso_from_code keeps "zh". */
    return reliable ? 1 : 0;
}
