#!/bin/sh
# pg_bench.sh: `tidings ingest` of the bench generator's stream into
# PostgreSQL and into SQLite, in the same run, alternating (RUNS times
# each, default 2), on a PostgreSQL 15 server started for it (initdb in a
# temporary directory, Unix socket, stopped at the end). Durability is set
# alike: SQLite's WAL with synchronous=NORMAL and PostgreSQL's
# synchronous_commit=off both skip the flush at commit and never corrupt.
# Prints articles/s (wall clock), the client's CPU ms per article and, for
# PostgreSQL, the server's. Usage: sh bench/pg_bench.sh [N] (default 10000).
set -u
BUILD=${BUILD:-build}
N=${1:-10000}
RUNS=${RUNS:-2}
T="$BUILD/tidings"
W=$(mktemp -d /tmp/tidings-pgbench.XXXXXX)
PG_OPTS="-c synchronous_commit=off"
. tests/pg_server.sh
trap 'pg_stop; rm -rf "$W"' EXIT
trap 'exit 1' INT TERM

pg_start "$(mktemp -u /tmp/tidings-pgbench-srv.XXXXXX)"
case $? in
    0) ;;
    2) echo "pg_bench: no PostgreSQL server binaries ($PG_BIN): skipped"; exit 0 ;;
    *) echo "pg_bench: the PostgreSQL server did not start" >&2; exit 1 ;;
esac
"$BUILD/bench/gen" "$N" --seed 1 >"$W/stream.jsonl" || exit 1
postmaster=$(head -1 "$PG_DIR/data/postmaster.pid")

# CPU seconds (user + system) of the server's exited backends so far.
server_cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ print ($16 + $17) / hz }' \
        "/proc/$postmaster/stat"
}

# run NAME DB: one ingest of the stream into a new store DB.
run() {
    before=$(server_cpu)
    start=$(date +%s.%N)
    /usr/bin/time -f "%U %S" -o "$W/time" "$T" ingest --quiet --db "$2" \
        "$W/stream.jsonl" || { echo "pg_bench: ingest into $2 failed" >&2; exit 1; }
    end=$(date +%s.%N)
    after=$(server_cpu)
    read -r user sys <"$W/time"
    awk -v n="$N" -v name="$1" -v s="$start" -v e="$end" -v u="$user" \
        -v y="$sys" -v b="$before" -v a="$after" 'BEGIN {
        printf "%-11s %6.0f art/s   client CPU %.3f ms/art", name,
            n / (e - s), 1000 * (u + y) / n
        if (name == "postgresql")
            printf "   server CPU %.3f ms/art", 1000 * (a - b) / n
        printf "\n" }'
}

echo "tidings ingest of $N generated articles (gen --seed 1), $RUNS runs each:"
i=1
while [ "$i" -le "$RUNS" ]; do
    rm -f "$W/s.db" "$W/s.db-wal" "$W/s.db-shm"
    run sqlite "$W/s.db"
    "$PG_BIN/psql" "$TIDINGS_TEST_PG" -qc "DROP DATABASE IF EXISTS bench" \
        -c "CREATE DATABASE bench" >/dev/null 2>&1
    run postgresql "$TIDINGS_TEST_PG&dbname=bench"
    i=$((i + 1))
done
