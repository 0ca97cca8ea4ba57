#!/usr/bin/env bash
# Start-up of the container path (local provider + H2, as the container images run it), without
# Docker: the time from the JVM's launch to the first 204 (a revoke of an unknown key,
# authenticated), and the process's RSS right after it and after 3 s idle. Each run is a first
# start (a new, empty data directory: Flyway creates the schema), then a restart on the data it
# left (the schema is there: a restarted container, or a new task on an existing database). Two builds:
#   fast-jar  target/quarkus-app (./mvnw package), what src/main/docker/Dockerfile.jvm copies
#   aot-jar   target/aot/quarkus-app (./mvnw package -Dquarkus.package.jar.aot.enabled=true), what
#             src/main/docker/Dockerfile.aot copies: every jar on the JVM's class path (Class-Path of
#             quarkus-run.jar), so that the JDK's AOT cache can hold the application's classes too
#             (it holds only classes of the JDK's own class loaders, not of Quarkus' fast-jar loader)
# Variants, run interleaved and printed side by side as medians:
#   jvm-17        fast-jar, JDK 17 (Dockerfile.jvm's eclipse-temurin:17-jre), Dockerfile.jvm's flags before
#   jvm-17-new    fast-jar, JDK 17, with the flags Dockerfile.jvm now adds (JDK_JAVA_OPTIONS)
#   plain-25      aot-jar, Temurin 25, no cache, Dockerfile.jvm's flags: the plain start of that build
#   plain-25-new  aot-jar, Temurin 25, no cache, Dockerfile.aot's flags
#   aot-25-before fast-jar, Temurin 25 with a cache, Dockerfile.aot's flags before (what this bench
#                 measured before: docs/cold-start.md)
#   aot-25-old    aot-jar, Temurin 25 with a cache, Dockerfile.aot's flags before
#   aot-25-new    aot-jar, Temurin 25 with a cache, Dockerfile.aot's flags now: the image
#   aot-25-c1     the same with C1 only (-XX:TieredStopAtLevel=1): evaluated, not used (docs/cold-start.md)
#   aot-25-noreplay  the image's cache and flags, the cache's method profiles not replayed
#                 (-XX:-AOTReplayTraining, a diagnostic flag): the JIT compiles as without them
# Each cache variant has its own JDK AOT cache, made by one training run here with its own flags
# and build (-XX:AOTCacheOutput: creates, updates, revokes), as Dockerfile.aot's first stage does.
# Every variant sees a 512 MiB machine (-XX:MaxRAM=512m, as in a container with that limit).
# Usage: bash bench/container-start.sh [runs=5]
#   env: JAVA17, JAVA25, BENCH_APP (another fast-jar quarkus-app), BENCH_AOT_APP (another aot-jar
#        one), VARIANTS (a subset, in order), NEW_FLAGS / JVM_NEW_FLAGS (try other flags for the
#        Dockerfile.aot / Dockerfile.jvm variants), KEEP_AOT (a directory: the caches are copied there)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
java17="${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}"
java25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
variants="${VARIANTS:-jvm-17 jvm-17-new plain-25 plain-25-new aot-25-before aot-25-old aot-25-new aot-25-c1}"
if [ -z "${BENCH_APP:-}" ] && [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q package -DskipTests
fi
if [ -z "${BENCH_AOT_APP:-}" ] && [ ! -f target/aot/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.aot.enabled=true -Ddevportal.build.dir="$PWD/target/aot"
fi
fast_app="$(cd "${BENCH_APP:-target/quarkus-app}" && pwd)"
aot_app="$(cd "${BENCH_AOT_APP:-target/aot/quarkus-app}" && pwd)"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
auth="Authorization: Basic $(printf 'portal:bench-password' | base64)"
# Dockerfile.jvm's flags before and now; Dockerfile.aot's before and now (docs/cold-start.md)
image_flags=(-XX:MaxRAM=512m -XX:MaxRAMPercentage=75)
# shellcheck disable=SC2206 # JVM_NEW_FLAGS, NEW_FLAGS: lists of flags
jvm_new_flags=(-XX:MaxRAM=512m -XX:MaxRAMPercentage=75 ${JVM_NEW_FLAGS:--XX:+UseSerialGC -Xss512k -XX:TrimNativeHeapInterval=1000 -Dquarkus.vertx.event-loops-pool-size=2})
small_flags_old=(-XX:MaxRAM=512m -XX:+UseSerialGC -XX:MaxRAMPercentage=50 -XX:ReservedCodeCacheSize=64m -Xss512k
  -Dquarkus.vertx.event-loops-pool-size=2)
# shellcheck disable=SC2206
new_flags=(-XX:MaxRAM=512m ${NEW_FLAGS:--XX:+UseSerialGC -XX:MaxRAMPercentage=50 -XX:ReservedCodeCacheSize=64m -Xss512k -XX:TrimNativeHeapInterval=1000 -Dquarkus.vertx.event-loops-pool-size=2})

start() { # app java flags...: starts the service on fresh ports and data; sets pid, port, t0 (the launch)
  local app="$1"; shift
  local java="$1"; shift
  port="$(free_port)"
  local mport; mport="$(free_port)"
  local data="${reuse_data:-$work/data-$RANDOM$RANDOM}"
  mkdir -p "$data"
  last_data="$data"
  t0="$(date +%s%3N)"
  env WEBHOOK_PROVIDER=local WEBHOOK_DATA_DIR="$data" WEBHOOK_USERNAME=portal WEBHOOK_PASSWORD=bench-password \
    QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$mport" QUARKUS_LOG_LEVEL=WARN \
    "$java" "$@" -jar "$app/quarkus-run.jar" >"$work/last.log" 2>&1 &
  pid=$!
}
first_204() { # prints ms from the JVM's launch (t0) to the first 204 of a revoke
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

# a training run: what the AOT cache records (classes loaded and linked, method profiles)
train() { # cache app flags...
  local cache="$1"; shift
  local app="$1"; shift
  start "$app" "$java25" -XX:AOTCacheOutput="$cache" "$@"
  first_204 >/dev/null
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
  [ -s "$cache" ] || { echo "the training run wrote no AOT cache" >&2; cat "$work/last.log" >&2; exit 1; }
}
echo "runs: $runs; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo "Dockerfile.jvm now adds: ${jvm_new_flags[*]:2}"
echo "Dockerfile.aot before:   ${small_flags_old[*]:1}"
echo "Dockerfile.aot now:      ${new_flags[*]:1}"
for v in $variants; do
  t_train=$(date +%s%3N)
  case "$v" in
    aot-25-before) train "$work/$v.aot" "$fast_app" "${small_flags_old[@]}" ;;
    aot-25-old) train "$work/$v.aot" "$aot_app" "${small_flags_old[@]}" ;;
    aot-25-new) train "$work/$v.aot" "$aot_app" "${new_flags[@]}" ;;
    aot-25-c1) train "$work/$v.aot" "$aot_app" "${new_flags[@]}" -XX:TieredStopAtLevel=1 ;;
    aot-25-noreplay) train "$work/$v.aot" "$aot_app" "${new_flags[@]}" ;;
    *) continue ;;
  esac
  echo "$v: AOT cache $(( $(stat -c %s "$work/$v.aot") / 1024 / 1024 )) MiB, training run and assembly $(( $(date +%s%3N) - t_train )) ms"
  if [ -n "${KEEP_AOT:-}" ]; then cp "$work/$v.aot" "$KEEP_AOT/"; fi
