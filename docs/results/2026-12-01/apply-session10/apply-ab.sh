#!/bin/bash
# usage: apply-ab.sh OUTDIR BIN_A BIN_B [ROUNDS] [extra bench args]: make bench's default run, A and B alternated
OUT=$1; A=$2; B=$3; N=${4:-3}; shift 4; mkdir -p $OUT
for r in $(seq 1 $N); do
  for side in a b; do bin=$A; [ $side = b ] && bin=$B
    $bin/sharetrack-bench --no-ceiling --json "$@" > $OUT/$side-$r.json 2> $OUT/$side-$r.err
  done
done
