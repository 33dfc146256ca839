#!/bin/bash
# usage: DB=2M-share.db run.sh BIN_A BIN_D OUT REQUEST: the first answer of REQUEST, live at 20,000 events/s, under perf; A and B alternated 3 times (files a-N, d-N: d is B)
A=$1; D=$2; OUT=$3; REQ=$4; mkdir -p $OUT
HERE=$(cd "$(dirname "$0")" && pwd)
for r in 1 2 3; do
  for side in a d; do
    bin=$A; [ $side = d ] && bin=$D
    DB=$DB WORK=$OUT/work WARMUP=0 bash $HERE/../queries-session15/perf-ask.sh $bin "$REQ" 1 $OUT/$side-$r.perf > $OUT/$side-$r.txt 2>&1
    perf script -i $OUT/$side-$r.perf -F tid,ip,sym 2>/dev/null | python3 $HERE/load-samples.py >> $OUT/$side-$r.txt
    rm $OUT/$side-$r.perf
  done
done
