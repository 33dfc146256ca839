#!/bin/bash
# usage: qrun.sh BINDIR OUT [RATE]
BIN=$1; OUT=$2; RATE=${3:-20000}
( while true; do echo "$(date -u +%H:%M:%S) $(cat /proc/loadavg)"; sleep 30; done ) > $OUT.load &
LP=$!
$BIN/sharetrack-bench --queries --query-database /tmp/qbench/2m.db --query-runs ${RUNS:-5} --rate $RATE > $OUT 2> $OUT.err
kill $LP
