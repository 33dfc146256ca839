#!/bin/sh
# thr3.sh DAEMON OUT MODE: make bench; per-thread CPU ticks (max seen) of the daemon, debug log in OUT.log
export REAL_DAEMON=$1 LOGTO=$PWD/$2.log
rm -f $2.log $2.samples
/tmp/s68/rel/release/sharetrack-bench --ack $3 --daemon $PWD/wrapdbg.sh > $2.bench 2>&1 &
b=$!
while kill -0 $b 2>/dev/null; do
  p=$(pgrep -n -x sharetrackd) && for t in /proc/$p/task/*; do
    echo "${t##*/} $(awk '{print $19, $14+$15}' $t/stat 2>/dev/null)"; done >> $2.samples 2>/dev/null
  sleep 0.2
done
awk 'NF==3 {if ($3 > m[$1]) m[$1] = $3; n[$1] = $2} END {for (t in m) print t, n[t], m[t]}' $2.samples | sort -k3 -n -r > $2.thr
