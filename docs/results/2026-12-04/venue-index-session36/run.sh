#!/bin/bash
# run.sh LABEL BINDIR DB RUN: a copy of DB (2M shares) served by BINDIR's sharetrackd, 600,000 events
# of seed 7 sent at 20,000/s by sharetrack-bench, which waits for the tables to catch up; then the
# daemon's bytes written (/proc/PID/io write_bytes) and CPU seconds, per event.
set -e
label=$1; bin=$2; db=$3; run=$4
cd /tmp/s36/pages
rm -f run.db* ingest.sock control.sock
cp $db run.db
$bin/sharetrackd --config conf.yaml > daemon-$label-$run.log 2>&1 &
pid=$!
while [ ! -S control.sock ]; do sleep 0.2; done
read -r w0 < <(awk '/^write_bytes/ {print $2}' /proc/$pid/io)
c0=$(awk '{print $14 + $15}' /proc/$pid/stat)
/tmp/s36/release/release/sharetrack-bench --socket ingest.sock --control control.sock --events 600000 --rate 20000 \
    --seed 7 --no-ceiling --json > bench-$label-$run.json 2> bench-$label-$run.err
w1=$(awk '/^write_bytes/ {print $2}' /proc/$pid/io)
c1=$(awk '{print $14 + $15}' /proc/$pid/stat)
kill $pid; wait $pid || true
tick=$(getconf CLK_TCK)
python3 -c "
w=($w1-$w0); c=($c1-$c0)/$tick
print('$label-$run', 'MB written %.0f' % (w/1e6), 'KB/event %.2f' % (w/600000/1e3), 'CPU s %.1f' % c, 'us/event %.1f' % (c/600000*1e6))
" | tee -a pages.txt
