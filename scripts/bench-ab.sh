#!/usr/bin/env bash
# A/B of two JVM flag sets on one existing index, alternating A B A B ... in fresh JVMs so that drift in a shared
# machine's load hits both alike. Each run prints the median QPS of 1-second blocks (io.mmgraph.bench.SearchLoop).
#   scripts/bench-ab.sh "-Dmmgraph.prefetch=true" "-Dmmgraph.prefetch=false" INDEX_DIR QUERIES.fvecs EF [ROUNDS] [SECONDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/jdk.sh
. "$ROOT/scripts/jdk.sh"
JAVA_HOME="$(mmgraph_find_jdk)" || exit 1
A="$1"; B="$2"; DIR="$3"; QUERIES="$4"; EF="$5"; ROUNDS="${6:-3}"; SECONDS_PER_RUN="${7:-10}"
"$ROOT/mmgraph" --version >/dev/null # builds if sources changed
for r in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    flags="$A"; [ "$side" = B ] && flags="$B"
    # shellcheck disable=SC2086
    out="$("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED $flags \
      -cp "$ROOT/cli/target/mmgraph-cli.jar" io.mmgraph.bench.SearchLoop "$DIR" "$QUERIES" "$EF" "$SECONDS_PER_RUN" 2>/dev/null)"
    echo "round $r $side [$flags] $out"
  done
done
