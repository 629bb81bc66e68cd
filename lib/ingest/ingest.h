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
** of their names, hidden ones skipped), or one file by its extension:
** .jsonl/.ndjson/.json, .txt, .html/.htm, each optionally .gz. Stdin and an
** unknown extension given directly are sniffed ('{' JSON Lines, '<' HTML,
** else text); in a directory an unknown extension is skipped. A file in a
** directory that cannot be opened is a rejected record. bytes (may be NULL)
** accumulates the input bytes read, after gzip decompression. Returns TD_OK
** unless the path itself cannot be read (err says why) or a sink stopped
** the read (its status is returned). */
td_status td__ingest_path(const char *path, td_article_sink on_article,
                          td_reject_sink on_reject, void *ud, uint64_t *bytes,
                          td_error *err);

/* Parses one JSON Lines record (no trailing newline needed) into art.
** where names it for messages. TD_OK or an error in err. Fields: id, url,
** source, date or published (ISO 8601), title, text or html, lang. When
** text is empty and html is not, the raw HTML is handed on in art->html for
** the extract stage (td__extract_html, run by the pipeline); ingest does not
** call other stages.
**
** Policy: id must be a non-empty string or a number (TD_EMISSING "missing
** id" when absent); text, else html, must give non-empty text (TD_EMISSING
** "missing text"; empty text after extraction is the pipeline's check). A
** date that does not parse is not an error: the article is kept with
** TD_NO_DATE (a number is taken as Unix seconds). Optional
** fields of the wrong JSON type are ignored. A raw NUL or a \u0000 escape is
** TD_ENUL; UTF-8 follows td__utf8_accept per field; a field over
** TD_MAX_FIELD is TD_ETOOBIG; a value that is not an object is TD_EPARSE.
** On error art is left cleared. */
td_status td__parse_json_record(const char *line, size_t len, const char *where,
                                td_article *art, td_error *err);

/* Parses a plain-text document: first non-empty line is the title, the rest
** the text (lines trimmed, blank ones dropped); no rest is TD_EMISSING
** "missing text". id is the file's base name; date is TD_NO_DATE. A NUL byte
** is TD_ENUL; UTF-8 follows td__utf8_accept; over TD_MAX_RECORD TD_ETOOBIG. */
td_status td__parse_text_doc(const char *data, size_t len, const char *id,
                             const char *where, td_article *art, td_error *err);

/* Takes an HTML document (a whole .html file): the checked, repaired page
** goes in art->html for the extract stage; id is the file's base name. Same
** size, UTF-8 and NUL policy as text; an empty page is TD_EMISSING. */
td_status td__parse_html_doc(const char *data, size_t len, const char *id,
                             const char *where, td_article *art, td_error *err);

/* The UTF-8 policy of ingest, for one field or document s[0..len): valid
** text is copied; up to max(4, len / 100) invalid bytes are replaced by
** U+FFFD; more is TD_EUTF8 with err->offset = base + the first bad byte.
** what names the field in the message. On TD_OK *out is new (free()). */
td_status td__utf8_accept(const char *s, size_t len, const char *what,
                          const char *where, size_t base, char **out,
                          td_error *err);

#endif
