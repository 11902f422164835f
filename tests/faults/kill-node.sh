#!/usr/bin/env bash
# Fault drill: an app node killed with SIGKILL under load, then started again on the same database (issue #9 "Faults").
#
#   bash tests/faults/kill-node.sh        (as root on Debian 12, from the repository root; about 3 minutes)
#
# The app in Release on FAULT_PORT (5198) with a fresh database on the machine's PostgreSQL (5432) and Redis 6379 under
# its own key prefix; a local target on FAULT_TARGET_PORT (5197) takes the webmaster's postbacks and the buyer's
# webhooks. Clicks, postbacks, leads and exclusive purchases of those leads run in parallel for FAULT_RUN_SECONDS (20);
# halfway the app gets `kill -9` (no graceful stop: the click queue in memory is lost, transactions in flight are
# rolled back by PostgreSQL, outbox leases stay taken), then it is started again on the same database. Checked
# (tests/faults/drill.sh): every 201/200 stored exactly once, no sale half-done (a sold lead has its sale, each sale its
# hold), the ledger balanced, no payout doubled, outbox rows left behind delivered after the restart, clicks lost <= the
# ClickWriter bound (the queue plus the batch in flight: Tracking:ClickWriter:Capacity 100 000, in practice the ~200 ms
# batch window). Payout requests are not driven: a webmaster's earnings become available only after the hold days.
# Prints figures and a FAIL line per broken promise; exits 0 either way.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO_ROOT=$(pwd)
PORT="${FAULT_PORT:-5198}"
BASE="http://127.0.0.1:$PORT"
TARGET_PORT="${FAULT_TARGET_PORT:-5197}"
RUN="${FAULT_RUN_SECONDS:-20}"
DB_NAME="leadex_fault_kill"
DB_CONN="host=127.0.0.1 port=5432 user=leadex dbname=$DB_NAME"
REDIS_PREFIX="fault-kill:$(date +%s):"
WORK=$(mktemp -d /tmp/fault-kill.XXXXXX)
# shellcheck source=tests/load/common.sh
source "$REPO_ROOT/tests/load/common.sh"
# shellcheck source=tests/faults/drill.sh
source "$REPO_ROOT/tests/faults/drill.sh"
cleanup() {
  local rc=$?
  set +e
  stop_load 2>/dev/null
  stop_target
  bench_cleanup "$rc"
}
trap cleanup EXIT
APP_SETTINGS=(Jobs__IntervalSeconds=1 Tracking__Postback__AllowPrivateTargets=true
  Leads__PerIpPerMinute=1000000 Leads__PerSellerPerMinute=1000000 RateLimits__LeadsPerSecond=100000)

bench_services
start_target
bench_start_app "${APP_SETTINGS[@]}"
drill_setup
log "load for ${RUN} s: 2 click loops, 2 postback loops, 2 lead loops, 1 buyer"
start_load clicks:2 postbacks:2 leads:2 buys:1
sleep $((RUN / 2))
STATS_BEFORE=$(curl -s "$BASE/_bench/stats" || echo '?')
T_KILL=$(now_ms)
log "kill -9 $APP_PID"
kill -KILL "$APP_PID"
wait "$APP_PID" 2>/dev/null || true
APP_PID=""
CLICKS_BEFORE_KILL=$(cat "$WORK"/clicks.* | awk -v t="$T_KILL" '$2 == 302 && $1 < t' | wc -l)
STORED_AT_KILL=$(db "select count(*) from \"Clicks\" c join \"OfferParticipations\" p on p.\"Id\" = c.\"ParticipationId\" where p.\"LinkCode\" = '$LINK' and c.\"Sub1\" = 'drill'")
cp "$APP_LOG" "$WORK/app-killed.log"
log "restarting on the same database (the load keeps trying)"
T_RESTART=$(now_ms)
BENCH_SKIP_BUILD=1 bench_start_app "${APP_SETTINGS[@]}" >/dev/null
T_READY=$(now_ms)
sleep $((RUN / 2))
stop_load
T_END=$(now_ms)

echo "--- answers before the kill"
for k in clicks postbacks leads buys; do echo "$k: $(answers "$k" 0 "$T_KILL")"; done
echo "--- node down: killed, restarted, ready after $((T_READY - T_KILL)) ms (start-up $((T_READY - T_RESTART)) ms)"
for k in clicks postbacks leads buys; do echo "$k: $(answers "$k" "$T_KILL" "$T_READY")"; done
echo "--- after the restart"
for k in clicks postbacks leads buys; do echo "$k: $(answers "$k" "$T_READY" "$T_END")"; done
bad=$(cat "$WORK"/postbacks.* "$WORK"/leads.* | awk -v t="$T_READY" '$1 >= t && $2 ~ /^5/' | wc -l)
((bad == 0)) || fail "$bad postbacks/leads answered 5xx after the restart"

echo "--- clicks"
sleep 2
click_figures
LOST=$((CLICKS_REDIRECTED - CLICKS_STORED))
echo "writer at the kill (sampled just before): $STATS_BEFORE; clicks redirected before the kill $CLICKS_BEFORE_KILL, stored by then $STORED_AT_KILL"
CAPACITY=100000
((LOST <= CAPACITY)) || fail "lost $LOST clicks, more than the queue capacity $CAPACITY"
((LOST >= 0)) || fail "more clicks stored ($CLICKS_STORED) than redirected ($CLICKS_REDIRECTED)"
after=$(cat "$WORK"/clicks.* | awk -v t="$T_READY" '$2 == 302 && $1 >= t' | wc -l)
rate=$(awk -v n="$CLICKS_BEFORE_KILL" -v ms="$((T_KILL - $(head -n 1 -q "$WORK"/clicks.* | sort -n | head -n 1 | cut -d' ' -f1)))" 'BEGIN { printf "%.0f", n * 1000 / ms }')
echo "clicks lost: $LOST, at $rate clicks/s before the kill (with Redis the click stream keeps them: 0 expected; without it about $(awk -v r="$rate" 'BEGIN { printf "%.0f", r * 0.2 }') in one 200 ms batch window); $after redirected after the restart"

echo "--- outbox after the restart"
left=$(db "select count(*) from \"OutboxMessages\" where \"ProcessedAt\" is null and not \"DeadLettered\"")
leased=$(db "select count(*) from \"OutboxMessages\" where \"ProcessedAt\" is null and \"LockedUntil\" > now() at time zone 'utc'")
echo "undelivered right after the load: $left (of them under a lease of the killed node or in flight: $leased)"
t0=$(now_ms)
while (($(db "select count(*) from \"OutboxMessages\" where \"ProcessedAt\" is null and not \"DeadLettered\"") > 0)); do
  (($(now_ms) - t0 < 180000)) || { fail "outbox rows still undelivered 180 s after the load stopped"; break; }
  sleep 2
done
echo "outbox drained $(($(now_ms) - t0)) ms after the load stopped (a lease of the killed node expires after 2 min)"
echo "outbox: $(db "select count(*) || ' processed, ' || count(*) filter (where \"DeadLettered\") || ' dead-lettered, ' || coalesce(max(\"Attempts\"), 0) || ' most attempts' from \"OutboxMessages\"")"
echo "target got: $(grep -c '^GET /pb' "$WORK/target.log" || true) postbacks, $(grep -c '^POST /hook' "$WORK/target.log" || true) webhooks"
n=$(db "select count(*) from \"OutboxMessages\" where \"DeadLettered\"")
((n == 0)) || fail "$n outbox rows dead-lettered"

echo "--- reconciliation"
drill_reconcile
echo "$FAILS failed checks"
