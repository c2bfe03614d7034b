#!/usr/bin/env bash
# The storefront figure (README: Storefront): N changed rows to both targets (erp, storefront) in one
# cycle each, clean, with orders racing on 5 % of the records, and with 2 % of the records busy.
#   bench/storefront.sh [items]   (20000 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
items="${1:-20000}"
mkdir -p bench/work
out="bench/work/storefront-$(date -u +%Y%m%dT%H%M%SZ).txt"
mvn -B -o test -Dtest=StorefrontBench -Dbench.excluded=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.storefront.items="$items" | tee "$out.mvn" >/dev/null || status=$?
report="target/surefire-reports/io.erpsync.target.storefront.StorefrontBench-output.txt"
grep -E '^#|^\|' "$report" | tee "$out"
echo "full output: $report; this summary: $out"
exit "${status:-0}"
