/*
** util.c: output helpers and option lookup shared by the subcommands.
*/
#include "cli.h"

#include <string.h>
#include <sys/stat.h>

void cli_json_str(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *p; p++) {
        /* Runs that need no escape go out in one write. */
        const unsigned char *run = p;
        while (*p >= 0x20 && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            fwrite(run, 1, (size_t)(p - run), f);
        if (!*p)
            break;
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void cli_json_date(FILE *f, int64_t t)
{
    char buf[32];
    if (t == TD_NO_DATE)
        fputs("null", f);
    else
        fprintf(f, "\"%s\"", td_date_format(t, buf, sizeof buf));
}

void cli_error(const char *what, const td_error *err)
{
    if (err->where[0])
        fprintf(stderr, "tidings: %s: %s: %s\n", what, err->where, err->msg);
    else
        fprintf(stderr, "tidings: %s: %s\n", what,
                err->msg[0] ? err->msg : td_strerror(err->code));
}

const char *cli_db_path(int argc, char **argv)
{
    int i;
    for (i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--db") == 0)
            return argv[i + 1];
    return "tidings.db";
}

int cli_has_flag(int argc, char **argv, const char *flag)
{
    int i;
    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], flag) == 0)
            return 1;
    return 0;
}

td_engine *cli_open(int argc, char **argv)
{
    td_engine *eng = NULL;
    td_error err;
    memset(&err, 0, sizeof err);
    if (td_engine_open(cli_db_path(argc, argv), &eng, &err) != TD_OK) {
        cli_error("cannot open store", &err);
        return NULL;
    }
    return eng;
}

td_engine *cli_open_read(int argc, char **argv)
{
    const char *path = cli_db_path(argc, argv);
    td_engine *eng = NULL;
    td_error err;
    struct stat sb;
    memset(&err, 0, sizeof err);
    /* A read-only engine loads no clustering state (seconds for a large
    ** store). A store that is missing, in memory or of an older schema
    ** goes through td_engine_open, which creates or upgrades it as
    ** before. */
    if (strcmp(path, ":memory:") != 0 && stat(path, &sb) == 0 &&
        td_engine_open_readonly(path, &eng, &err) == TD_OK)
        return eng;
    return cli_open(argc, argv);
}
