/*
** prepared.h: an article after the stateless stages (read, extract,
** analyze, dedup signature), as a Kafka worker hands it to the clusterer
** (docs/internals/scale-out.md). pipeline.c makes and consumes it;
** lib/stream/codec.c puts it on the wire.
*/
#ifndef TD_PREPARED_H
#define TD_PREPARED_H

#include "article.h"
#include "dedup/dedup.h"

struct td_prepared {
    uint64_t seq;        /* stream sequence number (input order), 0 if none */
    td_status reject;    /* TD_OK, or why the record was rejected: then only
                         ** seq and err are set */
    td_error err;
    td_article art;      /* extracted: text set, html NULL */
    td_analysis an;      /* of art.title and art.text as extracted, before
                         ** the (stateful) site boilerplate step */
    td_dedup_sig sig;    /* of art.text as extracted */
};

/* A zeroed record; NULL on out of memory. Free with td_prepared_free(). */
td_prepared *td__prepared_new(void);

#endif
