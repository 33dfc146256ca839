#!/bin/bash
# Before and after alternated: two rounds of 1, 2 and 4 nodes, 400,000 events each.
cd "$(dirname "$0")"
for r in 1 2; do for n in 1 2 4; do for l in before after; do
  ./run-shipping.sh $l-r$r /tmp/pgf-$l $n 400000 . > /dev/null 2>&1
done; done; done
echo series done
