#!/usr/bin/env bash
# The bench harness: see bench/README.md. Builds the jar when it is missing (or with --build), then
# runs bench/Bench.java with the jar (and, for --db postgres, the test classpath's embedded PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--build" ] || [ ! -f target/erp-sync.jar ]; then
  [ "${1:-}" = "--build" ] && shift
  mvn -B -q package -DskipTests
fi
CP=target/erp-sync.jar
if [[ " $* " == *" postgres "* ]]; then
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
  CP="$CP:$(cat target/bench-classpath.txt)"
fi
exec java -Xmx2g -cp "$CP" bench/Bench.java "$@"
