#!/usr/bin/env bash
# Regenerates src/LeadExchange.Domain/Offers/public_suffix_list.dat (the Public Suffix List, ICANN and private sections,
# one rule per line) from the npm package psl, pinned below with its integrity hash. The list is data (MPL-2.0,
# https://publicsuffix.org); the landing-URL rules read it to refuse a macro in front of a public suffix.
# Usage: bash scripts/update-public-suffix-list.sh [version]   (then run the Domain tests and commit the file)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VERSION="${1:-1.15.0}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack "psl@$VERSION" --silent >/dev/null)
tar -xzf "$WORK/psl-$VERSION.tgz" -C "$WORK" package/data/rules.js
OUT=src/LeadExchange.Domain/Offers/public_suffix_list.dat
{
  echo "// The Public Suffix List (https://publicsuffix.org), Mozilla Public License 2.0: https://mozilla.org/MPL/2.0/"
  echo "// Taken from the npm package psl@$VERSION (data/rules.js) by scripts/update-public-suffix-list.sh; do not edit by hand."
  node -e 'import(process.argv[1]).then(m => { for (const r of m.default) console.log(r); })' "$WORK/package/data/rules.js"
} >"$OUT"
echo "$OUT: $(grep -vc '^//' "$OUT") rules"
