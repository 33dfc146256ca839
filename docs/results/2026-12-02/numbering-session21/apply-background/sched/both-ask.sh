#!/bin/bash
BIN=$1; REQ=$2; OUT=$3; W=${WORK:-/tmp/s21/schedwork}
rm -rf $W && mkdir $W && cp $DB $W/db
$BIN/sharetrackd --database $W/db --ingest-socket $W/in.sock --control-socket $W/ctl.sock --config /dev/null > $W/log 2>&1 &
D=$!; sleep 2
$BIN/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock --rate 20000 --events 2000000 --seed 11 --days 1 > $W/load.log 2>&1 &
sleep 12
perf record -e cpu-clock -e sched:sched_switch -g -p $D -o $OUT.data > /dev/null 2>&1 & P=$!; sleep 1.5
python3 /work/main/docs/results/2026-12-01/queries-session9/ctl-time.py $W/ctl.sock "$REQ" 1
sleep 0.2; kill -INT $P; wait $P
pkill -f "sharetrack-bench --socket $W"; sleep 1; kill $D; wait $D
perf script -i $OUT.data -F tid,time,event,ip,sym 2>/dev/null > $OUT.script
