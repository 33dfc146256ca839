#!/bin/sh
# Round 3, before/after side by side: receive and commit mode, interleaved, three rounds.
# Usage (from the repository root, after `swift build -c release`):
#   BEFORE=/work/before/src/.build/release sh docs/results/2026-11-30/round3/run.sh [OUT_DIR]
# BEFORE holds the release binaries of the "before" (commit fa5a66d); the "after" is .build/release.
set -e
BEFORE=${BEFORE:?set BEFORE to the directory of the before release binaries}
AFTER=${AFTER:-.build/release}
OUT=${1:-docs/results/2026-11-30/round3}
mkdir -p "$OUT"
for run in 1 2 3; do
    for ack in receive commit; do
        for side in before after; do
            if [ $side = before ]; then bin=$BEFORE; else bin=$AFTER; fi
            "$bin/sharetrack-bench" --ack $ack --json > "$OUT/$side-$ack-$run.json"
            echo "$side $ack $run: $(grep '"events_per_second"' "$OUT/$side-$ack-$run.json" | tail -1)"
        done
    done
done
python3 "$(dirname "$0")/summary.py" "$OUT"
