#!/usr/bin/env bash
# Report benchmark: bash tests/load/bench-reports.sh
#
# A year of tracking data on PostgreSQL, then the real rollup job and the real report API:
#  1. starts the app (Release, demo data) on a fresh database and stops it;
#  2. writes BENCH_CLICKS (10,000,000) clicks spread evenly over the last 365 days on the demo advertiser's offers from
#     50 webmasters (the demo webmaster is one of them, 2% of the traffic), sub1 from 20 campaigns, sub2 from 10 creatives,
#     every fifth click not unique; and a conversion on 2% of the clicks (approved, pending or rejected) - in SQL;
#  3. starts the app with the background jobs on (rollup step every second) and times the job's first run, which
#     rolls up the whole year (8,760 hours, 365 sub-id days) with the same code that keeps rollups current;
#  4. times GET /api/v1/reports for a 365-day range (10 calls each after one warm-up call; first a one-day report as the
#     request's fixed cost): the advertiser by day, offer
#     and goal; the demo webmaster by day and by sub1; the platform (admin) by day and by niche;
#  5. as a baseline, times the same advertiser-by-day figures counted from the raw clicks in SQL;
#  6. writes 10,000 clicks into the current hour and times how long until the report shows them (freshness);
#  7. checks the year's totals in the rollups against counts of the raw rows.
# Environment overrides: BENCH_PORT (5198), BENCH_CLICKS (10000000); BENCH_KEEP_DB=1 keeps the database afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO_ROOT=$(pwd)
LOAD_DIR="$REPO_ROOT/tests/load"
PORT="${BENCH_PORT:-5198}"
BASE="http://127.0.0.1:$PORT"
CLICKS="${BENCH_CLICKS:-10000000}"
DB_NAME="leadex_bench_reports"
REDIS_PREFIX="benchrep:$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n'):"
WORK=$(mktemp -d /tmp/bench-reports.XXXXXX)
# shellcheck source=tests/load/common.sh
source "$LOAD_DIR/common.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export PGPASSWORD=leadex
Q="host=127.0.0.1 port=5432 user=leadex dbname=$DB_NAME"
now_ms() { date +%s%3N; }

bench_services
bench_start_app Jobs__Enabled=false
bench_stop_app

ADV=$(psql_q "$Q" -c "SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"Email\" = 'advertiser@demo.test'")
WM=$(psql_q "$Q" -c "SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"Email\" = 'webmaster@demo.test'")
OFFERS=$(psql_q "$Q" -c "SELECT count(*) FROM \"Offers\" WHERE \"AdvertiserId\" = '$ADV'")
[[ -n "$ADV" && -n "$WM" && "$OFFERS" -gt 0 ]] || die "demo data missing"
log "writing $CLICKS clicks over 365 days on $OFFERS offers from 50 webmasters"
t0=$(now_ms)
psql -w -X -q -v ON_ERROR_STOP=1 "$Q" >/dev/null <<SQL
CREATE TEMP TABLE o AS SELECT row_number() OVER (ORDER BY "Id") - 1 AS n, "Id" FROM "Offers" WHERE "AdvertiserId" = '$ADV';
INSERT INTO "Clicks" ("Id", "OfferId", "ParticipationId", "WebmasterId", "AdvertiserId", "Sub1", "Sub2", "Ip", "UserAgent", "CreatedAt", "IsUnique")
SELECT 'b' || i, o."Id", '00000000-0000-0000-0000-000000000001',
       CASE WHEN i % 50 = 0 THEN '$WM' ELSE 'bench-webmaster-' || (i % 50) END, '$ADV',
       'campaign-' || (i * 7 % 20), 'creative-' || (i * 13 % 10), '198.51.100.' || (i % 250), 'bench',
       now() - interval '365 days' + (i::double precision / $CLICKS) * interval '365 days' - interval '1 hour', i % 5 <> 0
FROM generate_series(1, $CLICKS) AS i JOIN o ON o.n = i % $OFFERS;
INSERT INTO "Conversions" ("Id", "ClickId", "OfferId", "ParticipationId", "GoalId", "GoalCode", "AdvertiserId", "WebmasterId", "TxKey", "Currency",
  "SaleAmount", "AdvertiserAmount", "WebmasterAmount", "Status", "ReviewRequired", "Sub1", "Sub2", "ClickIp", "ClickedAt", "CreatedAt", "UpdatedAt", "HoldUntil")
