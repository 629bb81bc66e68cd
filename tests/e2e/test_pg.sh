#!/bin/sh
# test_pg.sh: the PostgreSQL store end to end, on the server tests/run.sh
# starts (TIDINGS_TEST_PG): `tidings ingest` of the bundled corpus into a
# new database gives exactly the export, stories and search of SQLite; two
# `tidings serve` processes on that database answer GET /v1/stories alike,
# and an article posted to one is read back through the other. Without a
# server it says so: a failure when CI=true, else nothing run. Prints
# "N passed, N failed".
BUILD=${BUILD:-build}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
T="$BUILD/tidings"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { # check DESCRIPTION COMMAND...
    d=$1; shift
    if "$@"; then ok; else bad "$d"; fi
}

if [ -z "$TIDINGS_TEST_PG" ]; then
    echo "test_pg.sh: no PostgreSQL server (TIDINGS_TEST_PG unset): skipped"
    [ "$CI" = true ] && bad "PostgreSQL tests did not run in CI"
    echo "$pass passed, $fail failed"
    exit $fail
fi

W=$(mktemp -d /tmp/tidings-pg.XXXXXX)
DB=e2e_$$
PG="$TIDINGS_TEST_PG&dbname=$DB"
case $TIDINGS_TEST_PG in *\?*) ;; *) PG="$TIDINGS_TEST_PG?dbname=$DB" ;; esac
PIDS=
cleanup() {
    for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
    "$PG_BIN/psql" "$TIDINGS_TEST_PG" -qc "DROP DATABASE IF EXISTS $DB" \
        >/dev/null 2>&1
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
"$PG_BIN/psql" "$TIDINGS_TEST_PG" -qc "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" \
    >/dev/null 2>"$W/psql.err"
check "a new database is created ($(cat "$W/psql.err"))" [ ! -s "$W/psql.err" ]

# 1. Ingest into SQLite and PostgreSQL: the same results.
"$T" ingest --quiet --db "$W/lite.db" samples/corpus 2>"$W/err1"
"$T" ingest --quiet --db "$PG" samples/corpus 2>"$W/err2"
check "ingest into PostgreSQL exits 0 and prints nothing" \
    sh -c "[ $? -eq 0 ] && [ ! -s '$W/err2' ]"
"$T" export --db "$W/lite.db" >"$W/lite.jsonl"
"$T" export --db "$PG" >"$W/pg.jsonl"
check "export from PostgreSQL has every article" \
    [ "$(wc -l <"$W/pg.jsonl")" -eq "$(wc -l <samples/gold.jsonl)" ]
check "export from PostgreSQL equals SQLite's" cmp -s "$W/lite.jsonl" "$W/pg.jsonl"
for cmd in "stories --json" "stories --json --q seisme" "copies --json 1" \
           "show --json 1" "entity --json Rebora" "entity Chiavari"; do
    "$T" $cmd --db "$W/lite.db" >"$W/a" 2>&1
    "$T" $cmd --db "$PG" >"$W/b" 2>&1
    check "tidings $cmd: PostgreSQL equals SQLite" \
        sh -c "[ -s '$W/a' ] && cmp -s '$W/a' '$W/b'"
done
# A second ingest of the same corpus: every record a duplicate, nothing
# changes (the insert conflict must not abort the batch's transaction).
"$T" ingest --quiet --db "$PG" samples/corpus 2>"$W/err3"
check "a second ingest reports duplicates" grep -q "already stored" "$W/err3"
"$T" export --db "$PG" >"$W/pg2.jsonl"
check "and leaves the store as it was" cmp -s "$W/pg.jsonl" "$W/pg2.jsonl"

# 2. Two servers on the one database.
req() { # req URL [CURL ARGS]: status on stdout, body in $W/body
    u=$1; shift
    curl -s -o "$W/body" -w '%{http_code}' --max-time 10 "$@" "$u" \
        2>/dev/null || true
}
start() { # start NAME: a server on a free port; sets URL
    : >"$W/$1.log"
    "$T" serve --db "$PG" --port 0 2>"$W/$1.log" &
    PIDS="$PIDS $!"
    URL=
    i=0
    while [ $i -lt 100 ]; do
        port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$W/$1.log")
        if [ -n "$port" ] && [ "$(req "http://127.0.0.1:$port/healthz")" = 200 ]; then
            URL="http://127.0.0.1:$port"
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
    cat "$W/$1.log" >&2
    return 1
}
start a && A=$URL
start b && B=$URL
check "two servers start on the PostgreSQL store" \
    sh -c "[ -n '$A' ] && [ -n '$B' ]"
code=$(req "$A/v1/stories?limit=500")
cp "$W/body" "$W/a.json"
check "server A answers GET /v1/stories (got $code)" [ "$code" = 200 ]
total=$(sed -n 's/.*"total":\([0-9]*\).*/\1/p' "$W/a.json")
lite_total=$("$T" stories --json --db "$W/lite.db" | grep -o '"id":' | wc -l)
check "it lists every story ($total of $lite_total)" [ "$total" = "$lite_total" ]
code=$(req "$B/v1/stories?limit=500")
check "server B answers the same" sh -c "[ $code = 200 ] && cmp -s '$W/body' '$W/a.json'"
printf '%s\n' '{"id": "pg-shared-1", "title": "Glacier collapse blocks Alpine valley", "text": "A glacier collapsed above the village of Blatten, burying roads under mud and ice; residents had left days before."}' >"$W/new.jsonl"
code=$(req "$A/v1/articles" -H "Content-Type: application/x-ndjson" --data-binary "@$W/new.jsonl")
check "server A stores a posted article (got $code)" [ "$code" = 202 ]
code=$(req "$B/v1/articles/pg-shared-1")
check "server B reads it back (got $code)" [ "$code" = 200 ]
code=$(req "$B/v1/stories?q=blatten")
check "and finds it by search" sh -c "[ $code = 200 ] && grep -q '\"total\":1' '$W/body'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
