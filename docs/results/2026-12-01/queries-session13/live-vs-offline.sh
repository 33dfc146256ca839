#!/bin/bash
# live answers of the new binary (cache advanced under ingest) vs the old binary's offline SQL answers
NEW=/tmp/s13/advance; OLD=/tmp/s13/base; W=/tmp/s13/chk
rm -rf $W/* && cp /tmp/lead/2m-v8.db $W/db
$NEW/sharetrackd --database $W/db --ingest-socket $W/in.sock --control-socket $W/ctl.sock --config /dev/null > $W/log 2>&1 &
D=$!
while [ ! -S $W/ctl.sock ]; do sleep 0.5; done; sleep 1
$NEW/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock --rate 20000 --events 400000 --seed 11 --days 1 > $W/load.log 2>&1 &
B=$!
S=$(( $(date +%s) - 86400 ))
for i in $(seq 1 40); do
  for q in "--by clicks" "--by engagement --venue venue-16" "--by reach"; do $NEW/sharectl --socket $W/ctl.sock top --since 24h $q --json > /dev/null; done
  $NEW/sharectl --socket $W/ctl.sock tiers --since 24h --json > /dev/null
  sleep 0.3
done
wait $B
sleep 1
for q in "--by clicks" "--by engagement --venue venue-16" "--by reach --network tiktok"; do $NEW/sharectl --socket $W/ctl.sock top --since 24h $q --json; done > $W/live.json
$NEW/sharectl --socket $W/ctl.sock tiers --since 24h --json >> $W/live.json
kill $D; wait $D
for q in "--by clicks" "--by engagement --venue venue-16" "--by reach --network tiktok"; do $OLD/sharectl --db $W/db top --since 24h $q --json; done > $W/offline.json
$OLD/sharectl --db $W/db tiers --since 24h --json >> $W/offline.json
cmp $W/live.json $W/offline.json && echo SAME; wc -c $W/live.json; tail -3 $W/load.log
