#!/bin/bash
# Usage: load-run.sh BINDIR DB — a daemon of BINDIR (debug log) migrates a copy of the version-4
# store `sharetrack` while the bench sends it 2,000,000 events at 20,000/s; every 5 s: the age of
# the oldest batch not shipped yet (`status`) and the time of `sharectl top --limit 20` over the store,
# during the load and after it until the rollups are built.
set -u
source "$(dirname "$0")/start-daemon.sh"
until [ -S $W/ctl.sock ]; do sleep 0.1; done
$BIN/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock --events 2000000 --rate 20000 --no-ceiling \
  >$W/bench.txt 2>&1 &
BENCH=$!
probe() {
  local t0=$(date +%s%N)
  $BIN/sharectl top --limit 20 --db "$URI" >/dev/null 2>>$W/top.err
  local top=$(( ($(date +%s%N) - t0) / 1000000 ))
  local lag=$($BIN/sharectl status --json --socket $W/ctl.sock | python3 -c 'import json,sys; s=json.load(sys.stdin)["shared_store"]; print(s["oldest_backlog_seconds"], s["state"])')
  stamp "top ${top} ms, oldest batch not shipped ${lag}"
}
while kill -0 $BENCH 2>/dev/null; do probe; sleep 5; done
stamp "load over"
# Then until the rollups are built (a daemon that builds them in steps), at most 5 minutes more.
for i in $(seq 1 60); do
  grep -q "rollups=" $W/log && ! grep -q "shared store: rollups built s=" $W/log || break
  probe; sleep 5
done
probe
kill -TERM $PID; wait $PID
grep -E "shared store: (migrat|created|building|rollups built s=)" $W/log
grep "built a step further" $W/log | sed 's/.*ms=\([0-9]*\).*/\1/' | sort -n | awk '{a[NR]=$1} END {if (NR) print "steps " NR ", ms: min " a[1] ", median " a[int((NR+1)/2)] ", max " a[NR]}'
grep -E "throughput|answer latency p99 |shared store caught|tables caught" $W/bench.txt
cp $W/log /tmp/s28/load-log-$DB.txt; cp $W/bench.txt /tmp/s28/load-bench-$DB.txt
$PG -c "DROP DATABASE $DB"; rm -rf $W
