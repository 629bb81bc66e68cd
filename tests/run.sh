#!/bin/sh
# Runs every test: the unit test binaries in $BUILD/tests, then the CLI tests
# in tests/e2e/*.sh, the server tests in tests/http/*.sh and, when node is
# installed, the browser tests (tests/browser/run.sh, which fails when
# Chromium is missing: make deps installs it). Each prints
# "N passed, N failed"; this sums them and ends with the total line. Exit
# status 1 when anything failed. The store tests also run against a
# PostgreSQL 15 server started here for the run (tests/pg_server.sh) and
# stopped at the end, whatever happens; TIDINGS_TEST_PG set by the caller
# names a server to use instead.
BUILD=${BUILD:-build}
export BUILD LC_ALL=C TZ=UTC
total_pass=0
total_fail=0

. tests/pg_server.sh
trap pg_stop EXIT
trap 'pg_stop; exit 1' INT TERM
if [ -z "$TIDINGS_TEST_PG" ]; then
    pg_start "$(mktemp -u /tmp/tidings-pgsrv.XXXXXX)"
    case $? in
        0) echo "PostgreSQL test server: $TIDINGS_TEST_PG" ;;
        2) echo "PostgreSQL server binaries missing ($PG_BIN/initdb):" \
                "PostgreSQL store tests skipped (make deps installs postgresql-15)"
           if [ "$CI" = true ]; then total_fail=$((total_fail + 1)); fi ;;
        *) echo "PostgreSQL test server did not start: its tests are skipped"
           total_fail=$((total_fail + 1)) ;;
    esac
fi
browser=
command -v node >/dev/null 2>&1 && browser=tests/browser/run.sh
for t in "$BUILD"/tests/test_* tests/e2e/*.sh tests/http/*.sh $browser; do
    [ -e "$t" ] || continue
    name=$(basename "$t")
    [ "$t" = tests/browser/run.sh ] && name=browser
    case "$t" in
        *.sh) out=$(sh "$t" 2>&1); rc=$? ;;
        *) out=$("$t" 2>&1); rc=$? ;;
    esac
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
    if [ -z "$line" ]; then
        printf '%s\n' "$out" | tail -n 20
        echo "$name: crashed or printed no summary (exit $rc)"
        total_fail=$((total_fail + 1))
        continue
    fi
    p=${line%% passed*}
    f=${line#*passed, }; f=${f%% failed*}
    if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
        printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 40
        [ "$f" -eq 0 ] && f=1
    fi
    printf '%-28s %s\n' "$name" "$line"
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