done

run_one() { # variant
  local v="$1"
  case "$v" in
    jvm-17) start "$fast_app" "$java17" "${image_flags[@]}" ;;
    jvm-17-new) start "$fast_app" "$java17" "${jvm_new_flags[@]}" ;;
    plain-25) start "$aot_app" "$java25" "${image_flags[@]}" ;;
    plain-25-new) start "$aot_app" "$java25" "${new_flags[@]}" ;;
    aot-25-before) start "$fast_app" "$java25" -XX:AOTCache="$work/$v.aot" "${small_flags_old[@]}" ;;
    aot-25-old) start "$aot_app" "$java25" -XX:AOTCache="$work/$v.aot" "${small_flags_old[@]}" ;;
    aot-25-new) start "$aot_app" "$java25" -XX:AOTCache="$work/$v.aot" "${new_flags[@]}" ;;
    aot-25-c1) start "$aot_app" "$java25" -XX:AOTCache="$work/$v.aot" "${new_flags[@]}" -XX:TieredStopAtLevel=1 ;;
    aot-25-noreplay) start "$aot_app" "$java25" -XX:AOTCache="$work/$v.aot" "${new_flags[@]}" -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining ;;
    *) echo "unknown variant $v" >&2; exit 2 ;;
  esac
  local ms; ms="$(first_204)"
  local rss; rss="$(rss_mib)"
  sleep 3
  local idle; idle="$(rss_mib)"
  stop
  # the same again on the data the first start left (a restarted container: the schema is there)
  local restart=-1
  if [ -z "${reuse_data:-}" ]; then
    reuse_data="$last_data" run_one "$v" restart
    restart="$(cat "$work/restart_ms")"
    echo "$v start_ms=$ms rss_mib=$rss idle_rss_mib=$idle restart_ms=$restart" >>"$work/results"
  else
    echo "$ms" >"$work/restart_ms"
  fi
}
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
print("\nmedians over %d run(s); load %s at the end" % (len(rows[variants[0]]), open("/proc/loadavg").read().split()[0]))
print("%-26s" % "" + "".join("%14s" % v for v in variants))
for key, label in [("start_ms", "launch -> first 204 (ms)"), ("restart_ms", "the same, restarted (ms)"),
                   ("rss_mib", "RSS at first 204 (MiB)"), ("idle_rss_mib", "RSS 3 s later (MiB)")]:
    print("%-26s" % label + "".join("%14.0f" % med(v, key) for v in variants))
for base in [b for b in ("jvm-17", "plain-25", "aot-25-before") if b in rows]:
    print("%-26s" % ("start vs " + base) + "".join("%14.2f" % (med(v, "start_ms") / med(base, "start_ms")) for v in variants))
EOF
