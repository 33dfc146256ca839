#!/bin/bash
# usage: DB=2M-share.db run.sh BIN_A BIN_B OUT: the query bench at 20,000 events/s, A and B alternated twice
A=$1; B=$2; OUT=$3; mkdir -p $OUT
S=$(dirname "$0")/../growth-session18/query-run.sh
for r in 1 2; do
  for side in a b; do
    bin=$A; [ $side = b ] && bin=$B
    DB=$DB bash $S $bin $OUT/q-$side-$r.txt 20000
  done
done
