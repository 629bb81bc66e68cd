#!/usr/bin/env python3
"""xling_pairs.py: cross-language figures of one clustering set.

Usage: TIDINGS=build/tidings python3 tools/xling_pairs.py [SET.jsonl]
(default ../shared/data/stories-dev/wmt21.jsonl). Ingests the set alone
into a fresh store and prints
  - recall of same-story pairs per language pair (pairs in brackets),
  - the false pairs (different gold groups, same story) by language pair,
  - translated copies: pairs across languages in one gold group (in these
    sets: translations of one another) that share a copy group, recall and
    precision.
"""
import collections
import itertools
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    here, '../../shared/data/stories-dev/wmt21.jsonl')
tidings = os.environ.get('TIDINGS', os.path.join(here, '../build/tidings'))
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 's.db')
    subprocess.run([tidings, 'ingest', '--quiet', '--db', db, path],
                   check=False)
    out = subprocess.run([tidings, 'export', '--db', db], check=True,
                         capture_output=True, text=True).stdout
docs = [json.loads(line) for line in open(path)]
pred = {r['id']: r for r in map(json.loads, out.splitlines())}
recall = collections.defaultdict(lambda: [0, 0])
false_pairs = collections.Counter()
copy_tp = copy_fp = copy_gold = 0
for a, b in itertools.combinations(docs, 2):
    key = tuple(sorted((a['lang'], b['lang'])))
    pa, pb = pred[a['id']], pred[b['id']]
    same_gold = a.get('story') is not None and a['story'] == b['story']
    if same_gold:
        recall[key][1] += 1
        recall[key][0] += pa['story'] == pb['story']
    elif pa['story'] == pb['story']:
        false_pairs[key] += 1
    if a['lang'] != b['lang']:
        same_copy = pa['copy_group'] == pb['copy_group']
        copy_gold += same_gold
        copy_tp += same_gold and same_copy
        copy_fp += same_copy and not same_gold
print('recall by language pair:', ' '.join(
    '%s-%s %.2f (%d)' % (k[0], k[1], ok / n, n)
    for k, (ok, n) in sorted(recall.items(), key=lambda x: -x[1][1])))
print('false pairs', sum(false_pairs.values()), false_pairs.most_common(8))
print('translated copies across languages: recall %.3f precision %.3f '
      '(%d of %d gold pairs, %d others)' % (
          copy_tp / copy_gold if copy_gold else 0,
          copy_tp / (copy_tp + copy_fp) if copy_tp + copy_fp else 0,
          copy_tp, copy_gold, copy_fp))
