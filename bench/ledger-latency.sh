#!/usr/bin/env bash
# The ledger's share of a create on H2, PostgreSQL and DynamoDB (moto), side by side in one run.
# Usage: bash bench/ledger-latency.sh [creates per ledger=200]
# Starts a throw-away PostgreSQL (the machine's server binaries) and a moto server, stops both after.
set -euo pipefail
cd "$(dirname "$0")/.."
samples="${1:-200}"
moto_version=$(sed -n 's:.*<moto.version>\(.*\)</moto.version>.*:\1:p' pom.xml)
python="$HOME/.cache/devportal-webhook/moto-$moto_version/bin/python"
[ -x "$python" ] || bash src/test/scripts/ensure-test-tools.sh "$moto_version" \
  "$(sed -n 's:.*<schemathesis.version>\(.*\)</schemathesis.version>.*:\1:p' pom.xml)"
if [ ! -d target/classes/io/devportal/webhook/ledger/dynamodb ]; then
  ./mvnw -B -q compile
fi
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

work=$(mktemp -d)
moto_pid=""
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null || true
  [ -n "$pg_bin" ] && [ -f "$work/pg/postmaster.pid" ] && as_pg "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

moto_port=$(free_port)
"$python" -m moto.server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
moto_pid=$!

pg_url=""
if [ -n "$pg_bin" ]; then
  pg_port=$(free_port)
  mkdir -p "$work/pg"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$work" "$work/pg"
  as_pg "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres -E UTF8 --no-sync >/dev/null
  # fsync stays on (unlike the tests' -F): a commit is durable, as in production
  as_pg "$pg_bin/pg_ctl" -D "$work/pg" -w -l "$work/pg/server.log" -o "-p $pg_port -h 127.0.0.1 -k $work/pg" start >/dev/null
  pg_url="jdbc:postgresql://127.0.0.1:$pg_port/postgres"
else
  echo "no PostgreSQL server binaries under /usr/lib/postgresql: PostgreSQL is skipped" >&2
fi
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$moto_port/moto-api/" && break
  sleep 0.2
done

java -cp "target/classes:$(cat target/bench.classpath)" bench/LedgerLatency.java "$samples" "$pg_url" \
  "http://127.0.0.1:$moto_port" 2>&1 | grep -v -e '^SLF4J' -e 'LogManager accessed' -e 'org.flywaydb' -e '^[A-Z][a-z][a-z] [0-9]' || true
