#!/bin/bash
# usage: perf-ask.sh BINDIR REQUEST RUNS [OUT.perf]
# Starts BINDIR/sharetrackd on a copy of $DB (default /tmp/lead/2m-v8.db), ingests the bench
# workload at 20,000 events/s over the last day, asks REQUEST (a control request's JSON) $WARMUP
# times (default 3; 0: the first answer is measured) to warm up, then RUNS times, timed
# (ctl-time.py), under `perf record -e cpu-clock -g` if OUT.perf is given, printing the daemon's
# resident size before and after. Work directory: $WORK (default /tmp/perf-ask). $WARM_REQUEST: ask
# that to warm up instead of REQUEST (the warm-up answers' times go to stderr); $PERFG: perf's
# call-graph options instead of -g; $PAUSE: seconds to wait between the warm-up and the timed runs.
BIN=$1; REQ=$2; RUNS=$3; OUT=$4; W=${WORK:-/tmp/perf-ask}; HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf $W && mkdir $W && cp ${DB:-/tmp/lead/2m-v8.db} $W/db
$BIN/sharetrackd --database $W/db --ingest-socket $W/in.sock --control-socket $W/ctl.sock --config /dev/null > $W/log 2>&1 &
D=$!
sleep 2
$BIN/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock --rate 20000 --events 2000000 --seed 11 --days 1 > $W/load.log 2>&1 &
sleep 12
[ "${WARMUP:-3}" -gt 0 ] && python3 $HERE/../../2026-12-01/queries-session9/ctl-time.py $W/ctl.sock "${WARM_REQUEST:-$REQ}" ${WARMUP:-3} > /dev/null
sleep ${PAUSE:-0}
if [ -n "$OUT" ]; then perf record -e cpu-clock ${PERFG:--g} -p $D -o $OUT > /dev/null 2>&1 & P=$!; sleep 0.5; fi
grep VmRSS /proc/$D/status
python3 $HERE/../../2026-12-01/queries-session9/ctl-time.py $W/ctl.sock "$REQ" $RUNS
grep VmRSS /proc/$D/status
[ -n "$OUT" ] && { kill -INT $P; wait $P; }
pkill -f "sharetrack-bench --socket $W"; sleep 1; kill $D; wait $D
