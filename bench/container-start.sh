#!/usr/bin/env bash
# Start-up of the container path (target/quarkus-app/quarkus-run.jar, local provider + H2, as the
# container image runs it), without Docker: JVM start to the first 204 (a revoke of an unknown
# key, authenticated), and the process's RSS right after it and after 3 s idle. Variants, run
# interleaved and printed side by side as medians:
#   plain-17     JDK 17 (the current image's eclipse-temurin:17-jre), the image's flags
#   plain-25     Temurin 25, the image's flags
#   aot-25       Temurin 25 with a JDK AOT cache (-XX:AOTCache) made by one training run here
#                (-XX:AOTCacheOutput: creates, updates, revokes), as src/main/docker/Dockerfile.aot does
#   aot-25-small the same with the heap and thread settings of Dockerfile.aot for a 256-512 MiB container
# Every variant sees a 512 MiB machine (-XX:MaxRAM=512m), as in a container with that limit.
# Usage: bash bench/container-start.sh [runs=5]   env: JAVA17, JAVA25, BENCH_APP (another quarkus-app)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
java17="${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}"
java25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
app="${BENCH_APP:-target/quarkus-app}"
if [ -z "${BENCH_APP:-}" ] && [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q package -DskipTests
fi
app="$(cd "$app" && pwd)"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
auth="Authorization: Basic $(printf 'portal:bench-password' | base64)"
# the image's flags (Dockerfile.jvm) and Dockerfile.aot's small-container flags (docs/cold-start.md)
image_flags=(-XX:MaxRAM=512m -XX:MaxRAMPercentage=75)
small_flags=(-XX:MaxRAM=512m -XX:+UseSerialGC -XX:MaxRAMPercentage=50 -XX:ReservedCodeCacheSize=64m -Xss512k
  -Dquarkus.vertx.event-loops-pool-size=2)

start() { # java flags...: starts the service on fresh ports and data; sets pid, port
  local java="$1"; shift
  port="$(free_port)"
  local mport; mport="$(free_port)"
  local data="$work/data-$RANDOM$RANDOM"
  mkdir -p "$data"
  env WEBHOOK_PROVIDER=local WEBHOOK_DATA_DIR="$data" WEBHOOK_USERNAME=portal WEBHOOK_PASSWORD=bench-password \
    QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$mport" QUARKUS_LOG_LEVEL=WARN \
    "$java" "$@" -jar "$app/quarkus-run.jar" >"$work/last.log" 2>&1 &
  pid=$!
}
first_204() { # prints ms from the JVM's start to the first 204 of a revoke
  local t0="$1"
  for _ in $(seq 1 3000); do
    code="$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -H 'Content-Type: application/json' \
      -d '{"apiKeyId":"bench-unknown-key"}' "http://127.0.0.1:$port/v1/revokeCredentials" 2>/dev/null || true)"
    if [ "$code" = 204 ]; then echo $(( $(date +%s%3N) - t0 )); return; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "the service exited:" >&2; cat "$work/last.log" >&2; exit 1; fi
    sleep 0.01
  done
  echo "no 204 within 30 s" >&2; exit 1
}
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

# the training run: what the AOT cache records (classes loaded and linked, method profiles)
train() {
  start "$java25" -XX:AOTCacheOutput="$work/app.aot" "${small_flags[@]}"
  first_204 "$(date +%s%3N)" >/dev/null
  for i in $(seq 1 30); do
    body="{\"appName\":\"Training app $i\",\"developer\":\"train@example.com\",\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"gold\"}]}]}"
    key="$(curl -s -H "$auth" -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/v1/createCredentials" \
      | python3 -c 'import sys,json; print(json.load(sys.stdin)["apiKeyId"])')"
    curl -s -o /dev/null -H "$auth" -H 'Content-Type: application/json' \
      -d "{\"apiKeyId\":\"$key\",\"apis\":[{\"id\":\"api1\",\"usagePlans\":[{\"id\":\"silver\"}]}]}" \
      "http://127.0.0.1:$port/v1/updateCredentials"
    curl -s -o /dev/null -H "$auth" -H 'Content-Type: application/json' -d "{\"apiKeyId\":\"$key\"}" \
      "http://127.0.0.1:$port/v1/revokeCredentials"
  done
  curl -s -o /dev/null "http://127.0.0.1:$port/q/health/ready" || true
  stop # the JDK writes the cache when the training run exits
  [ -s "$work/app.aot" ] || { echo "the training run wrote no AOT cache" >&2; cat "$work/last.log" >&2; exit 1; }
}
t_train=$(date +%s%3N)
train
echo "AOT cache: $(( $(stat -c %s "$work/app.aot") / 1024 / 1024 )) MiB, training run and assembly $(( $(date +%s%3N) - t_train )) ms"

run_one() { # variant
  local v="$1"
  local t0; t0="$(date +%s%3N)"
  case "$v" in
    plain-17) start "$java17" "${image_flags[@]}" ;;
    plain-25) start "$java25" "${image_flags[@]}" ;;
    aot-25) start "$java25" -XX:AOTCache="$work/app.aot" "${image_flags[@]}" ;;
    aot-25-small) start "$java25" -XX:AOTCache="$work/app.aot" "${small_flags[@]}" ;;
  esac
  local ms; ms="$(first_204 "$t0")"
  local rss; rss="$(rss_mib)"
  sleep 3
  local idle; idle="$(rss_mib)"
  stop
  echo "$v start_ms=$ms rss_mib=$rss idle_rss_mib=$idle" >>"$work/results"
}
variants="plain-17 plain-25 aot-25 aot-25-small"
echo "runs: $runs; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
for _ in $(seq 1 "$runs"); do
  for v in $variants; do run_one "$v"; done
done
# shellcheck disable=SC2086 # one argument per variant
python3 - "$work/results" $variants <<'EOF'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    rows.setdefault(parts[0], []).append({k: float(v) for k, v in (p.split("=") for p in parts[1:])})
variants = sys.argv[2:]
med = lambda v, k: statistics.median(r[k] for r in rows[v])
print("\nmedians over %d run(s)" % len(rows[variants[0]]))
print("%-28s" % "" + "".join("%14s" % v for v in variants))
for key, label in [("start_ms", "start -> first 204 (ms)"), ("rss_mib", "RSS at first 204 (MiB)"),
                   ("idle_rss_mib", "RSS 3 s later (MiB)")]:
    print("%-28s" % label + "".join("%14.0f" % med(v, key) for v in variants))
for base in ("plain-17", "plain-25"):
    print("%-28s" % ("start vs " + base) + "".join("%14.2f" % (med(v, "start_ms") / med(base, "start_ms")) for v in variants))
EOF
