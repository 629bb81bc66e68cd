#!/bin/sh
# test_http.sh: `tidings serve` end to end with curl on a free loopback port:
# the sample corpus posted as JSON Lines and read back, the web page, bad
# input (malformed JSON, wrong type, oversized, wrong method, traversal,
# invalid UTF-8, a client that stops mid-body), durability across kill -9,
# and a clean exit on SIGTERM. Every curl is bounded; the server is always
# killed at the end. Prints "N passed, N failed".
. tests/http/helpers
CORPUS=samples/corpus/news.jsonl
W=$(mktemp -d /tmp/tidings-http.XXXXXX)

first_start "$W/a.db"

# 1. The sample corpus as one JSON Lines batch: 202, every id stored.
code=$(post application/x-ndjson "$CORPUS")
check "POST corpus answers 202 (got $code)" [ "$code" = 202 ]
sed -n 's/^{"id": "\([^"]*\)".*/\1/p' "$CORPUS" | sort >"$W/ids"
grep -o '"id":"[^"]*","status":"stored"' "$W/body" |
    sed 's/^"id":"\([^"]*\)".*/\1/' | sort >"$W/stored"
n_ids=$(wc -l <"$W/ids")
check "every posted id is stored ($(wc -l <"$W/stored") of $n_ids)" \
    cmp -s "$W/ids" "$W/stored"
check "the results count the stored articles" has "\"stored\":$n_ids"

# The copied quake text (a content farm's copy of quake-tr-en-1) as one JSON
# object, so the quake story has a copy group.
awk 'BEGIN { printf "{\"id\": \"quake-farm-copy.txt\", \"text\": \"" }
     { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); printf "%s\\n", $0 }
     END { print "\"}" }' samples/corpus/txt/quake-farm-copy.txt >"$W/farm.json"
code=$(post application/json "$W/farm.json")
check "POST one JSON object answers 202 (got $code)" \
    sh -c "[ $code = 202 ] && grep -q '\"status\":\"stored\"' '$W/body'"
quake=$(sed -n 's/.*"status":"stored","story":\([0-9]*\).*/\1/p' "$W/body")

# 2. Read back: the stories, newest activity first (undated last); one
# story with its articles, summary, timeline and copies.
code=$(req "$U/v1/stories?limit=500")
check "GET /v1/stories answers 200" [ "$code" = 200 ]
grep -o '"articles":[0-9]*' "$W/body" | cut -d: -f2 >"$W/sizes"
total=$(awk '{ s += $1 } END { print s + 0 }' "$W/sizes")
check "the stories hold every article ($total of $n_ids + 1)" \
    [ "$total" -eq $((n_ids + 1)) ]
grep -o '"last_date":[^,]*' "$W/body" | sed 's/null/"0000"/' >"$W/last"
sort -r "$W/last" >"$W/last.sorted"
check "stories come newest activity first, undated last" \
    cmp -s "$W/last" "$W/last.sorted"
first=$(grep -o '"stories":\[{"id":[0-9]*' "$W/body" | grep -o '[0-9]*$')
code=$(req "$U/v1/stories/$first")
check "GET /v1/stories/$first answers 200" [ "$code" = 200 ]
n_arts=$(grep -o '"snippet":' "$W/body" | wc -l)
check "the newest story lists its articles ($n_arts)" [ "$n_arts" -ge 2 ]
check "the story has a timeline" has '"timeline":\[{"date":"'
check "the story has a summary" has '"summary":\[{"text":"[^"]'
check "the story has quotes, entities and related stories" \
    sh -c "grep -q '\"quotes\":\[' '$W/body' && grep -q '\"entities\":\[{\"name\":' '$W/body' && grep -q '\"related\":\[' '$W/body'"
code=$(req "$U/v1/stories/$quake")
check "GET the quake story answers 200 (story ${quake:-?}, got $code)" [ "$code" = 200 ]
check "the quake story's origin is quake-tr-en-1" \
    has '"copies":{"origin":"quake-tr-en-1","independent_sources":2,'
check "the farm text is in the origin's copy group" \
    has '"origin":"quake-tr-en-1","members":\[{"id":"quake-tr-en-1",.*{"id":"quake-farm-copy.txt",[^}]*"copy_of":"quake-tr-en-1"'
