#!/bin/sh
# run3.sh DAEMON_DIR OUT [gdb script]: make bench commit against a daemon started here, then gdb on it.
R=$1; O=$2; mkdir -p $O
W=/tmp/s70/sm/w; rm -rf $W; mkdir -p $W
echo "# flags only" > $W/c.yaml
$R/sharetrackd --config $W/c.yaml --database $W/st.db --ingest-socket $W/in.sock --control-socket $W/ctl.sock \
  --flush-interval 1 --ack commit --log-level warning > $W/log 2>&1 &
D=$!
sleep 2
$R/sharectl status --socket $W/ctl.sock > /dev/null
cat /proc/$D/smaps > $O/before.smaps
$R/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock > $O/bench.txt 2>&1
cat /proc/$D/smaps > $O/after.smaps
gdb -p $D -batch -x $3 > $O/gdb.txt 2>&1
kill $D; wait $D
