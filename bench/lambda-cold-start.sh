#!/usr/bin/env bash
# Cold start of the Lambda build: JVM start to the first event answered through the function's
# handler (WebhookLambda, as the SAM template names it), on the unpacked target/function.zip, and
# the zip's size. Usage: bash bench/lambda-cold-start.sh [runs=5]
# The function runs here on the local provider and H2 in a temporary directory (no AWS), with the
# JVM flags of Lambda's Java runtime (tiered compilation stopped at C1). It is a JVM cold start,
# not a SnapStart restore, which cannot be measured outside Lambda.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
if [ ! -f target/function.zip ]; then
  ./mvnw -B -q package -Plambda -DskipTests
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unzip -q target/function.zip -d "$work/function"
cp="$work/function:$work/function/lib/*"
javac -d "$work/bench" -cp "$cp" bench/LambdaColdStart.java
echo "function.zip: $(stat -c %s target/function.zip) bytes ($(( $(stat -c %s target/function.zip) / 1024 / 1024 )) MiB)"
for i in $(seq 1 "$runs"); do
  data="$work/data-$i"
  mkdir -p "$data"
  echo "run $i"
  ( cd "$work" && env WEBHOOK_PROVIDER=local WEBHOOK_DATA_DIR="$data" WEBHOOK_USERNAME=portal \
      WEBHOOK_PASSWORD=bench-password WEBHOOK_SWEEPER_EVERY=off DISABLE_SIGNAL_HANDLERS=true \
      QUARKUS_LOG_LEVEL=WARN \
      java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$work/bench:$cp" LambdaColdStart \
      >"$work/out-$i" 2>&1 ) || { cat "$work/out-$i" >&2; exit 1; }
  grep -E '^(jvm|first|second|cpu|machine)' "$work/out-$i"
done
