#!/bin/sh
# test_stream.sh: the Kafka commands end to end as separate processes on a
# `tidings kafka-mock` cluster: produce the sample corpus, two workers, a
# clusterer; the export equals that of `tidings ingest`. Then bad options.
# Prints "N passed, N failed". docs/internals/scale-out.md.
BUILD=${BUILD:-build}
T="$BUILD/tidings"
W=$(mktemp -d /tmp/tidings-stream.XXXXXX)
mock=
cleanup() {
    [ -n "$mock" ] && kill "$mock" 2>/dev/null && wait "$mock" 2>/dev/null
    rm -rf "$W"
}
trap cleanup EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { # check DESCRIPTION COMMAND...
    d=$1; shift
    if "$@"; then ok; else bad "$d"; fi
}

"$T" kafka-mock --topic raw:4 --topic analyzed:4 >"$W/brokers" 2>"$W/mock.err" &
mock=$!
i=0
while [ ! -s "$W/brokers" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
B=$(cat "$W/brokers")
check "kafka-mock prints its brokers ($B)" [ -n "$B" ]

"$T" produce --brokers "$B" --topic raw samples/corpus 2>"$W/produce.err"
check "produce exits 0" [ $? -eq 0 ]
check "produce sends 39 records" grep -q "produced 39 records (0 rejected)" "$W/produce.err"

"$T" worker --brokers "$B" --in raw --out analyzed --idle-exit 2000 2>"$W/w1.err" &
w1=$!
"$T" worker --brokers "$B" --in raw --out analyzed --idle-exit 2000 2>"$W/w2.err" &
w2=$!
"$T" cluster --brokers "$B" --in analyzed --db "$W/stream.db" --until-seq 39 \
    --idle-exit 30000 2>"$W/cluster.err"
check "cluster exits 0" [ $? -eq 0 ]
check "cluster stores 39 articles" grep -q "cluster: 39 articles stored (0 rejected" "$W/cluster.err"
wait "$w1"
check "worker 1 exits 0" [ $? -eq 0 ]
wait "$w2"
check "worker 2 exits 0" [ $? -eq 0 ]
n1=$(sed -n 's/^worker: \([0-9]*\) records.*/\1/p' "$W/w1.err")
n2=$(sed -n 's/^worker: \([0-9]*\) records.*/\1/p' "$W/w2.err")
check "the workers handled every record ($n1 + $n2)" [ $((n1 + n2)) -ge 39 ]

"$T" ingest --quiet --db "$W/ingest.db" samples/corpus
"$T" export --db "$W/ingest.db" >"$W/ingest.jsonl"
"$T" export --db "$W/stream.db" >"$W/stream.jsonl"
check "stream export equals ingest export" cmp -s "$W/ingest.jsonl" "$W/stream.jsonl"

# A clusterer started again has nothing left to do: everything is stored.
"$T" cluster --brokers "$B" --in analyzed --db "$W/stream.db" --idle-exit 500 \
    2>"$W/cluster2.err"
check "a second clusterer stores nothing new" grep -q "cluster: 0 articles stored" "$W/cluster2.err"
# It starts at the committed offsets: what it reads again can only be the
# workers' own repeats (at least once: a rebalance under load may make a
# worker analyse a record twice), which the first clusterer, stopping at
# seq 39, had no need to read; without the commit it would be all 39.
replayed=$(sed -n 's/.* \([0-9]*\) replayed messages skipped.*/\1/p' "$W/cluster2.err")
check "it starts at the committed offsets ($replayed read again, workers repeated $((n1 + n2 - 39)))" \
    [ "${replayed:-999999}" -le $((n1 + n2 - 39)) ]
"$T" export --db "$W/stream.db" >"$W/stream2.jsonl"
check "the store is unchanged" cmp -s "$W/ingest.jsonl" "$W/stream2.jsonl"

# Bad options are usage errors, not crashes.
"$T" worker --in raw --out analyzed 2>/dev/null
check "worker without --brokers exits 2" [ $? -eq 2 ]
"$T" cluster --brokers "$B" 2>/dev/null
check "cluster without --in exits 2" [ $? -eq 2 ]
"$T" worker --brokers "$B" --in raw --out analyzed --idle-exit soon 2>/dev/null
check "a non-number --idle-exit exits 2" [ $? -eq 2 ]
"$T" produce --brokers "$B" --topic raw 2>/dev/null
check "produce without a path exits 2" [ $? -eq 2 ]
"$T" kafka-mock --topic nopartitions 2>/dev/null
check "kafka-mock --topic without :N exits 2" [ $? -eq 2 ]

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
