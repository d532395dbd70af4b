#!/usr/bin/env bash
# JMH micro-benchmarks of bench/src/main/java/io/mmgraph/bench/jmh. Builds core + bench when sources changed, then
# execs org.openjdk.jmh.Main with all arguments passed through:
#   scripts/bench-jmh.sh -l                                        list the benchmarks
#   scripts/bench-jmh.sh DistanceKernelBenchmark -p dim=128
#   scripts/bench-jmh.sh 'VectorReadBenchmark.*Random' -p n=1000000 -rf json -rff read.json
#   JMH_JSON=out.json scripts/bench-jmh.sh ...                     same as -rf json -rff out.json
# BENCH_JAVA_OPTS adds flags to the JMH host JVM (forks inherit them unless -jvmArgs is given).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/jdk.sh
. "$ROOT/scripts/jdk.sh"
JAVA_HOME="$(mmgraph_find_jdk)" || exit 1
export JAVA_HOME
CLASSES="$ROOT/bench/target/classes"
CP_FILE="$ROOT/bench/target/jmh-classpath.txt"
VECTOR_FLAGS=(--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED)

stale() {
  [ -f "$CP_FILE" ] && [ -f "$CLASSES/META-INF/BenchmarkList" ] || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/core" "$ROOT/bench" \( -name target -prune \) -o \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$CP_FILE" -print 2>/dev/null | head -n 1)" ]
}

if stale; then
  mmgraph_require_maven || exit 1
  echo "bench-jmh: building core and bench with $JAVA_HOME ..." >&2
  log="$(mktemp "${TMPDIR:-/tmp}/mmgraph-jmh-build.XXXXXX")"
  # A reactor build (package, not install): bench then runs this checkout's core jar, not whichever checkout last
  # installed the shared ~/.m2 snapshot. Each module writes its own target/jmh-classpath.txt; bench's is used.
  if ! (cd "$ROOT" && mvn -B -q -DskipTests -Dmaven.javadoc.skip=true -pl bench -am package \
      dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/jmh-classpath.txt \
      >"$log" 2>&1); then
    grep -v '^WARNING' "$log" | tail -n 40 >&2
    echo "bench-jmh: build failed (full log: $log)" >&2
    exit 1
  fi
  rm -f "$log"
  if [ ! -f "$CLASSES/META-INF/BenchmarkList" ]; then
    echo "bench-jmh: no $CLASSES/META-INF/BenchmarkList: the JMH annotation processor did not run" >&2
    exit 1
  fi
  touch "$CP_FILE"
fi

extra=()
if [ -n "${JMH_JSON:-}" ]; then
  extra+=(-rf json -rff "$JMH_JSON")
fi

# The forks get the Vector API flags via -jvmArgsPrepend (the benchmarks' @Fork has them too): a -jvmArgsAppend
# given on the command line replaces @Fork's, and without the module mmgraph falls back to its scalar kernels (one log line).
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} "${VECTOR_FLAGS[@]}" \
  -cp "$CLASSES:$(cat "$CP_FILE")" org.openjdk.jmh.Main \
  -jvmArgsPrepend "${VECTOR_FLAGS[*]}" ${extra[@]+"${extra[@]}"} "$@"
