#!/bin/sh
# ab2m.sh N: run2m (RATE, EVENTS) alternating A = /tmp/s67/rel5 (f29c63a-equivalent) and B = /tmp/s68/rel (merged applies)
for i in $(seq ${FIRST:-1} $1); do
  for side in A B; do
    if [ $side = A ]; then d=/tmp/s67/rel5/release/sharetrackd; else d=/tmp/s68/rel/release/sharetrackd; fi
    sh /tmp/s68/run2m.sh $d /tmp/s64/d/sharetrack.db 2m-$side-$i
    echo "$side$i $(grep -E 'per event, until' 2m-$side-$i/bench.txt | tr -s ' ') | $(grep -E 'caught up' 2m-$side-$i/bench.txt | tr -s ' ') | $(grep -E 'peak RSS' 2m-$side-$i/bench.txt | tr -s ' ') | $(grep wchar 2m-$side-$i/io.txt)"
  done
done
