#!/usr/bin/env bash
# Pages against the static-file limit: the app and nginx serve the same
# bytes, each pinned to one core, wrk on the other; prints req/s and the
# ratio app / nginx for the lesson and the quiz page, anonymous and signed
# in. Not run by CI.
#   bash .ci/bench/pages.sh [seconds]
source "$(dirname "$0")/lib.sh"
need nginx nginx-light
secs=${1:-10}
start_app 3911
lesson=/learn/get-help-from-microsoft/severity-levels
quiz=/quiz/support-check-en
mkdir -p "$BENCH_TMP/www"
chmod a+rx "$BENCH_TMP" "$BENCH_TMP/www" # nginx workers run as nobody
curl -s "http://127.0.0.1:3911$lesson" -o "$BENCH_TMP/www/lesson.html"
curl -s "http://127.0.0.1:3911$quiz" -o "$BENCH_TMP/www/quiz.html"
chmod a+r "$BENCH_TMP"/www/*.html
cat >"$BENCH_TMP/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $BENCH_TMP/nginx.pid;
error_log $BENCH_TMP/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:3912; root $BENCH_TMP/www; location / { default_type text/html; } }
}
CONF
taskset -c "$APP_CORE" nginx -c "$BENCH_TMP/nginx.conf" & PIDS+=($!)
until curl -sf -o /dev/null http://127.0.0.1:3912/lesson.html; do sleep 0.01; done
IFS=$'\t' read -r cookies _ < <(signup 3911 1)

run() { taskset -c "$LOAD_CORE" wrk -t1 -c64 -d"${secs}s" "$@" | rps; }
printf '%-22s %10s %10s %7s\n' page app nginx ratio
for name in lesson quiz; do
  path=$lesson; [ "$name" = quiz ] && path=$quiz
  ng=$(run "http://127.0.0.1:3912/$name.html")
  anon=$(run "http://127.0.0.1:3911$path")
  signed=$(run -H "Cookie: $cookies" "http://127.0.0.1:3911$path")
  printf '%-22s %10.0f %10.0f %7s\n' "$name (anonymous)" "$anon" "$ng" "$(ratio "$anon" "$ng")"
  printf '%-22s %10.0f %10.0f %7s\n' "$name (signed in)" "$signed" "$ng" "$(ratio "$signed" "$ng")"
done
