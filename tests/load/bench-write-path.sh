#!/usr/bin/env bash
# Write-path benchmark: bash tests/load/bench-write-path.sh
#
# The postback and lead-intake paths against the bare endpoints, in one process and run, with the DEFAULT fraud rules
# (conversion-rate anomaly, duplicate IP, fast conversion, seller quality): only the per-address and per-seller rate
# limits are lifted (wrk sends everything from 127.0.0.1 as one seller). Each run also profiles where a request's cost
# goes: database round trips and commits per request (the app's own counters), CPU per request of the app, PostgreSQL
# and Redis (/proc), bytes allocated per request (the app's GC counter). Then p99 of postbacks at a fixed rate
# (tests/load/LoadGen, open loop: latency from each request's scheduled time).
#
# BENCH_HISTORY=1 first loads a history (in SQL, into PostgreSQL and the traffic counters in Redis) for the same
# webmaster, offer and seller: 1,000,000 clicks and 20,000 conversions inside the last 24 hours, 50,000 lead sales
# and 5,000 upheld disputes inside 90 days (with their leads and holds), rolled up by the app's own report job before
# the measurement. The same runs then show whether a request's cost grows with history ("flat cost").
#
# BENCH_PERF=1 also samples the app's CPU with perf (JIT symbols from DOTNET_PerfMapEnabled) for 10 s of the postback and
# the lead runs and keeps the top functions in /tmp/bench-perf-{postback,leads}.txt.
#
# Environment: BENCH_PORT (5198), BENCH_DURATION (15s), BENCH_CONNECTIONS (32), BENCH_RATE (postbacks/s for the p99 run,
# default 40 % of the measured postback rate), BENCH_HISTORY (0), BENCH_PERF (0).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO_ROOT=$(pwd)
LOAD_DIR="$REPO_ROOT/tests/load"
PORT="${BENCH_PORT:-5198}"
BASE="http://127.0.0.1:$PORT"
DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
HISTORY="${BENCH_HISTORY:-0}"
THREADS=2
DB_NAME="leadex_bench_wp"
REDIS_PREFIX="benchwp:$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n'):"
WORK=$(mktemp -d /tmp/bench-wp.XXXXXX)
# shellcheck source=tests/load/common.sh
source "$LOAD_DIR/common.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
Q="host=127.0.0.1 port=5432 user=leadex dbname=$DB_NAME"
TICKS=$(getconf CLK_TCK)

bench_services
log "dotnet build tests/load/LoadGen -c Release"
dotnet build "$LOAD_DIR/LoadGen/LoadGen.csproj" -c Release -v quiet -nologo </dev/null >"$WORK/loadgen-build.log" 2>&1 ||
  { tail -n 30 "$WORK/loadgen-build.log" >&2; die "LoadGen build failed"; }
# Rate limits lifted (one client address, one seller); every fraud rule at its default. The report job runs once at start
# (the history's rollups, which seller quality reads) and then not again during the measurement.
APP_SETTINGS=(Jobs__Enabled=true Jobs__IntervalSeconds=1 Jobs__ReportRollupEverySeconds=100000 Jobs__DemandRecomputeEveryMinutes=100000
  Jobs__ScheduledPayoutsEveryMinutes=100000
  RateLimits__PostbackPerSecond=1000000 RateLimits__LeadsPerSecond=1000000 Leads__PerSellerPerMinute=100000000 Leads__PerIpPerMinute=100000000)
[[ "${BENCH_PERF:-0}" == 1 ]] && APP_SETTINGS+=(DOTNET_PerfMapEnabled=1)
# BENCH_APP_ENV="KEY=VALUE ...": more settings for the app (e.g. DOTNET_JitStdOutFile=/tmp/jit.txt DOTNET_JitDisasmSummary=1).
read -r -a EXTRA_ENV <<<"${BENCH_APP_ENV:-}"
APP_SETTINGS+=("${EXTRA_ENV[@]}")
bench_start_app "${APP_SETTINGS[@]}"

