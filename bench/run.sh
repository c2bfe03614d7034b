#!/usr/bin/env bash
# The bench harness: see bench/README.md. Builds the jar when it is missing (or with --build), then
# runs bench/Bench.java with the jar (and, for --db postgres, the test classpath's embedded PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--build" ] || [ ! -f target/erp-sync.jar ]; then
  [ "${1:-}" = "--build" ] && shift
  mvn -B -q package -DskipTests
fi
# the start-up archive the README recommends (class data sharing), made from a training run of this jar
if [ ! -f target/erp-sync.jsa ] || [ target/erp-sync.jar -nt target/erp-sync.jsa ]; then
  rm -f target/erp-sync.jsa
  java -XX:ArchiveClassesAtExit=target/erp-sync.jsa -jar target/erp-sync.jar --training-run >/dev/null 2>&1 \
    || echo "WARNING: could not make target/erp-sync.jsa; runs start without it" >&2
fi
CP=target/erp-sync.jar
if [[ " $* " == *" postgres "* ]]; then
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
  CP="$CP:$(cat target/bench-classpath.txt)"
fi
exec java -Xmx2g -cp "$CP" bench/Bench.java "$@"
