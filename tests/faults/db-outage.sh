#!/usr/bin/env bash
# Fault drill: the database stops for a few seconds under load and comes back (issue #9 "Faults").
#
#   bash tests/faults/db-outage.sh        (as root on Debian 12, from the repository root; about 2 minutes)
#   FAULT_DB_MODE=hang bash tests/faults/db-outage.sh   (the server hangs instead: every PostgreSQL process SIGSTOPped
#                                          for FAULT_OUTAGE_SECONDS, default 20 in this mode, then SIGCONT; connections stay
#                                          open and simply stop answering, like a stalled disk or a frozen VM)
#
# A PRIVATE PostgreSQL 15 (initdb into a temp dir as the postgres OS user, port FAULT_PG_PORT 5441, trust auth) so the
# machine's server on 5432 is never touched; the app in Release on FAULT_PORT (5198) with Redis 6379 under its own key
# prefix. Clicks, postbacks and leads run continuously; the private server is stopped with `pg_ctl stop -m immediate`
# (a crash: no shutdown checkpoint, open connections reset) for FAULT_OUTAGE_SECONDS (5) and started again. Printed:
# the answers during the outage (codes, slowest), the time until each kind succeeds again (the app is not restarted),
# and the reconciliation (tests/faults/drill.sh): every 201/200 stored exactly once, nothing stored for a 5xx, accepted
# leads with their dedup keys, conversions with their holds, the ledger balanced, clicks redirected vs stored. A FAIL
# line per broken promise; exits 0 either way (a drill that reports, not a CI gate).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO_ROOT=$(pwd)
PORT="${FAULT_PORT:-5198}"
BASE="http://127.0.0.1:$PORT"
PG_PORT="${FAULT_PG_PORT:-5441}"
TARGET_PORT="${FAULT_TARGET_PORT:-5197}"
MODE="${FAULT_DB_MODE:-stop}"
[[ $MODE == stop || $MODE == hang ]] || { echo "FAULT_DB_MODE must be stop or hang" >&2; exit 2; }
if [[ $MODE == hang ]]; then OUTAGE="${FAULT_OUTAGE_SECONDS:-20}"; else OUTAGE="${FAULT_OUTAGE_SECONDS:-5}"; fi
DB_NAME="leadex_fault_db"
DB_CONN="host=127.0.0.1 port=$PG_PORT user=leadex dbname=$DB_NAME"
REDIS_PREFIX="fault-db:$(date +%s):"
WORK=$(mktemp -d /tmp/fault-db.XXXXXX)
PG_BIN=/usr/lib/postgresql/15/bin
PG_DATA=$(mktemp -d /tmp/fault-db-pg.XXXXXX)
# shellcheck source=tests/load/common.sh
source "$REPO_ROOT/tests/load/common.sh"
# shellcheck source=tests/faults/drill.sh
source "$REPO_ROOT/tests/faults/drill.sh"

