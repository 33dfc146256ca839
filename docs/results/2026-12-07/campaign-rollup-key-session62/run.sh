#!/bin/sh
# run.sh BINDIR OUT [RATE] [EVENTS]: sharetrackd from BINDIR on a copy of the 2M-share database,
# the bench's workload (seed 7) sent to it at RATE events/s; the bench's table into OUT.
set -e
BIN=$1; OUT=$2; RATE=${3:-100000}; EVENTS=${4:-2000000}
D=$(mktemp -d /tmp/s62/run.XXXXXX)
cp /tmp/s62/d/sharetrack.db "$D/"
"$BIN/sharetrackd" --database "$D/sharetrack.db" --ingest-socket "$D/ingest.sock" \
    --control-socket "$D/control.sock" --log-level warning --flush-interval 1 --ack commit \
    > "$D/daemon.log" 2>&1 &
PID=$!
while [ ! -S "$D/control.sock" ]; do sleep 0.1; done
"$BIN/sharetrack-bench" --socket "$D/ingest.sock" --control "$D/control.sock" --rate "$RATE" \
    --events "$EVENTS" --seed 7 --no-ceiling > "$OUT" 2>&1 || echo "bench failed: $?" >> "$OUT"
kill -TERM $PID; wait $PID || echo "daemon exit $?" >> "$OUT"
cat "$D/daemon.log" >> "$OUT"
rm -rf "$D"
