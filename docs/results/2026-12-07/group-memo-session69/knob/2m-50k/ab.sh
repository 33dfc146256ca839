#!/bin/sh
# ab.sh N: run2m (RATE, EVENTS) alternating A (group memo 40,000) and B (none), same build
for i in $(seq 1 $1); do
  for side in A B; do
    if [ $side = A ]; then g=40000; else g=2; fi
    GROUPMEMO=$g sh /tmp/s68/run2m.sh /tmp/s69/rel/release/sharetrackd /tmp/s64/d/sharetrack.db 2m-$side-$i
    echo "$side$i $(grep -E 'per event, until' 2m-$side-$i/bench.txt | tr -s ' ') | $(grep -E 'caught up' 2m-$side-$i/bench.txt | tr -s ' ') | $(grep -E 'peak RSS' 2m-$side-$i/bench.txt | tr -s ' ') | $(grep wchar 2m-$side-$i/io.txt)"
  done
done
