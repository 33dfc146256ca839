#!/bin/sh
# before (0d53ef8) and after (schema 17) in commit mode, alternated, three rounds.
OUT=${1:?out}
mkdir -p "$OUT"
for run in 1 2 3; do
  for side in before after; do
    if [ $side = before ]; then bin=${BEFORE:?}; else bin=${AFTER:?}; fi
    "$bin/sharetrack-bench" --ack commit --json > "$OUT/$side-commit-$run.json"
    echo "$side $run: $(grep -E '"events_per_second"|cpu_per_event|caught_up' "$OUT/$side-commit-$run.json" | tr -d '\n ')"
  done
done
