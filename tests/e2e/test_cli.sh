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

# 1. The sample corpus ingests cleanly and groups as the gold says.
"$T" ingest --quiet --db "$W/one.db" samples/corpus 2>"$W/err1"
check "ingest of samples exits 0" [ $? -eq 0 ]
check "ingest of samples prints no rejects" [ ! -s "$W/err1" ]
"$T" export --db "$W/one.db" >"$W/one.jsonl"
n=$(wc -l <"$W/one.jsonl")
g=$(wc -l <samples/gold.jsonl)
check "export has every article ($n of $g)" [ "$n" -eq "$g" ]
# Pairs: (id, story) of the export and (id, gold) of samples/gold.jsonl.
sed -n 's/^{"id": "\([^"]*\)", "story": \([0-9]*\),.*/\1 \2/p' "$W/one.jsonl" | sort >"$W/pred.txt"
sed -n 's/^{"id": "\([^"]*\)", "story": "\([^"]*\)"}.*/\1 \2/p' samples/gold.jsonl | sort >"$W/gold.txt"
join "$W/pred.txt" "$W/gold.txt" >"$W/both.txt"
story_of() { awk -v id="$1" '$1 == id { print $2 }' "$W/pred.txt"; }
same() { [ -n "$(story_of "$1")" ] && [ "$(story_of "$1")" = "$(story_of "$2")" ]; }
apart() { [ "$(story_of "$1")" != "$(story_of "$2")" ]; }
check "near-copy (txt, boilerplate) joins its original" same quake-farm-copy.txt quake-tr-en-1
check "near-copy (fr, undated) joins its original" same art-fr-farm-1 art-fr-1
check "machine-translation-like copy joins its original" same rail-en-mt-1 rail-de-1
check "HTML page joins its story" same quake-cl-observador.html quake-cl-es-1
check "Russian report joins the English one" same quake-tr-ru-1 quake-tr-en-1
check "two similar earthquakes stay apart" apart quake-tr-en-1 quake-cl-en-1
check "unrelated article stays alone" apart garden-tips.txt flood-blog.txt
# BCubed F1 of the whole grouping against the gold (per article averages).
b3=$(awk '{ p[NR] = $2; g[NR] = $3; n = NR }
    END { for (i = 1; i <= n; i++) { both = 0; ps = 0; gs = 0
            for (j = 1; j <= n; j++) { ps += p[j] == p[i]; gs += g[j] == g[i];
                                       both += p[j] == p[i] && g[j] == g[i] }
            P += both / ps; R += both / gs }
          P /= n; R /= n; printf "%.3f", 2 * P * R / (P + R) }' "$W/both.txt")
echo "sample corpus B3 F1: $b3"
check "sample corpus B3 F1 $b3 >= 0.90" awk -v f="$b3" 'BEGIN { exit !(f >= 0.90) }'

# 2. Read-back commands.
"$T" stories --db "$W/one.db" >"$W/stories.txt"
check "stories lists a header and rows" [ "$(wc -l <"$W/stories.txt")" -gt 5 ]
"$T" stories --json --db "$W/one.db" >"$W/stories.json"
first=$(head -n 1 "$W/stories.json" | sed -n 's/.*"articles": \([0-9]*\).*/\1/p')
check "stories --json is largest first" [ "$first" -ge "$(sed -n 's/.*"articles": \([0-9]*\).*/\1/p' "$W/stories.json" | sort -n | tail -n 1)" ]
story=$(grep '^{"id": "quake-tr-en-1"' "$W/one.jsonl" | sed -n 's/.*"story": \([0-9]*\).*/\1/p')
"$T" stories --json --db "$W/one.db" --limit 2 >"$W/two.json"
check "stories --limit 2 gives the first two rows, sources filled" \
    cmp -s "$W/two.json" "$(head -n 2 "$W/stories.json" >"$W/head2.json"; echo "$W/head2.json")"
"$T" stories --db "$W/one.db" --limit 0 2>"$W/lim.err"
check "stories --limit 0 is a usage error" [ $? -eq 2 ]
check "stories --limit 0 says what it needs" grep -q -- "--limit needs a whole number" "$W/lim.err"
"$T" stories --json --db "$W/one.db" --q "ADIYAMAN seisme" >"$W/found.json"
check "stories --q finds the quake story by words of its texts" \
    sh -c "[ \$(wc -l <'$W/found.json') -eq 1 ] && grep -q '^{\"id\": $story,' '$W/found.json'"
"$T" stories --json --db "$W/one.db" --q 'NEAR(" *' >"$W/found.json"
check "stories --q takes FTS5 syntax as plain words" [ $? -eq 0 ]
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

# 7. Copies: near-duplicates share a copy group, copy_of points to the
# earlier text (an undated copy of a dated original copies the original:
# dated comes before undated), `copies` lists the group, and stories count
# independent sources.
field_of() { # field_of ID FIELD: the raw JSON value of FIELD in ID's export line
    grep "^{\"id\": \"$1\"" "$W/one.jsonl" | sed -n "s/.*\"$2\": \([^,}]*\).*/\1/p"
}
check "farm copy shares the copy group of its original" \
    [ -n "$(field_of quake-farm-copy.txt copy_group)" -a \
      "$(field_of quake-farm-copy.txt copy_group)" = "$(field_of quake-tr-en-1 copy_group)" ]
check "farm copy is a copy of quake-tr-en-1" \
    [ "$(field_of quake-farm-copy.txt copy_of)" = '"quake-tr-en-1"' ]
check "undated French copy is a copy of the dated art-fr-1" \
    [ "$(field_of art-fr-farm-1 copy_of)" = '"art-fr-1"' ]
check "the original copies nothing" [ "$(field_of art-fr-1 copy_of)" = null ]
check "unrelated articles are in different copy groups" \
    [ "$(field_of garden-tips.txt copy_group)" != "$(field_of flood-blog.txt copy_group)" ]
check "translations of one report share its copy group" \
    [ "$(field_of quake-tr-de-1 copy_group)" = "$(field_of quake-tr-en-1 copy_group)" ]
check "a translation copies the earlier text" \
    [ "$(field_of quake-tr-de-1 copy_of)" = '"quake-tr-en-1"' ]
check "the machine-translation-like copy is a translation of its original" \
    [ "$(field_of rail-en-mt-1 copy_of)" = '"rail-de-1"' ]
check "a later report of the same story is no copy" \
    [ "$(field_of quake-tr-en-2 copy_group)" != "$(field_of quake-tr-en-1 copy_group)" ]
"$T" copies --db "$W/one.db" "$story" >"$W/copies.txt"
check "copies lists the farm copy with its original" \
    grep -q "quake-farm-copy.txt .*copy of quake-tr-en-1" "$W/copies.txt"
check "copies shows the edge" grep -q "quake-tr-en-1 -> quake-farm-copy.txt" "$W/copies.txt"
check "copies names the origin" grep -q "origin quake-tr-en-1" "$W/copies.txt"
"$T" copies --json --db "$W/one.db" "$story" >"$W/copies.json"
check "copies --json gives the group first" \
    grep -q '^{"group": [0-9]*, "size": [0-9]*, "origin": "quake-tr-en-1"' "$W/copies.json"
check "copies --json marks a translation edge" \
    grep -q '"from": "quake-tr-en-1", "to": "quake-tr-de-1", "kind": "translation"' "$W/copies.json"
check "copies shows the translation" \
    grep -q "quake-tr-en-1 -> quake-tr-de-1  translation" "$W/copies.txt"
"$T" copies --db "$W/one.db" 9999 2>"$W/err6"
check "copies of an unknown story fails" [ $? -ne 0 ]
sources=$(grep '"id": '"$story"',' "$W/stories.json" | sed -n 's/.*"articles": \([0-9]*\).*"sources": \([0-9]*\).*/\1 \2/p')
check "story with copies has fewer sources than articles ($sources)" \
    awk -v s="$sources" 'BEGIN { split(s, a, " "); exit !(a[2] < a[1]) }'
check "stories table shows srcs" grep -q "^story  *arts  *srcs" "$W/stories.txt"
"$T" show --db "$W/one.db" "$story" >"$W/show.txt"
check "show gives copy_of" grep -q "copy of:  quake-tr-en-1" "$W/show.txt"
# Two runs (the farm copies in the second) give the same copy groups.
"$T" ingest --quiet --db "$W/c.db" samples/corpus/news.jsonl samples/corpus/html
"$T" ingest --quiet --db "$W/c.db" samples/corpus/txt
"$T" ingest --quiet --db "$W/d.db" samples/corpus/news.jsonl samples/corpus/html samples/corpus/txt
"$T" export --db "$W/c.db" >"$W/c.jsonl"
"$T" export --db "$W/d.db" >"$W/d.jsonl"
check "copy groups: two runs equal one run" cmp -s "$W/c.jsonl" "$W/d.jsonl"
check "copy groups survive the reopen" grep -q '"id": "quake-farm-copy.txt".*"copy_of": "quake-tr-en-1"' "$W/c.jsonl"

# 7b. Entities: the stories naming a person in any script, newest first.
cod=$(story_of cod-ru-1)
"$T" entity --db "$W/one.db" "Мельников" >"$W/entity.txt"
check "entity (Cyrillic) exits 0" [ $? -eq 0 ]
check "entity header" grep -q "^story  *last  *arts" "$W/entity.txt"
check "entity Мельников lists the cod story $cod" grep -q "^$cod " "$W/entity.txt"
"$T" entity --db "$W/one.db" --json "Andrei Melnikov" >"$W/entity.json"
check "entity --json Latin spelling finds the same story" \
    grep -q '^{"story": '"$cod"', .*"key": "andrei melnikov"}' "$W/entity.json"
"$T" entity --db "$W/one.db" --json Hartwig >"$W/hartwig.json"
check "entity Hartwig in the one rail story" [ "$(wc -l <"$W/hartwig.json")" -eq 1 ]
d1=$(sed -n '1s/.*"last_date": "\([^"]*\)".*/\1/p' "$W/hartwig.json")
d2=$(sed -n '2s/.*"last_date": "\([^"]*\)".*/\1/p' "$W/hartwig.json")
check "entity lists newest first ($d1, $d2)" [ ! "$d1" \< "$d2" ]
"$T" entity --db "$W/one.db" "Nobody Atall" >"$W/none.txt" 2>"$W/err7"
check "entity with no story exits 0, says so" grep -q "no story names" "$W/err7"
"$T" entity --db "$W/one.db" "+++" 2>"$W/err8"
rc=$?
check "entity with no letters exits 2 ($rc)" [ $rc -eq 2 ]
check "entity with no letters says so" grep -q "no letters" "$W/err8"

# 7c. Related by a back-reference: two stories four months apart, the
# later one's article naming the earlier one's month ("closed in July").
"$T" ingest --quiet --db "$W/br.db" tests/e2e/backref.jsonl
"$T" export --db "$W/br.db" >"$W/br.jsonl"
br_story() { grep "^{\"id\": \"$1\"" "$W/br.jsonl" | sed -n 's/.*"story": \([0-9]*\).*/\1/p'; }
july=$(br_story bridge-en-1)
nov=$(br_story budget-en-1)
check "the July and November fixtures are two stories ($july, $nov)" \
    sh -c "[ -n '$july' ] && [ '$july' != '$nov' ]"
"$T" show --db "$W/br.db" "$july" >"$W/br-july.txt"
check "the July story lists the November one as after" \
    grep -q "^  $nov  *after " "$W/br-july.txt"
check "with its back-reference" \
    grep -q 'back-reference: "July" in budget-en-1' "$W/br-july.txt"
"$T" show --db "$W/br.db" --json "$nov" | head -n 1 >"$W/br-nov.json"
check "the November story's --json gives the back-reference to July" \
    grep -q '"story": '"$july"', .*"when": "before", .*"backref": {"words": "July", "article": "budget-en-1"}' "$W/br-nov.json"

# 8. A path that does not exist is an error, not a crash.
"$T" ingest --quiet --db "$W/x.db" "$W/nope.jsonl" 2>"$W/err5"
check "missing path fails" [ $? -ne 0 ]
check "missing path named" grep -q "nope.jsonl" "$W/err5"

# 9. eval clusters: each file alone, the files as one stream, and each
# file's articles scored inside that stream (two small sets of two stories).
"$T" eval clusters tests/fixtures/eval/storms.jsonl tests/fixtures/eval/markets.jsonl >"$W/ev.txt" 2>"$W/err6"
check "eval clusters exits 0" [ $? -eq 0 ]
check "eval: each file groups its two stories" [ "$(grep -c '^[a-z]*\.jsonl  *4  *2  *2  *1\.000  *1\.000  *1\.000' "$W/ev.txt")" -eq 2 ]
check "eval: one stream row" grep -q '^all (one stream)  *8  *4  *4 ' "$W/ev.txt"
check "eval: files scored inside the stream" [ "$(grep -c '^  in stream: ' "$W/ev.txt")" -eq 2 ]
check "eval: stream against the files alone" grep -q '^one stream B3 F1 1.000; the files alone, weighted by articles, 1.000' "$W/ev.txt"

# 10. eval clusters --errors: with s2 labelled "fire", gold "fire" is split
# (s3 s4 in one story, s2 in the storm's) and the storm's story mixes.
sed 's/"id": "s2", "story": "storm"/"id": "s2", "story": "fire"/' \
    tests/fixtures/eval/storms.jsonl >"$W/mislabelled.jsonl"
"$T" eval clusters --errors "$W/mislabelled.jsonl" >"$W/everr.txt" 2>"$W/err7"
check "eval --errors exits 0" [ $? -eq 0 ]
check "eval --errors: the split group" grep -qx '  split fire (3 articles): story 2 x2 from s3; story 1 x1 from s2' "$W/everr.txt"
check "eval --errors: the mixed story" grep -qx '  mixed story 1 (2 articles): fire x1 from s2; storm x1 from s1' "$W/everr.txt"
check "eval --errors: the counts" grep -qx '  errors: 1 of 2 gold groups split, 1 of 2 stories mixed' "$W/everr.txt"
"$T" eval clusters --json --errors "$W/mislabelled.jsonl" >"$W/everr.json"
check "eval --errors --json: the split group" grep -q '"split": \[{"gold": "fire", "articles": 3, "pieces": \[{"story": 2, "articles": 2, "first": "s3"}, {"story": 1, "articles": 1, "first": "s2"}\]}\]' "$W/everr.json"
check "eval --errors --json: the mixed story" grep -q '"mixed": \[{"story": 1, "articles": 2, "pieces": \[{"gold": "fire", "articles": 1, "first": "s2"}, {"gold": "storm", "articles": 1, "first": "s1"}\]}\]' "$W/everr.json"
printf '{"id":"z1","story":"a","text":""}\n{"id":"z2","story":"a","title":"Storm in Bergen","text":"Storm Helga hit Bergen harbour."}\n' >"$W/rejected.jsonl"
"$T" eval clusters --errors "$W/rejected.jsonl" >"$W/everr2.txt" 2>"$W/err8"
check "eval --errors: a rejected row is a piece of its own" grep -qx '  split a (2 articles): not stored x1 from z1; story 1 x1 from z2' "$W/everr2.txt"
check "eval --errors: the rejection is reported" grep -q '1 rows rejected' "$W/err8"
check "eval --errors: a clean set lists nothing" [ "$(grep -c '^  split \|^  mixed ' "$W/ev.txt")" -eq 0 ]

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
