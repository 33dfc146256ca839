#!/bin/sh
# Session 32's apply round: three daemons side by side, receive and commit mode, interleaved,
# three rounds; each side's directory holds its release sharetrackd and sharetrack-bench.
# Usage: FILED=DIR START=DIR AFTER=DIR sh run.sh OUT_DIR
#   FILED: fa5a66d (issue 13 filed), START: fc0036f (this session's start), AFTER: its change.
set -e
OUT=${1:?give the output directory}
mkdir -p "$OUT"
for run in 1 2 3; do
    for ack in receive commit; do
        for side in filed start after; do
            eval bin=\$$(echo $side | tr a-z A-Z)
            "$bin/sharetrack-bench" --ack $ack --json > "$OUT/$side-$ack-$run.json"
            echo "$side $ack $run: $(grep '"events_per_second"' "$OUT/$side-$ack-$run.json" | tail -1)"
        done
    done
done
python3 "$(dirname "$0")/../../2026-11-30/round3/summary.py" "$OUT" filed start after
