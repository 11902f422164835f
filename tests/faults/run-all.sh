#!/usr/bin/env bash
# All fault drills in turn, then a summary (issue #9 "Faults"):
#
#   bash tests/faults/run-all.sh        (as root on Debian 12, from the repository root; about 9 minutes)
#
# redis-outage.sh, db-outage.sh (stopped, then hanging: FAULT_DB_MODE=hang) and kill-node.sh each build and start their own app and database; their whole output
# goes to $FAULT_LOG_DIR (default /tmp/fault-drills) and the summary lists each drill's FAIL lines and count.
# Exits 1 when a drill broke (non-zero exit) or reported a FAIL, so it can gate a release.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export FAULT_PORT="${FAULT_PORT:-5198}" # the ports of this worktree's drills
LOG_DIR="${FAULT_LOG_DIR:-/tmp/fault-drills}"
mkdir -p "$LOG_DIR"
status=0
summary=()
for drill in redis-outage db-outage db-hang kill-node; do
  echo "==> $drill (log: $LOG_DIR/$drill.log)"
  start=$(date +%s)
  if [[ $drill == db-hang ]]; then
    FAULT_DB_MODE=hang BENCH_SKIP_BUILD=1 bash tests/faults/db-outage.sh 2>&1 | tee "$LOG_DIR/$drill.log"
  else
    bash "tests/faults/$drill.sh" 2>&1 | tee "$LOG_DIR/$drill.log"
  fi
  rc=${PIPESTATUS[0]}
  fails=$(grep -c '^FAIL' "$LOG_DIR/$drill.log" || true)
  summary+=("$(printf '%-13s exit %d, %d FAIL lines, %d s' "$drill" "$rc" "$fails" $(($(date +%s) - start)))")
  ((rc == 0 && fails == 0)) || status=1
done
echo
echo "=== fault drills"
printf '%s\n' "${summary[@]}"
grep -H '^FAIL' "$LOG_DIR"/{redis-outage,db-outage,db-hang,kill-node}.log 2>/dev/null | sed "s|$LOG_DIR/||" || true
exit "$status"
