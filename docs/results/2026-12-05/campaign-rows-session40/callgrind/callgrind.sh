#!/bin/bash
# callgrind of one daemon (BIN) taking EVENTS events of make bench's workload at a paced rate.
BIN=${1:?bin dir}; OUT=${2:?out}; EVENTS=${EVENTS:-200000}
D=$(mktemp -d /tmp/s40/cg/run.XXXX)
head -c 32 /dev/urandom > $D/key; chmod 600 $D/key
valgrind --tool=callgrind --callgrind-out-file=$OUT $BIN/sharetrackd --database $D/db.sqlite \
  --ingest-socket $D/in.sock --control-socket $D/ctl.sock --visitor-key-file $D/key --flush-interval 1 > $D/log 2>&1 &
V=$!
for i in $(seq 200); do [ -S $D/ctl.sock ] && break; sleep 0.5; done
$BIN/sharetrack-bench --socket $D/in.sock --control $D/ctl.sock --events $EVENTS --rate 10000 --no-ceiling > $D/bench.txt 2>&1
sleep 5
kill -TERM $V; wait $V
grep -E "throughput" $D/bench.txt | head -2
