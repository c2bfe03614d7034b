#!/usr/bin/env bash
# Requests per second of the sandbox ERP on loopback. Needs target/erp-sync.jar (mvn -B -q package -DskipTests).
# Usage: bench/sandbox-throughput.sh [client-threads=8] [seconds-per-scenario=10]
set -euo pipefail
cd "$(dirname "$0")/.."
exec java -Xmx1g -cp target/erp-sync.jar bench/SandboxThroughput.java "$@" 2>/dev/null
