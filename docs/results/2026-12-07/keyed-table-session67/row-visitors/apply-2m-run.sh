#!/bin/sh
# run.sh DAEMON DB TAG: DAEMON on a copy of DB, ingest at RATE events/s for EVENTS; bench output in TAG/bench.txt
d=$1; db=$2; w=$PWD/$3; rate=${RATE:-50000}; events=${EVENTS:-2000000}
bench=/tmp/s67/rel/release/sharetrack-bench
rm -rf "$w"; mkdir -p "$w"; cp "$db" "$w/q.db"
"$d" --database "$w/q.db" --ingest-socket "$w/in.sock" --control-socket "$w/ctl.sock" --log-level warning > "$w/daemon.log" 2>&1 &
pid=$!; while [ ! -S "$w/ctl.sock" ]; do sleep 0.2; done; sleep 3
"$bench" --socket "$w/in.sock" --control "$w/ctl.sock" --rate "$rate" --events "$events" --seed 7 --no-ceiling > "$w/bench.txt" 2> "$w/bench.err"
cat /proc/$pid/io > "$w/io.txt"; kill $pid; wait $pid
rm -f "$w/q.db"*
