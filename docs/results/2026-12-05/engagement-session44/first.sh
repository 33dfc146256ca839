#!/bin/bash
# A daemon started on a fresh copy of DB, no ingest: the time of its first answers to CMD (whole
# sharectl processes), then of three more. Each side of SIDES in turn, RUNS times.
DB=${DB:?} RUNS=${RUNS:-3}
CMD=${CMD:-top --by engagement --campaign campaign-2 --tier nano}
for run in $(seq "$RUNS"); do
  for side in $SIDES; do
    dir=$(mktemp -d /tmp/s44/first.XXXX); cp "$DB" $dir/db.sqlite; echo "# flags only" > $dir/c.yaml
    $side/sharetrackd --config $dir/c.yaml --database $dir/db.sqlite --ingest-socket $dir/in.sock --control-socket $dir/ctl.sock > $dir/log 2>&1 &
    pid=$!
    until grep -q ready $dir/log 2>/dev/null; do sleep 0.2; done
    sleep 8  # the start's prepared answers
    times=""
    for i in 1 2 3 4; do s=$(date +%s%N); $side/sharectl --socket $dir/ctl.sock $CMD > /dev/null; times="$times $(( ($(date +%s%N)-s)/1000000 ))"; done
    echo "$side:$times"
    kill $pid; wait $pid 2>/dev/null; rm -rf $dir
  done
done
