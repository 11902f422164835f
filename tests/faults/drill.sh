# Shared by the fault drills (db-outage.sh, kill-node.sh): demo setup over the API, load loops that log every answer,
# a local target for outbound calls, and the reconciliation of what the clients were told against the database.
# Expects (after tests/load/common.sh): BASE, WORK, DB_CONN (psql connection string of the app's database), TARGET_PORT.
# Source it, do not run it.

now_ms() { date +%s%3N; }
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
db() { psql_q "$DB_CONN" -c "$1"; }
demo_key() { demo_api_key "${1%@demo.test}" drill; }

# A receiver for webmaster postbacks and buyer webhooks on 127.0.0.1:TARGET_PORT: answers 200 and logs "METHOD path".
start_target() {
  cat >"$WORK/target.py" <<'PY'
import sys, http.server
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        n = int(self.headers.get('content-length') or 0)
        if n: self.rfile.read(n)
        with open(sys.argv[2], 'a') as f: f.write(f"{self.command} {self.path}\n")
        self.send_response(200); self.end_headers(); self.wfile.write(b'ok')
    do_GET = do_POST = answer
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
  touch "$WORK/target.log"
  python3 "$WORK/target.py" "$TARGET_PORT" "$WORK/target.log" </dev/null >/dev/null 2>&1 &
  TARGET_PID=$!
}
stop_target() { [[ -n "${TARGET_PID:-}" ]] && kill "$TARGET_PID" 2>/dev/null; TARGET_PID=""; }

# drill_setup: API keys, a tracking link of the demo webmaster, the offer owner's postback token and money, a few clicks
# to convert, the webmaster's postback and the buyer's webhook pointing at the local target.
drill_setup() {
  WM_KEY=$(demo_key webmaster@demo.test)
  ADMIN_KEY=$(demo_key admin@demo.test)
  OFFER_ID=$(curl -fsS "$BASE/api/v1/offers?pageSize=50" -H "X-Api-Key: $WM_KEY" |
    jq -r '[.items[] | select(.access == "public" and .status == "active")][0].id')
  LINK=$(curl -fsS -X POST "$BASE/api/v1/offers/$OFFER_ID/join" -H "X-Api-Key: $WM_KEY" | jq -r '.linkCode')
  [[ -n "$LINK" && "$LINK" != null ]] || die "no tracking link"
  OWNER=$(db "select u.\"Email\" from \"Offers\" o join \"AspNetUsers\" u on u.\"Id\" = o.\"AdvertiserId\" where o.\"Id\"::text = '$OFFER_ID'")
  ADV_KEY=$(demo_key "$OWNER")
  TOKEN=$(curl -fsS "$BASE/api/v1/postback-settings" -H "X-Api-Key: $ADV_KEY" | jq -r '.token')
  # Money in the offer's currency (conversions) and in RUB (the seeded niches' lead prices, for purchases).
  OFFER_CURRENCY=$(db "select \"Currency\" from \"Offers\" where \"Id\"::text = '$OFFER_ID'")
  for cur in $(printf '%s\n' "$OFFER_CURRENCY" RUB | sort -u); do
    curl -fsS -o /dev/null -X POST "$BASE/api/v1/admin/manual-top-ups" -H "X-Api-Key: $ADMIN_KEY" -H "Idempotency-Key: drill-$cur" \
      -H 'content-type: application/json' -d "{\"email\":\"$OWNER\",\"amount\":90000000,\"currency\":\"$cur\",\"note\":\"drill\"}"
  done
  curl -fsS -o /dev/null -X PUT "$BASE/api/v1/webmaster-postback" -H "X-Api-Key: $WM_KEY" -H 'content-type: application/json' \
    -d "{\"urlTemplate\":\"http://127.0.0.1:$TARGET_PORT/pb?c={click_id}&s={status}\",\"enabled\":true}"
  curl -fsS -o /dev/null -X PUT "$BASE/api/v1/webhook" -H "X-Api-Key: $ADV_KEY" -H 'content-type: application/json' \
    -d "{\"url\":\"http://127.0.0.1:$TARGET_PORT/hook\",\"enabled\":true}"
  for i in $(seq 1 40); do
    curl -s -o /dev/null -A "Mozilla/5.0 (drill setup $i)" "$BASE/c/$LINK?sub1=setup"
  done
  sleep 1
  db "select c.\"Id\" from \"Clicks\" c join \"OfferParticipations\" p on p.\"Id\" = c.\"ParticipationId\" where p.\"LinkCode\" = '$LINK'" >"$WORK/click_ids"
  (($(wc -l <"$WORK/click_ids") >= 20)) || die "setup clicks were not stored"
  SETUP_CLICKS=$(wc -l <"$WORK/click_ids")
}

