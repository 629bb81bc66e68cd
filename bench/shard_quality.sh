#!/bin/sh
# shard_quality.sh: what sharding the clusterer by language costs in story
# quality, without a cross-shard linker (docs/internals/scale-out.md,
# "Sharding the clusterer"). For each gold-labelled set: one store for the
# whole stream (one clusterer), then one store per detected language (the
# language the single run detected; shards never merge), and the BCubed F1
# of both against the gold stories.
# Usage: bench/shard_quality.sh [DATA_DIR]  (default ../shared/data/stories-dev;
# the multilingual sets wmt21 and meantime)
BUILD=${BUILD:-build}
DATA=${1:-../shared/data/stories-dev}
T="$BUILD/tidings"
W=$(mktemp -d /tmp/tidings-shards.XXXXXX)
trap 'rm -rf "$W"' EXIT

# "id story" pairs of an export (story ids offset by $2 so shards differ).
pairs() {
    sed -n 's/^{"id": "\([^"]*\)", "story": \([0-9]*\),.*/\1 \2/p' "$1" |
        awk -v off="$2" '{ print $1, $2 + off }'
}

# BCubed F1 of "id pred gold" lines: per-article precision and recall.
b3() {
    awk '{ p[NR] = $2; g[NR] = $3; n = NR }
    END { for (i = 1; i <= n; i++) { both = 0; ps = 0; gs = 0
            for (j = 1; j <= n; j++) { ps += p[j] == p[i]; gs += g[j] == g[i];
                                       both += p[j] == p[i] && g[j] == g[i] }
            P += both / ps; R += both / gs }
          P /= n; R /= n; printf "%.3f", 2 * P * R / (P + R) }' "$1"
}

printf '%-10s %6s %7s %10s %10s %8s\n' set articles shards "B3 one" "B3 shards" "stories"
for name in wmt21 meantime; do
    f="$DATA/$name.jsonl"
    [ -f "$f" ] || { echo "shard_quality.sh: no $f" >&2; continue; }
    d="$W/$name"
    mkdir -p "$d"
    # Gold: the last "story" key of each line (the record's own field).
    sed -n 's/^{"id": "\([^"]*\)".*"story": "\{0,1\}\([^",}]*\)"\{0,1\}}$/\1 \2/p' "$f" |
        sort >"$d/gold"
    "$T" ingest --quiet --db "$d/one.db" "$f" || exit 1
    "$T" export --db "$d/one.db" >"$d/one.jsonl"
    pairs "$d/one.jsonl" 0 | sort >"$d/one.pairs"
    # Split the records by the language the single run detected.
    sed -n 's/^{"id": "\([^"]*\)", .*"lang": "\([^"]*\)".*/\1 \2/p' "$d/one.jsonl" >"$d/langs"
    awk -v dir="$d" 'NR == FNR { lang[$1] = $2; next }
        { if (match($0, /^\{"id": "[^"]*"/)) {
              id = substr($0, 9, RLENGTH - 9)
              l = (id in lang) ? lang[id] : "und"
              print > (dir "/shard-" l ".jsonl") } }' "$d/langs" "$f"
    : >"$d/shards.pairs"
    k=0
    for s in "$d"/shard-*.jsonl; do
        k=$((k + 1))
        "$T" ingest --quiet --db "$s.db" "$s" || exit 1
        "$T" export --db "$s.db" >"$s.out"
        pairs "$s.out" $((k * 1000000)) >>"$d/shards.pairs"
    done
    sort "$d/shards.pairs" -o "$d/shards.pairs"
    join "$d/one.pairs" "$d/gold" >"$d/one.both"
    join "$d/shards.pairs" "$d/gold" >"$d/shards.both"
    printf '%-10s %6s %7s %10s %10s %4s/%-4s\n' "$name" "$(wc -l <"$d/one.both")" "$k" \
        "$(b3 "$d/one.both")" "$(b3 "$d/shards.both")" \
        "$(cut -d' ' -f2 "$d/one.pairs" | sort -u | wc -l)" \
        "$(cut -d' ' -f2 "$d/shards.pairs" | sort -u | wc -l)"
done
