#!/bin/bash
# usage: live-vs-offline.sh NEW OLD WORKDIR
# The new binary's live answers against the old binary's offline SQL answers on the same database
# afterwards: `tiers` over all time (live groups summed per tier, new groups' pairs remembered),
# `advocate` (its tokens looked up at each batch's hours), and `top` without a filter and for a
# venue (kept totals and sums, advanced by each applied batch, also through a 20 s pause in the
# questions while the load goes on: `keepUp`). Database: $DB (default /tmp/lead/2m-v8.db).
# $DAEMON_ARGS: more options for the daemon; $LAST_WAIT: seconds between the last acknowledgement
# and the last answers (default 1; 0 with `--ack receive` leaves the last events pending).
NEW=$1; OLD=$2; W=$3
mkdir -p $W && rm -rf $W/* && cp ${DB:-/tmp/lead/2m-v8.db} $W/db
$NEW/sharetrackd --database $W/db --ingest-socket $W/in.sock --control-socket $W/ctl.sock --config /dev/null $DAEMON_ARGS > $W/log 2>&1 &
D=$!
while [ ! -S $W/ctl.sock ]; do sleep 0.5; done; sleep 1
$NEW/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock --rate 20000 --events 1000000 --seed 13 --days 1 > $W/load.log 2>&1 &
B=$!
QUERIES=("tiers" "tiers --venue venue-16" "tiers --network tiktok --tier micro" "advocate adv-000123"
         "advocate adv-004711" "top --by engagement" "top --by clicks --venue venue-03")
ask() { for q in "${QUERIES[@]}"; do $1/sharectl $2 $q --json; done; }
for i in $(seq 1 15); do ask $NEW "--socket $W/ctl.sock" > /dev/null; sleep 0.3; done
sleep 20
for i in $(seq 1 15); do ask $NEW "--socket $W/ctl.sock" > /dev/null; sleep 0.3; done
wait $B
sleep ${LAST_WAIT:-1}
ask $NEW "--socket $W/ctl.sock" > $W/live.json
kill $D; wait $D
ask $OLD "--db $W/db" > $W/offline.json
cmp $W/live.json $W/offline.json && echo SAME; wc -c $W/live.json; tail -3 $W/load.log
