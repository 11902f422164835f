#!/usr/bin/env bash
# Mixed soak (issue #9): bash tests/load/soak.sh
#
# Starts the app (Release) on a fresh PostgreSQL database with Redis (common.sh; background jobs on, rate and
# velocity limits lifted), sets up through the API: a CPA offer of the demo advertiser (funded by the demo admin's
# manual top-up) joined by the demo webmaster (tracking link + postback token), and SOAK_BUYERS funded advertisers
# that buy leads from the catalog. Then tests/load/LoadGen (a .NET console app, built here) runs, in one process:
#   1. warm-up: 5 s closed loop, 8 workers (not reported);
#   2. capacity: closed loop at full speed (SOAK_CONCURRENCY workers, SOAK_CAPACITY_SECONDS) with the mix by
#      requests SOAK_MIX = clicks,postbacks,leads,purchases (default 70,15,10,5); the answered rate is the capacity;
#   3. soak: open loop at SOAK_FRACTION (0.7) of that capacity for SOAK_SECONDS, one fixed-rate schedule per
#      endpoint, latency measured from each request's scheduled time (no coordinated omission), at most
#      SOAK_MAX_INFLIGHT answers awaited per endpoint (the rest wait, and the wait counts).
# Requests: GET /c/{code} (redirects not followed; the click id is read from the landing URL in Location);
# GET /postback for a click made at least 2 s earlier and never converted (goal deposit); POST /api/v1/leads with a
# new phone number each; POST /api/v1/catalog/{leadId}/buy (exclusive) of a lead accepted earlier in the run.
# The app's VmRSS, threads, open fds and CPU are sampled every 10 s. At the end (after the click writer drained):
# 2xx answers vs rows (clicks, conversions, leads, sales), leads sold twice, negative balances, unbalanced journal
# entries and the admin ledger reconciliation. Prints a markdown block for docs/benchmarks.md; exit 1 when a
# reconciliation check fails. Results are kept in SOAK_OUT (default /tmp/soak-last).
# Environment: SOAK_SECONDS (600), SOAK_CAPACITY_SECONDS (20), SOAK_FRACTION (0.7), SOAK_MIX (70,15,10,5),
# SOAK_CONCURRENCY (32), SOAK_RATE (fixed total req/s: skips the capacity phase), SOAK_WARMUP_SECONDS (memory
# warm-up inside the soak; default SOAK_SECONDS/5), SOAK_MAX_INFLIGHT (256), SOAK_BUYERS (4), SOAK_PORT (5196),
# SOAK_OUT (/tmp/soak-last), SOAK_LABEL (a note printed in the heading), SOAK_GCDUMP=1 (leak check: at idle before the
# load and again after it, a forced full GC (POST /_bench/gc) and a dotnet-gcdump of the app; the report lists the
# live heap both times and the types that grew most; needs `dotnet tool install --global dotnet-gcdump`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO_ROOT=$(pwd)
LOAD_DIR="$REPO_ROOT/tests/load"
PORT="${SOAK_PORT:-5196}"
BASE="http://127.0.0.1:$PORT"
SOAK_SECONDS="${SOAK_SECONDS:-600}"
CAPACITY_SECONDS="${SOAK_CAPACITY_SECONDS:-20}"
FRACTION="${SOAK_FRACTION:-0.7}"
MIX="${SOAK_MIX:-70,15,10,5}"
CONCURRENCY="${SOAK_CONCURRENCY:-32}"
MAX_INFLIGHT="${SOAK_MAX_INFLIGHT:-256}"
BUYERS="${SOAK_BUYERS:-4}"
WARMUP="${SOAK_WARMUP_SECONDS:-$((SOAK_SECONDS / 5))}"
OUT="${SOAK_OUT:-/tmp/soak-last}"
DB_NAME="leadex_soak"
REDIS_PREFIX="soak:$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n'):"
WORK=$(mktemp -d /tmp/soak.XXXXXX)
# shellcheck source=tests/load/common.sh
source "$LOAD_DIR/common.sh"
SAMPLER_PID=""
soak_cleanup() {
  local rc=$?
  [[ -n "$SAMPLER_PID" ]] && { kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; }
  mkdir -p "$OUT" && cp -f "$WORK"/result.json "$WORK"/windows.csv "$WORK"/memory.tsv "$WORK"/report.md "$WORK"/loadgen.log "$OUT"/ 2>/dev/null || true
  cp -f "$WORK"/*.gcdump "$WORK"/*.types.txt "$WORK"/*.gc.json "$OUT"/ 2>/dev/null || true
  cp -f "$APP_LOG" "$OUT/app.log" 2>/dev/null || true
  bench_cleanup "$rc"
}
trap soak_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

bench_services
log "dotnet build tests/load/LoadGen -c Release"
dotnet build "$LOAD_DIR/LoadGen/LoadGen.csproj" -c Release -v quiet -nologo </dev/null >"$WORK/loadgen-build.log" 2>&1 ||
  { tail -n 30 "$WORK/loadgen-build.log" >&2; die "LoadGen build failed"; }
bench_start_app RateLimits__AuthPerMinute=100000 RateLimits__PostbackPerSecond=1000000 RateLimits__LeadsPerSecond=1000000 \
  Leads__PerSellerPerMinute=100000000 Leads__PerIpPerMinute=100000000 \
  Tracking__ConversionFraud__MinSecondsAfterClick=0 Tracking__ConversionFraud__CrAnomalyMinConversions=100000000

# --- data through the API ------------------------------------------------------------------------------------------
key_for() { demo_api_key "$1"; }
top_up() { curl -fsS -o /dev/null -X POST "$BASE/api/v1/admin/manual-top-ups" -H "X-Api-Key: $ADMIN" -H 'content-type: application/json' \
  -H "Idempotency-Key: soak-$1-$RANDOM$RANDOM" -d "{\"email\":\"$1\",\"amount\":100000000000,\"currency\":\"RUB\",\"note\":\"soak\"}"; }
ADV=$(key_for advertiser); WM=$(key_for webmaster); ADMIN=$(key_for admin)
top_up advertiser@demo.test
OFFER=$(curl -fsS -X POST "$BASE/api/v1/offers" -H "X-Api-Key: $ADV" -H 'content-type: application/json' -d '{
  "nicheCode":"real-estate","title":"Soak CPA","description":"soak","landingUrl":"https://landing.example/?cid={click_id}",
  "currency":"RUB","access":"public","holdDays":30,"regions":["RU-MOW"],
  "goals":[{"code":"deposit","name":"Deposit","model":"cpa","advertiserAmount":1000,"webmasterAmount":700,"isDefault":true}]}' | jq -r '.id')
LINK=$(curl -fsS -X POST "$BASE/api/v1/offers/$OFFER/join" -H "X-Api-Key: $WM" | jq -r '.linkCode')
TOKEN=$(curl -fsS "$BASE/api/v1/postback-settings" -H "X-Api-Key: $ADV" | jq -r '.token')
[[ -n "$LINK" && "$LINK" != null && -n "$TOKEN" && "$TOKEN" != null ]] || die "setup failed (offer $OFFER, link $LINK)"
BUYER_KEYS=()
for i in $(seq 1 "$BUYERS"); do
  email="soak-buyer-$i-$RANDOM@bench.example"
  BUYER_KEYS+=("$(curl -fsS -X POST "$BASE/api/v1/auth/register" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"Passw0rd!\",\"role\":\"advertiser\",\"displayName\":\"Soak buyer $i\"}" | jq -r '.apiKey')")
  top_up "$email"
done
log "offer $OFFER, link /c/$LINK, $BUYERS funded buyers"

Q="host=127.0.0.1 port=5432 user=leadex dbname=$DB_NAME"
sql() { psql_q "$Q" -c "$1"; }
count_rows() { # -> "clicks conversions leads_accepted leads_rejected sales"
  echo "$(sql 'SELECT count(*) FROM "Clicks"') $(sql 'SELECT count(*) FROM "Conversions"') \
$(sql "SELECT count(*) FROM \"Leads\" WHERE \"Status\" <> 'Rejected'") $(sql "SELECT count(*) FROM \"Leads\" WHERE \"Status\" = 'Rejected'") \
$(sql 'SELECT count(*) FROM "LeadSales"')"
}
wait_writer() { # the click writer has stored everything it was given
  local s
  for _ in $(seq 1 120); do
    s=$(curl -fsS "$BASE/_bench/stats") && [[ $(jq -r '.pending == 0 and .enqueued == .written' <<<"$s") == true ]] && { echo "$s"; return 0; }
    sleep 0.5
  done
  echo "$s"; return 1
}
wait_writer >/dev/null || die "click writer did not drain before the run"
read -r C0 V0 L0 R0 S0 <<<"$(count_rows)"
STATS0=$(curl -fsS "$BASE/_bench/stats")

# --- memory sampler: every 10 s, epoch rss_kib threads fds cpu_ticks heap_after_gen2_bytes gen2_count ------------------------------------------------
TICKS=$(getconf CLK_TCK)
(
  while kill -0 "$APP_PID" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$APP_PID/status" 2>/dev/null || echo 0)
    thr=$(awk '/^Threads:/ { print $2 }' "/proc/$APP_PID/status" 2>/dev/null || echo 0)
    fds=$(find "/proc/$APP_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    cpu=$(awk '{ print $14 + $15 }' "/proc/$APP_PID/stat" 2>/dev/null || echo 0)
    gc=$(curl -fsS --max-time 2 "$BASE/_bench/stats" 2>/dev/null | jq -r '"\(.heapAfterLastGen2Bytes // 0) \(.gen2Collections // 0)"' 2>/dev/null || echo "0 0")
    echo "$(date +%s.%N) $rss $thr $fds $cpu $gc"
    sleep 10
  done
) >"$WORK/memory.tsv" &
SAMPLER_PID=$!

# --- leak check, before: what is alive at idle once the app is set up ----------------------------------------------
GCDUMP="${SOAK_GCDUMP:-}"
GCDUMP_TOOL=""
if [[ -n "$GCDUMP" ]]; then
  GCDUMP_TOOL=$(command -v dotnet-gcdump || echo "$HOME/.dotnet/tools/dotnet-gcdump")
  [[ -x "$GCDUMP_TOOL" ]] || die "SOAK_GCDUMP=1 needs dotnet-gcdump (dotnet tool install --global dotnet-gcdump)"
fi
idle_dump() { # idle_dump NAME: forced full GC, the live bytes, a gcdump in $WORK/NAME.gcdump
  curl -fsS -X POST "$BASE/_bench/gc" >"$WORK/$1.gc.json"
  "$GCDUMP_TOOL" collect -p "$APP_PID" -o "$WORK/$1.gcdump" >"$WORK/$1.gcdump.log" 2>&1 || { cat "$WORK/$1.gcdump.log" >&2; die "gcdump failed"; }
  "$GCDUMP_TOOL" report "$WORK/$1.gcdump" >"$WORK/$1.types.txt" 2>&1 || true
}
[[ -n "$GCDUMP" ]] && { log "leak check: forced GC and gcdump at idle before the load"; idle_dump before; }

# --- the load ------------------------------------------------------------------------------------------------------
GEN_ARGS=(--base "$BASE" --link "$LINK" --token "$TOKEN" --wm-key "$WM" --buyer-keys "$(IFS=,; echo "${BUYER_KEYS[*]}")"
  --mix "$MIX" --capacity-seconds "$CAPACITY_SECONDS" --concurrency "$CONCURRENCY" --soak-seconds "$SOAK_SECONDS"
  --fraction "$FRACTION" --max-inflight "$MAX_INFLIGHT" --phone-base "$((RANDOM * 100))" --out "$WORK")
[[ -n "${SOAK_RATE:-}" ]] && GEN_ARGS+=(--rate "$SOAK_RATE")
LOG_LINES0=$(wc -l <"$APP_LOG")
log "LoadGen: capacity ${CAPACITY_SECONDS}s, then ${SOAK_SECONDS}s open loop at ${FRACTION} of it (mix $MIX)"
dotnet "$LOAD_DIR/LoadGen/bin/Release/net10.0/LoadGen.dll" "${GEN_ARGS[@]}" 2>&1 | tee "$WORK/loadgen.log" >&2
[[ -f "$WORK/result.json" ]] || die "LoadGen wrote no result"
sleep 10  # one more memory sample after the load; the writer flushes every 200 ms
STATS1=$(wait_writer) || log "warning: click writer not drained: $STATS1"
read -r C1 V1 L1 R1 S1 <<<"$(count_rows)"
[[ -n "$GCDUMP" ]] && { log "leak check: forced GC and gcdump at idle after the load"; idle_dump after; }
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# --- reconciliation ------------------------------------------------------------------------------------------------
R="$WORK/result.json"
tot() { jq -r ".totals.$1.$2" "$R"; }
FAILED=0
CHECKS=""
# check NAME CLIENT DB [SLACK]: DB must equal CLIENT, or lie in [CLIENT, CLIENT+SLACK] (requests never answered
# may still have been done by the server).
check() {
  local verdict=ok
  if (($3 == $2)); then verdict=ok
  elif ((${4:-0} > 0 && $3 > $2 && $3 <= $2 + ${4:-0})); then verdict="ok ($(($3 - $2)) of ${4} unanswered requests were done)"
  else verdict="**FAILED**"; FAILED=1; fi
  CHECKS+="| $1 | $2 | $3 | $verdict |"$'\n'
}
check 'clicks: 302s answered vs new rows in `"Clicks"`' "$(tot click ok)" $((C1 - C0)) "$(tot click noAnswer)"
check 'conversions: postbacks answered 200 (not duplicate) vs new `"Conversions"`' "$(tot postback accepted)" $((V1 - V0)) "$(tot postback noAnswer)"
check 'leads: 201s vs new accepted `"Leads"`' "$(tot lead ok)" $((L1 - L0)) "$(tot lead noAnswer)"
check 'purchases: 201s vs new `"LeadSales"`' "$(tot purchase ok)" $((S1 - S0)) "$(tot purchase noAnswer)"
WRITER_DROPPED=$(( $(jq -r .dropped <<<"$STATS1") - $(jq -r .dropped <<<"$STATS0") ))
check 'click writer: clicks dropped' 0 "$WRITER_DROPPED"
SOLD_TWICE=$(sql 'SELECT count(*) FROM (SELECT "LeadId" FROM "LeadSales" GROUP BY "LeadId" HAVING count(*) > 1) x')
MISCOUNTED=$(sql "SELECT count(*) FROM \"Leads\" l WHERE (l.\"SoldExclusive\" AND l.\"SoldCount\" > 1) OR l.\"SoldCount\" <> (SELECT count(*) FROM \"LeadSales\" s WHERE s.\"LeadId\" = l.\"Id\")")
NEGATIVE=$(sql "SELECT count(*) FROM \"LedgerAccounts\" WHERE \"Balance\" < 0 AND \"Type\" IN ('AdvertiserBalance','WebmasterAvailable','Escrow','WebmasterPending','AdvertiserFrozen','PayoutsInTransit')")
UNBALANCED=$(sql 'SELECT count(*) FROM (SELECT "JournalEntryId" FROM "Postings" GROUP BY "JournalEntryId" HAVING sum("Amount") <> 0) x')
ENTRIES=$(sql 'SELECT count(*) FROM "JournalEntries"')
check 'leads sold more than once (all sales are exclusive)' 0 "$SOLD_TWICE"
check 'leads whose `SoldCount` differs from their sales' 0 "$MISCOUNTED"
check 'ledger accounts below zero (balances, escrow, earnings)' 0 "$NEGATIVE"
check "journal entries whose postings do not sum to 0 (of $ENTRIES)" 0 "$UNBALANCED"
RECON=$(curl -fsS "$BASE/api/v1/admin/ledger/reconciliation" -H "X-Api-Key: $ADMIN" || echo '{}')
RECON_BAD=$(jq -r 'if .balanced == true then 0 else ((.unbalancedEntries // [] | length) + (.driftedAccounts // [] | length) + (.negativeAccounts // [] | length) + (if .totalOfAllPostings == 0 then 0 else 1 end) + (if .balanced == null then 1 else 0 end)) end' <<<"$RECON")
check 'admin ledger reconciliation (`/api/v1/admin/ledger/reconciliation`): problems (unbalanced, drifted, negative, total ≠ 0)' 0 "$RECON_BAD"
# fail/crit entries the app logged while the load ran, by logger (and the unique index when it was a unique
# violation: a lost creation race the app may handle, e.g. two first postings creating the same ledger account).
APP_ERRORS=$(tail -n +"$((LOG_LINES0 + 1))" "$APP_LOG" | awk '
  function flush() { if (cat != "") n[cat]++; cat = "" }
  /^[a-z]+: / { flush(); uniq = 0; if ($1 == "fail:" || $1 == "crit:") cat = $2; next }
  cat != "" && !uniq && match($0, /violates unique constraint "[^"]*"/) { cat = cat " (unique violation " substr($0, RSTART + 27, RLENGTH - 27) ")"; uniq = 1 }
  END { flush(); for (c in n) printf "%s%s × %d", (k++ ? ", " : ""), c, n[c]; if (!k) printf "none" }')

# --- memory --------------------------------------------------------------------------------------------------------
SOAK_T0=$(jq -r '.soak.startedUnix // 0' "$R"); SOAK_T1=$(jq -r '.soak.endedUnix // 0' "$R")
MEM=$(awk -v t0="$SOAK_T0" -v t1="$SOAK_T1" -v w="$WARMUP" -v hz="$TICKS" '
  $1 >= t0 - 10 && $1 <= t1 + 11 {
    n++; t[n] = $1; r[n] = $2 / 1024; th[n] = $3; fd[n] = $4; c[n] = $5; h[n] = $6 / 1048576; g[n] = $7
  }
  END {
    if (n < 2) { print "samples=" n; exit }
    first = 1; last = n
    wi = first; while (wi < n && t[wi] < t0 + w) wi++
    max = 0; for (i = first; i <= last; i++) if (r[i] > max) max = r[i]
    sx = sy = sxx = sxy = 0; m = 0
    for (i = wi; i <= last; i++) { x = (t[i] - t0) / 60; sx += x; sy += r[i]; sxx += x * x; sxy += x * r[i]; m++ }
    slope = (m >= 2 && m * sxx - sx * sx != 0) ? (m * sxy - sx * sy) / (m * sxx - sx * sx) : 0
    hx = hy = hxx = hxy = 0; hm = 0
    for (i = wi; i <= last; i++) if (h[i] > 0) { x = (t[i] - t0) / 60; hx += x; hy += h[i]; hxx += x * x; hxy += x * h[i]; hm++ }
    hslope = (hm >= 2 && hm * hxx - hx * hx != 0) ? (hm * hxy - hx * hy) / (hm * hxx - hx * hx) : 0
    cpu = (t[last] > t[first]) ? (c[last] - c[first]) / hz / (t[last] - t[first]) * 100 : 0
    printf "samples=%d start=%.0f warm=%.0f warm_at=%.0f end=%.0f max=%.0f slope=%.2f slope_points=%d threads=%d->%d fds=%d->%d cpu=%.0f heap_warm=%.1f heap_end=%.1f heap_slope=%.2f heap_points=%d gen2=%d\n",
      last - first + 1, r[first], r[wi], t[wi] - t0, r[last], max, slope, m, th[wi], th[last], fd[wi], fd[last], cpu, h[wi], h[last], hslope, hm, g[last] - g[wi]
  }' "$WORK/memory.tsv")
memv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $MEM"; }

# --- the report ----------------------------------------------------------------------------------------------------
ms() { awk -v v="$1" 'BEGIN { if (v >= 1000) printf "%.2f s", v / 1000; else if (v >= 10) printf "%.0f ms", v; else printf "%.1f ms", v }'; }
{
  echo "### Run of $(date -u '+%Y-%m-%d, %H:%M UTC')${SOAK_LABEL:+ ($SOAK_LABEL)}"
  echo
  echo "Command: \`SOAK_SECONDS=$SOAK_SECONDS SOAK_CAPACITY_SECONDS=$CAPACITY_SECONDS bash tests/load/soak.sh\`; $(nproc) cores, load average $LOAD_START at the start, $LOAD_END at the end."
  echo "Mix by requests: clicks $(cut -d, -f1 <<<"$MIX") %, postbacks $(cut -d, -f2 <<<"$MIX") %, leads $(cut -d, -f3 <<<"$MIX") %, purchases $(cut -d, -f4 <<<"$MIX") %."
  if jq -e .capacity "$R" >/dev/null; then
    jq -r '.capacity | "Capacity of the mix (closed loop, \(.concurrency) workers, \(.seconds) s): **\(.rate) req/s** (" +
      ([.endpoints | to_entries[] | "\(.key) \(.value.answeredRate)/s"] | join(", ")) + "), \(.errors) errors."' "$R"
  fi
  jq -r '.soak | "Soak: open loop at \(.fraction * 100 | floor) % of it, **\(.targetRate) req/s** for \(.seconds) s; latency from each request'"'"'s scheduled send time, at most \(.maxInFlightPerEndpoint) in flight per endpoint."' "$R"
  echo
  echo "| Endpoint | target req/s | achieved req/s | answered | of them refused 503 (admission) | other errors | not sent (no input / client overload) | p50 | p90 | p99 | max | p99 of the successful |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for e in click postback lead purchase; do
    jq -r --arg e "$e" '.soak.endpoints[$e] | [$e, .targetRate, .answeredRate, .answered, (.shed // 0), .errors - (.shed // 0), "\(.skipped) / \(.dropped)",
      .latencyMs.p50, .latencyMs.p90, .latencyMs.p99, .latencyMs.max, .okLatencyMs.p99] | @tsv' "$R" |
      while IFS=$'\t' read -r n t a c sh er sk p50 p90 p99 mx okp99; do
        case $n in click) n='`GET /c/{code}` (302)';; postback) n='`GET /postback` (new conversion)';; lead) n='`POST /api/v1/leads`';; purchase) n='`POST /api/v1/catalog/{id}/buy`';; esac
        echo "| $n | $t | $a | $c | $sh | $er | $sk | $(ms "$p50") | $(ms "$p90") | $(ms "$p99") | $(ms "$mx") | $(ms "$okp99") |"
      done
  done
  errs=$(jq -r '[.soak.endpoints | to_entries[] | .key as $k | .value.statusCodes | to_entries[]
    | select(.key != "302" and .key != "200" and .key != "201") | "\($k) \(.key): \(.value)"] | join("; ")' "$R")
  echo
  echo "Answers other than the expected one: ${errs:-none}."
  echo
  wins=$(jq -r '[.soak.endpoints.click.windows[].fromSecond] | length' "$R")
  if ((wins > 1)); then
    # window_table JQ: one row per endpoint, one cell per window; JQ makes the cell from a window object.
    window_table() {
      jq -r '"| Endpoint | " + ([.soak.endpoints.click.windows[] | "\(.fromSecond | floor) s"] | join(" | ")) + " |"' "$R"
      jq -r '"|---|" + ([.soak.endpoints.click.windows[] | "---"] | join("|")) + "|"' "$R"
      for e in click postback lead purchase; do
        jq -r --arg e "$e" '"| \($e) | " + ([.soak.endpoints[$e].windows[] | '"$1"'] | join(" | ")) + " |"' "$R"
      done
    }
    echo "p99 per $(jq -r .soak.windowSeconds "$R") s window (from the scheduled time):"
    echo
    window_table '"\(.latencyMs.p99) ms"'
    echo
    echo "Successful answers per second in each window (goodput), and 503 refusals in the window:"
    echo
    window_table '"\(.okRate // 0)/s\(if (.shed // 0) > 0 then " (\(.shed) × 503)" else "" end)"'
    echo
  fi
  echo "Memory (VmRSS of the app every 10 s, $(memv samples) samples in the soak): $(memv start) MiB at the start of the soak, $(memv warm) MiB after the"
  echo "warm-up ($(memv warm_at) s), $(memv end) MiB at the end, $(memv max) MiB at most; **slope after the warm-up $(memv slope) MiB/min** ($(memv slope_points) samples);"
  echo "threads $(memv threads), open file descriptors $(memv fds); the app used $(memv cpu) % CPU on average (100 % = one core)."
  echo "Managed heap in use right after the latest gen-2 GC (size minus fragmentation, \`/_bench/stats\`; RSS follows the GC's budget, this does not):"
  echo "$(memv heap_warm) MiB after the warm-up, $(memv heap_end) MiB at the end, **slope $(memv heap_slope) MiB/min** ($(memv heap_points) samples, $(memv gen2) gen-2 GCs after the warm-up)."
  if [[ -n "$GCDUMP" ]]; then
    echo
    echo "Leak check (\`SOAK_GCDUMP=1\`): live managed heap after a forced full compacting GC at idle: $(jq -r '.liveBytes / 1048576 * 10 | floor / 10' "$WORK/before.gc.json") MiB"
    echo "before the load (app set up, not warmed), $(jq -r '.liveBytes / 1048576 * 10 | floor / 10' "$WORK/after.gc.json") MiB after it. Types whose live bytes grew most (dotnet-gcdump):"
    echo
    echo "| type | live bytes before | after | growth | objects before → after |"
    echo "|---|---|---|---|---|"
    # dotnet-gcdump report lines: "<average object bytes> <count> <type> [(Bytes > N)] [assembly]", one line per type and size
    # class; summed per type as average × count. awk keeps the top 12 (head would end the pipe early: SIGPIPE under pipefail).
    awk 'FNR == 1 { f++ }
         $1 ~ /^[0-9,]+$/ && $2 ~ /^[0-9,]+$/ {
           b = $1; c = $2; gsub(",", "", b); gsub(",", "", c); $1 = ""; $2 = ""; t = substr($0, 3)
           sub(/ \(Bytes > [0-9]+K\)/, "", t); sub(/ +\[[^]]*\]$/, "", t)
           if (f == 1) { before[t] += b * c; bc[t] += c } else { after[t] += b * c; ac[t] += c; seen[t] = 1 } }
         END { for (t in seen) printf "%d\t%d\t%d\t%d\t%d\t%s\n", after[t] - before[t], before[t], after[t], bc[t], ac[t], t }' \
      "$WORK/before.types.txt" "$WORK/after.types.txt" | sort -t$'\t' -k1,1nr | awk 'NR <= 12' |
      while IFS=$'\t' read -r g b a bc ac t; do echo "| \`${t//|/\\|}\` | $b | $a | +$g | $bc → $ac |"; done
  fi
  echo
  echo "| Reconciliation (whole run: warm-up, capacity and soak) | client | database | result |"
  echo "|---|---|---|---|"
  printf '%s' "$CHECKS"
  echo
  echo "Leads answered other than 201: $(tot lead errors) (rejected rows added: $((R1 - R0))). App log during the load (kept in \`$OUT/app.log\`): fail/crit entries: $APP_ERRORS."
} >"$WORK/report.md"

echo
echo "=== markdown for docs/benchmarks.md (also in $OUT/report.md) ==="
cat "$WORK/report.md"
if ((FAILED)); then echo "soak: a reconciliation check FAILED" >&2; exit 1; fi
