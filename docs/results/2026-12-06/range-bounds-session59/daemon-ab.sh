#!/bin/bash
# daemon-ab.sh DIR KEY OUT DAEMON_A CTL_A DAEMON_B CTL_B: a daemon of each side started in turn on
# the same copy of the 2M-share database (DIR/sharetrack.db, no ingest), each asked `top` over 3,
# 7 and 30 days five times in a row (whole `sharectl` processes over the control socket): the ms
# of each answer, the first over a range being the one that finds its groups too many to sum in
# memory. Two starts per side, alternated.
dir=$1 key=$2 out=$3; shift 3
: > "$out"
for round in 1 2; do
  for side in A B; do
    if [ $side = A ]; then daemon=$1 ctl=$2; else daemon=$3 ctl=$4; fi
    "$daemon" --database "$dir/sharetrack.db" --ingest-socket "$dir/i.sock" --control-socket "$dir/c.sock" \
      --visitor-key-file "$key" > "$dir/daemon.log" 2>&1 &
    pid=$!
    until [ -S "$dir/c.sock" ] && "$ctl" --socket "$dir/c.sock" status > /dev/null 2>&1; do sleep 0.2; done
    for args in "--by clicks --since 30d" "--by value --since 7d" "--by clicks --campaign campaign-3 --since 30d" "--by clicks --since 3d"; do
      times=()
      for i in 1 2 3 4 5; do
        s=$(date +%s%N); "$ctl" --socket "$dir/c.sock" top --limit 20 $args --json > /dev/null; e=$(date +%s%N)
        times+=($(( (e - s) / 1000000 )))
      done
      echo "round $round $side top $args: ${times[*]} ms" >> "$out"
    done
    kill -TERM $pid; wait $pid
  done
done
