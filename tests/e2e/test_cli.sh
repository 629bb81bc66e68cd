#!/bin/sh
# test_cli.sh: the tidings program end to end on the bundled sample corpus:
# grouping against samples/gold.jsonl, read-back commands, rejected records
# with file:line, duplicate ids, stdin, and two runs giving the same stories
# as one. Prints "N passed, N failed".
BUILD=${BUILD:-build}
T="$BUILD/tidings"
W=$(mktemp -d /tmp/tidings-e2e.XXXXXX)
trap 'rm -rf "$W"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { # check DESCRIPTION COMMAND...
    d=$1; shift
    if "$@"; then ok; else bad "$d"; fi
}

# Canonical grouping: one line per group, member ids sorted, lines sorted.
groups_of_export() { # export.jsonl -> groups
    sed -n 's/^{"id": "\([^"]*\)", "story": \([0-9]*\),.*/\2 \1/p' "$1" |
        sort -k1,1n -k2 | awk '$1 != prev { if (NR > 1) print line; line = $2; prev = $1; next }
                               { line = line " " $2 } END { if (NR) print line }' | sort
}
groups_of_gold() {
    sed -n 's/^{"id": "\([^"]*\)", "story": "\([^"]*\)"}.*/\2 \1/p' "$1" |
        sort | awk '$1 != prev { if (NR > 1) print line; line = $2; prev = $1; next }
                    { line = line " " $2 } END { if (NR) print line }' | sort
}

# 1. The sample corpus ingests cleanly and groups as the gold says.
"$T" ingest --quiet --db "$W/one.db" samples/corpus 2>"$W/err1"
check "ingest of samples exits 0" [ $? -eq 0 ]
check "ingest of samples prints no rejects" [ ! -s "$W/err1" ]
"$T" export --db "$W/one.db" >"$W/one.jsonl"
n=$(wc -l <"$W/one.jsonl")
g=$(wc -l <samples/gold.jsonl)
check "export has every article ($n of $g)" [ "$n" -eq "$g" ]
groups_of_export "$W/one.jsonl" >"$W/got.groups"
groups_of_gold samples/gold.jsonl >"$W/want.groups"
if diff "$W/want.groups" "$W/got.groups" >"$W/groups.diff"; then ok; else
    bad "sample grouping differs from samples/gold.jsonl"; cat "$W/groups.diff" >&2; fi

# 2. Read-back commands.
"$T" stories --db "$W/one.db" >"$W/stories.txt"
check "stories lists a header and rows" [ "$(wc -l <"$W/stories.txt")" -gt 5 ]
"$T" stories --json --db "$W/one.db" >"$W/stories.json"
first=$(head -n 1 "$W/stories.json" | sed -n 's/.*"articles": \([0-9]*\).*/\1/p')
check "stories --json is largest first" [ "$first" -ge "$(sed -n 's/.*"articles": \([0-9]*\).*/\1/p' "$W/stories.json" | sort -n | tail -n 1)" ]
story=$(grep '"quake-tr-en-1"' "$W/one.jsonl" | sed -n 's/.*"story": \([0-9]*\).*/\1/p')
"$T" show --db "$W/one.db" "$story" >"$W/show.txt"
check "show lists the story's articles" grep -q "quake-tr-de-1" "$W/show.txt"
"$T" article --db "$W/one.db" quake-tr-ru-1 >"$W/article.txt"
check "article shows detected language ru" grep -q "^lang: *ru" "$W/article.txt"
check "article shows the text" grep -q "Адыяман\|Адыямане" "$W/article.txt"
"$T" article --db "$W/one.db" no-such-id 2>"$W/err2"
check "article of an unknown id fails" [ $? -ne 0 ]
check "article of an unknown id says so" grep -q "no article 'no-such-id'" "$W/err2"

