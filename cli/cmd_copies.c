/*
** cmd_copies.c: `tidings copies STORY`: a story's copy groups (an article
** and its near-duplicates), the copy graph's edges with their evidence, and
** the story's origin, as text or JSON Lines.
*/
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static void print_json(const td_copy_list *list)
{
    size_t i, j;
    for (i = 0; i < list->n_groups; i++) {
        const td_copy_group *g = &list->groups[i];
        printf("{\"group\": %lld, \"size\": %zu, \"origin\": ", (long long)g->id,
               g->n_members);
        cli_json_str(stdout, g->members[0].id);
        fputs(", \"members\": [", stdout);
        for (j = 0; j < g->n_members; j++) {
            const td_copy_member *m = &g->members[j];
            fputs(j ? ", {\"id\": " : "{\"id\": ", stdout);
            cli_json_str(stdout, m->id);
            fputs(", \"source\": ", stdout);
            cli_json_str(stdout, m->source);
            fputs(", \"date\": ", stdout);
            cli_json_date(stdout, m->date);
            fputs(", \"copy_of\": ", stdout);
            cli_json_str(stdout, m->copy_of);
            fputs(", \"credits\": ", stdout);
            cli_json_str(stdout, m->credits);
            fputs("}", stdout);
        }
        fputs("]}\n", stdout);
    }
    for (i = 0; i < list->n_edges; i++) {
        const td_copy_edge *e = &list->edges[i];
        printf("{\"edge\": %lld, \"from\": ", (long long)e->group);
        cli_json_str(stdout, e->from_id);
        fputs(", \"to\": ", stdout);
        cli_json_str(stdout, e->to_id);
        printf(", \"kind\": \"%s\", \"dated\": %s, \"similarity\": %.3f, "
               "\"passage\": ", e->translation ? "translation" : "text",
               e->dated ? "true" : "false", e->similarity);
        cli_json_str(stdout, e->passage);
        fputs("}\n", stdout);
    }
}

static void print_text(long long story, const td_copy_list *list)
{
    const td_copy_member *origin = &list->groups[0].members[0];
    size_t i, j, n = 0, alone = 0;
    char date[32];
    for (i = 0; i < list->n_groups; i++)
        n += list->groups[i].n_members;
    printf("story %lld: %zu articles, %zu independent sources; origin %s",
           story, n, list->n_groups, origin->id);
    if (origin->credits)
        printf(" (credits %s)", origin->credits);
    putchar('\n');
    for (i = 0; i < list->n_groups; i++) {
        const td_copy_group *g = &list->groups[i];
        if (g->n_members == 1) {
            alone++;
            continue;
        }
        printf("\ncopy group %lld: %zu articles\n", (long long)g->id,
               g->n_members);
        for (j = 0; j < g->n_members; j++) {
            const td_copy_member *m = &g->members[j];
            printf("  %-28s %-22s %-10s %s%s\n", m->id, or_dash(m->source),
                   m->date == TD_NO_DATE
                       ? "-" : td_date_format(m->date, date, sizeof date),
                   m->copy_of ? "copy of " : (j == 0 ? "origin" : ""),
                   m->copy_of ? m->copy_of : "");
        }
    }
    if (alone) {
        printf("\nwithout copies:");
        for (i = 0; i < list->n_groups; i++)
            if (list->groups[i].n_members == 1)
                printf(" %s", list->groups[i].members[0].id);
        putchar('\n');
    }
    if (list->n_edges)
        printf("\nedges (earlier -> later):\n");
    for (i = 0; i < list->n_edges; i++) {
        const td_copy_edge *e = &list->edges[i];
        if (e->translation)
            printf("  %s -> %s  translation (names and numbers in order: "
                   "%.0f%%)%s\n", e->from_id, e->to_id, e->similarity * 100,
                   e->dated ? "" : "  (direction unknown: undated)");
        else
            printf("  %s -> %s  J %.2f%s\n    \"%s\"\n", e->from_id,
                   e->to_id, e->similarity,
                   e->dated ? "" : "  (direction unknown: undated)",
                   or_dash(e->passage));
    }
}

int cmd_copies(int argc, char **argv)
{
    const char *arg = cli_positional(argc, argv);
    td_engine *eng;
    td_copy_list *list = NULL;
    td_error err;
    char *end;
    long long story;
    if (!arg) {
        fputs("usage: tidings copies [--db FILE] [--json] STORY\n", stderr);
        return 2;
    }
    story = strtoll(arg, &end, 10);
    if (*end || end == arg) {
        fprintf(stderr, "tidings: copies: '%s' is not a story id\n", arg);
        return 2;
    }
    if (!(eng = cli_open_read(argc, argv)))
        return 1;
    memset(&err, 0, sizeof err);
    if (td_engine_copies(eng, story, &list, &err) != TD_OK) {
        if (err.code == TD_ENOTFOUND)
            fprintf(stderr, "tidings: copies: no story '%s'\n", arg);
        else
            cli_error("copies", &err);
        td_engine_free(eng);
        return 1;
    }
    if (cli_has_flag(argc, argv, "--json"))
        print_json(list);
    else
        print_text(story, list);
    td_copy_list_free(list);
    td_engine_free(eng);
    return 0;
}
