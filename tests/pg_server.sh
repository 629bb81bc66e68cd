# tests/pg_server.sh: a throwaway PostgreSQL 15 server for the tests, sourced
# by tests/run.sh (and usable by hand). pg_start DIR runs initdb into DIR
# and starts the server on a free loopback port with its Unix socket in
# DIR, then sets TIDINGS_TEST_PG to its URI; pg_stop stops it and removes
# DIR. As root (CI), where initdb refuses to run, the server runs as
# `nobody` and DIR is given to it. pg_start returns 2 when the server
# binaries are missing, 1 when the server does not start (log printed).
# DIR must not be inside a directory only root may enter.
# PG_OPTS are the server settings: by default none of them waits for the
# disk (a test server); the benchmark passes its own.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_OPTS=${PG_OPTS:--c fsync=off -c synchronous_commit=off -c full_page_writes=off}
PG_DIR=

pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u nobody -- "$@"
    else
        "$@"
    fi
}

pg_start() {
    PG_DIR=$1
    [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] || return 2
    mkdir -p "$PG_DIR" || return 1
    [ "$(id -u)" = 0 ] && chown nobody "$PG_DIR"
    chmod 700 "$PG_DIR"
    pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U tidings \
        --auth=trust -E UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 || {
        cat "$PG_DIR/initdb.log"
        return 1
    }
    # A port nothing listens on, from a range picked by the process id.
    port=$((20000 + $$ % 20000))
    tries=0
    while [ $tries -lt 20 ]; do
        if pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" \
            -l "$PG_DIR/server.log" -w -t 30 -o "-p $port -k $PG_DIR \
            -c listen_addresses=127.0.0.1 $PG_OPTS" start >/dev/null 2>&1
        then
            TIDINGS_TEST_PG="postgresql:///postgres?host=$PG_DIR&port=$port&user=tidings"
            export TIDINGS_TEST_PG
            return 0
        fi
        port=$((port + 1))
        tries=$((tries + 1))
    done
    cat "$PG_DIR/server.log"
    return 1
}

pg_stop() {
    [ -n "$PG_DIR" ] || return 0
    [ -d "$PG_DIR/data" ] &&
        pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop \
            >/dev/null 2>&1
    rm -rf "$PG_DIR"
    PG_DIR=
    unset TIDINGS_TEST_PG
}
