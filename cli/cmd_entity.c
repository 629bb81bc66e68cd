/*
** cmd_entity.c: `tidings entity NAME`: the stories an entity appears in,
** newest first, from the store's entity index (any spelling or script of
** the name: "Lavrov", "Лавров", "Sergey Lavrov").
*/
#include "cli.h"

#include <string.h>

static void print_date(int64_t t)
{
    char buf[32];
    fputs(t == TD_NO_DATE ? "-         " : td_date_format(t, buf, sizeof buf),
          stdout);
}

int cmd_entity(int argc, char **argv)
{
    const char *name = cli_positional(argc, argv);
    td_engine *eng;
    td_entity_list *list = NULL;
    td_error err;
    size_t i;
    int json = cli_has_flag(argc, argv, "--json");
    if (!name) {
        fputs("usage: tidings entity [--db FILE] [--json] NAME\n", stderr);
        return 2;
    }
    if (!(eng = cli_open_read(argc, argv)))
        return 1;
    memset(&err, 0, sizeof err);
    if (td_engine_entity_stories(eng, name, &list, &err) != TD_OK) {
        cli_error("entity", &err);
        td_engine_free(eng);
        return err.code == TD_EINVAL ? 2 : 1;
    }
    if (!json && list->n == 0)
        fprintf(stderr, "tidings: entity: no story names '%s'\n", name);
    else if (!json)
        printf("%-7s %-10s %5s %8s %8s  %s\n", "story", "last", "arts",
               "naming", "mentions", "title (as named)");
    for (i = 0; i < list->n; i++) {
        const td_entity_story *r = &list->rows[i];
        if (json) {
            printf("{\"story\": %lld, \"title\": ", (long long)r->story);
            cli_json_str(stdout, r->title ? r->title : "");
            fputs(", \"last_date\": ", stdout);
            cli_json_date(stdout, r->last_date);
            printf(", \"articles\": %u, \"naming\": %u, \"mentions\": %u,"
                   " \"name\": ", r->n_articles, r->articles, r->mentions);
            cli_json_str(stdout, r->name);
            fputs(", \"key\": ", stdout);
            cli_json_str(stdout, list->key);
            fputs("}\n", stdout);
        } else {
            printf("%-7lld ", (long long)r->story);
            print_date(r->last_date);
            printf(" %5u %8u %8u  %s (%s)\n", r->n_articles, r->articles,
                   r->mentions, r->title ? r->title : "",
                   r->name ? r->name : "");
        }
    }
    td_entity_list_free(list);
    td_engine_free(eng);
    return 0;
}
