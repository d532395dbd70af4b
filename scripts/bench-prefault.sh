#!/usr/bin/env bash
# A/B of pre-faulting fresh extents (MADV_POPULATE_WRITE) on import, interleaved, RUNS pairs; prints medians.
#   RUNS=5 scripts/bench-prefault.sh   (uses the data of scripts/bench-foundation.sh; set DATA to another .fvecs)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=${RUNS:-5}
WORK=${WORK:-${TMPDIR:-/tmp}/mmgraph-bench-foundation}
DATA=${DATA:-$WORK/data/base.fvecs}
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
rate() { sed -n 's/.*(\([0-9]*\) vectors\/s.*/\1/p'; }
on=(); off=()
for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/ab-index"
  a=$(MMGRAPH_JAVA_OPTS="-Dmmgraph.prefault=true" "$ROOT/mmgraph" import "$WORK/ab-index" "$DATA" 2>/dev/null | rate)
  rm -rf "$WORK/ab-index"
  b=$(MMGRAPH_JAVA_OPTS="-Dmmgraph.prefault=false" "$ROOT/mmgraph" import "$WORK/ab-index" "$DATA" 2>/dev/null | rate)
  echo "pair $i: prefault on $a, off $b vectors/s" >&2
  on+=("$a"); off+=("$b")
done
rm -rf "$WORK/ab-index"
printf 'prefault_on_median %s\nprefault_off_median %s\n' "$(printf '%s\n' "${on[@]}" | median)" "$(printf '%s\n' "${off[@]}" | median)"
