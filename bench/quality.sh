#!/bin/sh
# quality.sh: story quality on every public set at once, as one table.
# Usage: bench/quality.sh [DATA_DIR]   (default ../shared/data/stories-dev)
# Each clustering set is ingested alone into a fresh store, then all of them
# together as one stream; the Telegram contest pairs are scored as pairs.
BUILD=${BUILD:-build}
DATA=${1:-../shared/data/stories-dev}
T="$BUILD/tidings"
if [ ! -d "$DATA" ]; then
    echo "quality.sh: no data at $DATA (give the stories-dev folder)" >&2
    exit 2
fi
sets=""
for s in ecbplus gvc basil meantime wmt21; do
    [ -f "$DATA/$s.jsonl" ] && sets="$sets $DATA/$s.jsonl"
done
echo "== clusters: each set alone, then all as one stream"
"$T" eval clusters $sets || exit 1
en=""
for s in ecbplus gvc basil; do
    [ -f "$DATA/$s.jsonl" ] && en="$en $DATA/$s.jsonl"
done
echo "== the English sets as one stream"
"$T" eval clusters $en | sed -n '/one stream/,$p' || exit 1
if [ -f "$DATA/tgcontest-docs.jsonl" ] && [ -f "$DATA/tgcontest-pairs.jsonl" ]; then
    echo "== pairs"
    "$T" eval pairs "$DATA/tgcontest-docs.jsonl" "$DATA/tgcontest-pairs.jsonl" || exit 1
fi
if [ -d "$DATA/../seeds" ]; then
    echo "== seeds (000-003 are one story, 004 another)"
    db=$(mktemp -d /tmp/tidings-seeds.XXXXXX)
    "$T" ingest --quiet --db "$db/s.db" "$DATA/../seeds"
    "$T" export --db "$db/s.db" | sed -n 's/^{"id": "\([^"]*\)", "story": \([0-9]*\),.*/  \1 -> story \2/p'
    rm -rf "$db"
fi
