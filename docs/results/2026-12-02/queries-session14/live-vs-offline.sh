#!/bin/bash
# usage: live-vs-offline.sh NEW OLD WORKDIR
# The new binary's live answers (kept sums of two venues and of 24 h, and every advocate's totals,
# advanced under ingest while they are asked) against the old binary's offline SQL answers on the
# same database afterwards.
NEW=$1; OLD=$2; W=$3
mkdir -p $W && rm -rf $W/* && cp /tmp/lead/2m-v8.db $W/db
$NEW/sharetrackd --database $W/db --ingest-socket $W/in.sock --control-socket $W/ctl.sock --config /dev/null > $W/log 2>&1 &
D=$!
while [ ! -S $W/ctl.sock ]; do sleep 0.5; done; sleep 1
$NEW/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock --rate 20000 --events 400000 --seed 12 --days 1 > $W/load.log 2>&1 &
B=$!
QUERIES=("--by clicks --venue venue-16" "--by engagement --venue venue-16" "--by value --venue venue-03 --network tiktok"
         "--by reach --since 24h" "--by engagement" "--by conversions --limit 300")
for i in $(seq 1 40); do
  for q in "${QUERIES[@]}"; do $NEW/sharectl --socket $W/ctl.sock top $q --json > /dev/null; done
  sleep 0.3
done
wait $B
sleep 1
for q in "${QUERIES[@]}"; do $NEW/sharectl --socket $W/ctl.sock top $q --json; done > $W/live.json
kill $D; wait $D
for q in "${QUERIES[@]}"; do $OLD/sharectl --db $W/db top $q --json; done > $W/offline.json
cmp $W/live.json $W/offline.json && echo SAME; wc -c $W/live.json; tail -3 $W/load.log