# 3. Re-ingesting reports duplicate ids and replaces nothing.
"$T" ingest --quiet --db "$W/one.db" samples/corpus/txt/flood-blog.txt 2>"$W/err3"
check "duplicate id reported" grep -q "duplicate id 'flood-blog.txt'" "$W/err3"
"$T" export --db "$W/one.db" >"$W/again.jsonl"
check "duplicate changed nothing" cmp -s "$W/one.jsonl" "$W/again.jsonl"

# 4. Two runs give the same stories as one run.
head -n 17 samples/corpus/news.jsonl >"$W/part1.jsonl"
tail -n +18 samples/corpus/news.jsonl >"$W/part2.jsonl"
"$T" ingest --quiet --db "$W/a.db" samples/corpus/news.jsonl
"$T" ingest --quiet --db "$W/b.db" "$W/part1.jsonl"
"$T" ingest --quiet --db "$W/b.db" "$W/part2.jsonl"
"$T" export --db "$W/a.db" >"$W/a.jsonl"
"$T" export --db "$W/b.db" >"$W/b.jsonl"
check "two runs equal one run" cmp -s "$W/a.jsonl" "$W/b.jsonl"

# 5. Standard input.
"$T" ingest --quiet --db "$W/stdin.db" - <samples/corpus/news.jsonl
check "stdin ingest exits 0" [ $? -eq 0 ]
check "stdin ingest stores every row" [ "$("$T" export --db "$W/stdin.db" | wc -l)" -eq "$(wc -l <samples/corpus/news.jsonl)" ]

# 6. Malformed records: each reported with file:line and reason, the rest go in.
F="$W/bad.jsonl"
{
    printf '%s\n' '{"id": "good-1", "title": "Fire in Oslo harbour", "text": "A fire broke out in Oslo harbour on Monday."}'
    printf '%s\n' '{"id": "broken", "title": "no closing brace"'
    printf '%s\n' '{"id": "no-text", "title": "Only a title"}'
    printf '%s\n' '{"title": "No id", "text": "Some text here."}'
    printf '{"id": "bad-utf8", "text": "\377\376\375\374\373\372\371\370 broken bytes"}\n'
    printf '%s\n' '{"id": "nul", "text": "a\u0000b"}'
    printf '%s\n' '[1, 2, 3]'
    printf '%s\n' '{"id": "good-2", "title": "Storm hits Bergen", "text": "A storm hit Bergen on Tuesday night."}'
} >"$F"
"$T" ingest --quiet --db "$W/bad.db" "$F" 2>"$W/err4"
check "malformed input gives exit status 1" [ $? -eq 1 ]
check "broken JSON named with line 2" grep -q "bad.jsonl:2: rejected: .*JSON" "$W/err4"
check "missing text named with line 3" grep -q "bad.jsonl:3: rejected: missing text" "$W/err4"
check "missing id named with line 4" grep -q "bad.jsonl:4: rejected: missing id" "$W/err4"
check "invalid UTF-8 named with line 5" grep -q "bad.jsonl:5: rejected: .*UTF-8" "$W/err4"
check "NUL named with line 6" grep -q "bad.jsonl:6: rejected: .*NUL" "$W/err4"
check "non-object named with line 7" grep -q "bad.jsonl:7: rejected" "$W/err4"
check "summary counts 6 rejected" grep -q "ingested 2 articles (6 rejected" "$W/err4"
"$T" export --db "$W/bad.db" >"$W/bad-export.jsonl"
check "valid records got in, in order" [ "$(sed -n 's/^{"id": "\([^"]*\)".*/\1/p' "$W/bad-export.jsonl" | tr '\n' ' ')" = "good-1 good-2 " ]

# 7. A path that does not exist is an error, not a crash.
"$T" ingest --quiet --db "$W/x.db" "$W/nope.jsonl" 2>"$W/err5"
check "missing path fails" [ $? -ne 0 ]
check "missing path named" grep -q "nope.jsonl" "$W/err5"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
