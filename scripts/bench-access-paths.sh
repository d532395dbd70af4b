#!/usr/bin/env bash
# The access-path table of docs/benchmarks.md ("Access paths at 10M"): searches the index that `mmgraph bench scale`
# built in OUT once per read path, each in a fresh child JVM in a fresh memory cgroup with the same limit: a cold pass
# (every file evicted) at the first beam width, then a warm pass per beam width. Prints one line per path and pass.
#   scripts/bench-access-paths.sh OUT [LIMIT] [EFS] [N] [PATH...]
# PATH is one of: mmap mmap-4k-codes normal willneed threads direct (default: all, in that order).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$1"; LIMIT="${2:-2g}"; EFS="${3:-100,200,400,800}"; N="${4:-10000000}"
shift $(( $# < 4 ? $# : 4 ))
PATHS=("$@")
[ ${#PATHS[@]} -eq 0 ] && PATHS=(mmap mmap-4k-codes normal willneed threads direct)
command -v jq >/dev/null || { echo "bench-access-paths: needs jq" >&2; exit 1; }

for path in "${PATHS[@]}"; do
  case "$path" in
    mmap) extra=() ;;                                          # vectors RANDOM, codes in huge-page memory
    mmap-4k-codes) extra=(--java-opt=-Dmmgraph.codesInMemory=false) ;; # codes read through their file mapping
    normal) extra=(--advice NORMAL) ;;                         # read-around on every file
    willneed) extra=(--java-opt=-Dmmgraph.rerankPrefetch=willneed) ;;
    threads) extra=(--java-opt=-Dmmgraph.rerankPrefetch=threads) ;;
    direct) extra=(--io direct) ;;
    *) echo "bench-access-paths: unknown path $path" >&2; exit 2 ;;
  esac
  "$ROOT/mmgraph" bench scale --n "$N" --memory-limit "$LIMIT" --ef "$EFS" --out "$OUT" --search-only \
      --label "$path" "${extra[@]}" >"$OUT/access-$path.log" 2>&1 \
    || { echo "$path: failed (see $OUT/access-$path.log)" >&2; continue; }
  jq -r --arg p "$path" '. as $r | .search.passes[] | [$p, .kind, .ef, (.recall*1000|round/1000), (.qps|round),
      (.p50Micros|round), (.p99Micros|round), (.majorFaultsPerQuery*10|round/10), $r.peakBytes, $r.counts] | @tsv' \
    "$OUT/scale-$path.json"
done | (echo -e "path\tpass\tef\trecall\tqps\tp50_us\tp99_us\tfaults_per_q\tcgroup_peak\tcounts"; cat)
