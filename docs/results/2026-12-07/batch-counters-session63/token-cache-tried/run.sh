#!/bin/bash
# make bench's workload, A (93c9b33) and B (the batch's counters in an OrderedDictionary) alternated.
cd /tmp/s63/gc
for mode in receive commit; do
  for i in 1 2 3; do
    for side in a b; do
      bin=$([ $side = a ] && echo /tmp/s63/orel/release || echo /tmp/s63/rel/release)
      /tmp/s63/rel/release/sharetrack-bench --ack $mode --no-ceiling --daemon $bin/sharetrackd --json > $mode-$side$i.json 2> /dev/null
    done
  done
done
