#!/usr/bin/env bash
# The one test command: ./test.sh [FILTER]
#
# Builds LeadExchange.sln (Release) and runs every test project against real services:
# PostgreSQL 15 and Redis on 127.0.0.1, Debian's chromium for the browser tests.
# On a fresh Debian 12 machine, run as root: missing packages are installed and the services are
# started. On a dev machine whose services already run, nothing is installed or restarted.
#
# FILTER (optional) is passed to `dotnet test --filter`, e.g.
#   ./test.sh "FullyQualifiedName~Offers"
#   ./test.sh "FullyQualifiedName~LeadExchange.Domain.Tests"
#
# Environment (each may be preset by the caller and is then left alone):
#   LEADEX_TEST_POSTGRES  Npgsql connection string; tests create and drop their own databases.
#                         Preset => the caller runs that server: no PostgreSQL install/start here.
#   LEADEX_TEST_REDIS     StackExchange.Redis configuration.
#                         Preset => the caller runs that server: no Redis install/start here.
#   LEADEX_CHROMIUM       chromium executable for Playwright.
#   LEADEX_TEST_CLOCK     runs every in-process test app's clock (shifted once per test process) from another time:
#                         "23:30" (the last 23:30 UTC before the run: never ahead of the machine's clock) or an ISO
#                         instant; proves no test depends on the machine's hour.
#   LEADEX_APP_START_SECONDS  how long a browser test waits for its app process to get ready (default 240).
#
# Output: per-project counts, then as the very last line exactly "N passed, N failed".
# Exit status: 1 when a test failed, no test passed, or the run broke before producing results.
# Test results (.trx) land in TestResults/<timestamp>/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
REPO_ROOT=$(pwd)

readonly DEFAULT_POSTGRES="Host=127.0.0.1;Port=5432;Username=leadex;Password=leadex;Database=postgres"
readonly DEFAULT_REDIS="127.0.0.1:6379"

MANAGE_POSTGRES=1
MANAGE_REDIS=1
[[ -n "${LEADEX_TEST_POSTGRES:-}" ]] && MANAGE_POSTGRES=0
[[ -n "${LEADEX_TEST_REDIS:-}" ]] && MANAGE_REDIS=0
export LEADEX_TEST_POSTGRES="${LEADEX_TEST_POSTGRES:-$DEFAULT_POSTGRES}"
export LEADEX_TEST_REDIS="${LEADEX_TEST_REDIS:-$DEFAULT_REDIS}"
export LEADEX_CHROMIUM="${LEADEX_CHROMIUM:-/usr/bin/chromium}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

FILTER="${1:-}"
# When the run started (epoch seconds): .ci/run sets it so the duration printed at the end includes its own steps.
RUN_STARTED="${LEADEX_RUN_STARTED:-$(date +%s)}"

# Whatever goes wrong before the summary, the last line still has the "N passed, N failed" shape,
# so CI (.ci/run) and humans read one format.
SUMMARY_PRINTED=0
# shellcheck disable=SC2317  # called by the EXIT trap
on_exit() {
  local rc=$?
  if [[ $SUMMARY_PRINTED -eq 0 ]]; then
    echo "test.sh: stopped before the tests ran (exit code $rc)" >&2
    echo "0 passed, 1 failed"
    [[ $rc -eq 0 ]] && rc=1
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "==> $*"; }
die() { echo "test.sh: $*" >&2; exit 1; }
is_root() { [[ $(id -u) -eq 0 ]]; }

# ---------------------------------------------------------------------------------------------
# Packages
# ---------------------------------------------------------------------------------------------
wait_for_apt() {
  # Another apt/dpkg (unattended upgrades, a parallel provisioning step) may hold the lock.
  if command -v fuser >/dev/null 2>&1; then
    local waited=0
    while fuser /var/lib/dpkg/lock-frontend /var/lib/apt/lists/lock >/dev/null 2>&1; do
      ((waited == 0)) && log "waiting for another apt/dpkg process to finish"
      sleep 3
      waited=$((waited + 3))
      ((waited > 900)) && die "apt is still locked after 15 minutes"
    done
  fi
  return 0
}

pg_installed_version() {
  # Highest installed server major version (Debian 12 ships 15).
  local v
  v=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
  echo "${v:-15}"
}

pg_server_installed() {
  command -v pg_ctlcluster >/dev/null 2>&1 &&
    compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null
}

