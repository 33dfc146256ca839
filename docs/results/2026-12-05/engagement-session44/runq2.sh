#!/bin/bash
# C (the start counting advocate groups) then B (4e870d1), twice, as runq.sh.
for side in C B C B; do
  bin=$([ $side = C ] && echo /tmp/s44/rel/release || echo /tmp/s44/rel-4e8/release)
  n=$(ls live2-$side-*.txt 2>/dev/null | wc -l); n=$((n+1))
  TMPDIR=/tmp/s44/t $bin/sharetrack-bench --queries --query-database /tmp/s43/q.sqlite --rate 20000 --query-runs 20 > live2-$side-$n.txt 2> live2-$side-$n.err
done
