#!/bin/bash
# usage: first-ask.sh BINDIR WARM_REQUEST REQUEST [OUT.perf]
# Like ../../2026-12-02/queries-session15/perf-ask.sh: the daemon on a copy of $DB (default
# /tmp/lead/2m-v8.db) with the bench ingesting at 20,000 events/s, then WARM_REQUEST asked 3 times
# (another question, so that the live batches' groups are kept as in the query bench), then
# REQUEST asked once, its first answer, under `perf record --call-graph dwarf` if OUT.perf is given
# (SQLite has no frame pointers here), with the daemon's resident size before and after.
BIN=$1; WARM=$2; REQ=$3; OUT=$4; W=${WORK:-/tmp/first-ask}; HERE=$(cd "$(dirname "$0")" && pwd)
CTL=$HERE/../../2026-12-01/queries-session9/ctl-time.py
rm -rf $W && mkdir $W && cp ${DB:-/tmp/lead/2m-v8.db} $W/db
$BIN/sharetrackd --database $W/db --ingest-socket $W/in.sock --control-socket $W/ctl.sock --config /dev/null > $W/log 2>&1 &
D=$!
sleep 2
$BIN/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock --rate 20000 --events 2000000 --seed 11 --days 1 > $W/load.log 2>&1 &
sleep 12
python3 $CTL $W/ctl.sock "$WARM" 3 > /dev/null 2>&1
if [ -n "$OUT" ]; then perf record -e cpu-clock --call-graph dwarf,16384 -F 2000 -p $D -o $OUT > /dev/null 2>&1 & P=$!; sleep 0.5; fi
grep VmRSS /proc/$D/status
python3 $CTL $W/ctl.sock "$REQ" 1
grep VmRSS /proc/$D/status
[ -n "$OUT" ] && { kill -INT $P; wait $P; }
pkill -f "sharetrack-bench --socket $W"; sleep 1; kill $D; wait $D
