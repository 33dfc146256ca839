#!/bin/bash
# usage: perf-first.sh BINDIR REQUEST OUT.perf
# As perf-ask.sh (../queries-session15), but REQUEST is asked once, with no warm-up, under
# `perf record -e cpu-clock -g`: the first answer over an extent, which makes what is kept of it.
BIN=$1; REQ=$2; OUT=$3; W=${WORK:-/tmp/perf-first}; HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf $W && mkdir $W && cp ${DB:-/tmp/lead/2m-v8.db} $W/db
$BIN/sharetrackd --database $W/db --ingest-socket $W/in.sock --control-socket $W/ctl.sock --config /dev/null > $W/log 2>&1 &
D=$!
sleep 2
$BIN/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock --rate 20000 --events 2000000 --seed 11 --days 1 > $W/load.log 2>&1 &
sleep 12
perf record -e cpu-clock -g -p $D -o $OUT > /dev/null 2>&1 & P=$!; sleep 0.5
grep VmRSS /proc/$D/status
python3 $HERE/../../2026-12-01/queries-session9/ctl-time.py $W/ctl.sock "$REQ" 1
grep VmRSS /proc/$D/status
kill -INT $P; wait $P
pkill -f "sharetrack-bench --socket $W"; sleep 1; kill $D; wait $D
