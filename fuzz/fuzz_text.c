/*
** fuzz_text.c: libFuzzer harness for the text stage's pieces on any bytes,
** made valid UTF-8 with td__utf8_repair as every caller does: normalisation
** (NFKC, case fold, transliteration, entity key), word segmentation and
** language identification. Outputs must be valid UTF-8 and token ranges
** must lie inside the input. Built by `make fuzz`; its corpus
** fuzz/corpus/text is replayed by `make check`.
*/
#include "text/text.h"
#include "util/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless s (new, from a text function) is NULL or valid UTF-8;
** frees it. */
static void check_utf8(char *s)
{
    if (s && td__utf8_valid_prefix(s, strlen(s)) != strlen(s))
        abort();
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n_repaired = 0, len, i, n = 0;
    char *text = td__utf8_repair((const char *)data, size, &n_repaired);
    td_token *toks = NULL;
    char lang[8];

    if (!text)
        return 0;
    /* Each repaired byte became U+FFFD (3 bytes); NUL bytes stay, so the
    ** functions get the length, not a C string. */
    len = size + 2 * n_repaired;
    if (td__utf8_valid_prefix(text, len) != len)
        abort();

    check_utf8(td__normalize(text, len));
    check_utf8(td__casefold(text, len));
    check_utf8(td__entity_key(text, len));
    check_utf8(td__translit(text, len));

    if (td__tokenize(text, len, &toks, &n) == TD_OK) {
        for (i = 0; i < n; i++) {
            if (toks[i].len == 0 || toks[i].start > len ||
                toks[i].len > len - toks[i].start)
                abort();
            if (i && toks[i].start < toks[i - 1].start + toks[i - 1].len)
                abort();
        }
    }
    free(toks);

    memset(lang, 'x', sizeof lang);
    td__lang_detect(text, len, size & 1 ? "en" : NULL, lang);
    if (memchr(lang, '\0', sizeof lang) == NULL)
        abort();
    free(text);
    return 0;
}

#define FUZZ_CORPUS "fuzz/corpus/text"
#include "replay.h"
