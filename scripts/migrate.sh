#!/usr/bin/env bash
# Applies the EF Core migrations to a production database.
#
#   Database__Provider=SqlServer \
#   ConnectionStrings__Default='Server=...;Database=LeadExchange;User Id=...;Password=...' \
#   scripts/migrate.sh
#
# Database__Provider: Sqlite | SqlServer | PostgreSql (the same variables the app reads).
# The app itself does not migrate in production (Database__MigrateOnStartup=false), so that N
# replicas never race on one schema change; run this once per release, before the new app starts.
#
# Alternative for a DBA who wants to review and apply SQL by hand: an idempotent script, which
# applies only the migrations the target database lacks and needs no connection to generate:
#   scripts/migrate.sh --script artifacts/migrations.sql
# (equivalent: dotnet ef migrations script --idempotent --project migrations/LeadExchange.Migrations.SqlServer
#  --startup-project migrations/LeadExchange.Migrations.SqlServer -o artifacts/migrations.sql)
#
# Optional: MIGRATE_CONFIGURATION (default Release); MIGRATE_NO_BUILD=1 when the migrations
# projects are already built in that configuration (the Docker `migrator` image does this).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

script_out=""
case "${1:-}" in
  "") ;;
  --script)
    [[ -n "${2:-}" ]] || { echo "usage: $0 [--script <output.sql>]" >&2; exit 2; }
    script_out=$2
    ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "usage: $0 [--script <output.sql>]" >&2
    exit 2
    ;;
esac

case "${Database__Provider:-}" in
  [Ss]qlite) provider=Sqlite ;;
  [Ss]ql[Ss]erver) provider=SqlServer ;;
  [Pp]ostgre[Ss]ql | [Pp]ostgres | [Nn]pgsql) provider=PostgreSql ;;
  "") echo "migrate: set Database__Provider (Sqlite | SqlServer | PostgreSql)" >&2; exit 2 ;;
  *) echo "migrate: unknown Database__Provider '$Database__Provider' (Sqlite | SqlServer | PostgreSql)" >&2; exit 2 ;;
esac

project="migrations/LeadExchange.Migrations.$provider"
ef_args=(--project "$project" --startup-project "$project" --configuration "${MIGRATE_CONFIGURATION:-Release}")
[[ "${MIGRATE_NO_BUILD:-0}" == "1" ]] && ef_args+=(--no-build)

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet tool restore >/dev/null
# dotnet ef reads the project's metadata before it builds, and that needs restored packages: without
# this a fresh clone fails with "Unable to retrieve project metadata" (NETSDK1004).
[[ "${MIGRATE_NO_BUILD:-0}" == "1" ]] || dotnet restore "$project" --verbosity quiet

if [[ -n "$script_out" ]]; then
  mkdir -p "$(dirname "$script_out")"
  echo "==> $provider: idempotent migrations script -> $script_out"
  exec dotnet ef migrations script --idempotent "${ef_args[@]}" -o "$script_out"
fi

if [[ -z "${ConnectionStrings__Default:-}" ]]; then
  echo "migrate: set ConnectionStrings__Default to the target database" >&2
  exit 2
fi

echo "==> $provider: dotnet ef database update"
exec dotnet ef database update "${ef_args[@]}" --connection "$ConnectionStrings__Default"
