/*
** ingest.h: the ingest stage: reads paths (files, directories, stdin, gzip)
** in JSON Lines, plain text and HTML, and gives one td_article per record.
** Malformed records are reported with file:line and skipped; the reader goes
** on with the next record.
*/
#ifndef TD_INGEST_H
#define TD_INGEST_H

#include "../article.h"

/* Called for each good record. art is borrowed for the call (the callee may
** steal fields by setting them to NULL). Return TD_OK to go on; any other
** status stops the read and is returned. */
typedef td_status (*td_article_sink)(void *ud, td_article *art);
/* Called for each rejected record. */
typedef void (*td_reject_sink)(void *ud, const td_error *err);

/* Reads path ("-" is stdin): a directory recursively (entries in byte order
** of their names), or one file by its extension: .jsonl/.ndjson/.json,
** .txt, .html/.htm, each optionally .gz. bytes (may be NULL) accumulates the
** input bytes read. Returns TD_OK unless the path itself cannot be read (err
** says why) or a sink stopped the read. */
td_status td__ingest_path(const char *path, td_article_sink on_article,
                          td_reject_sink on_reject, void *ud, uint64_t *bytes,
                          td_error *err);

/* Parses one JSON Lines record (no trailing newline needed) into art.
** where names it for messages. TD_OK or an error in err. Fields: id, url,
** source, date or published (ISO 8601), title, text or html (html goes
** through td__extract_html), lang. */
td_status td__parse_json_record(const char *line, size_t len, const char *where,
                                td_article *art, td_error *err);

/* Parses a plain-text document: first non-empty line is the title, the rest
** the text. id is the file's base name. */
td_status td__parse_text_doc(const char *data, size_t len, const char *id,
                             const char *where, td_article *art, td_error *err);

#endif