check "the text copy edge names both texts" \
    has '{"group":[0-9]*,"from":"quake-tr-en-1","to":"quake-farm-copy.txt","kind":"text"'
check "a translation edge names both texts" \
    has '{"group":[0-9]*,"from":"quake-tr-en-1","to":"quake-tr-de-1","kind":"translation"'
code=$(req "$U/v1/stories?q=LYON&limit=5")
check "search is case-insensitive over titles" has '"title":"Lyon'
code=$(req "$U/v1/stories?limit=2")
check "a page of 2 points to the next" has '"next":2,"cursor":"[0-9]*\.[0-9]*"'
cursor=$(sed -n 's/.*"cursor":"\([^"]*\)".*/\1/p' "$W/body")
req "$U/v1/stories?limit=2&offset=2" >/dev/null
grep -o '"stories":\[{"id":[0-9]*' "$W/body" >"$W/page2.offset"
code=$(req "$U/v1/stories?limit=2&cursor=$cursor")
grep -o '"stories":\[{"id":[0-9]*' "$W/body" >"$W/page2.cursor"
check "the cursor gives the same next page as the offset (got $code)" \
    sh -c "[ $code = 200 ] && [ -s '$W/page2.cursor' ] && cmp -s '$W/page2.offset' '$W/page2.cursor'"
code=$(req "$U/v1/stories?cursor=nonsense")
check "a bad cursor answers 400 (got $code)" [ "$code" = 400 ]
code=$(req "$U/v1/articles/quake-tr-en-1")
check "GET /v1/articles/{id} answers 200 with the text" \
    sh -c "[ $code = 200 ] && grep -q '\"text\":\"A magnitude 6.4' '$W/body'"
# 3. The web page.
code=$(req "$U/")
check "GET / answers 200" [ "$code" = 200 ]
check "the page loads the app" has '<script src="/app.js"'
code=$(req "$U/app.js")
check "GET /app.js serves the app" sh -c "[ $code = 200 ] && grep -q renderStory '$W/body'"
code=$(req "$U/style.css")
check "GET /style.css answers 200" [ "$code" = 200 ]

