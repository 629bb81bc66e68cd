#!/bin/sh
# test_golden.sh: golden story views. Each tests/golden/story/NAME.jsonl (a
# small multilingual sample written for the test) is ingested into a fresh
# store; the view part of `tidings show` (summary, quotes with speakers and
# sources, merged entities, timeline, related stories; the article list is
# left out) of every story, in `tidings stories` order, must equal
# NAME.expected. GOLDEN_UPDATE=1 rewrites the expected files: review the
# diff before committing. Prints "N passed, N failed".
BUILD=${BUILD:-build}
T="$BUILD/tidings"
G=tests/golden/story
W=$(mktemp -d /tmp/tidings-golden.XXXXXX)
trap 'rm -rf "$W"' EXIT
pass=0
fail=0
for in in "$G"/*.jsonl; do
    name=$(basename "$in" .jsonl)
    db="$W/$name.db"
    if ! "$T" ingest --quiet --db "$db" "$in" 2>"$W/err"; then
        fail=$((fail + 1))
        echo "FAIL: $name: ingest failed" >&2
        cat "$W/err" >&2
        continue
    fi
    : >"$W/$name.out"
    for id in $("$T" stories --json --db "$db" |
                sed -n 's/^{"id": \([0-9]*\),.*/\1/p'); do
        "$T" show --db "$db" "$id" | sed '/^articles:$/,$d' >>"$W/$name.out"
    done
    if [ -n "$GOLDEN_UPDATE" ]; then
        cp "$W/$name.out" "$G/$name.expected"
    fi
    if cmp -s "$W/$name.out" "$G/$name.expected"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name: the view differs from $G/$name.expected" >&2
        diff "$G/$name.expected" "$W/$name.out" | head -n 30 >&2
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
