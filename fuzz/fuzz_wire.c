/*
** fuzz_wire.c: libFuzzer harness for the analyzed-article wire codec
** (lib/stream/codec.c) on any bytes: the clusterer reads them from Kafka.
** Decoding must refuse or succeed without reading past the input; what it
** accepts must encode again, and that encoding must decode to the same
** bytes once more (the format has one spelling per record). Built by
** `make fuzz`; its corpus fuzz/corpus/wire is replayed by `make check`.
*/
#include "stream/stream.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    td_prepared *p = NULL, *q = NULL;
    td_buf a, b;
    td_status rc = td__wire_decode(data, size, &p, NULL);
    if (rc != TD_OK) {
        if (p || (rc != TD_EPARSE && rc != TD_ENOMEM))
            abort();
        return 0;
    }
    td__buf_init(&a, TD_STREAM_MSG_MAX);
    td__buf_init(&b, TD_STREAM_MSG_MAX);
    if (td__wire_encode(p, &a) != TD_OK ||
        td__wire_decode(a.data, a.len, &q, NULL) != TD_OK ||
        td__wire_encode(q, &b) != TD_OK || a.len != b.len ||
        memcmp(a.data, b.data, a.len) != 0)
        abort();
    td_prepared_free(p);
    td_prepared_free(q);
    td__buf_free(&a);
    td__buf_free(&b);
    return 0;
}

#define FUZZ_CORPUS "fuzz/corpus/wire"
#include "replay.h"