# 4. Bad input: the right status, a JSON error, and the server keeps going.
printf '\n{"id": "x", "text": \n' >"$W/malformed.jsonl"
code=$(post application/x-ndjson "$W/malformed.jsonl")
check "malformed JSON answers 400 (got $code)" [ "$code" = 400 ]
check "the 400 names the line" has '"code":"bad_json","message":"line 2:'
printf '{"id": "a", "text": "x"}' >"$W/one.json"
code=$(post text/plain "$W/one.json")
check "a wrong content type answers 415 (got $code)" [ "$code" = 415 ]
head -c 17000000 /dev/zero | tr '\0' ' ' >"$W/big.json"
code=$(post application/json "$W/big.json")
check "a body over the cap answers 413 (got $code)" [ "$code" = 413 ]
code=$(req -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/json' \
        --data-binary "@$W/big.json" "$U/v1/articles")
check "a chunked body over the cap answers 413 (got $code)" [ "$code" = 413 ]
code=$(req -X DELETE "$U/v1/stories")
check "DELETE /v1/stories answers 405 (got $code)" [ "$code" = 405 ]
code=$(req "$U/v1/articles")
check "GET /v1/articles answers 405 (got $code)" [ "$code" = 405 ]
code=$(req --path-as-is "$U/v1/../etc/passwd")
check "/v1/../etc/passwd is refused (got $code)" \
    sh -c "[ $code = 400 ] || [ $code = 404 ]"
code=$(req --path-as-is "$U/v1/articles/..%2f..%2fetc%2fpasswd")
check "an encoded traversal is refused (got $code)" \
    sh -c "[ $code = 400 ] || [ $code = 404 ]"
code=$(req "$U/nope")
check "an unknown path answers 404 (got $code)" [ "$code" = 404 ]
check "errors are JSON" has '{"error":{"code":"not_found"'
code=$(req "$U/v1/stories/99999")
check "an unknown story answers 404 (got $code)" [ "$code" = 404 ]
code=$(req "$U/v1/entities/%D0%9C%D0%B5%D0%BB%D1%8C%D0%BD%D0%B8%D0%BA%D0%BE%D0%B2")
check "GET /v1/entities/Мельников answers 200 (got $code)" [ "$code" = 200 ]
check "the entity's key is Latin and it has stories" \
    has '"key":"melnikov","stories":\[{"id":[0-9]*,"title":"[^"]*","articles":[0-9]*,"last_date":"2026-'
code=$(req "$U/v1/entities/Nobody%20Atall")
check "an entity no story names answers 200 with none (got $code)" \
    sh -c "[ $code = 200 ] && grep -q '\"stories\":\[\]' '$W/body'"
code=$(req "$U/v1/entities/%2B%2B")
check "an entity name without letters answers 400 (got $code)" [ "$code" = 400 ]
code=$(req "$U/v1/articles/no-such-id")
check "an unknown article answers 404 (got $code)" [ "$code" = 404 ]
code=$(req "$U/v1/stories?limit=abc")
check "a bad limit answers 400 (got $code)" [ "$code" = 400 ]
printf '{"id": "bad-utf8", "title": "Bad", "text": "caf\377\376 text"}\n{"id": "good-1", "title": "A quiet day in the garden", "text": "Nothing much happened in the garden today; the roses bloomed."}\n' \
    >"$W/utf8.jsonl"
code=$(post application/x-ndjson "$W/utf8.jsonl")
check "a batch with invalid UTF-8 answers 202 (got $code)" [ "$code" = 202 ]
check "the invalid UTF-8 record is rejected" \
    has '"id":"bad-utf8","status":"rejected"'
check "the valid record beside it is stored" has '"id":"good-1","status":"stored"'
code=$(post application/x-ndjson "$W/utf8.jsonl")
check "posting again reports the duplicate id" has '"id":"good-1","status":"duplicate"'
# The caps on records per POST (MAX_RECORDS, server/ingest.c), on limit=
# (MAX_LIMIT, server/api.c) and on the request head (SRV_MAX_HEAD,
# server/server.h): each answered with its status, the server still up.
awk 'BEGIN { for (i = 0; i < 50001; i++) print "{}" }' >"$W/many.jsonl"
code=$(post application/x-ndjson "$W/many.jsonl")
check "50001 JSON Lines records answer 413 (got $code)" \
    sh -c "[ $code = 413 ] && grep -q '\"code\":\"too_large\"' '$W/body'"
awk 'BEGIN { printf "["; for (i = 0; i < 50001; i++) printf "%s{}", i ? "," : ""; print "]" }' \
    >"$W/many.json"
code=$(post application/json "$W/many.json")
check "an array of 50001 records answers 413 (got $code)" [ "$code" = 413 ]
code=$(req "$U/v1/stories?limit=501")
check "limit=501 answers 400 (got $code)" [ "$code" = 400 ]
long=$(head -c 40000 /dev/zero | tr '\0' a)
code=$(req "$U/v1/stories?q=$long")
check "a 40 kB URL answers 414 (got $code)" [ "$code" = 414 ]
code=$(req -H "X-Long: $long" "$U/v1/stories")
check "a 40 kB header answers 431 (got $code)" [ "$code" = 431 ]
args=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "a%d=1&", i }')
code=$(req "$U/v1/stories?${args}limit=5")
check "1000 query parameters are refused (got $code)" [ "$code" != 200 ]
# A client that stops mid-body: 1 MB at 20 kB/s, given up after 1 s.
head -c 1000000 /dev/zero | tr '\0' ' ' >"$W/slow.json"
curl -s -o /dev/null --max-time 1 --limit-rate 20k -H 'Content-Type: application/json' \
    --data-binary "@$W/slow.json" "$U/v1/articles" 2>/dev/null
code=$(req "$U/healthz")
check "the server still answers /healthz after all that (got $code)" [ "$code" = 200 ]
check "the server did not crash" kill -0 "$PID"
code=$(req "$U/metrics")
check "GET /metrics counts articles" has '^tidings_articles_ingested_total 36$'
check "GET /metrics counts requests by code" has '^tidings_http_requests_total{code="415"} 1$'
expected=$((n_ids + 2))

