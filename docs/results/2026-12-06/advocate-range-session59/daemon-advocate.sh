#!/bin/bash
# daemon-advocate.sh DIR KEY OUT DAEMON_A CTL_A DAEMON_B CTL_B: a daemon of each side started in
# turn on one copy of the 2M-share database (no ingest), asked `advocate adv-000001` over 24
# hours, 7 and 30 days three times each (whole `sharectl` processes): ms of each answer.
dir=$1 key=$2 out=$3; shift 3
: > "$out"
for side in A B; do
  if [ $side = A ]; then daemon=$1 ctl=$2; else daemon=$3 ctl=$4; fi
  "$daemon" --database "$dir/sharetrack.db" --ingest-socket "$dir/i.sock" --control-socket "$dir/c.sock" \
    --visitor-key-file "$key" > "$dir/daemon.log" 2>&1 &
  pid=$!
  until [ -S "$dir/c.sock" ] && "$ctl" --socket "$dir/c.sock" status > /dev/null 2>&1; do sleep 0.2; done
  for since in 24h 7d 30d; do
    times=()
    for i in 1 2 3; do
      s=$(date +%s%N); "$ctl" --socket "$dir/c.sock" advocate adv-000001 --since $since --json > /dev/null; e=$(date +%s%N)
      times+=($(( (e - s) / 1000000 )))
    done
    echo "$side advocate adv-000001 --since $since: ${times[*]} ms" >> "$out"
  done
  kill -TERM $pid; wait $pid
done