missing=()
if [[ $MANAGE_REDIS -eq 1 ]] && ! command -v redis-server >/dev/null 2>&1; then
  missing+=(redis-server)
fi
if [[ $MANAGE_POSTGRES -eq 1 ]] && ! pg_server_installed; then
  missing+=(postgresql)
fi
if [[ ! -x "$LEADEX_CHROMIUM" ]]; then
  missing+=(chromium)
fi
# The webhook signature samples (PHP, Node, Python) are run against the product's signer.
if ! command -v php >/dev/null 2>&1; then
  missing+=(php-cli)
fi

if ((${#missing[@]} > 0)); then
  if is_root && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]}"
    wait_for_apt
    apt-get -o DPkg::Lock::Timeout=600 -qq update
    wait_for_apt
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq -o Dpkg::Use-Pty=0 \
      install -y redis-server postgresql chromium php-cli </dev/null
  else
    echo "test.sh: warning: missing ${missing[*]} and not root (or no apt-get); tests that need them will fail" >&2
  fi
fi

command -v dotnet >/dev/null 2>&1 || die "dotnet not found: install the .NET SDK pinned in global.json"

# ---------------------------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------------------------
redis_up() { [[ "$(redis-cli -p 6379 ping 2>/dev/null || true)" == "PONG" ]]; }

if [[ $MANAGE_REDIS -eq 1 ]]; then
  if ! redis_up; then
    command -v redis-server >/dev/null 2>&1 || die "redis-server is not installed and nothing answers on 6379"
    log "starting redis-server on 6379"
    # Daemons get /dev/null for stdio so they never hold a pipe that a caller (CI, `| tee`) waits on.
    redis-server --port 6379 --daemonize yes --save '' --appendonly no </dev/null >/dev/null 2>&1 ||
      die "redis-server failed to start"
    for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
    redis_up || die "redis did not answer PING on 6379"
  fi
  log "redis: up on $LEADEX_TEST_REDIS"
fi

# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------
leadex_can_connect() {
  PGPASSWORD=leadex PGCONNECT_TIMEOUT=5 psql -w -X -q -A -t \
    "host=127.0.0.1 port=5432 user=leadex dbname=postgres" -c 'select 1' </dev/null >/dev/null 2>&1
}

as_postgres() {
  # cd / so psql does not complain that it cannot read the caller's working directory.
  (cd / && su postgres -s /bin/sh -c "$1")
}

if [[ $MANAGE_POSTGRES -eq 1 ]]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    is_root || die "PostgreSQL is not accepting connections on 127.0.0.1:5432 (start it, or run as root)"
    PG_VERSION=$(pg_installed_version)
    if ! pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
      log "creating PostgreSQL $PG_VERSION cluster 'main'"
      pg_createcluster "$PG_VERSION" main </dev/null >/dev/null
    fi
    log "starting PostgreSQL $PG_VERSION/main"
    pg_out=$(mktemp)
    if ! pg_ctlcluster "$PG_VERSION" main start </dev/null >"$pg_out" 2>&1; then
      # "already running" on a cluster that is just slow to accept connections is fine.
      grep -qi 'already running' "$pg_out" || { cat "$pg_out" >&2; rm -f "$pg_out"; die "pg_ctlcluster start failed"; }
    fi
    rm -f "$pg_out"
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && break
    sleep 1
  done
  pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL did not accept connections on 127.0.0.1:5432 within 30 s"

  if ! leadex_can_connect; then
    is_root || die "cannot log in as leadex/leadex on 127.0.0.1:5432 (create the role: CREATE ROLE leadex LOGIN PASSWORD 'leadex' CREATEDB)"
    log "creating PostgreSQL role leadex"
    as_postgres "psql -X -q -v ON_ERROR_STOP=1 -d postgres" <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'leadex') THEN
    CREATE ROLE leadex LOGIN CREATEDB PASSWORD 'leadex';
  ELSE
    ALTER ROLE leadex LOGIN CREATEDB PASSWORD 'leadex';
  END IF;
