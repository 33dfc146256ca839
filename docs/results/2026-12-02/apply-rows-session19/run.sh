#!/bin/bash
# usage: DB=2M-share.db run.sh BIN_A BIN_C OUT: big-run.sh (2,000,000 events at 100,000 events/s), A and C alternated, 3 rounds
A=$1; C=$2; OUT=$3; mkdir -p $OUT
S=$(dirname "$0")/../apply-session17/big-run.sh
for r in 1 2 3; do
  for side in a c; do
    bin=$A; [ $side = c ] && bin=$C
    DB=$DB WORK=$OUT/work bash $S $bin $OUT/$side-$r.txt
  done
done
