#!/bin/sh
# test_query.sh: the story list's query parameters against `tidings serve`
# on the sample corpus: q (full-text search over titles and texts, any
# script, case and accents ignored, user input that looks like FTS5 syntax),
# since, lang, limit and cursor paging with all of them together, a 400
# naming the parameter for each bad value; then that GETs are answered
# while a big POST batch is being added (they read through read-only
# connections, not the writer's lock), and that a :memory: store is read
# through the writer. Prints "N passed, N failed".
CORPUS=samples/corpus/news.jsonl
W=$(mktemp -d /tmp/tidings-query.XXXXXX)
. tests/http/helpers

first_start "$W/q.db"
code=$(post application/x-ndjson "$CORPUS")
check "POST corpus answers 202 (got $code)" [ "$code" = 202 ]

# ids of the stories in the last answer, one a line.
ids() { grep -o '{"id":[0-9]*,"title"' "$W/body" | grep -o '[0-9]*'; }
# n_found QUERY-STRING: the number of stories /v1/stories finds.
n_found() {
    req "$U/v1/stories?limit=500&$1" >/dev/null
    ids | wc -l
}
# The story of an article.
story_of() {
    req "$U/v1/articles/$1" >/dev/null
    sed -n 's/.*"story":\([0-9]*\).*/\1/p' "$W/body"
}
quake=$(story_of quake-tr-en-1)

# 1. q: full-text search.
code=$(req "$U/v1/stories?q=rubble")
check "q finds a word that is only in an article's text (got $code)" \
    sh -c "[ $code = 200 ] && [ \"\$(grep -o '{\"id\":[0-9]*,\"title\"' '$W/body' | grep -o '[0-9]*')\" = '$quake' ]"
check "q=rubble answers one story" has '"total":1,'
# The list's independent sources are counted for the stories shown.
req "$U/v1/stories/$quake" >/dev/null
srcs=$(sed -n 's/.*"copies":{"origin":"[^"]*","independent_sources":\([0-9]*\).*/\1/p' "$W/body")
req "$U/v1/stories?q=rubble" >/dev/null
check "the list shows the story's independent sources (${srcs:-?})" \
    sh -c "[ -n '$srcs' ] && [ '$srcs' -ge 2 ] && grep -q '\"independent_sources\":$srcs}' '$W/body'"
code=$(req "$U/v1/stories?q=s%C3%A9isme%20TURQUIE")
check "q with two words, accents and capitals finds the quake" \
    sh -c "[ $code = 200 ] && grep -q '{\"id\":$quake,' '$W/body'"
code=$(req "$U/v1/stories?q=seisme")
check "q without the accent finds it too" has "{\"id\":$quake,"
code=$(req "$U/v1/stories?q=%D0%95%D0%9A%D0%90%D0%A2%D0%95%D0%A0%D0%98%D0%9D%D0%91%D0%A3%D0%A0%D0%93")
check "q in upper-case Cyrillic (ЕКАТЕРИНБУРГ) finds the Yekaterinburg story" \
    sh -c "[ $code = 200 ] && grep -q '\"total\":1,' '$W/body' && grep -q 'Екатеринбург' '$W/body'"
code=$(req "$U/v1/stories?q=%D0%B7%D0%B5%D0%BC%D0%BB%D0%B5%D1%82%D1%80%D1%8F%D1%81")
check "q is a word prefix (землетряс finds Землетрясение)" has "{\"id\":$quake,"
n=$(n_found "q=quake%20nosuchwordanywhere")
check "every word must match ($n found)" [ "$n" -eq 0 ]
for q in '%22' '%22%22' '(' ')' '*' '^' 'NEAR(quake%20dead)' 'title:quake' \
         'quake%20OR%20x' 'NOT' 'AND' '-' '%27' '%7B' 'quake*' '%5C' '%22quake'; do
    code=$(req "$U/v1/stories?q=$q")
    check "q=$q is plain text, answered 200 (got $code)" [ "$code" = 200 ]
done
n=$(n_found "q=quake%20OR%20nosuchword")
check "OR is a word, not an operator ($n found)" [ "$n" -eq 0 ]
n_all=$(n_found "")
n=$(n_found "q=%20%20")
check "a blank q lists every story ($n of $n_all)" [ "$n" -eq "$n_all" ]
code=$(req "$U/v1/stories?q=%FF")
check "q with invalid UTF-8 answers 400 naming q (got $code)" \
    sh -c "[ $code = 400 ] && grep -q '\"message\":\"q:' '$W/body'"
long=$(head -c 600 /dev/zero | tr '\0' a)
code=$(req "$U/v1/stories?q=$long")
check "q over 512 bytes answers 400 naming q (got $code)" \
    sh -c "[ $code = 400 ] && grep -q '\"message\":\"q:' '$W/body'"

# 2. since: stories whose last activity is at or after it.
req "$U/v1/stories?limit=500" >/dev/null
grep -o '"last_date":"[^"]*"' "$W/body" | cut -d'"' -f4 >"$W/last"
expect=$(awk '$0 >= "2026-11-05T00:00:00Z"' "$W/last" | wc -l)
n=$(n_found "since=2026-11-05")
check "since=DATE keeps stories active on or after it ($n, expected $expect)" \
    sh -c "[ $n -eq $expect ] && [ $n -gt 0 ] && [ $n -lt $n_all ]"
grep -o '"last_date":"[^"]*"' "$W/body" | cut -d'"' -f4 >"$W/last.since"
check "since leaves out undated stories and older ones" \
    sh -c "! grep -q '\"last_date\":null' '$W/body' && [ -z \"\$(awk '\$0 < \"2026-11-05\"' '$W/last.since')\" ]"