is_root || die "run as root (the private PostgreSQL runs as the postgres OS user)"
[[ -x $PG_BIN/pg_ctl ]] || die "PostgreSQL 15 binaries not found in $PG_BIN"
pg() { runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA/data" "$@"; }
pg_start() { pg -w -t 60 -l "$PG_DATA/server.log" -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DATA" start >/dev/null; }
pg_pids() { local pm; pm=$(head -n 1 "$PG_DATA/data/postmaster.pid"); echo "$pm $(pgrep -P "$pm" | tr '\n' ' ')"; }
pg_signal() { local p; for p in $(pg_pids); do kill "-$1" "$p" 2>/dev/null || true; done; }
cleanup() {
  local rc=$?
  set +e
  stop_load 2>/dev/null || true
  stop_target
  bench_stop_app
  [[ -f "$PG_DATA/data/postmaster.pid" ]] && pg_signal CONT
  pg -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DATA"
  bench_cleanup "$rc"
}
trap cleanup EXIT

command -v jq >/dev/null || die "jq missing (apt-get install jq)"
log "private PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DATA)"
chown postgres: "$PG_DATA"; chmod 700 "$PG_DATA"
runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA/data" -U leadex --auth=trust --no-locale -E UTF8 >"$WORK/initdb.log" 2>&1 ||
  { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
pg_start
psql_q "host=127.0.0.1 port=$PG_PORT user=leadex dbname=postgres" -c "CREATE DATABASE $DB_NAME" >/dev/null
start_target
bench_start_app ConnectionStrings__Default="Host=127.0.0.1;Port=$PG_PORT;Username=leadex;Database=$DB_NAME" \
  Jobs__IntervalSeconds=1 Tracking__Postback__AllowPrivateTargets=true \
  Leads__PerIpPerMinute=1000000 Leads__PerSellerPerMinute=1000000 RateLimits__LeadsPerSecond=100000

drill_setup
log "load: 2 click loops, 1 postback loop, 1 lead loop"
start_load clicks:2 postbacks:1 leads:1
sleep 5
T_DOWN=$(now_ms)
if [[ $MODE == hang ]]; then
  log "freezing every process of the private PostgreSQL (SIGSTOP) for ${OUTAGE} s"
  pg_signal STOP
  sleep "$OUTAGE"
  T_START=$(now_ms)
  pg_signal CONT
  T_UP=$(now_ms)
  log "PostgreSQL resumed (SIGCONT)"
else
  log "stopping the private PostgreSQL (immediate) for ${OUTAGE} s"
  pg -m immediate stop >/dev/null
  sleep "$OUTAGE"
  T_START=$(now_ms)
  pg_start
  T_UP=$(now_ms)
  log "PostgreSQL accepting connections again ($((T_UP - T_START)) ms to start, crash recovery included)"
fi
sleep 15
stop_load
T_END=$(now_ms)

echo "--- before the outage"
for k in clicks postbacks leads; do echo "$k: $(answers "$k" 0 "$T_DOWN")"; done
echo "--- database down ($((T_UP - T_DOWN)) ms from stop to accepting again); requests started in that window"
for k in clicks postbacks leads; do echo "$k: $(answers "$k" "$T_DOWN" "$T_UP")"; done
echo "--- after it came back (requests started after)"
for k in clicks postbacks leads; do echo "$k: $(answers "$k" "$T_UP" "$T_END")"; done
echo "--- time from 'accepting connections' to the first success (app not restarted)"
echo "postbacks: $(first_ok_after postbacks "$T_UP" '^200$') ms, leads: $(first_ok_after leads "$T_UP" '^201$') ms, health/ready now: $(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready")"
late=$(cat "$WORK"/postbacks.* "$WORK"/leads.* | awk -v t="$T_UP" '$1 >= t + 5000 && $2 !~ /^2/' | wc -l)
echo "non-2xx postbacks/leads started more than 5 s after the database returned: $late"
((late == 0)) || fail "$late requests still failing more than 5 s after the database returned"
# Bound: the outage itself plus 15 s (a request may wait out a hang, then must finish or fail promptly).
BOUND_MS=$((OUTAGE * 1000 + 15000))
slow=$(cat "$WORK"/clicks.* "$WORK"/postbacks.* "$WORK"/leads.* | awk -v b="$BOUND_MS" '$3 > b' | wc -l)
slowest=$(cat "$WORK"/clicks.* "$WORK"/postbacks.* "$WORK"/leads.* | awk 'BEGIN { m = 0 } $3 > m { m = $3 } END { print m }')
echo "slowest request: $slowest ms (bound: the outage + 15 s = $BOUND_MS ms)"
((slow == 0)) || fail "$slow requests took longer than $BOUND_MS ms (not bounded)"
down5=$(cat "$WORK"/postbacks.* "$WORK"/leads.* | awk -v a="$T_DOWN" -v b="$T_UP" '$1 >= a && $1 < b && $2 ~ /^5/ && $2 != 503' | wc -l)
((down5 == 0)) || fail "$down5 answers during the outage were 5xx other than 503"

echo "--- reconciliation"
sleep 3 # the click writer's retry back-off (up to 5 s) and batch
for _ in $(seq 1 20); do [[ $(curl -s "$BASE/_bench/stats" | jq -r '.pending') == 0 ]] && break; sleep 0.5; done
click_figures
((CLICKS_REDIRECTED - CLICKS_STORED <= 0)) || fail "clicks lost during a short outage: $((CLICKS_REDIRECTED - CLICKS_STORED)) (the queue holds 100000)"
drill_reconcile
echo "app log: $(grep -c 'Database unavailable' "$APP_LOG" || true) 'Database unavailable' errors, $(grep -ci 'click batch\|clicks' "$APP_LOG" || true) click writer lines, $(grep -c 'Unhandled\|An unhandled exception' "$APP_LOG" || true) unhandled"
echo "$FAILS failed checks"
