/*
** main.c: the `tidings` program: dispatches to one subcommand. Each
** subcommand lives in its own cmd_*.c and uses only the public API.
*/
#include "cli.h"

#include <locale.h>
#include <string.h>

static const char usage[] =
    "usage: tidings COMMAND [options]\n"
    "\n"
    "  ingest [--db FILE] [--quiet] PATH...   add articles (JSON Lines, .txt,\n"
    "                                         .html, .gz, directories, - for stdin)\n"
    "  stories [--db FILE] [--json] [--q TEXT] [--limit N]  one row per\n"
    "                                         story, largest first; --q:\n"
    "                                         full-text search; --limit: the\n"
    "                                         first N only\n"
    "  show [--db FILE] [--json] STORY        a story's articles and entities\n"
    "  article [--db FILE] [--json] ID        one article with its analysis\n"
    "  copies [--db FILE] [--json] STORY      a story's copy groups, edges, origin\n"
    "  entity [--db FILE] [--json] NAME       stories naming a person, organisation\n"
    "                                         or place (any spelling), newest first\n"
    "  export [--db FILE]                     JSON Lines: id, story, lang...\n"
    "  eval clusters [--json] [--errors] GOLD.jsonl...  story quality against\n"
    "                                         gold labels; --errors: the groups\n"
    "                                         split and the stories mixed\n"
    "  eval pairs [--json] DOCS PAIRS         same-story pair labels\n"
    "  extract [--json] FILE...               article body and metadata of pages\n"
    "  eval extract GOLD.json HTML_DIR        extraction quality (shingle F1)\n"
    "  serve [--db FILE] [--port N] [--bind ADDR]  HTTP API and web page\n"
    "                                         (default 127.0.0.1:8080)\n"
    "  produce --brokers B --topic T PATH...  a corpus into a Kafka topic\n"
    "  worker --brokers B --in T --out T      extract + analyze records\n"
    "         [--group G] [--idle-exit MS]    (run several: a consumer group)\n"
    "  cluster --brokers B --in T [--db FILE] cluster + store analyzed articles\n"
    "         [--idle-exit MS] [--until-seq N]\n"
    "  kafka-mock [--brokers N] [--topic NAME:PARTS]...  a mock Kafka cluster\n"
    "\n"
    "The store is ./tidings.db unless --db FILE is given; --db postgresql://...\n"
    "(a libpq URI) stores in PostgreSQL.\n";

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } commands[] = {
        {"ingest", cmd_ingest},   {"stories", cmd_stories},
        {"show", cmd_show},       {"article", cmd_article},
        {"export", cmd_export},   {"eval", cmd_eval},
        {"extract", cmd_extract}, {"copies", cmd_copies},
        {"serve", cmd_serve},     {"entity", cmd_entity},
        {"produce", cmd_produce}, {"worker", cmd_worker},
        {"cluster", cmd_cluster}, {"kafka-mock", cmd_kafka_mock},
    };
    size_t i;
    setlocale(LC_ALL, "C");
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("tidings %s\n", TD_VERSION);
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "eval") == 0 &&
        strcmp(argv[2], "extract") == 0)
        return cmd_eval_extract(argc - 2, argv + 2);
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "tidings: unknown command '%s'\n\n%s", argv[1], usage);
    return 2;
}
