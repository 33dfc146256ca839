#!/bin/sh
# Session 47: the visitor pairs' click times (825b780) against the session's start (d82444b):
# make bench's default workload, commit mode, 3 runs alternated; then receive mode, 3 alternated.
set -e
OUT=${1:?output directory}
mkdir -p "$OUT"
for ack in commit receive; do
    for run in 1 2 3; do
        for side in before after; do
            bin=$([ $side = before ] && echo /tmp/s47/rel/release || echo /tmp/s47/rel-new/release)
            "$bin/sharetrack-bench" --ack $ack --json > "$OUT/$side-$ack-$run.json"
        done
    done
done
