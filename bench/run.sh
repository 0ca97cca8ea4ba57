#!/usr/bin/env bash
# Create latency with 1, 5 and 10 usage plans against an API Gateway stub with a fixed delay per
# call. Usage: bash bench/run.sh [delayMs=50] [creates per size=20]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q package -DskipTests
fi
# the stub answers in two writes; without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms per call
exec java -Dsun.net.httpserver.nodelay=true bench/CreateLatency.java "${1:-50}" "${2:-20}"
