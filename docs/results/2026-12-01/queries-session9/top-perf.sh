#!/bin/bash
# usage: top-perf.sh BINDIR REQUEST RUNS  (daemon on a copy of 2m-v8.db, ingest at 20,000 events/s, perf of the daemon while REQUEST is asked RUNS times)
BIN=$1; REQ=$2; RUNS=$3
rm -rf /tmp/lead/tp && mkdir /tmp/lead/tp && cp /tmp/lead/2m-v8.db /tmp/lead/tp/db
$BIN/sharetrackd --database /tmp/lead/tp/db --ingest-socket /tmp/lead/tp/in.sock --control-socket /tmp/lead/tp/ctl.sock --config /tmp/sig/none.yaml > /tmp/lead/tp/log 2>&1 &
D=$!
sleep 2
$BIN/sharetrack-bench --socket /tmp/lead/tp/in.sock --control /tmp/lead/tp/ctl.sock --rate 20000 --events 2000000 --seed 11 > /tmp/lead/tp/load.log 2>&1 &
sleep 12
perf record -e cpu-clock --call-graph dwarf,16384 -F 499 -p $D -o /tmp/lead/tp.perf 2>/dev/null &
P=$!
python3 /tmp/lead/ctl-time.py /tmp/lead/tp/ctl.sock "$REQ" $RUNS
kill -INT $P; wait $P
pkill -f "sharetrack-bench --socket /tmp/lead/tp"; sleep 1; kill $D; wait $D
