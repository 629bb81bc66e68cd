#!/bin/sh
# extract_speed.sh: extraction throughput of one or more tidings binaries,
# measured in the same run: each binary runs `extract --json --stats` over
# the same files ROUNDS times, interleaved, and the median of the wall
# clock and of the CPU time (perf stat's task-clock, whole process, start-up
# included; GNU time's 10 ms user + sys without perf) is printed as pages/s
# and MB/s (MB of HTML after gunzip, as the tool counts them). On a shared
# machine the CPU figure is the one other programs do not inflate.
# Usage: sh bench/extract_speed.sh [-n ROUNDS] BIN... -- FILE...
set -eu
export LC_ALL=C
rounds=7
if [ "${1:-}" = -n ]; then rounds=$2; shift 2; fi
bins=
while [ $# -gt 0 ] && [ "$1" != -- ]; do bins="$bins $1"; shift; done
[ "${1:-}" = -- ] && shift
[ -n "$bins" ] && [ $# -gt 0 ] || { echo "usage: $0 [-n ROUNDS] BIN... -- FILE..." >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
r=0
while [ $r -lt "$rounds" ]; do
    k=0
    for b in $bins; do
        k=$((k + 1))
        if command -v perf >/dev/null 2>&1; then
            perf stat -x, -e task-clock -o "$tmp/cpu" "$b" extract --json \
                --stats "$@" >/dev/null 2>"$tmp/err"
            awk -F, '/task-clock/ { printf "cpu %f 0\n", $1 / 1000 }' \
                "$tmp/cpu" >>"$tmp/err"
        else
            /usr/bin/time -f 'cpu %U %S' "$b" extract --json --stats "$@" \
                >/dev/null 2>"$tmp/err"
        fi
        # "85 pages, 16.1 MB in 0.412 s: ..." then "cpu SECONDS SECONDS"
        awk '/ pages, / { p = $1; mb = $3; s = $6 }
             /^cpu / { print p, mb, s, $2 + $3 }' "$tmp/err" >>"$tmp/$k"
    done
    r=$((r + 1))
done
k=0
for b in $bins; do
    k=$((k + 1))
    sort -k3,3g "$tmp/$k" | awk -v n="$rounds" 'NR == int((n + 1) / 2) {
        printf "wall %.3f s: %4.0f pages/s %6.1f MB/s   ", $3, $1 / $3, $2 / $3 }'
    sort -k4,4g "$tmp/$k" | awk -v n="$rounds" -v b="$b" 'NR == int((n + 1) / 2) {
        printf "cpu %.3f s: %4.0f pages/s %6.1f MB/s   %s\n", $4, $1 / $4, $2 / $4, b }'
done