SELECT gen_random_uuid(), c."Id", c."OfferId", c."ParticipationId", '00000000-0000-0000-0000-000000000002', 'lead', c."AdvertiserId", c."WebmasterId",
       'bench', 'RUB', NULL, 25000, 18000,
       CASE substr(c."Id", 2)::bigint % 3 WHEN 0 THEN 'Approved' WHEN 1 THEN 'Pending' ELSE 'Rejected' END, false, c."Sub1", c."Sub2", c."Ip",
       c."CreatedAt", c."CreatedAt" + interval '10 minutes', c."CreatedAt" + interval '10 minutes', c."CreatedAt" + interval '14 days'
FROM "Clicks" c WHERE c."Id" LIKE 'b%' AND substr(c."Id", 2)::bigint % 50 = 17;
ANALYZE;
SQL
GEN_S=$(( ($(now_ms) - t0) / 1000 ))
RAW_CLICKS=$(psql_q "$Q" -c 'SELECT count(*) FROM "Clicks"')
RAW_CONV=$(psql_q "$Q" -c 'SELECT count(*) FROM "Conversions"')
log "$RAW_CLICKS clicks and $RAW_CONV conversions written in ${GEN_S}s"

log "starting the app with the rollup job on; timing its first run over the year"
t0=$(now_ms)
bench_start_app Jobs__Enabled=true Jobs__IntervalSeconds=1 Jobs__ReportRollupEverySeconds=1
until [[ -n "$(psql_q "$Q" -c 'SELECT "ScannedUntil" FROM "ReportRollupStates" WHERE "ScannedUntil" IS NOT NULL')" ]]; do sleep 2; done
BACKFILL_S=$(( ($(now_ms) - t0) / 1000 ))
ROLLUP_ROWS=$(psql_q "$Q" -c 'SELECT count(*) FROM "ReportRollups"')
ROLLUP_ADV=$(psql_q "$Q" -c "SELECT count(*) FROM \"ReportRollups\" WHERE \"WebmasterId\" = ''")
ROLLUP_SUB=$(psql_q "$Q" -c "SELECT count(*) FROM \"ReportRollups\" WHERE \"SubSlot\" > 0")
ROLLUP_SIZE=$(psql_q "$Q" -c "SELECT pg_size_pretty(pg_total_relation_size('\"ReportRollups\"'))")
CLICKS_SIZE=$(psql_q "$Q" -c "SELECT pg_size_pretty(pg_total_relation_size('\"Clicks\"'))")
log "rolled up in ${BACKFILL_S}s: $ROLLUP_ROWS rollup rows ($ROLLUP_ADV hourly advertiser view, $ROLLUP_SUB daily sub-id rows), $ROLLUP_SIZE (raw clicks: $CLICKS_SIZE)"

key_for() { demo_api_key "$1"; }
ADV_KEY=$(key_for advertiser); WM_KEY=$(key_for webmaster); ADMIN_KEY=$(key_for admin)
FROM=$(date -u -d '364 days ago' +%F); TO=$(date -u +%F)
# time_report NAME KEY QUERY -> "name median max clicks" (ms), 1 warm-up + 10 timed calls
time_report() {
  local name=$1 key=$2 query=$3 times=() t body
  curl -fsS -o /dev/null -H "X-Api-Key: $key" "$BASE/api/v1/reports?from=$FROM&to=$TO&pageSize=5000&$query"
  for _ in $(seq 1 10); do
    t=$(curl -fsS -o "$WORK/body.json" -w '%{time_total}' -H "X-Api-Key: $key" "$BASE/api/v1/reports?from=$FROM&to=$TO&pageSize=5000&$query")
    times+=("$(awk -v t="$t" 'BEGIN { printf "%d", t * 1000 }')")
  done
  body=$(jq -r '"\(.totals.clicks) clicks, \(.totalRows) rows"' "$WORK/body.json")
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$name" -v b="$body" '{ a[NR] = $1 } END { printf "%-34s median %5d ms  max %5d ms  (%s)\n", n, a[int((NR + 1) / 2)], a[NR], b }'
}
{
  time_report "advertiser, today only (fixed cost)" "$ADV_KEY" "groupBy=day&preset=today"
  time_report "advertiser, by day" "$ADV_KEY" "groupBy=day"
  time_report "advertiser, by offer" "$ADV_KEY" "groupBy=offer"
  time_report "advertiser, by goal" "$ADV_KEY" "groupBy=goal"
  time_report "webmaster (2% of traffic), by day" "$WM_KEY" "groupBy=day"
  time_report "webmaster, by sub1" "$WM_KEY" "groupBy=sub1"
  time_report "platform (admin), by day" "$ADMIN_KEY" "groupBy=day&perspective=platform"
  time_report "platform (admin), by niche" "$ADMIN_KEY" "groupBy=niche&perspective=platform"
} | tee "$WORK/reports.txt"

