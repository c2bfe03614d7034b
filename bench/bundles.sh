#!/usr/bin/env bash
# The bundles figure (README: Bundles): 200 changes over 20 bundles while a merchant edits 10 % of the
# bundled products during the run; one row per seed (default 1,2,3).
#   bench/bundles.sh [seeds]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-1,2,3}"
mkdir -p bench/work
out="bench/work/bundles-$(date -u +%Y%m%dT%H%M%SZ).txt"
mvn -B -o test -Dtest=BundlesBench -Dbench.excluded=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbundles.bench.seeds="$seeds" | tee "$out.mvn" >/dev/null || status=$?
report="target/surefire-reports/io.erpsync.bom.BundlesBench-output.txt"
grep -E '^#|^\|' "$report" | tee "$out"
echo "full output: $report; this summary: $out"
exit "${status:-0}"
