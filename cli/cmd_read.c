/*
** cmd_read.c: the read-back commands: `stories`, `show STORY`,
** `article ID` and `export`, as text tables or JSON. (`copies STORY` is in
** cmd_copies.c.)
*/
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_positional(int argc, char **argv)
{
    int i;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0)
            i++;
        else if (strncmp(argv[i], "--", 2) != 0)
            return argv[i];
    }
    return NULL;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* Reports a failed lookup of `what` named key, frees the engine, returns
** the exit status. */
static int lookup_failed(td_engine *eng, const td_error *err, const char *cmd,
                         const char *what, const char *key)
{
    if (err->code == TD_ENOTFOUND)
        fprintf(stderr, "tidings: %s: no %s '%s'\n", cmd, what, key);
    else
        cli_error(cmd, err);
    td_engine_free(eng);
    return 1;
}

static void print_date(int64_t t)
{
    char buf[32];
    fputs(t == TD_NO_DATE ? "-" : td_date_format(t, buf, sizeof buf), stdout);
}

/* The start of a timeline entry: "2026-10-14" for a day, "2026-10-14
** 05:00" for an hour (json: "2026-10-14T05:00:00Z", quoted). */
static void print_bucket(int64_t t, int64_t bucket, int json)
{
    int64_t hour;
    if (t == TD_NO_DATE || bucket >= 86400) {
        if (json)
            cli_json_date(stdout, t);
        else
            print_date(t);
        return;
    }
    hour = (t % 86400 + 86400) % 86400 / 3600;
    if (json)
        putchar('"');
    print_date(t);
    printf(json ? "T%02d:00:00Z\"" : " %02d:00", (int)hour);
}

/* One article as a JSON line: the fields `show` lists, and with full the
** story, seq, URL, terms and text too (`article`). */
static void article_json(const td_article_row *r, int full)
{
    fputs("{\"id\": ", stdout);
    cli_json_str(stdout, r->id);
    if (full) {
        printf(", \"story\": %lld, \"seq\": %lld, \"url\": ",
               (long long)r->story, (long long)r->seq);
        cli_json_str(stdout, r->url);
    }
    fputs(", \"source\": ", stdout);
    cli_json_str(stdout, r->source);
    fputs(", \"date\": ", stdout);
    cli_json_date(stdout, r->date);
    fputs(", \"lang\": ", stdout);
    cli_json_str(stdout, r->lang);
    fputs(", \"title\": ", stdout);
    cli_json_str(stdout, r->title);
    fputs(", \"entities\": ", stdout);
    cli_json_str(stdout, or_empty(r->entities));
    if (full) {
        fputs(", \"terms\": ", stdout);
        cli_json_str(stdout, or_empty(r->terms));
    }
    printf(", \"copy_group\": %lld, \"copy_of\": ", (long long)r->copy_group);
    cli_json_str(stdout, r->copy_of);
    fputs(", \"credits\": ", stdout);
    cli_json_str(stdout, r->credits);
    if (full) {
        fputs(", \"text\": ", stdout);
        cli_json_str(stdout, r->text);
    }
    fputs("}\n", stdout);
}

