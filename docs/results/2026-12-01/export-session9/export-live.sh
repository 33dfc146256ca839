#!/bin/bash
# usage: export-live.sh BINDIR LABEL RUNS  (a copy of 2m-v8.db, the daemon of BINDIR idle, `sharectl export` over its control socket to /dev/null)
BIN=$1; L=$2; RUNS=$3
rm -rf /tmp/lead/el && mkdir /tmp/lead/el && cp /tmp/lead/2m-v8.db /tmp/lead/el/db
$BIN/sharetrackd --database /tmp/lead/el/db --ingest-socket /tmp/lead/el/in.sock --control-socket /tmp/lead/el/ctl.sock --config /tmp/sig/none.yaml > /tmp/lead/el/log 2>&1 &
D=$!
sleep 3
for i in $(seq $RUNS); do
  /usr/bin/time -f "$L live run$i csv %e s wall (sharectl %U user %S sys) load=$(cut -d' ' -f1 /proc/loadavg)" $BIN/sharectl export --socket /tmp/lead/el/ctl.sock --format csv > /dev/null
done
kill $D; wait $D
