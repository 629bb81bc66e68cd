#!/bin/sh
# http.sh: load test of `tidings serve` on loopback, the server pinned to one
# core (taskset -c 0), the load generator on another (wrk from Debian,
# pinned to core 1). `make bench` runs it after the engine benchmarks;
# `make bench-http` runs it alone. Bounded: a few seconds a phase.
#   1. ingest: N synthetic articles (build/bench/gen) POSTed to
#      /v1/articles in JSON Lines batches of B, one after the other, each
#      answered 202 after its commit: articles/s over the wall time;
#   2. GET /v1/stories (the first page of 50, newest first);
#   3. GET /v1/stories/{id} over the stories of the first page, in turn;
#   4. GET /v1/stories?q=WORD, a word of the stream;
#   each read phase: wrk -t2 -cC -dD --latency, printing requests/s, p50
#   and p99 latency.
# Settings: BENCH_HTTP_ARTICLES (5000), BENCH_HTTP_BATCH (500),
# BENCH_HTTP_SECONDS (5), BENCH_HTTP_CONNECTIONS (8). See
# docs/internals/bench.md ("HTTP load").
set -u

BUILD=${BUILD:-build}
N=${BENCH_HTTP_ARTICLES:-5000}
BATCH=${BENCH_HTTP_BATCH:-500}
SECONDS_EACH=${BENCH_HTTP_SECONDS:-5}
CONNS=${BENCH_HTTP_CONNECTIONS:-8}
T="$BUILD/tidings"
GEN="$BUILD/bench/gen"

for tool in wrk taskset curl; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "bench/http.sh: $tool not found (make deps installs it)" >&2
        exit 1
    fi
done
if [ ! -x "$T" ] || [ ! -x "$GEN" ]; then
    echo "bench/http.sh: $T or $GEN missing; run 'make bench'" >&2
    exit 1
fi
cores=$(nproc)
SERVER_CPU=0
CLIENT_CPU=$((cores > 1 ? 1 : 0))

W=$(mktemp -d /tmp/tidings-bench-http.XXXXXX)
PID=
cleanup() {
    [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

now() { date +%s.%N; }

: >"$W/log"
taskset -c $SERVER_CPU "$T" serve --db "$W/bench.db" --port 0 2>"$W/log" &
PID=$!
U=
i=0
while [ $i -lt 100 ] && [ -z "$U" ]; do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$W/log")
    [ -n "$port" ] && U="http://127.0.0.1:$port"
    sleep 0.1
    i=$((i + 1))
done
if [ -z "$U" ]; then
    cat "$W/log" >&2
    echo "bench/http.sh: the server did not start" >&2
    exit 1
fi

echo "HTTP load: server on CPU $SERVER_CPU (taskset), client on CPU" \
     "$CLIENT_CPU, $cores CPUs; $N articles, batches of $BATCH;" \
     "reads: wrk -t2 -c$CONNS -d${SECONDS_EACH}s"

# 1. Ingest through POST. The stream is generated before the clock starts.
"$GEN" "$N" --seed 11 >"$W/stream.jsonl"
split -l "$BATCH" "$W/stream.jsonl" "$W/batch."
stored=0
t0=$(now)
for b in "$W"/batch.*; do
    code=$(taskset -c $CLIENT_CPU curl -s -o "$W/out" -w '%{http_code}' \
           --max-time 300 -H 'Content-Type: application/x-ndjson' \
           --data-binary "@$b" "$U/v1/articles")
    if [ "$code" != 202 ]; then
        echo "bench/http.sh: a batch answered $code" >&2
        head -c 300 "$W/out" >&2
        exit 1
    fi
    stored=$((stored + $(grep -o '"status":"stored"' "$W/out" | wc -l)))
done
t1=$(now)
awk -v n="$stored" -v a="$t0" -v b="$t1" -v batch="$BATCH" 'BEGIN {
    printf "%-34s %8d articles in %.2f s: %.0f articles/s (%.1f ms a batch of %d)\n",
        "POST /v1/articles", n, b - a, n / (b - a),
        (b - a) * 1000 / (n / batch), batch }'

req() { curl -s --max-time 30 "$U$1"; }
n_stories=$(req "/v1/stories?limit=1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
echo "store: $stored articles, ${n_stories:-?} stories"

# wrk_run LABEL URL [LUA]: one read phase.
wrk_run() {
    label=$1 url=$2
    shift 2
    taskset -c $CLIENT_CPU wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" --latency \
        "$@" "$url" >"$W/wrk.out" 2>&1
    awk -v label="$label" '
        /Latency Distribution/ { dist = 1; next }
        dist && $1 == "50%" { p50 = $2 }
        dist && $1 == "99%" { p99 = $2 }
        /^Requests\/sec:/ { rps = $2 }
        /Non-2xx or 3xx responses:/ { bad = $NF }
        / requests in / { n = $1 }
        END {
            printf "%-34s %8.0f req/s  p50 %8s  p99 %8s  (%s requests%s)\n",
                label, rps, p50, p99, n, bad ? ", " bad " not 2xx" : ""
        }' "$W/wrk.out"
}

# 2. The story list.
wrk_run "GET /v1/stories" "$U/v1/stories"

# 3. One story, over the first page's stories in turn.
ids=$(req "/v1/stories?limit=50" | grep -o '{"id":[0-9]*,"title"' |
      grep -o '[0-9]*' | tr '\n' ',' | sed 's/,$//')
cat >"$W/story.lua" <<EOF
local ids = {$ids}
local i = 0
request = function()
    i = i % #ids + 1
    return wrk.format("GET", "/v1/stories/" .. ids[i])
end
EOF
wrk_run "GET /v1/stories/{id}" "$U/" -s "$W/story.lua"

# 4. A search: a word of the first story's title.
word=$(req "/v1/stories?limit=1" | sed -n 's/.*"title":"\([^" ]*\).*/\1/p')
wrk_run "GET /v1/stories?q=$word" "$U/v1/stories?q=$word"

kill -TERM "$PID"
wait "$PID" 2>/dev/null
PID=
