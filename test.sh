#!/usr/bin/env bash
# Runs every test of every module (the README's test command; .ci/run calls it). Finds a JDK >= 25 itself.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/jdk.sh
. "$ROOT/scripts/jdk.sh"
JAVA_HOME="$(mmgraph_find_jdk)" || exit 1
export JAVA_HOME
mmgraph_require_maven || exit 1
cd "$ROOT"
exec mvn -B -ntp "$@" install