# 5. Durability: a batch that got 202 survives kill -9; nothing doubles.
sed 's/^{"id": "/{"id": "dur-/' "$CORPUS" >"$W/dur.jsonl"
code=$(post application/x-ndjson "$W/dur.jsonl")
check "the durability batch answers 202 (got $code)" [ "$code" = 202 ]
n_dur=$(grep -o '"status":"stored"' "$W/body" | wc -l)
expected=$((expected + n_dur))
# A second, bigger batch is in flight when the server is killed: if it got
# its 202 it must all be there; if not, none of it was confirmed, and what
# is there must still not be doubled.
for k in $(seq 1 60); do
    sed "s/^{\"id\": \"/{\"id\": \"late$k-/" "$CORPUS"
done >"$W/late.jsonl"
n_late=$(wc -l <"$W/late.jsonl")
curl -s -o "$W/late.out" -w '%{http_code}' --max-time 10 \
    -H 'Content-Type: application/x-ndjson' --data-binary "@$W/late.jsonl" \
    "$U/v1/articles" >"$W/late.code" 2>/dev/null &
late=$!
sleep 0.5
kill -9 "$PID"
wait "$PID" 2>/dev/null
wait "$late" 2>/dev/null
PID=
if [ "$(cat "$W/late.code")" = 202 ]; then
    expected=$((expected + $(grep -o '"status":"stored"' "$W/late.out" | wc -l)))
    late_ok=1
    n_late=0
else
    late_ok=0
fi
if start "$W/a.db"; then
    ok
    missing=0
    for id in $(sed -n 's/^{"id": "\([^"]*\)".*/\1/p' "$W/dur.jsonl"); do
        [ "$(req "$U/v1/articles/$id")" = 200 ] || missing=$((missing + 1))
    done
    check "every id of the 202 is there after kill -9 ($missing missing)" \
        [ "$missing" -eq 0 ]
    if [ "$late_ok" = 1 ]; then
        code=$(req "$U/v1/articles/late60-quake-tr-en-1")
        check "the batch in flight got 202 and is there" [ "$code" = 200 ]
    fi
    req "$U/metrics" >/dev/null
    stored=$(sed -n 's/^tidings_articles \([0-9]*\)$/\1/p' "$W/body")
    check "no article lost or doubled ($stored stored, $expected confirmed, \
$n_late unconfirmed)" \
        sh -c "[ ${stored:-0} -ge $expected ] && [ ${stored:-0} -le $((expected + n_late)) ]"
    code=$(post application/x-ndjson "$W/late.jsonl")
    req "$U/metrics" >/dev/null
    after=$(sed -n 's/^tidings_articles \([0-9]*\)$/\1/p' "$W/body")
    all=$((expected + $(wc -l <"$W/late.jsonl")))
    [ "$late_ok" = 1 ] && all=$expected
    check "re-posting the killed batch leaves each id once ($after of $all)" \
        [ "${after:-0}" -eq "$all" ]
    code=$(post application/x-ndjson "$W/dur.jsonl")
    check "re-posting the batch finds every id a duplicate" \
        sh -c "[ $code = 202 ] && grep -q '\"stored\":0,\"duplicates\":$n_ids' '$W/body'"
    # Two stories four months apart (tests/e2e/backref.jsonl): the later one's
    # article names the earlier one's month, a back-reference in both.
    code=$(post application/x-ndjson tests/e2e/backref.jsonl)
    check "POST the back-reference stories answers 202 (got $code)" [ "$code" = 202 ]
    req "$U/v1/articles/bridge-en-1" >/dev/null
    bridge=$(grep -o '"story":[0-9]*' "$W/body" | grep -o '[0-9]*$')
    code=$(req "$U/v1/stories/$bridge")
    check "the July story lists the November one with its back-reference" \
        has '"when":"after","shared":\[[^]]*\],"backref":{"words":"July","article":"budget-en-1"}'
    # 6. SIGTERM: stop and exit 0.
    kill -TERM "$PID"
    rc=0
    i=0
    while kill -0 "$PID" 2>/dev/null && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    wait "$PID"
    rc=$?
    PID=
    check "SIGTERM: the server exits 0 (got $rc)" [ "$rc" -eq 0 ]
    check "SIGTERM: it says it stopped" grep -q 'tidings serve: stopped' "$W/log"
else
    bad "the server restarts on the same store"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
