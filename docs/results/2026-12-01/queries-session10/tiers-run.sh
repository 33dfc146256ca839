#!/bin/bash
# usage: tiers-run.sh BINDIR LABEL   (a copy of 2m-v8.db, the daemon of BINDIR, ingest at 20,000 events/s, tiers answers over the control socket)
BIN=$1; L=$2; D=${WORK:-/tmp/tiers-run}
rm -rf $D && mkdir $D && cp ${DB:-/tmp/lead/2m-v8.db} $D/db
$BIN/sharetrackd --database $D/db --ingest-socket $D/in.sock --control-socket $D/ctl.sock --config ${CONFIG:-/dev/null} > $D/log 2>&1 &
sleep 2
$BIN/sharetrack-bench --socket $D/in.sock --control $D/ctl.sock --rate 20000 --events 2000000 --seed 11 > $D/load.log 2>&1 &
sleep 12
echo "# $L, $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 ${CTL:-$(dirname $0)/../queries-session9/ctl-time.py} $D/ctl.sock '{"command":"tiers","query":{}}' 40
python3 ${CTL:-$(dirname $0)/../queries-session9/ctl-time.py} $D/ctl.sock '{"command":"tiers","query":{"network":"tiktok"}}' 20
python3 ${CTL:-$(dirname $0)/../queries-session9/ctl-time.py} $D/ctl.sock '{"command":"tiers","query":{"venue":"venue-03"}}' 20
pkill -f "sharetrack-bench --socket $D"; sleep 1; pkill -f "database $D/db"; sleep 2