key_for() { demo_api_key "$1"; }
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
ADV_ID=$(psql_q "$Q" -c "SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"Email\" = 'advertiser@demo.test'")
WM_ID=$(psql_q "$Q" -c "SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"Email\" = 'webmaster@demo.test'")
PART=$(psql_q "$Q" -c "SELECT \"Id\" FROM \"OfferParticipations\" WHERE \"OfferId\" = '$OFFER' AND \"WebmasterId\" = '$WM_ID'")
log "offer $OFFER, link /c/$LINK"

if [[ "$HISTORY" == 1 ]]; then
  log "history: 1,000,000 clicks and 20,000 conversions in the last 24 h; 50,000 sales and 5,000 upheld disputes in 90 days"
  t0=$(date +%s)
  psql -w -X -q -v ON_ERROR_STOP=1 "$Q" >/dev/null <<SQL
INSERT INTO "Clicks" ("Id", "OfferId", "ParticipationId", "WebmasterId", "AdvertiserId", "Sub1", "Ip", "UserAgent", "CreatedAt", "IsUnique")
SELECT 'h' || i, '$OFFER', '$PART', '$WM_ID', '$ADV_ID', 'history', '10.' || (i / 65536 % 256) || '.' || (i / 256 % 256) || '.' || (i % 256),
       'history', now() - interval '23 hours' + (i::double precision / 1000000) * interval '22 hours', i % 5 <> 0
FROM generate_series(1, 1000000) AS i;
INSERT INTO "Conversions" ("Id", "ClickId", "OfferId", "ParticipationId", "GoalId", "GoalCode", "AdvertiserId", "WebmasterId", "TxKey", "Currency",
  "SaleAmount", "AdvertiserAmount", "WebmasterAmount", "Status", "ReviewRequired", "Sub1", "ClickIp", "ClickedAt", "CreatedAt", "UpdatedAt", "HoldUntil")
SELECT gen_random_uuid(), c."Id", c."OfferId", c."ParticipationId", g."Id", 'deposit', c."AdvertiserId", c."WebmasterId", '', 'RUB',
       NULL, 1000, 700, 'Approved', false, c."Sub1", c."Ip", c."CreatedAt", c."CreatedAt" + interval '10 minutes', c."CreatedAt" + interval '10 minutes',
       c."CreatedAt" + interval '30 days'
FROM "Clicks" c JOIN "OfferGoals" g ON g."OfferId" = c."OfferId" WHERE c."Id" LIKE 'h%' AND substr(c."Id", 2)::bigint % 50 = 0;
CREATE TEMP TABLE hs AS
SELECT i, gen_random_uuid() AS sale, gen_random_uuid() AS lead, gen_random_uuid() AS hold,
       now() - interval '89 days' + (i::double precision / 50000) * interval '88 days' AS at
FROM generate_series(1, 50000) AS i;
INSERT INTO "Leads" ("Id", "SellerId", "NicheCode", "RegionCode", "Source", "ContactCipher", "MaskedName", "MaskedPhone", "PhoneCountry",
  "FieldsJson", "ConsentText", "ConsentGivenAt", "Score", "Temperature", "ScoreBreakdownJson", "Currency", "Price", "PriceBreakdownJson",
  "Status", "SoldCount", "CreatedAt", "ExpiresAt", "SoldExclusive")
SELECT lead, '$WM_ID', 'real-estate', 'RU-MOW', 'Api', 'history', 'H***', '+7916***0000', 'RU', '{}', 'history', at, 50, 'Warm', '[]', 'RUB', 250000, '{}',
       'Sold', 1, at, at + interval '7 days', true
FROM hs;
INSERT INTO "EscrowHolds" ("Id", "SourceType", "SourceId", "AdvertiserId", "WebmasterId", "Currency", "Amount", "WebmasterShare", "PlatformShare",
  "CreatedAt", "ReleaseAt", "Status", "Frozen", "SettledAt")
