# Shared by the benchmark scripts: tools, Redis, PostgreSQL, a fresh database, build, start and stop the app.
# Expects: REPO_ROOT, WORK, PORT, BASE, DB_NAME, REDIS_PREFIX; sets APP_PID, APP_LOG. Source it, do not run it.

log() { echo "==> $*"; }
die() { echo "$(basename "$0"): $*" >&2; exit 1; }
is_root() { [[ $(id -u) -eq 0 ]]; }
PG_ADMIN="host=127.0.0.1 port=5432 user=leadex dbname=postgres"
export PGPASSWORD=leadex PGCONNECT_TIMEOUT=5
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
psql_q() { psql -w -X -q -A -t -v ON_ERROR_STOP=1 "$@" </dev/null; }
APP_PID=""
APP_LOG="$WORK/app.log"

bench_services() {
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v jq >/dev/null 2>&1 || missing+=(jq)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
  if ((${#missing[@]} > 0)); then
    is_root && command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]}: install them (or run as root)"
    log "installing ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=600 -qq update
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq -o Dpkg::Use-Pty=0 install -y "${missing[@]}" </dev/null
  fi
  if [[ "$(redis-cli -p 6379 ping 2>/dev/null || true)" != "PONG" ]]; then
    log "starting redis-server on 6379"
    redis-server --port 6379 --daemonize yes --save '' --appendonly no </dev/null >/dev/null 2>&1 || die "redis-server failed to start"
    sleep 1
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    is_root || die "PostgreSQL is not accepting connections on 127.0.0.1:5432"
    local v
    v=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n 1)
    pg_lsclusters -h 2>/dev/null | awk -v v="$v" '$1 == v && $2 == "main" { f = 1 } END { exit !f }' || pg_createcluster "$v" main </dev/null >/dev/null
    pg_ctlcluster "$v" main start </dev/null >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && break; sleep 1; done
  fi
  psql_q "$PG_ADMIN" -c 'select 1' >/dev/null || die "cannot log in as leadex/leadex on 127.0.0.1:5432 (run ./test.sh once as root: it creates the role)"
  log "fresh database $DB_NAME"
  psql_q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null
  psql_q "$PG_ADMIN" -c "CREATE DATABASE $DB_NAME" >/dev/null
}

# bench_start_app KEY=VALUE...: Release build, then the app on PostgreSQL + Redis with the baseline endpoints and the extra settings.
# BENCH_PG_SSLMODE (Npgsql "SSL Mode", default Prefer: TLS when the server offers it, as Debian's PostgreSQL does) set to
# Disable measures without TLS on the loopback database connection.
# BENCH_SKIP_BUILD=1 starts what was built before (a restart in the middle of a drill).
bench_start_app() {
  if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
    log "dotnet build src/LeadExchange.Web -c Release"
    dotnet build "$REPO_ROOT/src/LeadExchange.Web/LeadExchange.Web.csproj" -c Release -v quiet -nologo </dev/null >"$WORK/build.log" 2>&1 ||
      { tail -n 30 "$WORK/build.log" >&2; die "build failed"; }
  fi
  # An app left running on this port (an earlier run that did not clean up) would answer the readiness probe instead.
  if curl -fsS -o /dev/null --max-time 2 "$BASE/health/live" 2>/dev/null; then die "something already answers on $BASE: stop it first"; fi
  log "starting the app on $BASE (log: $APP_LOG)"
  (
    cd "$REPO_ROOT/src/LeadExchange.Web"
    export Database__Provider=PostgreSql \
      ConnectionStrings__Default="Host=127.0.0.1;Port=5432;Username=leadex;Password=leadex;Database=$DB_NAME;SSL Mode=${BENCH_PG_SSLMODE:-Prefer}" \
      ConnectionStrings__Redis=127.0.0.1:6379 Redis__KeyPrefix="$REDIS_PREFIX" Demo__Enabled=true Demo__AllowInProduction=true Demo__SampleActivity=false \
      Benchmark__BaselineEndpoints=true RateLimits__ApiPerSecond=0 Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production "$@"
    exec dotnet bin/Release/net10.0/LeadExchange.Web.dll --urls "$BASE"
  ) </dev/null >"$APP_LOG" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 180); do
    kill -0 "$APP_PID" 2>/dev/null || die "the app exited during start-up"
    curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null && { log "app ready"; return 0; }
    sleep 0.5
  done
  die "/health/ready did not answer 200 within 90 s"
}

