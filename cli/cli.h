/*
** cli.h: shared pieces of the `tidings` program: one function per
** subcommand and small output helpers. The program uses only tidings.h.
*/
#ifndef TD_CLI_H
#define TD_CLI_H

#include "tidings.h"

#include <stdio.h>

int cmd_ingest(int argc, char **argv);
int cmd_stories(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_article(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_copies(int argc, char **argv);
int cmd_entity(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_eval_extract(int argc, char **argv);
/* cmd_eval_errors.c: under a set's scores, its split gold groups and mixed
** stories (ids and labels: each row's article id and gold label, in the
** order of pred and gold); -1 on out of memory. */
int cli_eval_errors(FILE *out, const int64_t *pred, const int64_t *gold,
                    const char *const *ids, const char *const *labels,
                    size_t n, size_t n_gold, size_t n_pred, int json);
int cmd_serve(int argc, char **argv);    /* server/serve.c */
int cmd_produce(int argc, char **argv);  /* cmd_stream.c: Kafka */
int cmd_worker(int argc, char **argv);
int cmd_cluster(int argc, char **argv);
int cmd_kafka_mock(int argc, char **argv);

/* Writes s as a JSON string literal (with quotes); NULL as null. */
void cli_json_str(FILE *f, const char *s);
/* Writes a date as a JSON string "YYYY-MM-DD" or null. */
void cli_json_date(FILE *f, int64_t t);
/* Prints "tidings: <where>: <msg>" for an error. */
void cli_error(const char *what, const td_error *err);
/* Finds "--db FILE" among argv; removes nothing. Default "tidings.db". */
const char *cli_db_path(int argc, char **argv);
/* The first argument that is not an option or an option's value (cmd_read.c),
** or NULL. */
const char *cli_positional(int argc, char **argv);
/* 1 when flag (e.g. "--json") is among argv. */
int cli_has_flag(int argc, char **argv, const char *flag);
/* Opens the engine at the --db path or prints the error and returns NULL. */
td_engine *cli_open(int argc, char **argv);
/* The same for commands that only read: a read-only engine when the store
** exists at this version, else cli_open(). */
td_engine *cli_open_read(int argc, char **argv);

#endif
