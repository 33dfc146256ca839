#!/bin/bash
# usage: run.sh BIN_A BIN_B OUT [RUNS]: make bench's default workload against a daemon at log_level
# debug, A and B alternated; each run's "applied" lines (rows, ms) and the bench's JSON in OUT.
A=$1; B=$2; OUT=$3; RUNS=${4:-3}; mkdir -p $OUT
for r in $(seq $RUNS); do
  for side in a b; do
    bin=$A; [ $side = b ] && bin=$B
    W=$(mktemp -d); printf 'log_level: debug\n' > $W/conf.yaml
    $bin/sharetrackd --database $W/db --ingest-socket $W/in.sock --control-socket $W/ctl.sock --config $W/conf.yaml > $W/log 2>&1 &
    D=$!; sleep 1
    $bin/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock --json > $OUT/$side-$r.json 2> /dev/null
    sleep 15; kill $D; wait $D
    grep '"applied"\|applied' $W/log > $OUT/$side-$r.applied; rm -rf $W
  done
done
