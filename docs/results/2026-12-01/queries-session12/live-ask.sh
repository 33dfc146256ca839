#!/bin/bash
# usage: top-perf.sh BINDIR REQUEST RUNS  (daemon on a copy of 2m-v8.db, ingest at 20,000 events/s, perf of the daemon while REQUEST is asked RUNS times)
BIN=$1; REQ=$2; RUNS=$3
rm -rf /tmp/s12/tp && mkdir /tmp/s12/tp && cp /tmp/lead/2m-v8.db /tmp/s12/tp/db
$BIN/sharetrackd --database /tmp/s12/tp/db --ingest-socket /tmp/s12/tp/in.sock --control-socket /tmp/s12/tp/ctl.sock --config /dev/null > /tmp/s12/tp/log 2>&1 &
D=$!
sleep 2
$BIN/sharetrack-bench --socket /tmp/s12/tp/in.sock --control /tmp/s12/tp/ctl.sock --rate 20000 --events 2000000 --seed 11 --days ${DAYS:-7} > /tmp/s12/tp/load.log 2>&1 &
sleep 12
# WARM=1 (session 13): `top` over all time asked 5 times first, so that REQUEST is not the daemon's first answer
[ -n "$WARM" ] && python3 /work/main/docs/results/2026-12-01/queries-session9/ctl-time.py /tmp/s12/tp/ctl.sock '{"command":"top","query":{"by":"clicks","limit":20}}' 5 >/dev/null 2>&1
python3 /work/main/docs/results/2026-12-01/queries-session9/ctl-time.py /tmp/s12/tp/ctl.sock "$REQ" $RUNS
pkill -f "sharetrack-bench --socket /tmp/s12/tp"; sleep 1; kill $D; wait $D
