/*
** entity_index.h: the engine's entity index bookkeeping, wired from
** pipeline.c: per article it turns the analyzer's entities into entity keys
** and adds them to the store's index (lib/store/entities.c) in the
** article's transaction; at open it backfills the index of a store written
** before the index existed.
*/
#ifndef TD_ENTITY_INDEX_H
#define TD_ENTITY_INDEX_H

#include "article.h"
#include "store/store.h"

/* Entities of one article indexed (the analyzer's most frequent first). */
#define TD_ENTITY_INDEX_MAX 24

/* Adds the article's entities (at most TD_ENTITY_INDEX_MAX, distinct keys)
** to the index rows of story, inside the open transaction. */
td_status td__entity_index_add(td_store *st, const td_analysis *an,
                               int64_t story, int64_t date, td_error *err);

/* When the store is marked for it (meta entity_backfill, set by a schema
** upgrade of a store that had articles), rebuilds the index from the
** stored articles' entity lists in one transaction; else does nothing. */
td_status td__entity_index_backfill(td_store *st, td_error *err);

#endif
