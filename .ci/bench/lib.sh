# Shared by the benchmark scripts: build the app once, start it pinned to
# one core on a fresh database, sign learners up. Source it; not run alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export PATH="/usr/local/go/bin:$PATH"

need() { # need COMMAND PACKAGE: install a Debian package when missing
  command -v "$1" >/dev/null 2>&1 && return
  echo "installing $2" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need wrk wrk
need curl curl
need taskset util-linux

BENCH_TMP=$(mktemp -d)
APP_CORE=${APP_CORE:-0}
LOAD_CORE=${LOAD_CORE:-1}
go build -o "$BENCH_TMP/supportlab" ./app

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT

# start_app PORT: the app on a fresh database, pinned to APP_CORE.
start_app() {
  local port=$1
  taskset -c "$APP_CORE" "$BENCH_TMP/supportlab" -addr "127.0.0.1:$port" -db "$BENCH_TMP/app-$port.db" >"$BENCH_TMP/app-$port.log" 2>&1 &
  APP_PID=$!
  PIDS+=("$APP_PID")
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.01; done
}

# signup PORT N: creates learner N (with `user create`, which the sign-up
# limit per address does not count), signs in, and prints
# "cookies<TAB>csrf token".
signup() {
  local port=$1 n=$2
  local jar="$BENCH_TMP/jar-$port-$n" tok
  echo "a long enough password" | "$BENCH_TMP/supportlab" user create -db "$BENCH_TMP/app-$port.db" \
    -email "learner$n@example.com" -name "Learner $n" -role learner >/dev/null
  tok=$(curl -s -c "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "_csrf=$tok" --data-urlencode "email=learner$n@example.com" \
    --data-urlencode "password=a long enough password" "http://127.0.0.1:$port/login"
  # Signing in renews the CSRF id: read the new token off a page with a form.
  tok=$(curl -s -b "$jar" -c "$jar" "http://127.0.0.1:$port/quiz/support-check-en" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
  local cookies
  cookies=$(awk '{ sub(/^#HttpOnly_/, "") } !/^#/ && NF >= 7 { printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$jar")
  printf '%s\t%s\n' "$cookies" "$tok"
}

# rps OUTPUT: the requests per second wrk printed.
rps() { awk '/Requests\/sec/ {print $2}'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
