#!/bin/bash
# receive mode again, 4 runs a side alternated (A becee29, B the token cache's generations in OrderedDictionaries).
cd /tmp/s63/gc
for i in 4 5 6 7; do
  for side in a b; do
    bin=$([ $side = a ] && echo /tmp/s63/orel/release || echo /tmp/s63/rel/release)
    /tmp/s63/rel/release/sharetrack-bench --ack receive --no-ceiling --daemon $bin/sharetrackd --json > receive-$side$i.json 2> /dev/null
  done
done
