#!/usr/bin/env bash
# Create latency with 1, 5 and 10 usage plans: the service's own cost (a stub of API Gateway that
# answers at once) and, side by side, the latency against the same stub answering each call after
# a fixed delay, and the unwarmed own cost (median of the first 10 creates after start, 5 plans).
# Usage: bash bench/run.sh [delayMs=50] [creates per size=20]
#   BENCH_APP=dir   another build of target/quarkus-app to measure (e.g. a copy of an older one)
#   BENCH_JAVA=path BENCH_JAVA_OPTS="flags"  the webhook's java and JVM flags (e.g. a container image's)
#   BENCH_JFR=file  record a Java Flight Recording of the webhook (jfr print / jfr summary)
#   BENCH_WARM_UP=n warm-up creates before measuring (3000: the JIT compilers have settled; with
#                   200 they are still compiling and the own cost is 3 to 5 times higher)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BENCH_APP:-}" ] && [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q package -DskipTests
fi
# the stub answers in two writes; without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms per call
exec java -Dsun.net.httpserver.nodelay=true bench/CreateLatency.java "${1:-50}" "${2:-20}"
