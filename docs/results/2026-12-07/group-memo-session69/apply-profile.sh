#!/bin/sh
# profc.sh OUT DAEMON: make bench commit; perf -a (dwarf) over the whole run, the daemon's pid saved
/tmp/s68/rel/release/sharetrack-bench --ack commit --daemon $2 > $1.bench 2>&1 &
b=$!
until p=$(pgrep -x sharetrackd); do sleep 0.05; done
echo $p > $1.pid
perf record -a -e cpu-clock -F 499 --call-graph dwarf,16384 -o $1.data -- sh -c "while kill -0 $b 2>/dev/null; do sleep 0.2; done" > $1.perf.log 2>&1
