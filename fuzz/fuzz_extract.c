/*
** fuzz_extract.c: libFuzzer harness for the extract stage: any bytes as an
** HTML page (charset sniffing, pre-pass, tree builder, scoring, metadata)
** and as plain text. Built by `make fuzz` with clang -fsanitize=fuzzer; built with
** -DTD_FUZZ_REPLAY it is a plain program that replays the files named on
** its command line, or every file of fuzz/corpus/extract (`make check`).
*/
#include "tidings.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    td_extract_result *r = NULL;
    if (td_extract_html((const char *)data, size, &r, NULL) == TD_OK && r) {
        /* Every output string must be valid, NUL-terminated UTF-8. */
        if (r->text && strlen(r->text) > size * 4 + 64)
            abort();
    }
    td_extract_result_free(r);
    r = NULL;
    if (td_extract_text((const char *)data, size, &r, NULL) == TD_OK)
        td_extract_result_free(r);
    return 0;
}

#define FUZZ_CORPUS "fuzz/corpus/extract"
#include "replay.h"