SELECT hold, 'sale', sale, 'history-buyer', '$WM_ID', 'RUB', 250000, 225000, 25000, at, at + interval '72 hours',
       CASE WHEN i % 10 = 0 THEN 'Refunded' ELSE 'Released' END, false, at + interval '72 hours'
FROM hs;
INSERT INTO "LeadSales" ("Id", "LeadId", "BuyerId", "SellerId", "Channel", "Exclusive", "NicheCode", "RegionCode", "Temperature", "Currency", "Price",
  "HoldId", "SoldAt", "DisputeUntil", "Status", "UpdatedAt")
SELECT sale, lead, 'history-buyer', '$WM_ID', 'Catalog', true, 'real-estate', 'RU-MOW', 'Warm', 'RUB', 250000, hold, at, at + interval '72 hours', 'New', at
FROM hs;
INSERT INTO "Disputes" ("Id", "SaleId", "LeadId", "BuyerId", "SellerId", "NicheCode", "Currency", "Amount", "HoldId", "Reason", "Comment", "Status",
  "OpenedAt", "DueAt", "DecidedAt", "AutoDecided", "RefundedFromEscrow", "ClawedBack", "ChargedToReceivable", "CommissionReturned")
SELECT gen_random_uuid(), sale, lead, 'history-buyer', '$WM_ID', 'real-estate', 'RUB', 250000, hold, 'InvalidPhone', 'history', 'Upheld',
       at + interval '1 hour', at + interval '49 hours', at + interval '2 hours', false, 250000, 0, 0, 25000
