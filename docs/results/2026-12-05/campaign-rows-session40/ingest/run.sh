#!/bin/sh
# before (f0a81b0, schema 17) and after (schema 18) in commit mode, alternated, three rounds (RUNS to choose).
OUT=${1:?out}
mkdir -p "$OUT"
for run in ${RUNS:-1 2 3}; do
  for side in before after; do
    if [ $side = before ]; then bin=${BEFORE:?}; else bin=${AFTER:?}; fi
    "$bin/sharetrack-bench" --ack commit --json > "$OUT/$side-commit-$run.json"
    echo "$side $run: $(grep -E '"events_per_second"|cpu_per_event|caught_up' "$OUT/$side-commit-$run.json" | tr -d '\n ')"
  done
done
