#!/usr/bin/env bash
# A create's own cost on two builds, interleaved in one run, side by side with their ratio: the
# check that a change (the lease, say) keeps the cost within its budget on this noisy machine.
# Usage: bash bench/compare-builds.sh OLD_APP [NEW_APP=target/quarkus-app] [rounds=2]
#   *_APP: a target/quarkus-app folder of each build (build an older commit in a git worktree:
#   git worktree add /tmp/old <commit> && (cd /tmp/old && ./mvnw -q package -DskipTests))
# Each round runs bench/CreateLatency.java once per build (BENCH_WARM_UP warm-up creates, 3000 by
# default), builds alternating; the medians of the rounds' 5-plan own-cost medians are compared.
set -euo pipefail
cd "$(dirname "$0")/.."
old="${1:?usage: compare-builds.sh OLD_APP [NEW_APP] [rounds]}"
new="${2:-target/quarkus-app}"
rounds="${3:-2}"
for app in "$old" "$new"; do
  [ -f "$app/quarkus-run.jar" ] || { echo "no $app/quarkus-run.jar" >&2; exit 1; }
done
declare -a olds news
five() { # the own_median_ms of the 5-plan row
  BENCH_APP="$1" java -Dsun.net.httpserver.nodelay=true bench/CreateLatency.java 0 "${CREATES:-20}" \
    | awk '$1 == 5 && NF >= 8 { print $3 }'
}
for ((r = 1; r <= rounds; r++)); do
  olds+=("$(five "$old")")
  news+=("$(five "$new")")
  echo "round $r: old ${olds[-1]} ms, new ${news[-1]} ms" >&2
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
mo=$(median "${olds[@]}")
mn=$(median "${news[@]}")
printf 'build  own_median_ms(5 plans, median of %d rounds)  rounds\n' "$rounds"
printf 'old    %s  %s\n' "$mo" "${olds[*]}"
printf 'new    %s  %s\n' "$mn" "${news[*]}"
awk -v o="$mo" -v n="$mn" 'BEGIN { printf "ratio new/old  %.2f\n", n / o }'
