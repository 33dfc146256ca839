#!/bin/bash
cd /work/main/docs/results/2026-12-02
for r in 1 2; do for b in ${SIDES:-A B}; do
  DB=/tmp/lead/2m-v8.db bash growth-session18/query-run.sh /tmp/s23/bin-$b /tmp/s23/qb4/q-$b-$r 20000
done; done
echo finished > /tmp/s23/qb4/done
