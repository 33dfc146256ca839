#!/bin/sh
# trace.sh DAEMON DB TAG: like run.sh, with strace of pwrite64 on the daemon; keeps q.db for dbstat
d=$1; db=$2; w=$PWD/$3; rate=${RATE:-20000}; events=${EVENTS:-400000}
bench=/tmp/s64/rel/release/sharetrack-bench
rm -rf "$w"; mkdir -p "$w"; cp "$db" "$w/q.db"
"$d" --database "$w/q.db" --ingest-socket "$w/in.sock" --control-socket "$w/ctl.sock" --log-level warning > "$w/daemon.log" 2>&1 &
pid=$!; while [ ! -S "$w/ctl.sock" ]; do sleep 0.2; done; sleep 3
ls -l /proc/$pid/fd > "$w/fds.txt"
strace -f -e trace=pwrite64 -e signal=none -p $pid -o "$w/strace.txt" &
st=$!; sleep 1
"$bench" --socket "$w/in.sock" --control "$w/ctl.sock" --rate "$rate" --events "$events" --seed 7 --no-ceiling > "$w/bench.txt" 2> "$w/bench.err"
kill $st; sleep 1; kill $pid; wait $pid
