/*
** serve.c: `tidings serve [--db FILE] [--port N] [--bind ADDR]`: opens the
** engine, starts the HTTP daemon (http.c) and waits for SIGTERM or SIGINT;
** then it stops accepting, lets in-flight requests finish, and frees the
** engine (which commits). See docs/internals/server.md.
*/
#include "server.h"

#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: tidings serve [--db FILE] [--port N] [--bind ADDR]\n"
    "  HTTP API and web page; default 127.0.0.1:8080, ./tidings.db;\n"
    "  --port 0 picks a free port (printed on stderr).\n";

/* In-flight requests get this long to finish after a stop signal. */
#define DRAIN_MS 10000

int cmd_serve(int argc, char **argv)
{
    const char *db = "tidings.db", *bind_addr = "127.0.0.1";
    unsigned long port = 8080;
    unsigned bound = 0;
    srv_server srv;
    struct MHD_Daemon *daemon;
    td_error err;
    sigset_t stop_signals;
    int i, sig = 0;

    for (i = 1; i < argc; i++) {
        const char *opt = argv[i];
        char *end;
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (i + 1 >= argc || (strcmp(opt, "--db") != 0 &&
                              strcmp(opt, "--port") != 0 &&
                              strcmp(opt, "--bind") != 0)) {
            fprintf(stderr, "tidings serve: unknown or incomplete option "
                            "'%s'\n%s", opt, usage);
            return 2;
        }
        i++;
        if (strcmp(opt, "--db") == 0) {
            db = argv[i];
        } else if (strcmp(opt, "--bind") == 0) {
            bind_addr = argv[i];
        } else {
            port = strtoul(argv[i], &end, 10);
            if (!argv[i][0] || *end || port > 65535) {
                fprintf(stderr, "tidings serve: bad port '%s'\n", argv[i]);
                return 2;
            }
        }
    }

    memset(&srv, 0, sizeof srv);
    memset(&err, 0, sizeof err);
    if (td_engine_open(db, &srv.eng, &err) != TD_OK) {
        fprintf(stderr, "tidings serve: cannot open store %s: %s\n", db,
                err.msg[0] ? err.msg : td_strerror(err.code));
        return 1;
    }
    if (pthread_mutex_init(&srv.lock, NULL) != 0) {
        td_engine_free(srv.eng);
        return 1;
    }
    srv_readers_init(&srv, db);
    /* The stop signals are blocked before the daemon's threads start, so
    ** they inherit the mask and only sigwait() below receives them. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    daemon = srv_http_start(&srv, bind_addr, (unsigned)port, &bound);
    if (!daemon) {
        fprintf(stderr, "tidings serve: cannot listen on %s port %lu (in "
                        "use?)\n", bind_addr, port);
        srv_readers_free(&srv);
        pthread_mutex_destroy(&srv.lock);
        td_engine_free(srv.eng);
        return 1;
    }
    fprintf(stderr, "tidings serve: listening on http://%s%s%s:%u/ (store "
                    "%s)\n", strchr(bind_addr, ':') ? "[" : "", bind_addr,
            strchr(bind_addr, ':') ? "]" : "", bound, db);

    while (sigwait(&stop_signals, &sig) != 0)
        ;
    fprintf(stderr, "tidings serve: %s, stopping\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    srv_http_stop(&srv, daemon, DRAIN_MS);
    srv_readers_free(&srv);
    pthread_mutex_destroy(&srv.lock);
    td_engine_free(srv.eng);
    fprintf(stderr, "tidings serve: stopped\n");
    return 0;
}