bench_stop_app() {
  [[ -n "$APP_PID" ]] || return 0
  kill -TERM "$APP_PID" 2>/dev/null || true
  for _ in $(seq 1 90); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$APP_PID" 2>/dev/null || true
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
}

# bench_cleanup [STATUS]: stops the app, drops the database, exits with STATUS (default: the status it was called with).
# Callers that run steps of their own first pass their saved status: "(exit $rc); bench_cleanup" would end a trap
# under set -e before the cleanup when $rc is not 0 (the app and its database were left behind that way).
bench_cleanup() {
  local rc=${1:-$?}
  bench_stop_app
  if [[ "${BENCH_KEEP_DB:-}" == 1 ]]; then log "kept database $DB_NAME (BENCH_KEEP_DB=1)"
  else psql_q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 || true; fi
  redis-cli -p 6379 --scan --pattern "${REDIS_PREFIX}*" 2>/dev/null | xargs -r -n 1000 redis-cli -p 6379 unlink >/dev/null 2>&1 || true
  cp "$APP_LOG" /tmp/bench-last-app.log 2>/dev/null || true
  if ((rc != 0)); then echo "failed (exit $rc); last app log lines:" >&2; tail -n 40 "$APP_LOG" >&2 2>/dev/null || true; fi
  rm -rf "$WORK"
  exit "$rc"
}

# wrk_rate FILE -> requests/s; wrk_p99 FILE -> p99 latency as printed (e.g. 12.34ms)
wrk_rate() { awk '/Requests\/sec/ { print $2 }' "$1"; }
wrk_p99() { awk '$1 == "99%" { print $2 }' "$1"; }

# The demo admin's and moderator's authenticator code (RFC 6238: HMAC-SHA1 of the 30-second step, six digits) from their
# public demo secret (DemoOptions.AuthenticatorKey): POST /api/v1/auth/keys needs one for accounts with two-factor
# sign-in; accounts without it ignore the field. demo_totp [STEPS_AHEAD]
DEMO_TOTP_KEY=LXDEMOAUTHKEY2FAADMINSANDMODS234
demo_totp() {
  local key_hex step_hex hash offset
  key_hex=$(printf '%s' "$DEMO_TOTP_KEY" | base32 -d | od -An -vtx1 | tr -d ' \n')
  step_hex=$(printf '%016x' $(($(date +%s) / 30 + ${1:-0})))
  # shellcheck disable=SC2059 # the format is the bytes of the step, as \xNN escapes
  hash=$(printf "$(sed 's/../\\x&/g' <<<"$step_hex")" | openssl dgst -sha1 -mac HMAC -macopt "hexkey:$key_hex" | awk '{print $NF}')
  offset=$((16#${hash:39:1} * 2))
  printf '%06d\n' $(((16#${hash:offset:8} & 0x7fffffff) % 1000000))
}

# demo_api_key ROLE [NAME]: a new API key of ROLE@demo.test, with the current two-factor code (a code is accepted once:
# one admin or moderator key per 30 seconds).
demo_api_key() {
  curl -fsS -X POST "$BASE/api/v1/auth/keys" -H 'content-type: application/json' \
    -d "{\"email\":\"$1@demo.test\",\"password\":\"Demo!2345\",\"name\":\"${2:-bench}\",\"twoFactorCode\":\"$(demo_totp)\"}" | jq -r '.apiKey'
}
