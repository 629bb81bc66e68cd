/*
** pipeline.h: what the Kafka clusterer (lib/stream/) needs of the engine
** beyond the public API: the stream position it stores with its articles
** (docs/internals/scale-out.md, "Order").
*/
#ifndef TD_PIPELINE_H
#define TD_PIPELINE_H

#include "tidings.h"

/* The next stream seq the store expects (1 for a new store). */
uint64_t td__engine_next_seq(const td_engine *eng);
/* Marks seq (the next expected) as applied, whatever its outcome (added,
** rejected, duplicate); saved by the next td_engine_commit. */
void td__engine_seq_done(td_engine *eng, uint64_t seq);
/* Prepared articles analysed again because the site step changed them. */
uint64_t td__engine_reanalysed(const td_engine *eng);

#endif
