#!/bin/bash
# usage: DB=... seq.sh BINDIR: the daemon on a copy of $DB, ingest at 20,000 events/s, seq.py's questions
BIN=$1; W=${WORK:-/tmp/s21/seqwork}; HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf $W && mkdir $W && cp $DB $W/db
$BIN/sharetrackd --database $W/db --ingest-socket $W/in.sock --control-socket $W/ctl.sock --config /dev/null > $W/log 2>&1 &
D=$!; sleep 2
$BIN/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock --rate 20000 --events 2000000 --seed 11 --days 1 > $W/load.log 2>&1 &
sleep 12
python3 $HERE/seq.py $W/ctl.sock $D
pkill -f "sharetrack-bench --socket $W"; sleep 1; kill $D; wait $D