# Each loop runs until $WORK/stop exists and appends "start_ms http_code ms [id...]" per request to $WORK/<kind>.<n>.
# A refused connection (000, the app is down) is retried after 50 ms.
pause_if_down() { [[ $1 == 000 ]] && sleep 0.05; return 0; }
# keep_error KIND CODE BODY_FILE: the first few error answers of each kind, for the report
keep_error() {
  [[ $2 =~ ^[23] || $2 == 000 ]] && return 0
  (($(cat "$WORK/errors.$1" 2>/dev/null | wc -l) < 3)) && echo "$2 $(head -c 300 "$3" 2>/dev/null | tr '\n' ' ')" >>"$WORK/errors.$1"
  return 0
}

loop_clicks() {
  local n=$1 i=0 s r
  while [[ ! -e "$WORK/stop" ]]; do
    i=$((i + 1)); s=$(now_ms)
    r=$(curl -s -o /dev/null --max-time 30 -w '%{http_code} %{time_total}' -A "Mozilla/5.0 (drill $n.$i)" "$BASE/c/$LINK?sub1=drill" || true)
    echo "$s ${r%% *} $(awk -v t="${r#* }" 'BEGIN { printf "%d", t * 1000 }')" >>"$WORK/clicks.$n"
    pause_if_down "${r%% *}"
  done
}

lead_body() { printf '{"niche":"real-estate","region":"RU-MOW","name":"Drill Person","phone":"+7916%07d","email":null,"fields":{"deal_type":"buy","rooms":2,"budget":12000000,"timeframe":"now"},"consent":{"text":"I agree to be contacted.","givenAt":"2026-11-20T10:00:00Z","pageUrl":"https://landing.example/flat","ip":"203.0.113.5"},"sub1":"drill","formFillSeconds":41}' "$1"; }

loop_leads() {
  local n=$1 i=0 s r key
  while [[ ! -e "$WORK/stop" ]]; do
    i=$((i + 1)); s=$(now_ms); key="drill-L-$n-$i"
    r=$(curl -s -o "$WORK/lead.$n.body" --max-time 30 -w '%{http_code} %{time_total}' -X POST "$BASE/api/v1/leads" -H "X-Api-Key: $WM_KEY" \
      -H "Idempotency-Key: $key" -H 'content-type: application/json' -d "$(lead_body $((n * 1000000 + i)))" || true)
    echo "$s ${r%% *} $(awk -v t="${r#* }" 'BEGIN { printf "%d", t * 1000 }') $key $(jq -r '.leadId // "-"' "$WORK/lead.$n.body" 2>/dev/null || echo -)" >>"$WORK/leads.$n"
    keep_error leads "${r%% *}" "$WORK/lead.$n.body"
    pause_if_down "${r%% *}"
  done
}

loop_postbacks() {
  local n=$1 i=0 s r tx click
  mapfile -t clicks <"$WORK/click_ids"
  while [[ ! -e "$WORK/stop" ]]; do
    i=$((i + 1)); s=$(now_ms); tx="drill-P-$n-$i"; click=${clicks[$((i % ${#clicks[@]}))]}
    r=$(curl -s -o "$WORK/pb.$n.body" --max-time 30 -w '%{http_code} %{time_total}' "$BASE/postback?click_id=$click&txid=$tx&token=$TOKEN" || true)
    echo "$s ${r%% *} $(awk -v t="${r#* }" 'BEGIN { printf "%d", t * 1000 }') $tx $(jq -r '.conversionId // "-"' "$WORK/pb.$n.body" 2>/dev/null || echo -)" >>"$WORK/postbacks.$n"
    keep_error postbacks "${r%% *}" "$WORK/pb.$n.body"
    pause_if_down "${r%% *}"
  done
}

# Buys, exclusively, leads this drill got 201 for (oldest first, each once).
loop_buys() {
  local n=$1 s r done_file="$WORK/bought" lead
  touch "$done_file"
  while [[ ! -e "$WORK/stop" ]]; do
    lead=$(cat "$WORK"/leads.* 2>/dev/null | awk '$2 == 201 { print $5 }' | grep -vxF -f "$done_file" | head -n 1 || true)
    if [[ -z "$lead" ]]; then sleep 0.2; continue; fi
    echo "$lead" >>"$done_file"; s=$(now_ms)
    r=$(curl -s -o "$WORK/buy.$n.body" --max-time 30 -w '%{http_code} %{time_total}' -X POST "$BASE/api/v1/catalog/$lead/buy" -H "X-Api-Key: $ADV_KEY" \
      -H 'content-type: application/json' -d '{"exclusive":true}' || true)
    echo "$s ${r%% *} $(awk -v t="${r#* }" 'BEGIN { printf "%d", t * 1000 }') $lead $(jq -r '.saleId // "-"' "$WORK/buy.$n.body" 2>/dev/null || echo -)" >>"$WORK/buys.$n"
    keep_error buys "${r%% *}" "$WORK/buy.$n.body"
    pause_if_down "${r%% *}"
  done
}

LOAD_PIDS=()
start_load() { # start_load KIND:COUNT...
  rm -f "$WORK/stop"
  local spec kind count
  for spec in "$@"; do
    kind=${spec%%:*}; count=${spec#*:}
    for n in $(seq 1 "$count"); do "loop_$kind" "$n" & LOAD_PIDS+=($!); done
  done
}
stop_load() { touch "$WORK/stop"; local p; for p in "${LOAD_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; LOAD_PIDS=(); }

# answers KIND [FROM_MS TO_MS] -> "N requests: 201 x12, 503 x4; max 4210 ms" for requests started in the window
answers() {
  cat "$WORK/$1".* 2>/dev/null | awk -v from="${2:-0}" -v to="${3:-99999999999999}" '$1 >= from && $1 < to {
      n++; c[$2]++; if ($3 > max) max = $3 }
    END { printf "%d requests:", n; for (k in c) printf " %s x%d", k, c[k]; printf "; slowest %d ms", max }'
}

# first_ok_after KIND T_MS CODE_REGEX -> ms from T to the end of the first request started after T that got CODE
first_ok_after() {
  cat "$WORK/$1".* 2>/dev/null | sort -n | awk -v t="$2" -v re="$3" '$1 >= t && $2 ~ re { print $1 + $3 - t; found = 1; exit } END { if (!found) print "never" }'
}

# in_list FILE: the ids of a file as a SQL list ('a','b'), or ('') when empty
in_list() { awk 'BEGIN { printf "(" } NR > 1 { printf "," } { printf "'\''%s'\''", $1 } END { if (NR == 0) printf "'\'''\''"; printf ")" }' "$1"; }

# Reconciles leads, conversions, sales and the ledger against what the clients were told. 5xx answers must have left
# nothing; a dropped connection (000) may or may not have committed (reported, not a failure).
drill_reconcile() {
  local leads_ok leads_5xx leads_000 stored_ok n
  if compgen -G "$WORK/errors.*" >/dev/null; then echo "first error answers:"; grep -H . "$WORK"/errors.* | sed "s|$WORK/errors.||"; fi

  # Leads: every 201 exactly once; nothing stored for a 5xx; every accepted lead holds its dedup keys.
  cat "$WORK"/leads.* 2>/dev/null | awk '$2 == 201 { print $5 }' | sort -u >"$WORK/leads_ok"
  cat "$WORK"/leads.* 2>/dev/null | awk '$2 ~ /^5/ { print $4 }' | sort -u >"$WORK/leads_5xx"
  cat "$WORK"/leads.* 2>/dev/null | awk '$2 == "000" { print $4 }' | sort -u >"$WORK/leads_000"
  leads_ok=$(wc -l <"$WORK/leads_ok"); leads_5xx=$(wc -l <"$WORK/leads_5xx"); leads_000=$(wc -l <"$WORK/leads_000")
  stored_ok=$(db "select count(*) from \"Leads\" where \"Id\"::text in $(in_list "$WORK/leads_ok")")
  echo "leads: $leads_ok answered 201, $stored_ok of them stored; $leads_5xx answered 5xx, $leads_000 got no answer"
  ((stored_ok == leads_ok)) || fail "$((leads_ok - stored_ok)) leads answered 201 are missing"
  n=$(db "select count(*) from (select \"IdempotencyKey\" from \"Leads\" where \"IdempotencyKey\" like 'drill-L-%' group by 1 having count(*) > 1) x")
  ((n == 0)) || fail "$n lead submissions stored twice"
  n=$(db "select count(*) from \"Leads\" where \"IdempotencyKey\" in $(in_list "$WORK/leads_5xx")")
  ((n == 0)) || fail "$n leads answered 5xx were stored anyway"
  echo "leads without an answer (connection dropped) stored anyway: $(db "select count(*) from \"Leads\" where \"IdempotencyKey\" in $(in_list "$WORK/leads_000")") of $leads_000"
  n=$(db "select count(*) from \"Leads\" l where l.\"IdempotencyKey\" like 'drill-L-%' and l.\"Status\" <> 'Rejected' and not exists (select 1 from \"LeadDedupKeys\" k where k.\"LeadId\" = l.\"Id\")")
  ((n == 0)) || fail "$n accepted leads without their dedup keys"

  # Conversions: every 200 exactly once (one per txid); nothing stored for a 5xx; every charged conversion has its hold.
  cat "$WORK"/postbacks.* 2>/dev/null | awk '$2 == 200 && $5 != "-" { print $5 }' | sort -u >"$WORK/conv_ok"
  cat "$WORK"/postbacks.* 2>/dev/null | awk '$2 ~ /^5/ { print $4 }' | sort -u >"$WORK/conv_5xx"
  cat "$WORK"/postbacks.* 2>/dev/null | awk '$2 == "000" { print $4 }' | sort -u >"$WORK/conv_000"
  stored_ok=$(db "select count(*) from \"Conversions\" where \"Id\"::text in $(in_list "$WORK/conv_ok")")
  echo "conversions: $(wc -l <"$WORK/conv_ok") answered 200, $stored_ok of them stored; $(wc -l <"$WORK/conv_5xx") answered 5xx, $(wc -l <"$WORK/conv_000") got no answer"
  ((stored_ok == $(wc -l <"$WORK/conv_ok"))) || fail "conversions answered 200 are missing"
  n=$(db "select count(*) from (select \"TxKey\" from \"Conversions\" where \"TxKey\" like 'drill-P-%' group by 1 having count(*) > 1) x")
  ((n == 0)) || fail "$n postbacks recorded twice"
  n=$(db "select count(*) from \"Conversions\" where \"TxKey\" in $(in_list "$WORK/conv_5xx")")
  ((n == 0)) || fail "$n conversions answered 5xx were stored anyway"
  echo "conversions without an answer stored anyway: $(db "select count(*) from \"Conversions\" where \"TxKey\" in $(in_list "$WORK/conv_000")") of $(wc -l <"$WORK/conv_000")"
  n=$(db "select count(*) from \"Conversions\" c where c.\"TxKey\" like 'drill-P-%' and c.\"Status\" <> 'Rejected' and not exists (select 1 from \"EscrowHolds\" h where h.\"Id\" = c.\"HoldId\")")
  ((n == 0)) || fail "$n conversions without their escrow hold (charge half-done)"

  # Sales: every 201 exactly once; every sold lead has its sale, every sale its hold.
  if compgen -G "$WORK/buys.*" >/dev/null; then
    cat "$WORK"/buys.* | awk '$2 == 201 { print $5 }' | sort -u >"$WORK/sales_ok"
    stored_ok=$(db "select count(*) from \"LeadSales\" where \"Id\"::text in $(in_list "$WORK/sales_ok")")
    echo "purchases: $(answers buys); $(wc -l <"$WORK/sales_ok") answered 201, $stored_ok of them stored"
    ((stored_ok == $(wc -l <"$WORK/sales_ok"))) || fail "purchases answered 201 are missing"
    n=$(db "select count(*) from (select \"LeadId\" from \"LeadSales\" where \"Exclusive\" group by 1 having count(*) > 1) x")
    ((n == 0)) || fail "$n leads sold exclusively more than once"
    n=$(db "select count(*) from \"Leads\" l where l.\"IdempotencyKey\" like 'drill-L-%' and l.\"SoldCount\" > 0 and not exists (select 1 from \"LeadSales\" s where s.\"LeadId\" = l.\"Id\")")
    ((n == 0)) || fail "$n leads marked sold without a sale"
    n=$(db "select count(*) from \"LeadSales\" s where not exists (select 1 from \"EscrowHolds\" h where h.\"Id\" = s.\"HoldId\")")
    ((n == 0)) || fail "$n sales without their escrow hold"
  fi

  # Money: every journal entry sums to zero; the app's own reconciliation; no payout twice.
  n=$(db "select count(*) from (select \"JournalEntryId\" from \"Postings\" group by 1 having sum(\"Amount\") <> 0) x")
  echo "journal entries: $(db 'select count(*) from "JournalEntries"'), unbalanced: $n"
  ((n == 0)) || fail "$n journal entries do not sum to zero"
  local rec
  rec=$(curl -fsS "$BASE/api/v1/admin/ledger/reconciliation" -H "X-Api-Key: $ADMIN_KEY" || echo '{}')
  echo "ledger reconciliation: $(jq -c '{balanced, totalOfAllPostings, entries, unbalancedEntries, driftedAccounts, negativeAccounts}' <<<"$rec")"
  [[ $(jq -r '.balanced' <<<"$rec") == true ]] || fail "ledger reconciliation is not balanced"
  n=$(db "select count(*) from (select \"IdempotencyKey\" from \"Payouts\" group by 1 having count(*) > 1) x")
  ((n == 0)) || fail "$n payouts doubled"
}

# click_figures: redirected (302 answers) vs stored for the drill's link, with the writer's counters. With Redis the clicks
# of a killed node wait in the click stream until a writer takes them over (Tracking:ClickStream:ClaimIdleSeconds), so
# this first waits (up to 60 s) until the stream is empty and nothing in it is unacknowledged.
click_figures() {
  local redirected stored
  for _ in $(seq 1 120); do
    [[ "$(redis-cli -p 6379 XLEN "${REDIS_PREFIX}clicks:stream" 2>/dev/null || echo 0)" == 0 ]] && break
    sleep 0.5
  done
  redirected=$(cat "$WORK"/clicks.* 2>/dev/null | awk '$2 == 302' | wc -l)
  stored=$(db "select count(*) from \"Clicks\" c join \"OfferParticipations\" p on p.\"Id\" = c.\"ParticipationId\" where p.\"LinkCode\" = '$LINK' and c.\"Sub1\" = 'drill'")
  CLICKS_REDIRECTED=$redirected CLICKS_STORED=$stored
  echo "clicks: $redirected redirected, $stored stored, lost $((redirected - stored)); writer now: $(curl -s "$BASE/_bench/stats" || echo '?')"
}
