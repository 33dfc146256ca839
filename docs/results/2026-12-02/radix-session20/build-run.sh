#!/bin/bash
# usage: build-run.sh BIN_A BIN_B OUT [RUNS] [SHARES]: the query bench's database build (batches applied
# straight through Store, no daemon) of SHARES shares (default 200,000), A and B alternated; prints
# each "built in" line (wall and CPU seconds).
A=$1; B=$2; OUT=$3; RUNS=${4:-3}; SHARES=${5:-200000}; mkdir -p $OUT
for r in $(seq $RUNS); do
  for side in a b; do
    bin=$A; [ $side = b ] && bin=$B
    W=$(mktemp -d)
    $bin/sharetrack-bench --queries --query-shares $SHARES --query-database $W/db --query-runs 1 --ingest-seconds 5 > $OUT/$side-$r.txt 2>&1 &
    P=$!
    until grep -q "built in" $OUT/$side-$r.txt; do sleep 0.5; done
    kill $P; wait $P 2>/dev/null; rm -rf $W
    echo "$side-$r $(grep 'built in' $OUT/$side-$r.txt)"
  done
done
