#!/bin/bash
# usage: adv-run.sh BINDIR LABEL   (a copy of 2m-v8.db, the daemon of BINDIR, ingest at 20,000 events/s, advocate answers over the control socket)
BIN=$1; L=$2
rm -rf /tmp/lead/ad && mkdir /tmp/lead/ad && cp /tmp/lead/2m-v8.db /tmp/lead/ad/db
$BIN/sharetrackd --database /tmp/lead/ad/db --ingest-socket /tmp/lead/ad/in.sock --control-socket /tmp/lead/ad/ctl.sock --config /tmp/sig/none.yaml > /tmp/lead/ad/log 2>&1 &
sleep 2
$BIN/sharetrack-bench --socket /tmp/lead/ad/in.sock --control /tmp/lead/ad/ctl.sock --rate 20000 --events 2000000 --seed 11 > /tmp/lead/ad/load.log 2>&1 &
sleep 12
echo "# $L, $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
for a in adv-037515 adv-000042; do
  python3 /tmp/lead/ctl-time.py /tmp/lead/ad/ctl.sock "{\"command\":\"advocate\",\"query\":{\"id\":\"$a\"}}" 100
done
python3 /tmp/lead/ctl-time.py /tmp/lead/ad/ctl.sock '{"command":"share","query":{"id":"t-0000000001"}}' 30
pkill -f "sharetrack-bench --socket /tmp/lead/ad"; sleep 1; pkill -f "database /tmp/lead/ad/db"; sleep 2
