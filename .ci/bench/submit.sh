#!/usr/bin/env bash
# Durable quiz submissions: 32 signed-in learners submitting at once (wrk,
# 32 connections, each request from the next learner), counted only when
# acknowledged (303 to the stored attempt's review), with the 99th
# percentile latency; beside it, in the same run and on the same disk, a
# naive loop that commits one attempt per transaction at synchronous=FULL
# with the store's own insert (BenchmarkNaiveCommit), and the plainest loop
# of one small row per transaction (BenchmarkNaiveRowCommit). Prints them
# and the ratio to the first. Not run by CI.
#   bash .ci/bench/submit.sh [seconds]
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
learners=32
start_app 3921
lua="$BENCH_TMP/submit.lua"
{
  echo 'local learners = {'
  for n in $(seq 1 "$learners"); do
    IFS=$'\t' read -r cookies tok < <(signup 3921 "$n")
    printf '  {cookie = "%s", csrf = "%s"},\n' "$cookies" "$tok"
  done
  cat <<'LUA'
}
i, acked, refused = 0, 0, 0
local threads = {}
setup = function(thread) table.insert(threads, thread) end
request = function()
  i = i % #learners + 1
  local l = learners[i]
  local body = "_csrf=" .. l.csrf .. "&q-lucerne-admin-role=" .. (i % 4)
  return wrk.format("POST", "/quiz/support-check-en", {["Cookie"] = l.cookie, ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
response = function(status)
  if status == 303 then acked = acked + 1 else refused = refused + 1 end
end
done = function(summary, latency)
  local acked, refused = 0, 0
  for _, t in ipairs(threads) do
    acked = acked + t:get("acked")
    refused = refused + t:get("refused")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("acked %d refused %d secs %.2f p50_ms %.1f p99_ms %.1f\n",
    acked, refused, secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
} >"$lua"
out=$(taskset -c "$LOAD_CORE" wrk -t1 -c"$learners" -d"${secs}s" -s "$lua" http://127.0.0.1:3921 | grep '^acked')
read -r _ acked _ refused _ took _ p50 _ p99 <<<"$out"
app_rate=$(awk -v a="$acked" -v s="$took" 'BEGIN { printf "%.0f", a / s }')
naive_out=$(SUPPORTLAB_BENCH_DIR="$BENCH_TMP" taskset -c "$APP_CORE" go test -run XXX -bench 'Naive(Row)?Commit' -benchtime "${secs}s" ./app/sqlite)
commits() { awk -v name="$1" '$1 ~ "^"name"(-[0-9]+)?$" { for (i = 1; i <= NF; i++) if ($(i+1) == "commits/s") print $i }' <<<"$naive_out"; }
naive=$(commits BenchmarkNaiveCommit)
naive_row=$(commits BenchmarkNaiveRowCommit)
stored=$(curl -s -H "Cookie: $(sed -n '2s/.*cookie = "\([^"]*\)".*/\1/p' "$lua")" http://127.0.0.1:3921/api/v1/me/attempts | grep -o '"kind"' | wc -l)
printf 'app: %s acknowledged submissions/s (%s acknowledged, %s refused), p50 %s ms, p99 %s ms\n' "$app_rate" "$acked" "$refused" "$p50" "$p99"
printf 'naive loop, one attempt per transaction: %.0f commits/s\n' "$naive"
printf '(one small row per transaction: %.0f commits/s)\n' "$naive_row"
printf 'ratio app / naive: %s\n' "$(ratio "$app_rate" "$naive")"
printf 'learner 1 has %s attempts stored\n' "$stored"
