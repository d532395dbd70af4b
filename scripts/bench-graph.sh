#!/usr/bin/env bash
# Graph index figures: build rate on 1 and on 2 threads (interleaved, RUNS each, medians), then single-thread
# search QPS and recall@10 over an ef sweep (RUNS sweeps, median QPS per ef), and the best QPS reaching recall
# 0.90 / 0.95 / 0.99. Every step is a fresh JVM through ./mmgraph.
#   N=100000 RUNS=3 scripts/bench-graph.sh        N=1000000 RUNS=1 scripts/bench-graph.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N=${N:-100000}
DIM=${DIM:-128}
QUERIES=${QUERIES:-1000}
RUNS=${RUNS:-3}
EFS=${EFS:-10,15,20,30,40,60,80,100,150,200,300}
WORK=${WORK:-${TMPDIR:-/tmp}/mmgraph-bench-graph-$N}
MM="$ROOT/mmgraph"
mkdir -p "$WORK"
[ -f "$WORK/data/truth.ivecs" ] || "$MM" gen "$WORK/data" --n "$N" --dim "$DIM" --queries "$QUERIES" --truth-k 10 >&2 2>/dev/null
rate() { sed -n 's/.*(\([0-9]*\) vectors\/s.*/\1/p'; }
: > "$WORK/build.txt"
for i in $(seq 1 "$RUNS"); do
  for t in 1 2; do
    rm -rf "$WORK/index-$t"
    r=$("$MM" import "$WORK/index-$t" "$WORK/data/base.fvecs" --threads "$t" 2>/dev/null | rate)
    echo "build run $i threads $t: $r vectors/s" >&2
    echo "$t $r" >> "$WORK/build.txt"
  done
done
: > "$WORK/search.jsonl"
for i in $(seq 1 "$RUNS"); do
  "$MM" search "$WORK/index-2" --queries "$WORK/data/query.fvecs" --truth "$WORK/data/truth.ivecs" -k 10 \
      --ef "$EFS" --warmup 1 --json 2>/dev/null >> "$WORK/search.jsonl"
  echo "search sweep $i done" >&2
done
python3 - "$WORK" "$N" <<'PY'
import json, statistics, sys, collections
work, n = sys.argv[1], int(sys.argv[2])
build = collections.defaultdict(list)
for line in open(f"{work}/build.txt"):
    t, r = line.split()
    if r:
        build[int(t)].append(int(r))
one, two = statistics.median(build[1]), statistics.median(build[2])
print(f"N={n}: build vectors/s median, 1 thread {one:.0f}, 2 threads {two:.0f}, speed-up {two / one:.2f}x")
rows = collections.defaultdict(list)
recall = {}
dist = {}
for line in open(f"{work}/search.jsonl"):
    o = json.loads(line)
    rows[o["ef"]].append(o["qps"])
    recall[o["ef"]] = o["recall"]
    dist[o["ef"]] = o["distancesPerQuery"]
print("| ef | recall@10 | QPS (1 thread, median) | distances/query |")
print("|---:|---:|---:|---:|")
for ef in sorted(rows):
    print(f"| {ef} | {recall[ef]:.4f} | {statistics.median(rows[ef]):.0f} | {dist[ef]:.0f} |")
for target in (0.90, 0.95, 0.99):
    ok = [(statistics.median(rows[ef]), ef) for ef in rows if recall[ef] >= target]
    if ok:
        q, ef = max(ok)
        print(f"recall >= {target}: best {q:.0f} QPS at ef={ef}")
    else:
        print(f"recall >= {target}: not reached")
PY
