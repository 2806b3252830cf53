#!/usr/bin/env bash
# Requests per second on one lesson page, on loopback (wrk from Debian's
# packages). Not run by CI.
#   bash .ci/bench/lesson.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
go build -o "$tmp/supportlab" ./app
"$tmp/supportlab" -addr 127.0.0.1:3906 -db "$tmp/db.sqlite" >/dev/null 2>&1 & pid=$!
trap 'kill $pid; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
until curl -sf -o /dev/null http://127.0.0.1:3906/healthz; do sleep 0.01; done
wrk -t1 -c64 -d10s http://127.0.0.1:3906/learn/get-help-from-microsoft/severity-levels