edge=$(sort "$W/last" | awk '$0 >= "2026-11-05"' | head -n 1)
expect=$(awk -v e="$edge" '$0 >= e' "$W/last" | wc -l)
n=$(n_found "since=$edge")
check "since=DATE-TIME counts a story whose last article is at that second ($n of $expect)" \
    [ "$n" -eq "$expect" ]
n=$(n_found "since=$(echo "$edge" | sed 's/Z$/%2B01:00/')")
check "since with an offset (+01:00, an hour earlier in UTC) is read as UTC" \
    [ "$n" -eq "$expect" ]
for s in yesterday 2026-13-01 2026-11-05T25:00:00Z '2026-11-05%20junk' 1e9; do
    code=$(req "$U/v1/stories?since=$s")
    check "since=$s answers 400 naming since (got $code)" \
        sh -c "[ $code = 400 ] && grep -q '\"code\":\"bad_param\",\"message\":\"since:' '$W/body'"
done

# 3. lang, limit and the rest of the bad values.
n=$(n_found "lang=ru")
check "lang=ru keeps the stories with a Russian article ($n)" \
    sh -c "[ $n -ge 2 ] && [ $n -lt $n_all ]"
for l in 'e%22n' '12' 'en%20gb' "$(head -c 20 /dev/zero | tr '\0' e)"; do
    code=$(req "$U/v1/stories?lang=$l")
    check "lang=$l answers 400 naming lang (got $code)" \
        sh -c "[ $code = 400 ] && grep -q '\"message\":\"lang:' '$W/body'"
done
for l in 0 501 -1 1x; do
    code=$(req "$U/v1/stories?limit=$l")
    check "limit=$l answers 400 naming limit (got $code)" \
        sh -c "[ $code = 400 ] && grep -q '\"message\":\"limit:' '$W/body'"
done
code=$(req "$U/v1/stories?cursor=1.x")
check "a bad cursor answers 400 naming cursor (got $code)" \
    sh -c "[ $code = 400 ] && grep -q '\"message\":\"cursor:' '$W/body'"

# 4. All together: pages of one story, each after the last one's cursor,
# give the stories one big page gives, in the same order.
filter="q=earthquake&since=2026-10-01T00:00:00Z&lang=en"
req "$U/v1/stories?limit=500&$filter" >/dev/null
ids >"$W/one.page"
cursor=
: >"$W/paged"
i=0
while [ $i -lt 20 ]; do
    code=$(req "$U/v1/stories?limit=1&$filter${cursor:+&cursor=$cursor}")
    [ "$code" = 200 ] || break
    ids >>"$W/paged"
    cursor=$(sed -n 's/.*"cursor":"\([^"]*\)".*/\1/p' "$W/body")
    [ -n "$cursor" ] || break
    i=$((i + 1))
done
check "q+since+lang paged by 1 with cursors = one page ($(wc -l <"$W/paged") of $(wc -l <"$W/one.page"))" \
    sh -c "[ \$(wc -l <'$W/one.page') -ge 2 ] && cmp -s '$W/one.page' '$W/paged'"

# 5. GETs do not wait for ingest: while a big batch is being added (the
# writer holds the engine lock for all of it: the metrics gauge says so),
# the list, a story, an article and the metrics answer, and the batch is
# still in progress afterwards. No timing is assumed: if a GET waited for
# the lock, the batch would be over by the time it answered.
for k in $(seq 1 60); do
    sed "s/^{\"id\": \"/{\"id\": \"slow$k-/" "$CORPUS"
done >"$W/slow.jsonl"
curl -s -o "$W/slow.out" -w '%{http_code}' --max-time 300 \
    -H 'Content-Type: application/x-ndjson' --data-binary "@$W/slow.jsonl" \
    "$U/v1/articles" >"$W/slow.code" 2>/dev/null &
slow=$!
busy=0
i=0
while [ $i -lt 200 ]; do
    req "$U/metrics" >/dev/null
    if has '^tidings_ingest_in_progress 1$'; then busy=1; break; fi
    kill -0 "$slow" 2>/dev/null || break
    sleep 0.05
    i=$((i + 1))
done
check "the big batch is seen holding the writer" [ "$busy" = 1 ]
c1=$(req "$U/v1/stories?limit=5")
c2=$(req "$U/v1/stories/$quake")
c3=$(req "$U/v1/stories?q=rubble")
c4=$(req "$U/v1/articles/quake-tr-en-1")
req "$U/metrics" >/dev/null
check "GETs answer 200 meanwhile ($c1 $c2 $c3 $c4)" \
    [ "$c1$c2$c3$c4" = 200200200200 ]
check "the batch was still being added when they had answered" \
    sh -c "grep -q '^tidings_ingest_in_progress 1$' '$W/body' && kill -0 $slow"
wait "$slow"
check "the big batch then answers 202 (got $(cat "$W/slow.code"))" \
    [ "$(cat "$W/slow.code")" = 202 ]
n=$(n_found "q=rubble")
check "its articles are found once committed ($n story)" [ "$n" -eq 1 ]
req "$U/v1/stories?q=rubble" >/dev/null
check "the quake story grew by the batch" \
    sh -c "grep -q '\"articles\":[0-9][0-9]' '$W/body'"

kill -TERM "$PID"
wait "$PID"
rc=$?
PID=
check "SIGTERM: the server exits 0 (got $rc)" [ "$rc" -eq 0 ]

# 6. A store that cannot be shared (":memory:") is read through the writer.
if start ":memory:"; then
    code=$(post application/x-ndjson "$CORPUS")
    n=$(n_found "q=rubble")
    check "--db :memory: answers searches through the writer ($code, $n story)" \
        sh -c "[ $code = 202 ] && [ $n -eq 1 ]"
    kill -TERM "$PID"
    wait "$PID"
    PID=
else
    bad "the server starts on :memory:"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
