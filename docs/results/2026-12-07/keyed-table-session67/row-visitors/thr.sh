#!/bin/sh
# thr.sh DAEMON OUT: make bench (receive) with its own daemon; the daemon's threads' CPU (ticks of
# 10 ms, utime+stime) and nice, as last seen every 0.2 s before it exited, into OUT
D=$1; O=$2
/tmp/s67/rel/release/sharetrack-bench --ack receive --daemon $D > $O.bench 2>&1 &
b=$!
while kill -0 $b 2>/dev/null; do
  p=$(pgrep -n sharetrackd) && for t in /proc/$p/task/*; do
    awk '{print FILENAME, $19, $14+$15}' $t/stat 2>/dev/null; done > $O.new 2>/dev/null && [ -s $O.new ] && mv $O.new $O
  sleep 0.2
done
