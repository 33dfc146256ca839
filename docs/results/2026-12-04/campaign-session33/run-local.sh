#!/bin/sh
# Session 33: top --campaign at 2M shares (the query bench's database of session 32, schema 12),
# before (BEFORE: a release build of 5d37492) and after (AFTER: of 7adc06d), each on its own copy:
# the start (the migration to 13 and the build in the background, AFTER only), then `sharectl`
# answers through the daemon (idle, 5 each) and offline (`--db`, 5 each).
# Usage: BEFORE=DIR AFTER=DIR DB=2m.db sh run-local.sh OUT_DIR
# With QUERIES (answers through the daemon, |-separated), OFFLINE (qtime.py's case names) and
# WAIT_BOTH=1 (both sides wait for their rollups): other answers (tiers-summary.txt: BEFORE 7adc06d,
# AFTER its next commit, schema 14).
set -e
OUT=${1:?give the output directory}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/daemon-on-copy.sh"
mkdir -p "$OUT"
QUERIES=${QUERIES:-"top --limit 20 --campaign campaign-2|top --limit 20 --campaign campaign-3 --by clicks|top --limit 20 --by engagement --campaign campaign-1|top --limit 20 --by value --campaign campaign-4|top --limit 20 --venue venue-05"}
for side in before after; do
    eval bin=\$$(echo $side | tr a-z A-Z)
    dir=$OUT/$side
    start_on_copy "$dir" "$bin" "log_level: debug"
    echo "$side: listening after $(echo "$(date +%s.%N) - $start" | bc) s" | tee -a "$OUT/summary.txt"
    while { [ "$side" = after ] || [ -n "$WAIT_BOTH" ]; } && ! grep -q "rollups built:" "$dir/daemon.log"; do sleep 0.2; done
    echo "$side: rollups built after $(echo "$(date +%s.%N) - $start" | bc) s" | tee -a "$OUT/summary.txt"
    echo "$side, live:" >> "$OUT/summary.txt"
    (IFS='|'; python3 "$HERE/livetime.py" "$bin/sharectl" "$dir/control.sock" 5 $QUERIES) >> "$OUT/summary.txt"
    kill $pid && wait $pid || true
    echo "$side, offline:" >> "$OUT/summary.txt"
    python3 "$HERE/qtime.py" "$bin/sharectl" "$dir/sharetrack.db" 5 ${OFFLINE:-top-campaign,top-venue,top} >> "$OUT/summary.txt"
    rm -f "$dir"/sharetrack.db*
done
