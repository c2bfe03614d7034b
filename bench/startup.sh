#!/usr/bin/env bash
# The start-up bench (bench/README.md, "Start-up"): embedded PostgreSQL and the sandbox ERP, then
# one-shot cycles of bin/erp-sync (or --command "..."), timed from the process's start to the first ERP
# request and from the last ERP answer to the process's exit.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--build" ] || [ ! -f target/erp-sync.jar ]; then
  [ "${1:-}" = "--build" ] && shift
  mvn -B -q package -DskipTests
fi
if [ ! -f target/bench-classpath.txt ] || [ pom.xml -nt target/bench-classpath.txt ]; then
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
fi
exec java -Xmx512m -cp "target/erp-sync.jar:$(cat target/bench-classpath.txt)" bench/Startup.java "$@"
