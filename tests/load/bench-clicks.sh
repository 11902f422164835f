#!/usr/bin/env bash
# Click hot-path benchmark: bash tests/load/bench-clicks.sh
#
# Starts the app (Release) on PostgreSQL + Redis with the baseline endpoints on (Benchmark:BaselineEndpoints),
# warms up, then in one run:
#   1. max throughput, wrk -t2 -c64 -d20s --latency: bare 302 (/_bench/redirect) vs GET /c/{linkCode};
#   2. p99 at a fixed rate of half the measured click maximum, with hey -n/-q (Debian package hey), on the
#      bare 302 first (control: what the machine and hey give at that rate), then on the click;
#   3. stored vs redirected: 302s counted by the clients vs rows in "Clicks" vs the writer's counters.
# For every measured run it also reads the CPU time used by the app, PostgreSQL, Redis and the load client
# (/proc), per request, and by anything else on the machine ("other": another build or test run skews
# req/s; the per-request CPU figures are much less sensitive to it).
# Prints a summary; docs/benchmarks.md is written by hand from it.
#
# Both wrk runs use tests/load/bench.lua: every request gets its own sub1 and User-Agent (a new visitor for
# the fraud counters), for the baseline too, so the client does the same work on both sides. Forwarded
# headers stay off (ASPNETCORE_FORWARDEDHEADERS_ENABLED unset, as in a deployment without a proxy), so every
# click comes from 127.0.0.1: the per-IP counters are two hot keys and those clicks are flagged ip_velocity,
# which changes a column, not the work done per click.
#
# Needs root on a fresh Debian 12 machine (installs wrk, hey, PostgreSQL, Redis when missing) and the role
# leadex/leadex (see test.sh). Environment overrides: BENCH_PORT (5199), BENCH_DURATION (20s),
# BENCH_WARMUP (10s), BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_HEY_WORKERS (32).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO_ROOT=$(pwd)
LOAD_DIR="$REPO_ROOT/tests/load"

PORT="${BENCH_PORT:-5199}"
BASE="http://127.0.0.1:$PORT"
DURATION="${BENCH_DURATION:-20s}"
WARMUP="${BENCH_WARMUP:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"
HEY_WORKERS="${BENCH_HEY_WORKERS:-32}"
DB_NAME="leadex_bench"
PG_ADMIN="host=127.0.0.1 port=5432 user=leadex dbname=postgres"
PG_BENCH="host=127.0.0.1 port=5432 user=leadex dbname=$DB_NAME"
REDIS_PREFIX="bench:$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n'):"
export PGPASSWORD=leadex PGCONNECT_TIMEOUT=5
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

WORK=$(mktemp -d /tmp/bench-clicks.XXXXXX)
APP_LOG="$WORK/app.log"
APP_PID=""

log() { echo "==> $*"; }
die() { echo "bench-clicks.sh: $*" >&2; exit 1; }
is_root() { [[ $(id -u) -eq 0 ]]; }
psql_q() { psql -w -X -q -A -t -v ON_ERROR_STOP=1 "$@" </dev/null; }

stop_app() {
  [[ -n "$APP_PID" ]] || return 0
  if kill -0 "$APP_PID" 2>/dev/null; then
    log "stopping the app (SIGTERM, pid $APP_PID)"
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 90); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$APP_PID" 2>/dev/null; then
      echo "bench-clicks.sh: the app did not stop within 45 s; killing it" >&2
      kill -KILL "$APP_PID" 2>/dev/null || true
    fi
  fi
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
}

