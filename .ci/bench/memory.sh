#!/usr/bin/env bash
# Memory and start-up: start-up time to the first 200 from /healthz, idle
# RSS, and RSS after each load (pages, submissions, a refused oversized
# upload, a 200-question quiz) and once the app has been idle again for a
# few seconds. Not run by CI.
#   bash .ci/bench/memory.sh
source "$(dirname "$0")/lib.sh"
rss() { awk '/^VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/$APP_PID/status"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$APP_PID/status"; }

s=$(date +%s%N)
start_app 3931
e=$(date +%s%N)
echo "start-up: $(( (e - s) / 1000000 )) ms"
sleep 1
idle=$(rss_kb)
echo "idle: $(rss)"

load() { # load NAME WRK-ARGS...: runs wrk, then prints RSS at once and after 20 s idle
  local name=$1; shift
  taskset -c "$LOAD_CORE" wrk -t1 -c64 -d5s "$@" >/dev/null
  local busy; busy=$(rss)
  sleep 20
  printf '%-34s right after: %-9s after 20 s idle: %-9s (%.1f× idle)\n' "$name" "$busy" "$(rss)" "$(awk -v a="$(rss_kb)" -v b="$idle" 'BEGIN {print a / b}')"
}
load "lesson pages" http://127.0.0.1:3931/learn/get-help-from-microsoft/severity-levels
load "quiz pages" http://127.0.0.1:3931/quiz/support-check-en

# A trainer uploads a 200-question quiz (the limit) and a 26,000-question
# GIFT file (refused); learners then view the big quiz.
echo "a long enough password" | "$BENCH_TMP/supportlab" user create -db "$BENCH_TMP/app-3931.db" -email trainer@example.com -name Trainer -role trainer >/dev/null
jar="$BENCH_TMP/trainer.jar"
tok=$(curl -s -c "$jar" http://127.0.0.1:3931/login | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "_csrf=$tok" --data-urlencode email=trainer@example.com --data-urlencode "password=a long enough password" http://127.0.0.1:3931/login
tok=$(curl -s -b "$jar" -c "$jar" http://127.0.0.1:3931/author | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
gift() { for i in $(seq 1 "$1"); do printf '::q%d:: Question %d? {\n=right\n~wrong one\n~wrong two\n~wrong three\n}\n\n' "$i" "$i"; done; }
gift 200 >"$BENCH_TMP/big.gift"
gift 26000 >"$BENCH_TMP/huge.gift"
for f in big huge; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -F "_csrf=$tok" -F "uid=$f" -F "file=@$BENCH_TMP/$f.gift" http://127.0.0.1:3931/author/import)
  echo "upload $f.gift ($(wc -c <"$BENCH_TMP/$f.gift") bytes): HTTP $code, RSS $(rss)"
done
t=$(curl -s -o /dev/null -w '%{time_total}' http://127.0.0.1:3931/quiz/big)
echo "200-question quiz page: $(awk -v t="$t" 'BEGIN {printf "%.1f ms", t * 1000}')"
load "200-question quiz pages" http://127.0.0.1:3931/quiz/big
