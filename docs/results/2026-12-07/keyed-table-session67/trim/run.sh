#!/bin/sh
# run.sh DAEMON TAG
export REAL_DAEMON=$1
/tmp/s67/rel/release/sharetrack-bench --ack receive --daemon /tmp/s67/ms/wrap.sh --keep > $2.bench 2>&1
d=$(grep -o "/tmp/sharetrack-bench-[A-Za-z0-9]*" $2.bench | head -1)
grep -h "memory per known share (RSS" $2.bench | tr -s ' ' | cut -d' ' -f7
cp $d/sharetrackd.log $2.log; rm -rf $d
