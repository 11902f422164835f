#!/usr/bin/env bash
# Postback and lead-intake benchmark: bash tests/load/bench-postbacks-leads.sh
#
# Starts the app (Release) on PostgreSQL + Redis with the baseline endpoints on, sets up an advertiser with
# money, a CPA offer without caps and a webmaster in it, then in one run with wrk (-t2 -c32, after a warm-up):
#   1. GET /_bench/ok (bare 200) vs GET /postback, every postback for a click id never converted before
#      (the clicks are made first through /c/{code} and read back from the database);
#   2. POST /_bench/json (bare JSON POST, same body) vs POST /api/v1/leads, every lead a new person.
# Prints req/s, the ratios and wrk's p99 at full load, and checks conversions and leads stored against 200/201s.
# Environment overrides: BENCH_PORT (5198), BENCH_DURATION (15s), BENCH_CONNECTIONS (32).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO_ROOT=$(pwd)
LOAD_DIR="$REPO_ROOT/tests/load"
PORT="${BENCH_PORT:-5198}"
BASE="http://127.0.0.1:$PORT"
DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS=2
DB_NAME="leadex_bench_pb"
REDIS_PREFIX="benchpb:$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n'):"
WORK=$(mktemp -d /tmp/bench-pb.XXXXXX)
# shellcheck source=tests/load/common.sh
source "$LOAD_DIR/common.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench_services
bench_start_app Jobs__Enabled=false \
  RateLimits__PostbackPerSecond=1000000 RateLimits__LeadsPerSecond=1000000 \
  Leads__PerSellerPerMinute=100000000 Leads__PerIpPerMinute=100000000 \
  Tracking__ConversionFraud__MinSecondsAfterClick=0 Tracking__ConversionFraud__CrAnomalyMinConversions=100000000 \
  Tracking__Postback__UnknownClickWaitMilliseconds=0

key_for() { curl -fsS -X POST "$BASE/api/v1/auth/keys" -H 'content-type: application/json' \
  -d "{\"email\":\"$1@demo.test\",\"password\":\"Demo!2345\",\"name\":\"bench\"}" | jq -r '.apiKey'; }
ADV=$(key_for advertiser); WM=$(key_for webmaster); ADMIN=$(key_for admin)
curl -fsS -o /dev/null -X POST "$BASE/api/v1/admin/manual-top-ups" -H "X-Api-Key: $ADMIN" -H 'content-type: application/json' \
  -d '{"email":"advertiser@demo.test","amount":100000000000,"currency":"RUB","note":"bench"}'
OFFER=$(curl -fsS -X POST "$BASE/api/v1/offers" -H "X-Api-Key: $ADV" -H 'content-type: application/json' -d '{
  "nicheCode":"real-estate","title":"Bench CPA","description":"bench","landingUrl":"https://landing.example/?cid={click_id}",
  "currency":"RUB","access":"public","holdDays":30,"regions":["RU-MOW"],
  "goals":[{"code":"deposit","name":"Deposit","model":"cpa","advertiserAmount":1000,"webmasterAmount":700,"isDefault":true}]}' | jq -r '.id')
LINK=$(curl -fsS -X POST "$BASE/api/v1/offers/$OFFER/join" -H "X-Api-Key: $WM" | jq -r '.linkCode')
TOKEN=$(curl -fsS "$BASE/api/v1/postback-settings" -H "X-Api-Key: $ADV" | jq -r '.token')
[[ -n "$LINK" && "$LINK" != null && -n "$TOKEN" && "$TOKEN" != null ]] || die "setup failed (offer $OFFER, link $LINK)"
log "offer $OFFER, link /c/$LINK"

log "making clicks to convert (wrk on /c/$LINK for 10 s)"
wrk -t2 -c32 -d10s -s "$LOAD_DIR/bench.lua" "$BASE" -- "/c/$LINK" clicks >"$WORK/clicks.txt" 2>&1 || true
sleep 3
psql_q "host=127.0.0.1 port=5432 user=leadex dbname=$DB_NAME" -c 'SELECT "Id" FROM "Clicks" ORDER BY random()' >"$WORK/ids.txt"
sed -i '/^$/d' "$WORK/ids.txt"
(($(wc -l <"$WORK/ids.txt") > 1000)) || die "too few clicks stored to convert: $(wc -l <"$WORK/ids.txt")"
log "$(wc -l <"$WORK/ids.txt") clicks to convert"

export BENCH_IDS="$WORK/ids.txt" BENCH_THREADS=$THREADS BENCH_QUERY="&goal=deposit&token=$TOKEN" BENCH_KEY="$WM"
run() { # name path script -> $WORK/name.txt
  BENCH_PATH="$2" BENCH_PHONE_BASE=$((RANDOM * 100)) wrk -t$THREADS -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LOAD_DIR/$3" "$BASE$2" >"$WORK/$1.txt" 2>&1
}
log "warm-up"
BENCH_PATH=/_bench/ok wrk -t2 -c16 -d3s -s "$LOAD_DIR/postback.lua" "$BASE/_bench/ok" >/dev/null 2>&1 || true
BENCH_PATH=/_bench/json wrk -t2 -c16 -d3s -s "$LOAD_DIR/lead.lua" "$BASE/_bench/json" >/dev/null 2>&1 || true

log "bare 200 /_bench/ok";           run ok /_bench/ok postback.lua
log "postbacks /postback";           run postback /postback postback.lua
log "bare JSON POST /_bench/json";   run json /_bench/json lead.lua
log "leads POST /api/v1/leads";      run leads /api/v1/leads lead.lua
sleep 2

Q="host=127.0.0.1 port=5432 user=leadex dbname=$DB_NAME"
CONVERSIONS=$(psql_q "$Q" -c 'SELECT count(*) FROM "Conversions"')
LEADS=$(psql_q "$Q" -c "SELECT count(*) FROM \"Leads\" WHERE \"Status\" = 'OnSale'")
REJECTED=$(psql_q "$Q" -c "SELECT count(*) FROM \"Leads\" WHERE \"Status\" = 'Rejected'")
requests() { awk '/requests in/ { print $1 }' "$WORK/$1.txt"; }
non2xx() { awk -F': ' '/non-2..? answers/ { print $2 }' "$WORK/$1.txt"; }

echo
echo "=== results ($(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION) ==="
printf '%-22s %12s %10s %10s\n' endpoint "req/s" "p99" "non-2xx"
for n in ok postback json leads; do printf '%-22s %12s %10s %10s\n' "$n" "$(wrk_rate "$WORK/$n.txt")" "$(wrk_p99 "$WORK/$n.txt")" "$(non2xx "$n")"; done
echo "postback / bare 200:   $(awk -v a="$(wrk_rate "$WORK/postback.txt")" -v b="$(wrk_rate "$WORK/ok.txt")" 'BEGIN { printf "%.3f", a / b }')"
echo "leads / bare JSON:     $(awk -v a="$(wrk_rate "$WORK/leads.txt")" -v b="$(wrk_rate "$WORK/json.txt")" 'BEGIN { printf "%.3f", a / b }')"
echo "postback requests $(requests postback), conversions stored $CONVERSIONS (repeats of a click answer duplicate:true)"
echo "lead requests $(requests leads), accepted leads stored $LEADS, rejected $REJECTED"
grep -iE "error|exception" "$APP_LOG" | grep -v "Microsoft.Hosting" | sort | uniq -c | sort -rn | head -5 || true
