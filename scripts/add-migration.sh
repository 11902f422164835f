#!/usr/bin/env bash
# Adds one EF Core migration, with the same name, to all three provider sets:
#   scripts/add-migration.sh AddLeadDisputes
# Each migrations project has its own IDesignTimeDbContextFactory, so it is its own startup project.
# Stops at the first failure; the sets already done keep their new migration, so either fix the
# model and rerun with another name, or undo them with
#   dotnet ef migrations remove --project migrations/LeadExchange.Migrations.<Provider> \
#     --startup-project migrations/LeadExchange.Migrations.<Provider>
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $# -ne 1 || ! $1 =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
  echo "usage: $0 <MigrationName>   (a C# identifier, e.g. AddLeadDisputes)" >&2
  exit 2
fi
name=$1

dotnet tool restore >/dev/null

for provider in Sqlite SqlServer PostgreSql; do
  project="migrations/LeadExchange.Migrations.$provider"
  echo "==> $provider: dotnet ef migrations add $name"
  if ! dotnet ef migrations add "$name" \
    --project "$project" --startup-project "$project" --output-dir Migrations; then
    echo "add-migration: failed for $provider; stopping (see the header of $0 to undo earlier sets)" >&2
    exit 1
  fi
done

echo "Added migration $name to Sqlite, SqlServer and PostgreSql."
