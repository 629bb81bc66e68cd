#!/bin/sh
# run.sh: runs the benchmarks (`make bench` calls it with BUILD set): the
# engine's ingest, the dedup index, the story view, the Kafka path on the
# mock cluster (bench/stream_bench), ingest into PostgreSQL against SQLite
# (bench/pg_bench.sh), then the HTTP load test (bench/http.sh).
# Builds nothing: make has built $BUILD/bench/bench. Sizes come from
# BENCH_SIZES (comma-separated, k/M suffixes allowed); extra arguments are
# passed to bench (e.g. --db :memory:, --seed 7, --size 1500).
# See docs/internals/bench.md.
set -eu

BUILD=${BUILD:-build}
BENCH_SIZES=${BENCH_SIZES:-10000,100000,1000000}
bin="$BUILD/bench/bench"

if [ ! -x "$bin" ]; then
    echo "bench/run.sh: $bin not found; run 'make bench'" >&2
    exit 1
fi

case ",$BENCH_SIZES," in
*,1000000,* | *,1M,* | *,1m,*)
    echo "note: the 1M-article run takes several minutes;" \
         "BENCH_SIZES=10000,100000 for a quick look" >&2 ;;
esac

"$bin" --sizes "$BENCH_SIZES" "$@" || exit 1

# The near-duplicate index alone (lib/dedup): docs/s, bytes per document,
# query latency, planted copies found.
echo
"$BUILD/bench/dedup_bench" $(echo "$BENCH_SIZES" | tr ',' ' ' | sed 's/[kK]/000/g; s/[mM]/000000/g')

# Building the story view of a 500-article story (lib/story/view.c).
echo
"$BUILD/bench/view_bench"

# The Kafka path on librdkafka's mock cluster (docs/internals/scale-out.md):
# 1 and 2 workers, the clusterer alone, against ingest in the same run.
echo
n=${STREAM_BENCH_N:-2000}
stream_in=$(mktemp /tmp/tidings_stream_XXXXXX.jsonl)
"$BUILD/bench/gen" "$n" --seed 1 > "$stream_in"
"$BUILD/bench/stream_bench" "$stream_in"
rc=$?
rm -f "$stream_in"
[ $rc -eq 0 ] || exit $rc

# The store: ingest into PostgreSQL against SQLite, same run (skipped
# without PostgreSQL's server binaries).
echo
BUILD="$BUILD" sh bench/pg_bench.sh 10000

# The HTTP server under load (bench/http.sh): articles/s through POST,
# requests/s and p50/p99 latency of the reads, the server on one core.
echo
BUILD="$BUILD" sh bench/http.sh
