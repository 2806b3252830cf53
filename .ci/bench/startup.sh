#!/usr/bin/env bash
# Start-up time: from process start to the first 200 from /healthz, on a
# fresh database each run, with all the embedded content. Not run by CI.
#   bash .ci/bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(mktemp -d)/supportlab
go build -o "$bin" ./app
for i in $(seq 1 "${1:-5}"); do
  d=$(mktemp -d)
  s=$(date +%s%N)
  "$bin" -addr 127.0.0.1:3902 -db "$d/db.sqlite" >/dev/null 2>&1 & pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:3902/healthz; do sleep 0.002; done
  e=$(date +%s%N)
  echo "run $i: $(( (e - s) / 1000000 )) ms"
  kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$d"
done
