# Sourced by ./mmgraph and ./test.sh: finds a JDK >= 25 and exports JAVA_HOME, or explains what is missing.
# Order: $JAVA_HOME, then /usr/lib/jvm/* (Linux) and /Library/Java/JavaVirtualMachines/*/Contents/Home (macOS),
# then the java on PATH.

MMGRAPH_MIN_JAVA=25

# Prints the major version of the java binary $1 (e.g. 25), or nothing.
mmgraph_java_major() {
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1) || return 0
  printf '%s' "$v"
}

mmgraph_find_jdk() {
  local candidates=() home major best="" best_major=0
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] && candidates+=("$home")
  done
  if command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)" 2>/dev/null || command -v java)")")
    candidates+=("$home")
  fi
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(mmgraph_java_major "$home/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge "$MMGRAPH_MIN_JAVA" ]; then
      # JAVA_HOME wins when it qualifies; otherwise take the newest found.
      if [ -n "${JAVA_HOME:-}" ] && [ "$home" = "$JAVA_HOME" ]; then best="$home"; break; fi
      if [ "$major" -gt "$best_major" ]; then best="$home"; best_major=$major; fi
    fi
  done
  if [ -z "$best" ]; then
    {
      echo "mmgraph: no JDK $MMGRAPH_MIN_JAVA or newer found."
      echo "  looked at: \$JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm/*, /Library/Java/JavaVirtualMachines/*, and java on PATH"
      echo "  install one (e.g. Eclipse Temurin 25) and set JAVA_HOME to it."
    } >&2
    return 1
  fi
  printf '%s' "$best"
}

mmgraph_require_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "mmgraph: Maven (mvn) is needed to build mmgraph; install it (Debian/Ubuntu: apt-get install maven)." >&2
    return 1
  fi
}
