#!/bin/sh
R=/tmp/s70/xrel/x86_64-unknown-linux-gnu/release
W=/tmp/s70/ht/w; rm -rf $W; mkdir -p $W
echo "# flags only" > $W/c.yaml
heaptrack -o /tmp/s70/ht/ht2 $R/sharetrackd --config $W/c.yaml --database $W/st.db --ingest-socket $W/in.sock --control-socket $W/ctl.sock \
  --flush-interval 1 --ack commit --log-level warning > $W/log 2>&1 &
sleep 4
D=$(pgrep -f "sharetrackd --config $W")
echo daemon $D
$R/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock > bench2.txt 2>&1
sleep 5
grep -E "VmRSS|VmHWM" /proc/$D/status
kill -9 $D
sleep 10
