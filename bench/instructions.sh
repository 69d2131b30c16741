#!/bin/bash
# Instructions per uncached request, counted by valgrind's callgrind: the
# same binary, database and requests give the same count whatever else the
# machine is doing, so two builds can be compared on a busy, shared machine
# where requests/s cannot (see issue 15's notes). Kernel time is not counted.
#
#   bench/instructions.sh BINARY DATABASE [REQUESTS]
#
# BINARY is a release `verdicts`; DATABASE a SQLite file with the bench's
# catalogue (`make bench` leaves one in $CARGO_TARGET_DIR/bench/bench.db; it
# is copied, not changed). Prints the instructions of one request of the
# comparison page, `Compare` and `Tools(first: 50)` (the bench's own
# queries), each the average of REQUESTS (20) after 10 to warm up.
set -euo pipefail
binary=$(realpath "$1")
database=$(realpath "$2")
count=${3:-20}
command -v valgrind >/dev/null || { echo "apt-get install valgrind"; exit 1; }
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for suffix in "" -wal -shm; do
  [ -f "$database$suffix" ] && cp "$database$suffix" "$work/bench.db$suffix"
done
port=4199
export DATABASE_URL="sqlite://$work/bench.db" VERDICTS_ADDR=127.0.0.1:$port \
  PUBLIC_URL=http://127.0.0.1:$port LEPTOS_SITE_ROOT="$here/target/site-release" \
  VERDICTS_DEMO_DATA= VERDICTS_CACHE_MB=0 VOTE_LIMIT_PER_VOTER=1000000000 \
  VOTE_LIMIT_PER_ADDRESS=1000000000 VOTE_NETWORK_QUOTA=1000000000 \
  VERDICTS_API_COST_BUDGET=0 ANOMALY_SCAN_SECS=0 SCORE_HISTORY_SECS=0 RUST_LOG=warn
valgrind --tool=callgrind --callgrind-out-file="$work/cg.%p" --dump-instr=no \
  "$binary" serve > "$work/log" 2>&1 &
server=$!
for _ in $(seq 1 180); do
  curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
  sleep 1
done
# The bench's queries, as in bench/src/main.rs.
demo=claude-haiku-open-weights-vs-smolvlm-3b
fragment='fragment T on Tool { slug name vendor tagline license category { slug name } pricing { model entry } panel { ship skip total shipPercent } community { ship skip total shipPercent missingVotes } }'
compare="{\"query\":\"query Compare(\$slug: String!) { comparison(slug: \$slug) { slug title summary left { ...T } right { ...T } split { bothShip onlyLeft onlyRight neither } scorecard { reviewer { slug name lens } left { verdict body } right { verdict body } } } } $fragment\",\"operationName\":\"Compare\",\"variables\":{\"slug\":\"$demo\"}}"
tools="{\"query\":\"query Tools(\$first: Int!, \$after: String) { tools(first: \$first, after: \$after) { edges { cursor node { ...T } } pageInfo { hasNextPage endCursor } } } $fragment\",\"operationName\":\"Tools\",\"variables\":{\"first\":50}}"
ask() {
  for _ in $(seq 1 "$2"); do
    case $1 in
      page) curl -sf -o /dev/null "http://127.0.0.1:$port/compare/$demo" ;;
      compare) curl -sf -o /dev/null -H 'content-type: application/json' -d "$compare" "http://127.0.0.1:$port/graphql" ;;
      tools) curl -sf -o /dev/null -H 'content-type: application/json' -d "$tools" "http://127.0.0.1:$port/graphql" ;;
    esac
  done
}
for workload in page compare tools; do ask $workload 10; done
for workload in page compare tools; do
  callgrind_control -z "$server" >/dev/null 2>&1
  ask $workload "$count"
  callgrind_control -d "$workload" "$server" >/dev/null 2>&1
  sleep 1
  dump=$(ls -t "$work"/cg.*.* | head -1)
  total=$(grep -h '^summary:\|^totals:' "$dump" | head -1 | awk '{print $2}')
  echo "$workload: $((total / count)) instructions per request"
done
