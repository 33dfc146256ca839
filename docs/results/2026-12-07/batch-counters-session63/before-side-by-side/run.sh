#!/bin/bash
# make bench's workload: the before of issue 13 (fa5a66d) and this session's daemon (becee29), alternated.
cd /tmp/s63/bf
for mode in receive commit; do
  for i in 1 2 3; do
    for side in before after; do
      bin=$([ $side = before ] && echo /tmp/s63/brel/release || echo /tmp/s63/orel/release)
      /tmp/s63/rel/release/sharetrack-bench --ack $mode --no-ceiling --daemon $bin/sharetrackd --json > $mode-$side$i.json 2> /dev/null
    done
  done
done
