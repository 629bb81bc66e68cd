/*
** view_api.c: td_engine_story_view(), the public entry of the story view.
** It reads the story's articles and the story rows through the engine's
** public calls and hands them to lib/story/view.c.
*/
#include "tidings.h"
#include "story/view_int.h"
#include "util/util.h"

#include <stddef.h>

/* Another story's articles, for back-references. */
static td_status fetch_articles(void *ud, int64_t story, td_article_list **out)
{
    return td_engine_story_articles(ud, story, out, NULL);
}

td_status td_engine_story_view(td_engine *eng, int64_t story,
                               td_story_view **out, td_error *err)
{
    td_article_list *arts = NULL;
    td_story_list *stories = NULL;
    td_status rc;
    *out = NULL;
    /* Through the public call: pending work is committed first. */
    if ((rc = td_engine_story_articles(eng, story, &arts, err)) != TD_OK)
        return rc;
    /* The related stories need titles, dates and entities only: the rows
    ** without their copies fields, which would cost two queries a story. */
    if ((rc = td_engine_story_rows(eng, NULL, &stories, err)) == TD_OK)
        rc = td__story_view_build(arts, stories, story, fetch_articles, eng,
                                  out);
    if (rc == TD_ENOMEM)
        td__error_set(err, rc, NULL, 0, "out of memory building the view "
                      "of story %lld", (long long)story);
    td_article_list_free(arts);
    td_story_list_free(stories);
    return rc;
}
