#!/bin/bash
# make bench's default run, A (before) and B (after) alternated RUNS times; JSON per run.
# usage: run.sh A_DIR B_DIR [RUNS]
A=$1 B=$2 RUNS=${3:-3}
for i in $(seq 1 "$RUNS"); do
  for side in a b; do
    dir=$A; [ $side = b ] && dir=$B
    "$dir/sharetrack-bench" --no-ceiling --json > "$side-$i.json" 2> "$side-$i.err"
  done
done
