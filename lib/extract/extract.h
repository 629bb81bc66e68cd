/*
** extract.h: the extract stage: title and visible body text from an HTML
** page (gumbo HTML5 tree). This is the basic pass: script, style, nav,
** header, footer, aside, form and similar elements are dropped, block
** elements become lines. Article-body extraction proper is a later step.
*/
#ifndef TD_EXTRACT_H
#define TD_EXTRACT_H

#include "../article.h"

/* Fills art->title (when NULL), art->text, art->lang_hint (from <html lang>,
** when NULL) and art->url (canonical link, when NULL) from html[0..len).
** Strings are repaired to valid UTF-8. */
td_status td__extract_html(const char *html, size_t len, td_article *art,
                           td_error *err);

#endif
