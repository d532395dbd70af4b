#!/usr/bin/env bash
# The deletes-and-compaction figures of docs/benchmarks.md: N synthetic 128-d vectors (100 clusters) upserted by id,
# 30% deleted by id at random, then consolidated, then compacted; recall@10 of the graph search against exact search
# over the live vectors (200 queries, ef 40 and 100) after each step.
#   scripts/bench-deletes.sh [N] [DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-100000}"; DIR="${2:-$(mktemp -d)/idx}"
source "$ROOT/scripts/jdk.sh"
mmgraph_find_jdk || exit 1
(cd "$ROOT" && mvn -q -B -o install -DskipTests -pl core >/dev/null 2>&1 || mvn -q -B install -DskipTests -pl core)
rm -rf "$DIR"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/core/target/classes" "$ROOT/scripts/DeleteCompact.java" "$DIR" "$N" 2>&1 | grep -v '^WARNING'