FROM hs WHERE i % 10 = 0;
ANALYZE "Clicks"; ANALYZE "Conversions"; ANALYZE "Leads"; ANALYZE "LeadSales"; ANALYZE "Disputes"; ANALYZE "EscrowHolds";
SQL
  # The traffic counters the conversion-rate rule reads: the same clicks and conversions, by hour.
  psql_q "$Q" -F ' ' -c "SELECT 'c', to_char(\"CreatedAt\" AT TIME ZONE 'UTC', 'YYYYMMDDHH24'), count(*) FROM \"Clicks\" WHERE \"Id\" LIKE 'h%' GROUP BY 2
                  UNION ALL SELECT 'v', to_char(\"CreatedAt\" AT TIME ZONE 'UTC', 'YYYYMMDDHH24'), count(*) FROM \"Conversions\" WHERE \"Sub1\" = 'history' GROUP BY 2" |
    while read -r kind hour n; do
      redis-cli -p 6379 INCRBY "${REDIS_PREFIX}tr:$kind:${OFFER//-/}:$WM_ID:$hour" "$n" >/dev/null
      redis-cli -p 6379 PEXPIRE "${REDIS_PREFIX}tr:$kind:${OFFER//-/}:$WM_ID:$hour" 97200000 >/dev/null
    done
  log "history written in $(( $(date +%s) - t0 )) s; restarting the app so its report job rolls it up"
  bench_stop_app
  # The history is back-dated, so the job's incremental scan (rows created since its last scan) would not see it: forget
  # the last scan and the job rebuilds every hour from the oldest fact.
  psql_q "$Q" -c 'UPDATE "ReportRollupStates" SET "ScannedUntil" = NULL, "LeaseOwner" = NULL, "LeaseUntil" = NULL' >/dev/null
  BENCH_SKIP_BUILD=1 bench_start_app "${APP_SETTINGS[@]}"
  t0=$(date +%s)
  until [[ -n "$(psql_q "$Q" -c 'SELECT "ScannedUntil" FROM "ReportRollupStates" WHERE "ScannedUntil" IS NOT NULL')" ]]; do
    sleep 2; (( $(date +%s) - t0 < 1800 )) || die "the rollup job did not finish within 30 minutes"
  done
  log "rolled up in $(( $(date +%s) - t0 )) s: $(psql_q "$Q" -c 'SELECT count(*) FROM "ReportRollups"') rollup rows"
  ADV=$(key_for advertiser); WM=$(key_for webmaster)
fi
HISTORY_ROWS=$(psql_q "$Q" -c "SELECT (SELECT count(*) FROM \"Clicks\") || ' clicks, ' || (SELECT count(*) FROM \"Conversions\") || ' conversions, ' ||
  (SELECT count(*) FROM \"LeadSales\") || ' sales, ' || (SELECT count(*) FROM \"Disputes\") || ' disputes'")

log "making clicks to convert (wrk on /c/$LINK for 10 s), then waiting 6 s so they are older than the fast-conversion rule's 5 s"
wrk -t2 -c32 -d10s -s "$LOAD_DIR/bench.lua" "$BASE" -- "/c/$LINK" clicks >"$WORK/clicks.txt" 2>&1 || true
sleep 6
psql_q "$Q" -c "SELECT \"Id\" FROM \"Clicks\" WHERE \"Id\" NOT LIKE 'h%' ORDER BY random()" >"$WORK/ids.txt"
sed -i '/^$/d' "$WORK/ids.txt"
(($(wc -l <"$WORK/ids.txt") > 1000)) || die "too few clicks stored to convert: $(wc -l <"$WORK/ids.txt")"
# The warm-up converts other clicks than the measured run (a click converted twice is the cheaper repeat path).
WARM_IDS=$(( $(wc -l <"$WORK/ids.txt") / 3 ))
head -n "$WARM_IDS" "$WORK/ids.txt" >"$WORK/ids-warm.txt"
sed -i "1,${WARM_IDS}d" "$WORK/ids.txt"
log "$(wc -l <"$WORK/ids.txt") clicks to convert (and $WARM_IDS for the warm-up)"

# --- profile counters --------------------------------------------------------------------------------------------
pids_cpu() { # pids_cpu PID... -> total CPU ticks (user + system)
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$t"
}
pg_cpu() { # every PostgreSQL process, plus the postmaster's exited children
  local master
  master=$(head -n 1 "$(find /var/lib/postgresql -maxdepth 3 -name postmaster.pid 2>/dev/null | head -n 1)")
  echo $(( $(pids_cpu $(pgrep -u postgres)) + $(awk '{ print $16 + $17 }' "/proc/$master/stat") ))
}
redis_cpu() { pids_cpu $(pgrep -x redis-server); }
snapshot() { # -> "commands commits allocated app_cpu_ms pg_ticks redis_ticks"
  curl -fsS "$BASE/_bench/stats" | jq -r '"\(.dbCommands) \(.dbCommits) \(.allocatedBytes) \(.cpuMilliseconds)"' | tr -d '\n'
  echo " $(pg_cpu) $(redis_cpu)"
}

# Where PostgreSQL's time goes, per statement, when pg_stat_statements is loaded (shared_preload_libraries; see
# docs/benchmarks.md): reset before each real run, the top statements by total time after it, per request.
as_pg() { (cd / && su postgres -s /bin/sh -c "psql -X -q -A -t -d $DB_NAME -c \"$1\"") 2>/dev/null; }
PGSS=0
if is_root && [[ $(as_pg "SHOW shared_preload_libraries") == *pg_stat_statements* ]]; then
  as_pg "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null && PGSS=1
fi
statements_top() { # statements_top NAME REQUESTS -> $WORK/NAME.statements
  [[ $PGSS == 1 ]] || return 0
  as_pg "SELECT round((total_exec_time / $2 * 1000)::numeric, 1) || ' µs/req, ' || round((calls::numeric / $2), 2) || ' calls/req, ' ||
         round((mean_exec_time * 1000)::numeric, 1) || ' µs/call: ' || regexp_replace(left(query, 150), '\\s+', ' ', 'g')
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         ORDER BY total_exec_time DESC LIMIT 12" >"$WORK/$1.statements"
}

export BENCH_IDS="$WORK/ids.txt" BENCH_THREADS=$THREADS BENCH_QUERY="&goal=deposit&token=$TOKEN" BENCH_KEY="$WM"
run() { # run NAME PATH SCRIPT -> $WORK/NAME.txt (wrk) and $WORK/NAME.profile (per-request figures)
  local a b n perf_pid=""
  [[ $PGSS == 1 ]] && as_pg "SELECT pg_stat_statements_reset()" >/dev/null
  a=$(snapshot)
  if [[ "${BENCH_PERF:-0}" == 1 && "$1" != ok && "$1" != json ]]; then
    (sleep 2; perf record -q -F 999 -g -p "$APP_PID" -o "$WORK/$1.perf" -- sleep 10 >/dev/null 2>&1) &
    perf_pid=$!
  fi
  BENCH_PATH="$2" BENCH_PHONE_BASE=$((RANDOM * 100 + 1000000)) wrk -t$THREADS -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LOAD_DIR/$3" "$BASE$2" >"$WORK/$1.txt" 2>&1
  b=$(snapshot)
  if [[ -n "$perf_pid" ]]; then
    wait "$perf_pid" || true
    cp "$WORK/$1.perf" "/tmp/bench-perf-$1.data"
    perf report -i "$WORK/$1.perf" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep '%' | head -n 80 >"/tmp/bench-perf-$1.txt" || true
    perf report -i "$WORK/$1.perf" --children --sort symbol --stdio -g none 2>/dev/null | grep '%' | head -n 150 >"/tmp/bench-perf-$1-inclusive.txt" || true
  fi
  n=$(awk '/requests in/ { print $1 }' "$WORK/$1.txt")
  [[ "$1" != ok && "$1" != json ]] && statements_top "$1" "$n"
  awk -v n="$n" -v t="$TICKS" -v a="$a" -v b="$b" 'BEGIN {
    split(a, x, " "); split(b, y, " ");
    printf "%.1f %.2f %.0f %.0f %.0f %.1f\n", (y[1] - x[1]) / n, (y[2] - x[2]) / n, (y[4] - x[4]) * 1000 / n,
      (y[5] - x[5]) * 1e6 / t / n, (y[6] - x[6]) * 1e6 / t / n, (y[3] - x[3]) / 1024 / n }' >"$WORK/$1.profile"
}
# Warm-up, long enough for the JIT's tiering to settle on the real paths (in a 15 s run right after start-up most of the
# app's CPU per postback was the JIT compiling tier-1 code, not the postback; measured with DOTNET_JitStdOutFile).
WARM="${BENCH_WARMUP:-20s}"
log "warm-up ($WARM on each real endpoint, 3 s on each baseline)"
BENCH_PATH=/_bench/ok wrk -t2 -c16 -d3s -s "$LOAD_DIR/postback.lua" "$BASE/_bench/ok" >/dev/null 2>&1 || true
BENCH_PATH=/_bench/json wrk -t2 -c16 -d3s -s "$LOAD_DIR/lead.lua" "$BASE/_bench/json" >/dev/null 2>&1 || true
BENCH_IDS="$WORK/ids-warm.txt" BENCH_PATH=/postback wrk -t2 -c"$CONNECTIONS" -d"$WARM" -s "$LOAD_DIR/postback.lua" "$BASE/postback" >/dev/null 2>&1 || true
BENCH_PATH=/api/v1/leads BENCH_PHONE_BASE=$((RANDOM * 100)) wrk -t2 -c"$CONNECTIONS" -d"$WARM" -s "$LOAD_DIR/lead.lua" "$BASE/api/v1/leads" >/dev/null 2>&1 || true

log "bare 200 /_bench/ok";           run ok /_bench/ok postback.lua
log "postbacks /postback";           run postback /postback postback.lua
log "bare JSON POST /_bench/json";   run json /_bench/json lead.lua
log "leads POST /api/v1/leads";      run leads /api/v1/leads lead.lua

# p99 of postbacks at a fixed rate: LoadGen's open loop (clicks and postbacks half each, the postbacks on its own clicks).
PB_RATE=$(awk -v r="$(wrk_rate "$WORK/postback.txt")" -v f="${BENCH_RATE:-}" 'BEGIN { printf "%d", (f != "" ? f : r * 0.4) }')
log "postbacks at a fixed $PB_RATE/s for 20 s (LoadGen, open loop)"
dotnet "$LOAD_DIR/LoadGen/bin/Release/net10.0/LoadGen.dll" --base "$BASE" --link "$LINK" --token "$TOKEN" --wm-key "$WM" --buyer-keys "$ADV" \
  --mix 50,50,0,0 --warmup-seconds 3 --capacity-seconds 0 --rate $((PB_RATE * 2)) --soak-seconds 20 --window-seconds 20 \
  --postback-min-click-age 6 --out "$WORK" >"$WORK/loadgen.log" 2>&1 || { tail -n 20 "$WORK/loadgen.log" >&2; die "LoadGen failed"; }
FIXED=$(jq -r '.soak.endpoints.postback | "\(.answeredRate) req/s answered, p50 \(.latencyMs.p50) ms, p99 \(.latencyMs.p99) ms, errors \(.errors)"' "$WORK/result.json")
sleep 2

CONVERSIONS=$(psql_q "$Q" -c "SELECT count(*) FROM \"Conversions\" WHERE \"Sub1\" IS DISTINCT FROM 'history'")
LEADS=$(psql_q "$Q" -c "SELECT count(*) FROM \"Leads\" WHERE \"Status\" = 'OnSale'")
FLAGGED=$(psql_q "$Q" -c "SELECT coalesce(string_agg(f || ' ' || n, ', '), 'none') FROM (SELECT \"FraudFlags\" f, count(*) n FROM \"Conversions\" WHERE \"FraudFlags\" IS NOT NULL GROUP BY 1) x")
requests() { awk '/requests in/ { print $1 }' "$WORK/$1.txt"; }
non2xx() { awk -F': ' '/non-2..? answers/ { print $2 }' "$WORK/$1.txt"; }

echo
echo "=== write path ($(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, history: $([[ $HISTORY == 1 ]] && echo loaded || echo none); $HISTORY_ROWS before the runs) ==="
printf '| %-16s | %8s | %9s | %7s | %10s | %7s | %12s | %11s | %13s | %9s |\n' endpoint "req/s" p99 non-2xx "statements" commits "app CPU µs" "PG CPU µs" "Redis CPU µs" "KiB alloc"
printf '|%s|\n' "------------------|----------|-----------|---------|------------|---------|--------------|-------------|---------------|-----------"
for n in ok postback json leads; do
  read -r st co app pg rd kb <"$WORK/$n.profile"
  printf '| %-16s | %8s | %9s | %7s | %10s | %7s | %12s | %11s | %13s | %9s |\n' "$n" "$(wrk_rate "$WORK/$n.txt")" "$(wrk_p99 "$WORK/$n.txt")" \
    "$(non2xx "$n")" "$st" "$co" "$app" "$pg" "$rd" "$kb"
done
echo "(statements, commits, CPU and allocations are per request: differences over the run / requests)"
echo "postback / bare 200:   $(awk -v a="$(wrk_rate "$WORK/postback.txt")" -v b="$(wrk_rate "$WORK/ok.txt")" 'BEGIN { printf "%.4f", a / b }')"
echo "leads / bare JSON:     $(awk -v a="$(wrk_rate "$WORK/leads.txt")" -v b="$(wrk_rate "$WORK/json.txt")" 'BEGIN { printf "%.4f", a / b }')"
echo "postbacks at a fixed rate: $FIXED"
echo "postback requests $(requests postback) (+ LoadGen's), conversions stored $CONVERSIONS; fraud flags: $FLAGGED"
echo "lead requests $(requests leads), accepted leads on sale $LEADS"
for n in postback leads; do
  [[ -s "$WORK/$n.statements" ]] || continue
  echo "PostgreSQL time per $n request, top statements (pg_stat_statements, execution time only):"
  sed 's/^/  /' "$WORK/$n.statements"
done
grep -iE "error|exception" "$APP_LOG" | grep -v "Microsoft.Hosting" | sort | uniq -c | sort -rn | head -5 || true
