/*
** fuzz_ingest.c: libFuzzer harness for the records Tidings reads from
** files and the network before anything else checks them: one JSON Lines
** record, one plain-text document, and the analysis of whatever text they
** give (language id, tokens, stems, entities, dictionaries). Built by
** `make fuzz`; its corpus fuzz/corpus/ingest is replayed by `make check`.
*/
#include "ingest/ingest.h"
#include "text/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void analyze_article(const td_article *art)
{
    static td_analyzer *az;
    td_analysis an;
    if (!az && !(az = td__analyzer_new()))
        return;
    memset(&an, 0, sizeof an);
    if (td__analyze(az, art->title, art->text, art->lang_hint, &an) == TD_OK) {
        size_t i;
        /* Terms come sorted by key and distinct. */
        for (i = 1; i < an.n_terms; i++)
            if (an.terms[i - 1].key >= an.terms[i].key)
                abort();
    }
    td__analysis_clear(&an);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    td_article art;
    td_error err;
    memset(&art, 0, sizeof art);
    if (td__parse_json_record((const char *)data, size, "fuzz:1", &art, &err) == TD_OK)
        analyze_article(&art);
    td__article_clear(&art);
    memset(&art, 0, sizeof art);
    if (td__parse_text_doc((const char *)data, size, "fuzz.txt", "fuzz.txt",
                           &art, &err) == TD_OK)
        analyze_article(&art);
    td__article_clear(&art);
    return 0;
}

#define FUZZ_CORPUS "fuzz/corpus/ingest"
#include "replay.h"
