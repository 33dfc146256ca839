#!/bin/bash
# usage: [DB=2M-share query database] [WORK=dir] big-run.sh BINDIR OUT [RATE] [EVENTS]: sharetrackd (ack commit) on a copy of DB,
# the bench workload (seed 7, new tokens) ingested at RATE (100,000) events/s; appends the largest size the log (db-wal) reached
BIN=$1; OUT=$2; RATE=${3:-100000}; EVENTS=${4:-2000000}
D=${WORK:-/tmp/bigrun}/work; rm -rf $D; mkdir -p $D; cp ${DB:-/tmp/qbench/2m.db} $D/db; printf 'ack: commit\n' > $D/conf.yaml
$BIN/sharetrackd --database $D/db --ingest-socket $D/in.sock --control-socket $D/ctl.sock --config $D/conf.yaml > $D/log 2>&1 &
PID=$!
while [ ! -S $D/ctl.sock ]; do sleep 0.2; done; sleep 1
( while kill -0 $PID 2>/dev/null; do stat -c %s $D/db-wal 2>/dev/null; sleep 0.5; done | sort -n | tail -1 > $OUT.walmax ) &
W=$!
$BIN/sharetrack-bench --socket $D/in.sock --control $D/ctl.sock --rate $RATE --events $EVENTS --no-ceiling --seed 7 > $OUT 2>&1
kill $PID; wait $PID; wait $W
echo "wal max bytes $(cat $OUT.walmax)" >> $OUT
