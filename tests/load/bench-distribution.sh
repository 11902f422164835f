#!/usr/bin/env bash
# Lead distribution benchmark: bash tests/load/bench-distribution.sh
#
# Starts the app (Release) on PostgreSQL + Redis with the baseline endpoints on, registers 20 funded advertisers
# each with one active lead order for real-estate in RU (same max price: round robin decides; 10 exclusive,
# 10 shared), then in one run with wrk (-t2 -c32, after a warm-up):
#   POST /_bench/json (bare JSON POST, same body) vs POST /api/v1/leads, every lead a new person, each one
#   distributed to the orders in the request (one transaction per sale: lead row, order, caps, ledger, sale).
# Prints req/s, the ratio, p99 at full load, leads stored, sales made per second, and checks that no lead was
# oversold, no balance went negative and the ledger balances.
# Environment overrides: BENCH_PORT (5197), BENCH_DURATION (15s), BENCH_CONNECTIONS (32).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO_ROOT=$(pwd)
LOAD_DIR="$REPO_ROOT/tests/load"
PORT="${BENCH_PORT:-5197}"
BASE="http://127.0.0.1:$PORT"
DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS=2
ORDERS=20
DB_NAME="leadex_bench_dist"
REDIS_PREFIX="benchdist:$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n'):"
WORK=$(mktemp -d /tmp/bench-dist.XXXXXX)
# shellcheck source=tests/load/common.sh
source "$LOAD_DIR/common.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench_services
bench_start_app Jobs__Enabled=false RateLimits__LeadsPerSecond=1000000 RateLimits__AuthPerMinute=100000 \
  Leads__PerSellerPerMinute=100000000 Leads__PerIpPerMinute=100000000

key_for() { demo_api_key "$1"; }
WM=$(key_for webmaster); ADMIN=$(key_for admin)
log "registering $ORDERS funded advertisers with one order each"
for i in $(seq 1 $ORDERS); do
  email="bench-buyer-$i-$RANDOM@bench.example"
  key=$(curl -fsS -X POST "$BASE/api/v1/auth/register" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"Passw0rd!\",\"role\":\"advertiser\",\"displayName\":\"Bench buyer $i\"}" | jq -r '.apiKey')
  curl -fsS -o /dev/null -X POST "$BASE/api/v1/admin/manual-top-ups" -H "X-Api-Key: $ADMIN" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"amount\":100000000000,\"currency\":\"RUB\",\"note\":\"bench\"}"
  exclusive=$([[ $((i % 2)) -eq 0 ]] && echo true || echo false)
  curl -fsS -o /dev/null -X POST "$BASE/api/v1/lead-orders" -H "X-Api-Key: $key" -H 'content-type: application/json' \
    -d "{\"name\":\"Bench order $i\",\"niche\":\"real-estate\",\"regions\":[\"RU\"],\"maxPrice\":100000000,\"exclusive\":$exclusive,\"timeZone\":\"UTC\"}"
done
Q="host=127.0.0.1 port=5432 user=leadex dbname=$DB_NAME"
ACTIVE=$(psql_q "$Q" -c "SELECT count(*) FROM \"LeadOrders\" WHERE \"Status\" = 'Active'")
[[ "$ACTIVE" -ge $ORDERS ]] || die "setup failed: $ACTIVE active orders"

export BENCH_THREADS=$THREADS BENCH_KEY="$WM"
run() { # name path -> $WORK/name.txt
  BENCH_PATH="$2" BENCH_PHONE_BASE=$((RANDOM * 100)) wrk -t$THREADS -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LOAD_DIR/lead.lua" "$BASE$2" >"$WORK/$1.txt" 2>&1
}
log "warm-up"
BENCH_PATH=/_bench/json wrk -t2 -c16 -d3s -s "$LOAD_DIR/lead.lua" "$BASE/_bench/json" >/dev/null 2>&1 || true
BENCH_PATH=/api/v1/leads BENCH_PHONE_BASE=9000000 wrk -t2 -c8 -d3s -s "$LOAD_DIR/lead.lua" "$BASE/api/v1/leads" >/dev/null 2>&1 || true
SALES_BEFORE=$(psql_q "$Q" -c 'SELECT count(*) FROM "LeadSales"')
LEADS_BEFORE=$(psql_q "$Q" -c "SELECT count(*) FROM \"Leads\" WHERE \"Status\" <> 'Rejected'")

log "bare JSON POST /_bench/json"; run json /_bench/json
log "leads with distribution POST /api/v1/leads"; run leads /api/v1/leads
sleep 2

SALES=$(( $(psql_q "$Q" -c 'SELECT count(*) FROM "LeadSales"') - SALES_BEFORE ))
LEADS=$(( $(psql_q "$Q" -c "SELECT count(*) FROM \"Leads\" WHERE \"Status\" <> 'Rejected'") - LEADS_BEFORE ))
SOLD=$(psql_q "$Q" -c "SELECT count(*) FROM \"Leads\" WHERE \"SoldCount\" > 0")
OVERSOLD=$(psql_q "$Q" -c "SELECT count(*) FROM \"Leads\" l WHERE (l.\"SoldExclusive\" AND l.\"SoldCount\" > 1) OR l.\"SoldCount\" > 3 OR l.\"SoldCount\" <> (SELECT count(*) FROM \"LeadSales\" s WHERE s.\"LeadId\" = l.\"Id\")")
NEGATIVE=$(psql_q "$Q" -c "SELECT count(*) FROM \"LedgerAccounts\" WHERE \"Balance\" < 0 AND \"Type\" IN ('AdvertiserBalance','Escrow')")
UNBALANCED=$(psql_q "$Q" -c 'SELECT count(*) FROM (SELECT "JournalEntryId" FROM "Postings" GROUP BY "JournalEntryId" HAVING sum("Amount") <> 0) x')
seconds=$(awk -v d="$DURATION" 'BEGIN { sub(/s$/, "", d); print d }')
non2xx() { awk -F': ' '/non-2..? answers/ { print $2 }' "$WORK/$1.txt"; }

echo
echo "=== results ($(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ORDERS active orders) ==="
printf '%-26s %12s %10s %10s\n' endpoint "req/s" "p99" "non-2xx"
for n in json leads; do printf '%-26s %12s %10s %10s\n' "$n" "$(wrk_rate "$WORK/$n.txt")" "$(wrk_p99 "$WORK/$n.txt")" "$(non2xx "$n")"; done
echo "leads (distributed) / bare JSON: $(awk -v a="$(wrk_rate "$WORK/leads.txt")" -v b="$(wrk_rate "$WORK/json.txt")" 'BEGIN { printf "%.3f", a / b }')"
echo "leads accepted in the run: $LEADS; sales made: $SALES ($(awk -v s="$SALES" -v d="$seconds" 'BEGIN { printf "%.1f", s / d }') sales/s); leads with at least one sale (all runs): $SOLD"
echo "checks: oversold or miscounted leads $OVERSOLD, negative balances $NEGATIVE, unbalanced journal entries $UNBALANCED"
grep -iE "error|exception" "$APP_LOG" | grep -v "Microsoft.Hosting" | sort | uniq -c | sort -rn | head -5 || true
