#!/bin/bash
# Session 42's bench (`ef5a32a`: its live advocates drift to other tiers and networks) against two
# daemons, alternated: D (additive rankings fall back to the place's rows) and C (`ddaf4dd`'s code
# but for that: built at /tmp/s44/rel-ddaf).
for side in D C D C; do
  daemon=$([ $side = D ] && echo /tmp/s44/rel/release/sharetrackd || echo /tmp/s44/rel-ddaf/release/sharetrackd)
  n=$(ls live3-$side-*.txt 2>/dev/null | wc -l); n=$((n+1))
  TMPDIR=/tmp/s44/t /tmp/s42/rel-new/release/sharetrack-bench --queries --query-database /tmp/s43/q.sqlite --rate 20000 --query-runs 20 --daemon $daemon > live3-$side-$n.txt 2> live3-$side-$n.err
done