cleanup() {
  local rc=$?
  stop_app
  psql_q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 || true
  # Fraud-counter and visitor keys of this run only.
  if command -v redis-cli >/dev/null 2>&1; then
    redis-cli -p 6379 --scan --pattern "${REDIS_PREFIX}*" 2>/dev/null | xargs -r -n 1000 redis-cli -p 6379 unlink >/dev/null 2>&1 || true
  fi
  if ((rc != 0)); then
    echo "bench-clicks.sh: failed (exit $rc); last app log lines:" >&2
    tail -n 40 "$APP_LOG" >&2 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Tools and services (same approach as test.sh)
# ---------------------------------------------------------------------------------------------
pg_server_installed() {
  command -v pg_ctlcluster >/dev/null 2>&1 && compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null
}

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v hey >/dev/null 2>&1 || missing+=(hey)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
pg_server_installed || missing+=(postgresql)
if ((${#missing[@]} > 0)); then
  if ! is_root || ! command -v apt-get >/dev/null 2>&1; then
    die "missing ${missing[*]}: install them (or run as root)"
  fi
  log "installing ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 -qq update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq -o Dpkg::Use-Pty=0 install -y "${missing[@]}" </dev/null
fi
command -v dotnet >/dev/null 2>&1 || die "dotnet not found: install the .NET SDK pinned in global.json"

redis_up() { [[ "$(redis-cli -p 6379 ping 2>/dev/null || true)" == "PONG" ]]; }
if ! redis_up; then
  log "starting redis-server on 6379"
  redis-server --port 6379 --daemonize yes --save '' --appendonly no </dev/null >/dev/null 2>&1 || die "redis-server failed to start"
  for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  redis_up || die "redis did not answer PING on 6379"
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  is_root || die "PostgreSQL is not accepting connections on 127.0.0.1:5432 (start it, or run as root)"
  PG_VERSION=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n 1)
  if ! pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { f = 1 } END { exit !f }'; then
    log "creating PostgreSQL $PG_VERSION cluster 'main'"
    pg_createcluster "$PG_VERSION" main </dev/null >/dev/null
  fi
  log "starting PostgreSQL $PG_VERSION/main"
  pg_ctlcluster "$PG_VERSION" main start </dev/null >/dev/null 2>&1 || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL did not accept connections on 127.0.0.1:5432 within 30 s"
fi
psql_q "$PG_ADMIN" -c 'select 1' >/dev/null || die "cannot log in as leadex/leadex on 127.0.0.1:5432 (run ./test.sh once as root: it creates the role)"

log "fresh database $DB_NAME"
psql_q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null
psql_q "$PG_ADMIN" -c "CREATE DATABASE $DB_NAME" >/dev/null

# ---------------------------------------------------------------------------------------------
# Build and start the app
# ---------------------------------------------------------------------------------------------
log "dotnet build src/LeadExchange.Web -c Release"
dotnet build src/LeadExchange.Web/LeadExchange.Web.csproj -c Release -v quiet -nologo </dev/null >"$WORK/build.log" 2>&1 ||
  { tail -n 30 "$WORK/build.log" >&2; die "build failed"; }

log "starting the app on $BASE (log: $APP_LOG)"
(
  cd src/LeadExchange.Web
  export Database__Provider=PostgreSql \
    ConnectionStrings__Default="Host=127.0.0.1;Port=5432;Username=leadex;Password=leadex;Database=$DB_NAME" \
    ConnectionStrings__Redis=127.0.0.1:6379 \
    Redis__KeyPrefix="$REDIS_PREFIX" \
    Demo__Enabled=true Demo__AllowInProduction=true Demo__SampleActivity=false \
    Benchmark__BaselineEndpoints=true \
    Logging__LogLevel__Default=Warning \
    ASPNETCORE_ENVIRONMENT=Production
  exec dotnet bin/Release/net10.0/LeadExchange.Web.dll --urls "$BASE"
) </dev/null >"$APP_LOG" 2>&1 &
APP_PID=$!

ready=0
for _ in $(seq 1 180); do
  kill -0 "$APP_PID" 2>/dev/null || die "the app exited during start-up"
  if curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null; then ready=1; break; fi
  sleep 0.5
done
((ready == 1)) || die "/health/ready did not answer 200 within 90 s"
log "app ready"

# ---------------------------------------------------------------------------------------------
# A tracking link: webmaster key -> public active offer -> join -> linkCode
# ---------------------------------------------------------------------------------------------
KEY=$(curl -fsS -X POST "$BASE/api/v1/auth/keys" -H 'content-type: application/json' \
  -d '{"email":"webmaster@demo.test","password":"Demo!2345","name":"bench"}' | jq -r '.apiKey')
[[ -n "$KEY" && "$KEY" != null ]] || die "could not get an API key for webmaster@demo.test"
OFFER_ID=$(curl -fsS "$BASE/api/v1/offers?pageSize=50" -H "X-Api-Key: $KEY" |
  jq -r '[.items[] | select(.access == "public" and .status == "active")][0].id')
[[ -n "$OFFER_ID" && "$OFFER_ID" != null ]] || die "no public active offer in the demo catalog"
LINK_CODE=$(curl -fsS -X POST "$BASE/api/v1/offers/$OFFER_ID/join" -H "X-Api-Key: $KEY" | jq -r '.linkCode')
[[ -n "$LINK_CODE" && "$LINK_CODE" != null ]] || die "joining offer $OFFER_ID gave no linkCode"
CLICK_PATH="/c/$LINK_CODE"
log "offer $OFFER_ID, link $CLICK_PATH"

# Sanity: both endpoints answer 302 (this click counts as redirected too).
[[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/_bench/redirect") == 302 ]] || die "/_bench/redirect does not answer 302"
[[ $(curl -s -o /dev/null -w '%{http_code}' -A 'Mozilla/5.0 bench-check' "$BASE$CLICK_PATH?sub1=check") == 302 ]] ||
  die "$CLICK_PATH does not answer 302"
CLIENT_302=1

# ---------------------------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------------------------
stats() { curl -fsS "$BASE/_bench/stats"; }
drain() { # wait until the click writer has written everything it accepted
  local s
  for _ in $(seq 1 120); do
    s=$(stats)
    [[ $(jq -r '.pending == 0 and .enqueued == .written' <<<"$s") == true \
      && "$(redis-cli -p 6379 XLEN "${REDIS_PREFIX}clicks:stream" 2>/dev/null || echo 0)" == 0 ]] && return 0
    sleep 0.5
  done
  echo "bench-clicks.sh: warning: the click writer did not drain within 60 s: $s" >&2
}

# CPU accounting in clock ticks: the app, PostgreSQL (this database's backends plus the server's shared
# writer processes; not other databases' backends) and Redis (shared with any other user) from /proc; the load
# client (wrk or hey) from this shell's children times (`times`, which must run in this shell, not a subshell);
# the whole machine from /proc/stat.
TICKS_PER_S=$(getconf CLK_TCK)
proc_ticks() { local t=0 p; for p in "$@"; do [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
pg_pids() { pgrep -d ' ' -f "^postgres: .*(: [a-z_]+ $DB_NAME |walwriter|checkpointer|background writer|autovacuum)" || true; }
cpu_snapshot() { # app postgres redis machine interrupts (irq + softirq: loopback TCP is mostly processed there)
  echo "$(proc_ticks "$APP_PID") $(proc_ticks $(pg_pids)) $(proc_ticks $(pgrep -d ' ' -x redis-server || true))" \
    "$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $7 + $8 }' /proc/stat)"
}
child_ticks() { # FILE written by `times`: children's user + system time, in ticks
  awk -v hz="$TICKS_PER_S" 'NR == 2 { gsub(/[ms]/, " "); split($0, a, " "); printf "%.0f", (a[1] * 60 + a[2] + a[3] * 60 + a[4]) * hz }' "$1"
}
# measure NAME REQUESTS-OR-0 COMMAND...: runs the load client, then writes $WORK/NAME.cpu: CPU per request in µs
# for app, postgres, redis and client, then in % of one core the machine's load, its interrupt share and what
# the rest of the machine used ("other": other processes and kernel threads). REQUESTS 0 = read it from the
# file the client wrote ($WORK/NAME.txt, BENCH_RESULT line).
measure() {
  local name=$1 n=$2 before after started elapsed
  shift 2
  times >"$WORK/$name.times0"; before=$(cpu_snapshot); started=$(date +%s%N)
  "$@" </dev/null >"$WORK/$name.txt" 2>&1 || { cat "$WORK/$name.txt" >&2; die "$name failed"; }
  after=$(cpu_snapshot); elapsed=$(( $(date +%s%N) - started )); times >"$WORK/$name.times1"
  ((n > 0)) || n=$(sed -n 's/^BENCH_RESULT requests=\([0-9]*\).*/\1/p' "$WORK/$name.txt")
  awk -v name="$name" -v n="$n" -v a="$before" -v b="$after" -v ns="$elapsed" -v hz="$TICKS_PER_S" \
    -v c="$(( $(child_ticks "$WORK/$name.times1") - $(child_ticks "$WORK/$name.times0") ))" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    for (i = 1; i <= 5; i++) d[i] = y[i] - x[i]
    other = d[4] - d[5] - d[1] - d[2] - d[3] - c; if (other < 0) other = 0
    us = 1e6 / hz / (n > 0 ? n : 1); pct = 100 / hz / (ns / 1e9)
    printf "%s %.1f %.1f %.1f %.1f %.0f %.0f %.0f\n", name, d[1] * us, d[2] * us, d[3] * us, c * us, d[4] * pct, d[5] * pct, other * pct
  }' >"$WORK/$name.cpu"
}

# run_wrk NAME PATH DURATION [--latency]: output in $WORK/NAME.txt; adds the click path's 302s to CLIENT_302.
run_wrk() {
  local name=$1 path=$2 duration=$3
  shift 3
  measure "$name" 0 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" "$@" -s "$LOAD_DIR/bench.lua" "$BASE" -- "$path" "$name"
  local line requests status_errors
  line=$(grep '^BENCH_RESULT ' "$WORK/$name.txt") || die "wrk $name: no BENCH_RESULT line"
  requests=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$line")
  status_errors=$(sed -n 's/.* status_errors=\([0-9]*\).*/\1/p' <<<"$line")
  if [[ "$path" == "$CLICK_PATH" ]]; then
    CLIENT_302=$((CLIENT_302 + requests - status_errors))
  fi
}

# wrk --latency prints "     99%   12.34ms"; normalise to milliseconds.
wrk_pct() { # wrk_pct FILE PCT
  awk -v p="$2%" '$1 == p {
    v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
    if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000
    printf "%.2f", v; exit }' "$1"
}
wrk_rps() { awk '$1 == "Requests/sec:" { printf "%.0f", $2 }' "$1"; }
wrk_field() { sed -n "s/^BENCH_RESULT .* $2=\([0-9]*\).*/\1/p" "$1"; }

log "warm-up: $WARMUP on each endpoint"
run_wrk warm-redirect /_bench/redirect "$WARMUP"
run_wrk warm-click "$CLICK_PATH" "$WARMUP"
# The warm-up's clicks must be written before the bare 302 is measured, or the writer competes with it.
drain
sleep 2

log "max throughput: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, bare 302"
run_wrk redirect /_bench/redirect "$DURATION" --latency
sleep 2
log "max throughput: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $CLICK_PATH"
run_wrk click "$CLICK_PATH" "$DURATION" --latency

R_RPS=$(wrk_rps "$WORK/redirect.txt"); C_RPS=$(wrk_rps "$WORK/click.txt")
[[ -n "$R_RPS" && -n "$C_RPS" && "$C_RPS" -gt 0 ]] || die "could not read Requests/sec from wrk"

rows() { psql_q "$PG_BENCH" -c 'select count(*) from "Clicks"'; }

# Fixed rate: half the measured click maximum, spread over HEY_WORKERS workers (-q is per worker). -n (not -z)
# so hey waits for every request it sent and its 302 count is exact; n / rate = the same duration as wrk.
TARGET_RATE=$((C_RPS / 2))
PER_WORKER=$(awk -v t="$TARGET_RATE" -v w="$HEY_WORKERS" 'BEGIN { q = int(t / w); if (q < 1) q = 1; print q }')
FIXED_RATE=$((PER_WORKER * HEY_WORKERS))
HEY_N=$((FIXED_RATE * ${DURATION%s}))
run_hey() { # run_hey NAME URL
  measure "$1" "$HEY_N" hey -n "$HEY_N" -q "$PER_WORKER" -c "$HEY_WORKERS" -disable-redirects \
    -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64) bench/hey' "$2"
}
hey_pct() { awk -v p="$2%" '$1 == p && $2 == "in" { printf "%.2f", $3 * 1000; exit }' "$WORK/$1.txt"; }
hey_rps() { awk '$1 == "Requests/sec:" { printf "%.0f", $2 }' "$WORK/$1.txt"; }
hey_status() { awk -v c="[$2]" '$1 == c { print $2; f = 1 } END { if (!f) print 0 }' "$WORK/$1.txt"; }
hey_other() { awk '$1 ~ /^\[[0-9]+\]$/ && $3 == "responses" && $1 != "[302]" { n += $2 } END { print n + 0 }' "$WORK/$1.txt"; }
hey_errors() { awk '/^Error distribution:/ { e = 1; next } e && $1 ~ /^\[[0-9]+\]$/ { n += substr($1, 2, length($1) - 2) } END { print n + 0 }' "$WORK/$1.txt"; }

log "waiting for the click writer to drain"
drain
sleep 1
log "fixed rate: hey -n $HEY_N -q $PER_WORKER -c $HEY_WORKERS (= $FIXED_RATE req/s), bare 302 (control)"
run_hey hey-redirect "$BASE/_bench/redirect"
sleep 2
ROWS_BEFORE_HEY=$(rows)
log "fixed rate: hey -n $HEY_N -q $PER_WORKER -c $HEY_WORKERS (= $FIXED_RATE req/s), $CLICK_PATH"
run_hey hey-click "$BASE$CLICK_PATH?sub1=hey"
HEY_302=$(hey_status hey-click 302)
CLIENT_302=$((CLIENT_302 + HEY_302))

# ---------------------------------------------------------------------------------------------
# Stored vs redirected
# ---------------------------------------------------------------------------------------------
log "waiting for the click writer to drain"
drain
s=$(stats)
# Accepted = the in-memory writer's queue plus what the click script appended to the Redis click stream (empty by now,
# so everything it took is counted in streamWritten).
ENQUEUED=$(jq -r '.enqueued + .streamWritten' <<<"$s"); WRITTEN=$(jq -r '.written + .streamWritten' <<<"$s")
DROPPED=$(jq -r .dropped <<<"$s"); PENDING=$(jq -r .pending <<<"$s"); FAILED=$(jq -r .failedAttempts <<<"$s")
ROWS=$(rows)
ROWS_HEY=$((ROWS - ROWS_BEFORE_HEY))
ROWS_BENCH_LINK=$(psql_q "$PG_BENCH" -c "select count(*) from \"Clicks\" c join \"OfferParticipations\" p on p.\"Id\" = c.\"ParticipationId\" where p.\"LinkCode\" = '$LINK_CODE'" 2>/dev/null || echo "?")

stop_app
ROWS_AFTER_STOP=$(psql_q "$PG_BENCH" -c 'select count(*) from "Clicks"')

# ---------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------
ratio=$(awk -v c="$C_RPS" -v r="$R_RPS" 'BEGIN { printf "%.2f", c / r }')
hey_p99=$(hey_pct hey-click 99)
echo
echo "== Raw wrk output =="
for n in redirect click; do
  echo "--- $n"
  grep -v '^BENCH_RESULT' "$WORK/$n.txt"
done
for n in hey-redirect hey-click; do
  echo "--- $n (fixed rate)"
  sed -n '/^Summary:/,/^Details/p' "$WORK/$n.txt"
  sed -n '/^Status code distribution:/,$p' "$WORK/$n.txt"
done
echo
echo "== Summary =="
printf 'machine: %s cores, %s, %s MiB RAM; %s\n' "$(nproc)" \
  "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
  "$(awk '/^MemTotal/ { printf "%d", $2 / 1024 }' /proc/meminfo)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf 'wrk -t%s -c%s -d%s --latency (max throughput)\n' "$THREADS" "$CONNECTIONS" "$DURATION"
printf '%-28s %10s %10s %10s %10s %8s\n' endpoint 'req/s' 'p50 ms' 'p90 ms' 'p99 ms' 'non-3xx'
for n in redirect click; do
  f="$WORK/$n.txt"
  printf '%-28s %10s %10s %10s %10s %8s\n' "$( [[ $n == redirect ]] && echo 'GET /_bench/redirect' || echo "GET /c/{code}")" \
    "$(wrk_rps "$f")" "$(wrk_pct "$f" 50)" "$(wrk_pct "$f" 90)" "$(wrk_pct "$f" 99)" "$(wrk_field "$f" status_errors)"
  printf '%-28s socket errors: connect %s, read %s, write %s, timeout %s\n' '' \
    "$(wrk_field "$f" connect)" "$(wrk_field "$f" read)" "$(wrk_field "$f" write)" "$(wrk_field "$f" timeout)"
done
printf 'ratio click/bare 302: %s (target >= 0.50: %s)\n' "$ratio" \
  "$(awk -v x="$ratio" 'BEGIN { print (x >= 0.5) ? "met" : "MISSED" }')"
printf 'fixed rate, hey -n %s -q %s -c %s (= %s req/s target):\n' "$HEY_N" "$PER_WORKER" "$HEY_WORKERS" "$FIXED_RATE"
printf '%-28s %10s %10s %10s %10s %8s %7s\n' endpoint 'req/s' 'p50 ms' 'p90 ms' 'p99 ms' 'non-302' errors
for n in hey-redirect hey-click; do
  printf '%-28s %10s %10s %10s %10s %8s %7s\n' "$( [[ $n == hey-redirect ]] && echo 'GET /_bench/redirect' || echo "GET /c/{code}")" \
    "$(hey_rps "$n")" "$(hey_pct "$n" 50)" "$(hey_pct "$n" 90)" "$(hey_pct "$n" 99)" "$(hey_other "$n")" "$(hey_errors "$n")"
done
printf 'p99 at half max < 10 ms: %s\n' "$(awk -v x="$hey_p99" 'BEGIN { print (x != "" && x < 10) ? "met" : "MISSED" }')"
echo "CPU per request (us; client = wrk or hey) and machine load during each run (% of one core; $(nproc) cores):"
printf '%-28s %8s %8s %8s %8s %8s %8s %8s\n' run app postgres redis client machine irq other
for n in redirect click hey-redirect hey-click; do
  read -r _ app pg redis client machine irq other <"$WORK/$n.cpu"
  printf '%-28s %8s %8s %8s %8s %7s%% %7s%% %7s%%\n' "$n" "$app" "$pg" "$redis" "$client" "$machine" "$irq" "$other"
done
awk '$8 > 25 { bad = bad " " $1 } END { if (bad != "") print "  warning: other processes used over 25% of a core during:" bad "; req/s and latency are skewed" }' "$WORK"/{redirect,click,hey-redirect,hey-click}.cpu
echo "stored vs redirected:"
printf '  clicks redirected (302s counted by curl + wrk + hey): %s\n' "$CLIENT_302"
printf '  writer counters (/_bench/stats): enqueued %s, written %s, dropped %s, pending %s, failed batch attempts %s\n' \
  "$ENQUEUED" "$WRITTEN" "$DROPPED" "$PENDING" "$FAILED"
printf '  rows in "Clicks": %s (for this link: %s); after graceful stop: %s\n' "$ROWS" "$ROWS_BENCH_LINK" "$ROWS_AFTER_STOP"
if [[ "$ROWS" == "$WRITTEN" && "$WRITTEN" == "$ENQUEUED" && "$DROPPED" == 0 && "$ROWS_AFTER_STOP" == "$ROWS" ]]; then
  echo "  server side: every accepted click was stored (rows = written = enqueued, none dropped)"
else
  echo "  server side: MISMATCH"
fi
printf '  hey run (exact: hey waits for every request): %s 302s, %s new rows: %s\n' "$HEY_302" "$ROWS_HEY" \
  "$( [[ "$HEY_302" == "$ROWS_HEY" ]] && echo equal || echo MISMATCH)"
if [[ "$CLIENT_302" == "$ROWS" ]]; then
  echo "  whole run: rows = 302s counted by the clients"
else
  # wrk stops at the end of its duration without counting the requests still in flight; the server answered
  # (and stored) those, so rows can exceed wrk's count by at most its open connections per run.
  echo "  whole run: rows - 302s counted by the clients = $((ROWS - CLIENT_302)) (requests in flight when the 2 wrk click runs stopped: at most $((2 * CONNECTIONS)))"
fi