/* The value after option name ("--q TEXT"), or NULL. */
static const char *option_value(int argc, char **argv, const char *name)
{
    int i;
    for (i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return NULL;
}

int cmd_stories(int argc, char **argv)
{
    td_engine *eng;
    td_story_list *list = NULL;
    td_error err;
    td_status rc;
    size_t i, limit = SIZE_MAX;
    int json = cli_has_flag(argc, argv, "--json");
    const char *q = option_value(argc, argv, "--q");
    const char *lim = option_value(argc, argv, "--limit");
    if (cli_has_flag(argc, argv, "--q") && !q) {
        fprintf(stderr, "tidings: stories: --q needs a search text\n");
        return 2;
    }
    if (cli_has_flag(argc, argv, "--limit")) {
        char *end;
        unsigned long long v;
        errno = 0;
        v = lim && *lim >= '0' && *lim <= '9' ? strtoull(lim, &end, 10) : 0;
        if (!lim || errno || *end || v == 0) {
            fprintf(stderr, "tidings: stories: --limit needs a whole number "
                    "from 1\n");
            return 2;
        }
        limit = v > SIZE_MAX ? SIZE_MAX : (size_t)v;
    }
    if (!(eng = cli_open_read(argc, argv)))
        return 1;
    memset(&err, 0, sizeof err);
    /* The rows alone, then the copies fields (two queries a story) for the
    ** rows printed only: the largest stories of a big store come at once. */
    rc = td_engine_story_rows(eng, q, &list, &err);
    if (rc == TD_OK && list->n > limit) {
        for (i = limit; i < list->n; i++) {
            free(list->rows[i].langs);
            free(list->rows[i].title);
            free(list->rows[i].entities);
        }
        list->n = limit;
    }
    for (i = 0; rc == TD_OK && i < list->n; i++)
        rc = td_engine_story_sources(eng, &list->rows[i], &err);
    if (rc != TD_OK) {
        cli_error("stories", &err);
        td_engine_free(eng);
        return 1;
    }
    if (!json)
        printf("%-7s %5s %4s  %-11s %-10s %-10s  %s\n", "story", "arts",
               "srcs", "langs", "first", "last", "title / entities");
    for (i = 0; i < list->n; i++) {
        const td_story_row *r = &list->rows[i];
        if (json) {
            printf("{\"id\": %lld, \"articles\": %u, \"langs\": ",
                   (long long)r->id, r->n_articles);
            cli_json_str(stdout, or_empty(r->langs));
            fputs(", \"first_date\": ", stdout);
            cli_json_date(stdout, r->first_date);
            fputs(", \"last_date\": ", stdout);
            cli_json_date(stdout, r->last_date);
            fputs(", \"title\": ", stdout);
            cli_json_str(stdout, or_empty(r->title));
            fputs(", \"entities\": ", stdout);
            cli_json_str(stdout, or_empty(r->entities));
            printf(", \"sources\": %u, \"origin\": ", r->n_sources);
            cli_json_str(stdout, r->origin_id);
            fputs(", \"origin_credits\": ", stdout);
            cli_json_str(stdout, r->origin_credits);
            fputs("}\n", stdout);
        } else {
            printf("%-7lld %5u %4u  %-11s ", (long long)r->id, r->n_articles,
                   r->n_sources, or_empty(r->langs));
            print_date(r->first_date);
            fputs(r->first_date == TD_NO_DATE ? "          " : " ", stdout);
            print_date(r->last_date);
            printf("%s %s\n", r->last_date == TD_NO_DATE ? "          " : " ",
                   or_empty(r->title));
            if (r->entities && *r->entities)
                printf("%55s [%s]\n", "", r->entities);
            if (r->origin_id && r->n_sources < r->n_articles)
                printf("%55s origin: %s%s%s\n", "", r->origin_id,
                       r->origin_credits ? ", credits " : "",
                       or_empty(r->origin_credits));
        }
    }
    td_story_list_free(list);
    td_engine_free(eng);
    return 0;
}

static void sentences_json(const char *name, const td_view_sentence *s,
                           size_t n)
{
    size_t i;
    printf(", \"%s\": [", name);
    for (i = 0; i < n; i++) {
        fputs(i ? ", {\"text\": " : "{\"text\": ", stdout);
        cli_json_str(stdout, s[i].text);
        fputs(", \"article\": ", stdout);
        cli_json_str(stdout, s[i].article_id);
        fputs("}", stdout);
    }
    fputs("]", stdout);
}

/* The story view as one JSON line, before the article lines. */
static void view_json(const td_story_view *v)
{
    size_t i;
    printf("{\"story\": %lld, \"lang\": ", (long long)v->story);
    cli_json_str(stdout, v->lang);
    sentences_json("summary", v->summary, v->n_summary);
    sentences_json("summary_en", v->summary_en, v->n_summary_en);
    fputs(", \"quotes\": [", stdout);
    for (i = 0; i < v->n_quotes; i++) {
        const td_view_quote *q = &v->quotes[i];
        fputs(i ? ", {\"text\": " : "{\"text\": ", stdout);
        cli_json_str(stdout, q->text);
        fputs(", \"speaker\": ", stdout);
        cli_json_str(stdout, q->speaker);
        fputs(", \"article\": ", stdout);
        cli_json_str(stdout, q->article_id);
        fputs(", \"lang\": ", stdout);
        cli_json_str(stdout, q->lang);
        printf(", \"articles\": %u, \"sources\": %u}", q->n_articles,
               q->n_sources);
    }
    fputs("], \"entities\": [", stdout);
    for (i = 0; i < v->n_entities; i++) {
        fputs(i ? ", {\"name\": " : "{\"name\": ", stdout);
        cli_json_str(stdout, v->entities[i].name);
        fputs(", \"key\": ", stdout);
        cli_json_str(stdout, v->entities[i].key);
        printf(", \"articles\": %u, \"mentions\": %u}",
               v->entities[i].n_articles, v->entities[i].mentions);
    }
    printf("], \"timeline_unit\": \"%s\", \"timeline\": [",
           v->bucket < 86400 ? "hour" : "day");
    for (i = 0; i < v->n_days; i++) {
        fputs(i ? ", {\"start\": " : "{\"start\": ", stdout);
        print_bucket(v->days[i].day, v->bucket, 1);
        printf(", \"articles\": %u, \"langs\": ", v->days[i].n_articles);
        cli_json_str(stdout, v->days[i].langs);
        fputs("}", stdout);
    }
    printf("], \"undated\": %u, \"first_report\": ", v->n_undated);
    cli_json_str(stdout, v->first_report);
    fputs(", \"peak\": ", stdout);
    print_bucket(v->peak_day, v->bucket, 1);
    fputs(", \"related\": [", stdout);
    for (i = 0; i < v->n_related; i++) {
        const td_view_related *r = &v->related[i];
        printf("%s{\"story\": %lld, \"articles\": %u, \"title\": ",
               i ? ", " : "", (long long)r->story, r->n_articles);
        cli_json_str(stdout, r->title);
        fputs(", \"first_date\": ", stdout);
        cli_json_date(stdout, r->first_date);
        fputs(", \"last_date\": ", stdout);
        cli_json_date(stdout, r->last_date);
        printf(", \"when\": \"%s\", \"shared\": ",
               r->when < 0 ? "before" : r->when > 0 ? "after" : "during");
        cli_json_str(stdout, r->shared);
        fputs(", \"backref\": ", stdout);
        if (r->backref) {
            fputs("{\"words\": ", stdout);
            cli_json_str(stdout, r->backref);
            fputs(", \"article\": ", stdout);
            cli_json_str(stdout, r->backref_article);
            fputs("}", stdout);
        } else {
            fputs("null", stdout);
        }
        fputs("}", stdout);
    }
    fputs("]}\n", stdout);
}

/* The story view for a reader, above the article list. */
static void view_text(const td_story_view *v)
{
    size_t i;
    printf("story %lld: %u articles, main language %s\n", (long long)v->story,
           v->n_articles, v->lang);
    if (v->n_summary)
        puts("\nsummary:");
    for (i = 0; i < v->n_summary; i++)
        printf("  %s\n", v->summary[i].text);
    if (v->n_summary_en)
        puts("\nsummary (en):");
    for (i = 0; i < v->n_summary_en; i++)
        printf("  %s\n", v->summary_en[i].text);
    if (v->n_quotes)
        puts("\nquotes:");
    for (i = 0; i < v->n_quotes; i++) {
        const td_view_quote *q = &v->quotes[i];
        printf("  \"%s\"%s%s  [%u article%s, %u source%s]\n", q->text,
               q->speaker ? " - " : "", or_empty(q->speaker), q->n_articles,
               q->n_articles == 1 ? "" : "s", q->n_sources,
               q->n_sources == 1 ? "" : "s");
    }
    if (v->n_entities)
        fputs("\nentities:", stdout);
    for (i = 0; i < v->n_entities; i++)
        printf("%s %s (%u)", i ? ";" : "", v->entities[i].name,
               v->entities[i].n_articles);
    if (v->n_entities)
        putchar('\n');
    printf("\ntimeline (per %s): first report ",
           v->bucket < 86400 ? "hour" : "day");
    fputs(v->first_report ? v->first_report : "-", stdout);
    fputs(", peak ", stdout);
    print_bucket(v->peak_day, v->bucket, 0);
    printf(", %u undated\n", v->n_undated);
    for (i = 0; i < v->n_days; i++) {
        fputs("  ", stdout);
        print_bucket(v->days[i].day, v->bucket, 0);
        printf(" %4u  %s\n", v->days[i].n_articles, v->days[i].langs);
    }
    if (v->n_related)
        puts("\nrelated:");
    for (i = 0; i < v->n_related; i++) {
        const td_view_related *r = &v->related[i];
        printf("  %-7lld %-6s %s  [%s]\n", (long long)r->story,
               r->when < 0 ? "before" : r->when > 0 ? "after" : "during",
               r->title, r->shared);
        /* The later story's article names the earlier one's time. */
        if (r->backref)
            printf("          back-reference: \"%s\" in %s\n", r->backref,
                   r->backref_article);
    }
    puts("\narticles:");
}

int cmd_show(int argc, char **argv)
{
    const char *arg = cli_positional(argc, argv);
    td_engine *eng;
    td_article_list *list = NULL;
    td_story_view *view = NULL;
    td_error err;
    size_t i;
    char *end;
    long long story;
    int json = cli_has_flag(argc, argv, "--json");
    if (!arg) {
        fputs("usage: tidings show [--db FILE] [--json] STORY\n", stderr);
        return 2;
    }
    story = strtoll(arg, &end, 10);
    if (*end || end == arg) {
        fprintf(stderr, "tidings: show: '%s' is not a story id\n", arg);
        return 2;
    }
    if (!(eng = cli_open_read(argc, argv)))
        return 1;
    memset(&err, 0, sizeof err);
    if (td_engine_story_articles(eng, story, &list, &err) != TD_OK)
        return lookup_failed(eng, &err, "show", "story", arg);
    if (td_engine_story_view(eng, story, &view, &err) != TD_OK) {
        td_article_list_free(list);
        return lookup_failed(eng, &err, "show", "story", arg);
    }
    if (json)
        view_json(view);
    else
        view_text(view);
    td_story_view_free(view);
    for (i = 0; i < list->n; i++) {
        const td_article_row *r = &list->rows[i];
        if (json) {
            article_json(r, 0);
        } else {
            printf("%-28s %-18s ", or_empty(r->id), or_empty(r->source));
            print_date(r->date);
            printf(" %-3s %s\n", or_empty(r->lang), or_empty(r->title));
            if (r->entities && *r->entities)
                printf("    entities: %s\n", r->entities);
            if (r->copy_of)
                printf("    copy of:  %s\n", r->copy_of);
            if (r->credits)
                printf("    credits:  %s\n", r->credits);
        }
    }
    td_article_list_free(list);
    td_engine_free(eng);
    return 0;
}

int cmd_article(int argc, char **argv)
{
    const char *id = cli_positional(argc, argv);
    td_engine *eng;
    td_article_list *list = NULL;
    td_error err;
    const td_article_row *r;
    if (!id) {
        fputs("usage: tidings article [--db FILE] [--json] ID\n", stderr);
        return 2;
    }
    if (!(eng = cli_open_read(argc, argv)))
        return 1;
    memset(&err, 0, sizeof err);
    if (td_engine_article(eng, id, &list, &err) != TD_OK)
        return lookup_failed(eng, &err, "article", "article", id);
    r = &list->rows[0];
    if (cli_has_flag(argc, argv, "--json")) {
        article_json(r, 1);
    } else {
        printf("id:       %s\nstory:    %lld\nsource:   %s\nurl:      %s\n"
               "date:     ", or_empty(r->id), (long long)r->story,
               or_empty(r->source), or_empty(r->url));
        print_date(r->date);
        printf("\nlang:     %s\ntitle:    %s\nentities: %s\nterms:    %s\n"
               "copies:   group %lld%s%s\ncredits:  %s\n\n%s\n",
               or_empty(r->lang), or_empty(r->title), or_empty(r->entities),
               or_empty(r->terms), (long long)r->copy_group,
               r->copy_of ? ", copy of " : "", or_empty(r->copy_of),
               or_empty(r->credits), or_empty(r->text));
    }
    td_article_list_free(list);
    td_engine_free(eng);
    return 0;
}

static td_status export_row(void *ud, const td_article_row *r)
{
    (void)ud;
    fputs("{\"id\": ", stdout);
    cli_json_str(stdout, r->id);
    printf(", \"story\": %lld, \"lang\": ", (long long)r->story);
    cli_json_str(stdout, r->lang);
    fputs(", \"date\": ", stdout);
    cli_json_date(stdout, r->date);
    fputs(", \"source\": ", stdout);
    cli_json_str(stdout, r->source);
    fputs(", \"title\": ", stdout);
    cli_json_str(stdout, r->title);
    printf(", \"copy_group\": %lld, \"copy_of\": ", (long long)r->copy_group);
    cli_json_str(stdout, r->copy_of);
    fputs("}\n", stdout);
    return ferror(stdout) ? TD_EIO : TD_OK;
}

int cmd_export(int argc, char **argv)
{
    td_engine *eng = cli_open_read(argc, argv);
    td_error err;
    if (!eng)
        return 1;
    memset(&err, 0, sizeof err);
    if (td_engine_each_article(eng, export_row, NULL, &err) != TD_OK) {
        cli_error("export", &err);
        td_engine_free(eng);
        return 1;
    }
    td_engine_free(eng);
    return 0;
}