END
$$;
SQL
    if ! leadex_can_connect; then
      # Debian's default pg_hba.conf allows scram-sha-256 on 127.0.0.1; a customised one may not.
      hba=$(as_postgres "psql -X -A -t -d postgres -c 'show hba_file'")
      log "allowing password logins for leadex on 127.0.0.1 in $hba"
      sed -i '1i host all leadex 127.0.0.1/32 scram-sha-256' "$hba"
      as_postgres "psql -X -q -d postgres -c 'select pg_reload_conf()'" >/dev/null
      sleep 1
      leadex_can_connect || die "still cannot log in as leadex on 127.0.0.1:5432"
    fi
  fi
  log "postgres: leadex can log in on 127.0.0.1:5432"
  # Databases a previous run could not drop (its cleanup is best effort). Only those nobody is connected to:
  # another test run going on at the same time (a second checkout, a colleague's filter) holds pooled
  # connections to its databases, and dropping them WITH (FORCE) failed its tests with "database does not exist".
  for leftover in $(PGPASSWORD=leadex psql -X -A -t -h 127.0.0.1 -U leadex -d postgres \
      -c "select d.datname from pg_database d where d.datname like 'leadex\_test\_%'
          and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)" 2>/dev/null); do
    PGPASSWORD=leadex psql -X -q -h 127.0.0.1 -U leadex -d postgres -c "drop database if exists \"$leftover\"" >/dev/null 2>&1 || true
  done
fi

[[ -x "$LEADEX_CHROMIUM" ]] || echo "test.sh: warning: $LEADEX_CHROMIUM not found; browser tests will fail" >&2

# ---------------------------------------------------------------------------------------------
# Build and test
# ---------------------------------------------------------------------------------------------
log "dotnet tool restore"
dotnet tool restore </dev/null

log "dotnet build LeadExchange.sln -c Release"
dotnet build LeadExchange.sln -c Release </dev/null

RESULTS_DIR="$REPO_ROOT/TestResults/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RESULTS_DIR"

test_args=(test LeadExchange.sln -c Release --no-build --logger "trx" --results-directory "$RESULTS_DIR"
  # A test stuck for 15 min is a hang: kill its test host (no dump) rather than eat CI's time limit.
  --blame-hang-timeout 15m --blame-hang-dump-type none)
[[ -n "$FILTER" ]] && test_args+=(--filter "$FILTER")

log "dotnet ${test_args[*]}"
test_rc=0
dotnet "${test_args[@]}" </dev/null || test_rc=$?

# ---------------------------------------------------------------------------------------------
# Summary from the .trx files (pure bash/grep/sed)
# ---------------------------------------------------------------------------------------------
counter() { # counter NAME "<Counters .../>" -> value (0 when absent)
  local v
  v=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2")
  echo "${v:-0}"
}

mapfile -t trx_files < <(find "$RESULTS_DIR" -type f -name '*.trx' | sort)

total_passed=0
total_failed=0
echo
echo "Test results ($RESULTS_DIR):"
for trx in "${trx_files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)
  # The test assembly's path is in each UnitTest's storage attribute.
  project=$(grep -o 'storage="[^"]*"' "$trx" | head -n 1 | sed 's/^storage="//; s/"$//' || true)
  project=$(basename "${project:-$trx}")
  project=${project%.dll}
  if [[ -z "$counters" ]]; then
    echo "  $project: no <Counters> element (run aborted?)"
    total_failed=$((total_failed + 1))
    continue
  fi
  total=$(counter total "$counters")
  passed=$(counter passed "$counters")
  failed=$(counter failed "$counters")
  # Errors, timeouts and aborts are failures too.
  failed=$((failed + $(counter error "$counters") + $(counter timeout "$counters") + $(counter aborted "$counters")))
  skipped=$((total - passed - failed))
  ((skipped < 0)) && skipped=0
  printf '  %-40s %5d passed, %3d failed, %3d skipped\n' "$project:" "$passed" "$failed" "$skipped"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
done

if ((${#trx_files[@]} == 0)); then
  echo "  no .trx files: dotnet test exited with $test_rc before writing results" >&2
  ((total_failed == 0)) && total_failed=1
elif ((test_rc != 0 && total_failed == 0)); then
  # e.g. a test host crashed after writing partial results: do not report that as green.
  echo "  dotnet test exited with $test_rc but no failed test was recorded: counting the run as 1 failure" >&2
  total_failed=1
fi

exit_code=0
if ((total_failed > 0 || total_passed == 0)); then
  exit_code=1
fi

elapsed=$(($(date +%s) - RUN_STARTED))
printf 'Run time: %dm %02ds (started %s UTC)\n' $((elapsed / 60)) $((elapsed % 60)) "$(date -u -d "@$RUN_STARTED" +%H:%M:%S)"
SUMMARY_PRINTED=1
echo "$total_passed passed, $total_failed failed"
exit "$exit_code"
