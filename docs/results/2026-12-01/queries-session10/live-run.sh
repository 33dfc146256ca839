#!/bin/bash
# usage: live-run.sh BINDIR LABEL REQUEST RUNS [REQUEST RUNS ...]
# A copy of the 2M database (DB), the daemon of BINDIR on it, ingest at 20,000 events/s by the
# bench, then each REQUEST (a control request's JSON) answered RUNS times over the control socket.
BIN=$1; L=$2; shift 2; D=${WORK:-/tmp/live-run}
rm -rf $D && mkdir $D && cp ${DB:-/tmp/lead/2m-v8.db} $D/db
$BIN/sharetrackd --database $D/db --ingest-socket $D/in.sock --control-socket $D/ctl.sock --config ${CONFIG:-/dev/null} > $D/log 2>&1 &
sleep 2
$BIN/sharetrack-bench --socket $D/in.sock --control $D/ctl.sock --rate 20000 --events 2000000 --seed 11 > $D/load.log 2>&1 &
sleep 12
echo "# $L, $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
while [ $# -ge 2 ]; do
  python3 ${CTL:-$(dirname $0)/../queries-session9/ctl-time.py} $D/ctl.sock "$1" $2
  shift 2
done
pkill -f "sharetrack-bench --socket $D"; sleep 1; pkill -f "database $D/db"; sleep 2
