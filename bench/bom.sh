#!/usr/bin/env bash
# The BOM figure (README: Bills of materials): 200 changes over the sandbox's 20 bills while another
# user edits 10 % of the components during the run; one row per seed (default 1,2,3).
#   bench/bom.sh [seeds]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-1,2,3}"
mkdir -p bench/work
out="bench/work/bom-$(date -u +%Y%m%dT%H%M%SZ).txt"
mvn -B test -Dtest=BomBench -Dbench.excluded=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbom.bench.seeds="$seeds" | tee "$out.mvn" >/dev/null || status=$?
report="target/surefire-reports/io.erpsync.bom.BomBench-output.txt"
grep -E '^#|^\|' "$report" | tee "$out"
echo "full output: $report; this summary: $out"
exit "${status:-0}"
