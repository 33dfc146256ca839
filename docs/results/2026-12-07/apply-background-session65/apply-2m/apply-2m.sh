#!/bin/sh
# apply-2m.sh DAEMON TAG: DAEMON on a copy of DB (the query bench's 2M-share database), ingest at
# RATE (50,000) events/s for EVENTS (2,000,000) from BENCH, and 20 s of `perf record -t` on its
# threads at nice 10 (the apply's, `Flusher.applyQueue`) 8 s into the ingest. Output in ./TAG.
d=$1; tag=$2; rate=${RATE:-50000}; events=${EVENTS:-2000000}; w=$PWD/$tag
db=${DB:-/tmp/query-bench/sharetrack.db}; bench=${BENCH:-.build/release/sharetrack-bench}
rm -rf "$w"; mkdir -p "$w"; cp "$db" "$w/q.db"
"$d" --database "$w/q.db" --ingest-socket "$w/in.sock" --control-socket "$w/ctl.sock" \
    --log-level warning > "$w/daemon.log" 2>&1 &
pid=$!; sleep 5
"$bench" --socket "$w/in.sock" --control "$w/ctl.sock" --rate "$rate" --events "$events" \
    --seed 7 --no-ceiling > "$w/bench.txt" 2> "$w/bench.err" &
load=$!; sleep 8
tids=$(for t in /proc/$pid/task/*; do [ "$(awk '{print $19}' "$t/stat")" = 10 ] && basename "$t"; done | paste -sd,)
echo "apply tids: $tids" > "$w/tids.txt"
perf record -e cpu-clock -g -t "$tids" -o "$w/perf.data" -- sleep 20 > /dev/null 2>&1
wait $load
kill $pid; wait $pid
