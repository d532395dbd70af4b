#!/usr/bin/env bash
# Import rate and open time of the storage engine, each step in a fresh JVM, RUNS times; prints medians.
# Open time is measured cold: `stats --evict` drops the index's files from the page cache (posix_fadvise DONTNEED)
# before it opens the index. The same is done for a small and a large index: open must not grow with the index.
#   N=1000000 DIM=128 RUNS=5 scripts/bench-foundation.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N=${N:-1000000}
SMALL=${SMALL:-10000}
DIM=${DIM:-128}
RUNS=${RUNS:-5}
WORK=${WORK:-${TMPDIR:-/tmp}/mmgraph-bench-foundation}
MM="$ROOT/mmgraph"

median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
json_field() { sed -n "s/.*\"$1\":\([0-9.eE+-]*\).*/\1/p"; }

mkdir -p "$WORK"
echo "# data: $N x $DIM (and $SMALL x $DIM), in $WORK" >&2
"$MM" gen "$WORK/data" --n "$N" --dim "$DIM" --queries 10 --truth-k 1 2>/dev/null >&2
"$MM" gen "$WORK/small" --n "$SMALL" --dim "$DIM" --queries 10 --truth-k 1 2>/dev/null >&2

copies=(); rates=(); opens=(); small_opens=(); reopens=(); small_reopens=()
for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/index" "$WORK/small-index"
  # Peer in the same run: copying the input file and syncing it, the floor for any durable append path.
  t0=$(date +%s.%N); cp "$WORK/data/base.fvecs" "$WORK/copy.fvecs"; sync "$WORK/copy.fvecs"; t1=$(date +%s.%N)
  copy_rate=$(awk -v n="$N" -v a="$t0" -v b="$t1" 'BEGIN {printf "%d", n / (b - a)}'); rm -f "$WORK/copy.fvecs"
  copies+=("$copy_rate")
  line=$("$MM" import "$WORK/index" "$WORK/data/base.fvecs" 2>/dev/null)
  rate=$(printf '%s' "$line" | sed -n 's/.*(\([0-9]*\) vectors\/s.*/\1/p')
  "$MM" import "$WORK/small-index" "$WORK/small/base.fvecs" >/dev/null 2>&1
  big=$("$MM" stats "$WORK/index" --evict --json 2>/dev/null)
  small=$("$MM" stats "$WORK/small-index" --evict --json 2>/dev/null)
  open=$(printf '%s' "$big" | json_field openMillis); reopen=$(printf '%s' "$big" | json_field coldReopenMillis)
  small_open=$(printf '%s' "$small" | json_field openMillis); small_reopen=$(printf '%s' "$small" | json_field coldReopenMillis)
  echo "run $i: import $rate vectors/s (cp+sync of the input: $copy_rate vectors/s); cold open in a fresh JVM ${open} ms ($N) vs ${small_open} ms ($SMALL);" \
       "cold reopen ${reopen} ms vs ${small_reopen} ms" >&2
  rates+=("$rate"); opens+=("$open"); small_opens+=("$small_open"); reopens+=("$reopen"); small_reopens+=("$small_reopen")
done
size=$(du -sb "$WORK/index" | cut -f1)
printf 'import_vectors_per_s_median %s\n' "$(printf '%s\n' "${rates[@]}" | median)"
printf 'cp_sync_vectors_per_s_median %s\n' "$(printf '%s\n' "${copies[@]}" | median)"
printf 'cold_open_ms_median_%s %s\n' "$N" "$(printf '%s\n' "${opens[@]}" | median)"
printf 'cold_open_ms_median_%s %s\n' "$SMALL" "$(printf '%s\n' "${small_opens[@]}" | median)"
printf 'cold_reopen_ms_median_%s %s\n' "$N" "$(printf '%s\n' "${reopens[@]}" | median)"
printf 'cold_reopen_ms_median_%s %s\n' "$SMALL" "$(printf '%s\n' "${small_reopens[@]}" | median)"
printf 'index_bytes_%s %s\n' "$N" "$size"
