#!/usr/bin/env python3
"""cluster_errors.py: where a clustering run goes wrong, from its decisions.

Usage (a TD_TUNING build; see docs/internals/clustering.md):
    make BUILD=build-tune EXTRA_CFLAGS=-DTD_TUNING build-tune/tidings
    TD_DEBUG=1 build-tune/tidings eval clusters GOLD.jsonl 2> run.log
    python3 tools/cluster_errors.py run.log GOLD.jsonl...

The log holds, per article, "art ID", a "cand" line per scored story and
"doc N best S score X"; the story ids the engine gives are replayed here
(a new story takes the next id), so the engine's decisions can be compared
with the gold labels that the engine never sees. With several gold files
`eval clusters` runs each alone and then all as one stream: the last run
(the stream) is the one read. Prints B3, the gold groups split over
several stories, the stories mixing gold groups, and a bound: each story
merged into its majority gold group (what a perfect story-merging pass,
which joins pieces but never splits, could give). The split groups and
mixed stories alone, without a tuning build: `tidings eval clusters
--errors GOLD.jsonl...`.
"""
import collections
import json
import sys

THRESHOLD = 0.25  # the engine's; a TD_THRESHOLD run needs the same here


def read_gold(paths):
    gold = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    gold[d["id"]] = d.get("story")
    return gold


def replay(log_path):
    """Article id -> story id, for the last run in the log."""
    assign, nxt, cur = {}, 1, None
    with open(log_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("art "):
                cur = line.split()[1]
            elif line.startswith("doc "):
                p = line.split()
                if p[1] == "1":  # a new run starts its counters again
                    assign, nxt = {}, 1
                best, score = int(p[3]), float(p[5])
                if best < 0 or score < THRESHOLD:
                    assign[cur], nxt = nxt, nxt + 1
                else:
                    assign[cur] = best
    return assign


def b3(assign, gold):
    pred, true = collections.defaultdict(set), collections.defaultdict(set)
    for a, s in assign.items():
        pred[s].add(a)
        true[gold[a]].add(a)
    p = r = 0.0
    for a, s in assign.items():
        both = len(pred[s] & true[gold[a]])
        p += both / len(pred[s])
        r += both / len(true[gold[a]])
    p, r = p / len(assign), r / len(assign)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    gold = read_gold(sys.argv[2:])
    assign = {a: s for a, s in replay(sys.argv[1]).items() if a in gold}
    by_gold = collections.defaultdict(collections.Counter)
    by_story = collections.defaultdict(collections.Counter)
    for a, s in assign.items():
        by_gold[gold[a]][s] += 1
        by_story[s][gold[a]] += 1
    print("B3 P %.3f R %.3f F1 %.3f" % b3(assign, gold))
    print("split gold groups (story: articles):")
    for g, c in sorted(by_gold.items()):
        if len(c) > 1:
            print("  %s %s" % (g, dict(c.most_common())))
    print("stories mixing gold groups (group: articles):")
    for s, c in sorted(by_story.items()):
        if len(c) > 1:
            print("  %d %s" % (s, dict(c.most_common())))
    major = {s: c.most_common(1)[0][0] for s, c in by_story.items()}
    merged = {a: major[s] for a, s in assign.items()}
    print("each story merged into its majority group: B3 P %.3f R %.3f "
          "F1 %.3f" % b3(merged, gold))


if __name__ == "__main__":
    main()
