/*
** copies.h: the engine's copy bookkeeping, wired from pipeline.c: per
** article it runs the dedup stage (signature, LSH matches, direction,
** evidence passage, copy groups, credited outlets) and records the result
** in the store; on the first article after a reopen it rebuilds the index
** and the groups from the stored signatures and edges, in seq order.
*/
#ifndef TD_COPIES_H
#define TD_COPIES_H

#include "article.h"
#include "dedup/dedup.h"
#include "store/store.h"

typedef struct td_copies td_copies;

/* New, empty (loaded from the store on first use); NULL on out of memory.
** Free with td__copies_free(); NULL is a no-op. */
td_copies *td__copies_new(void);
void td__copies_free(td_copies *c);

/* Finds the copies of art among the articles before it, writes the edges,
** group joins and copy_of corrections to st (inside the open transaction)
** and fills *out for td__store_add_article(): seq, copy_group, copy_of,
** credits and the signature, borrowed until the next call. The article must
** then be stored with out->seq, or the engine treated as broken. sig (may
** be NULL: computed here) is the signature of art->text made elsewhere (a
** Kafka worker). */
td_status td__copies_add(td_copies *c, td_store *st, const td_article *art,
                         const td_dedup_sig *sig, td_store_copy *out,
                         td_error *err);

/* After td__copies_add(): the clusterer found the article to be a
** translation of article of_seq (share: the ordered share of names and
** numbers). Records a translation edge, joins the two copy groups and
** updates *out (copy_group; copy_of when of_seq is the earlier text). */
td_status td__copies_translation(td_copies *c, td_store *st, int64_t of_seq,
                                 double share, td_store_copy *out,
                                 td_error *err);

#endif
