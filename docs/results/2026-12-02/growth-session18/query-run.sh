#!/bin/bash
# usage: query-run.sh BINDIR OUT [RATE]   (DB: the database, default /tmp/qbench/2m.db; RUNS: runs of each query, default 5)
BIN=$1; OUT=$2; RATE=${3:-20000}
( while true; do echo "$(date -u +%H:%M:%S) $(cat /proc/loadavg)"; sleep 30; done ) > $OUT.load &
LP=$!
$BIN/sharetrack-bench --queries --query-database ${DB:-/tmp/qbench/2m.db} --query-runs ${RUNS:-5} --query-shares ${SHARES:-2000000} --rate $RATE > $OUT 2> $OUT.err
kill $LP
