#!/usr/bin/env bash
# The soak (README: Reliability): cycles x items changed WMS rows against the standalone sandbox ERP
# with random locks, conflicts, 5xx and throttling; one line per cycle (heap after GC, threads,
# sockets), then the history check and the verdict. Defaults: 50 cycles of 10,000 items.
#   bench/soak.sh [cycles] [items]
set -euo pipefail
cd "$(dirname "$0")/.."
cycles="${1:-50}"
items="${2:-10000}"
mvn -B -q package -DskipTests
mkdir -p bench/work
out="bench/work/soak-$(date -u +%Y%m%dT%H%M%SZ).txt"
mvn -B test -Dtest=SoakTest -Dbench.excluded=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.cycles="$cycles" -Dsoak.items="$items" -Derpsync.jar="$PWD/target/erp-sync.jar" | tee "$out.mvn" >/dev/null || status=$?
report="target/surefire-reports/io.erpsync.reliability.SoakTest-output.txt"
grep -E '^\||^history check|^verdict' "$report" | tee "$out"
echo "full output: $report; this summary: $out"
exit "${status:-0}"
