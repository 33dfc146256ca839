#!/bin/bash
# Query bench A/B on the kept 2M-share database: A = main (93c9b33), B = the working tree.
cd /tmp/s63
for i in 1 2; do
  for side in a b; do
    bin=$([ $side = a ] && echo /tmp/s63/irel/release || echo /tmp/s63/rel/release)
    /tmp/s63/rel/release/sharetrack-bench --queries --query-database /tmp/s63/d/sharetrack.db --rate 20000 --daemon $bin/sharetrackd > q2/$side$i.txt 2>&1
  done
done