log "baseline: the advertiser's clicks by day counted from the raw rows"
t0=$(now_ms)
psql_q "$Q" -c "SELECT count(*) FROM (SELECT date_trunc('day', \"CreatedAt\" AT TIME ZONE 'UTC'), count(*), count(*) FILTER (WHERE \"IsUnique\") FROM \"Clicks\" WHERE \"AdvertiserId\" = '$ADV' AND \"CreatedAt\" >= now() - interval '365 days' GROUP BY 1) x" >/dev/null
RAW_MS=$(( $(now_ms) - t0 ))

log "freshness: 10,000 clicks written now, waiting for the report to show them"
BEFORE=$(curl -fsS -H "X-Api-Key: $ADV_KEY" "$BASE/api/v1/reports?preset=today&groupBy=day" | jq '.totals.clicks')
psql_q "$Q" -c "INSERT INTO \"Clicks\" (\"Id\", \"OfferId\", \"ParticipationId\", \"WebmasterId\", \"AdvertiserId\", \"Sub1\", \"Ip\", \"CreatedAt\", \"IsUnique\")
  SELECT 'f' || i, (SELECT \"Id\" FROM \"Offers\" WHERE \"AdvertiserId\" = '$ADV' LIMIT 1), '00000000-0000-0000-0000-000000000001', '$WM', '$ADV', 'fresh', '203.0.113.1', now(), true
  FROM generate_series(1, 10000) i"
t0=$(now_ms)
until [[ $(curl -fsS -H "X-Api-Key: $ADV_KEY" "$BASE/api/v1/reports?preset=today&groupBy=day" | jq '.totals.clicks') -ge $((BEFORE + 10000)) ]]; do
  sleep 0.2; (( $(now_ms) - t0 < 120000 )) || die "the fresh clicks did not show within 120 s"
done
FRESH_MS=$(( $(now_ms) - t0 ))

log "checking the year's rollups against the raw rows"
ROLLED=$(psql_q "$Q" -c "SELECT sum(\"Counters_Clicks\") || ' ' || sum(\"Counters_UniqueClicks\") || ' ' || sum(\"Counters_ConversionsApproved\" + \"Counters_ConversionsPending\") || ' ' || sum(\"Counters_ConversionsRejected\") FROM \"ReportRollups\" WHERE \"WebmasterId\" = ''")
RAW=$(psql_q "$Q" -c "SELECT (SELECT count(*) FROM \"Clicks\") || ' ' || (SELECT count(*) FROM \"Clicks\" WHERE \"IsUnique\") || ' ' || (SELECT count(*) FROM \"Conversions\" WHERE \"Status\" <> 'Rejected') || ' ' || (SELECT count(*) FROM \"Conversions\" WHERE \"Status\" = 'Rejected')")
[[ "$ROLLED" == "$RAW" ]] || die "rollups ($ROLLED) differ from the raw rows ($RAW)"

echo
echo "=== report benchmark ($(nproc) cores, PostgreSQL $(psql_q "$Q" -c 'SHOW server_version'), $RAW_CLICKS clicks, $RAW_CONV conversions over 365 days) ==="
echo "data written in ${GEN_S}s; first rollup run over the year: ${BACKFILL_S}s; $ROLLUP_ROWS rollup rows ($ROLLUP_ADV hourly advertiser view, $ROLLUP_SUB daily sub-id rows), $ROLLUP_SIZE vs raw clicks $CLICKS_SIZE"
cat "$WORK/reports.txt"
echo "baseline, advertiser clicks by day from raw rows (SQL only, no HTTP): $RAW_MS ms"
echo "freshness: 10,000 new clicks visible in the report after $FRESH_MS ms (rollup step every 1 s)"
echo "totals check: rollups = raw rows (clicks, unique, conversions, rejected): $RAW"
