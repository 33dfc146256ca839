#!/bin/bash
# B (this session) then A (session 43) query bench, live at 20,000 events/s, on session 43's database.
for side in B A B A; do
  bin=$([ $side = B ] && echo /tmp/s44/rel/release || echo /tmp/s43/rel/release)
  n=$(ls live-$side-*.txt 2>/dev/null | wc -l); n=$((n+1))
  TMPDIR=/tmp/s44/t $bin/sharetrack-bench --queries --query-database /tmp/s43/q.sqlite --rate 20000 --query-runs 20 > live-$side-$n.txt 2> live-$side-$n.err
done
