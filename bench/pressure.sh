#!/usr/bin/env bash
# Issue 24's figure (bench/RESULTS.md): a changing day in four cycles (quiet, locks on 5 % of the items
# that fall mostly on stock-outs, throttling past half the configured rate, quiet), adaptive against
# fixed batch sizes 10, 25, 50, 100 and the naive client, side by side in one run.
#   bench/pressure.sh [-Dpressure.items=1000 -Dpressure.changes=400 -Dpressure.stock-outs=0.1 -Dpressure.seed=24
#                     -Dpressure.phases=quiet,locks,throttle,quiet -Dpressure.only="fixed 100;naive client" -Dpressure.trace=true]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/work
out="bench/work/pressure-$(date -u +%Y%m%dT%H%M%SZ).txt"
mvn -B -o test -Dtest=PressureBench -Dbench.excluded=none -Dsurefire.failIfNoSpecifiedTests=false "$@" > "$out.mvn" || status=$?
report="target/surefire-reports/io.erpsync.sync.PressureBench-output.txt"
grep -E '^#|^\|' "$report" | tee "$out"
echo "full output: $report; this summary: $out"
exit "${status:-0}"
