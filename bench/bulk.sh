#!/usr/bin/env bash
# Issue 21's bulk workload on the built jar, without and with AWS's request-rate limits, side by
# side in one run: BulkUnderAwsLimitsIT (three processes on one DynamoDB ledger on moto, the AWS
# provider on moto behind the strict twin) with 120 creates (90 API-key apps on two usage plans,
# 30 client apps), 45 tier moves and 40 revokes. "Without limits": the twin's limits and the shared
# budget off. "With AWS's limits": the twin enforces AWS's token buckets and every process shares
# the budget. Prints per phase: time, requests, answers by status, API Gateway calls (per key
# create), throttled calls, the peak second, AWS's own limit for the calls made, and issue 21's targets.
# Usage: bash bench/bulk.sh
#   BULK_SCALE=ci     the small workload of ./mvnw verify instead (24 creates, two processes)
#   BULK_BUDGET=p:b:r the shared budget: calls a second, burst, revokes' reserve (default 10:40:5, the
#                     whole account's, as nothing else uses the twin's account; the jar's default is 5:20:5)
#   BULK_CONCURRENCY=n how many of the portal's requests are in flight at once (default 40 full, 24 ci)
set -euo pipefail
cd "$(dirname "$0")/.."
report="$PWD/target/bulk-report.md"
mkdir -p target
rm -f "$report"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
./mvnw -B -q -o verify -Dlambda.tests.skip=true -Dtest=CallTimesTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=BulkUnderAwsLimitsIT -Dbulk.scale="${BULK_SCALE:-full}" -Dbulk.compare=true \
  -Dbulk.budget="${BULK_BUDGET:-10:40:5}" -Dbulk.concurrency="${BULK_CONCURRENCY:-}" -Dbulk.report="$report" >target/bulk-bench.log 2>&1 || status=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -f "$report" ]; then
  cat "$report"
fi
if [ "${status:-0}" -ne 0 ]; then
  grep -E 'FAIL|AssertionFailed|ERROR\]' target/bulk-bench.log | head -20
  echo "the run failed (exit $status): target/bulk-bench.log"
  exit "$status"
fi
