#!/bin/bash
# daemon-ab.sh DIR KEY OUT DAEMON_A CTL_A DAEMON_B CTL_B [ROUNDS REPEATS COMMAND...]: a daemon of
# each side started in turn on the same copy of the 2M-share database (DIR/sharetrack.db, no
# ingest), ROUNDS starts per side alternated, each asked every COMMAND (a `sharectl` command line)
# REPEATS times in a row in whole `sharectl` processes over the control socket: the ms of each
# answer. By default 2 rounds of 5 `top` answers over 3, 7 and 30 days, the first over a range
# being the one that finds its groups too many to sum in memory.
dir=$1 key=$2 out=$3 daemons=("$4" "$6") ctls=("$5" "$7"); shift 7
rounds=${1:-2} repeats=${2:-5}; shift 2
commands=("$@")
[ ${#commands[@]} -gt 0 ] || commands=("top --limit 20 --by clicks --since 30d" "top --limit 20 --by value --since 7d"
                                      "top --limit 20 --by clicks --campaign campaign-3 --since 30d" "top --limit 20 --by clicks --since 3d")
: > "$out"
for round in $(seq 1 "$rounds"); do
  for side in 0 1; do
    ctl=${ctls[$side]}
    "${daemons[$side]}" --database "$dir/sharetrack.db" --ingest-socket "$dir/i.sock" --control-socket "$dir/c.sock" \
      --visitor-key-file "$key" > "$dir/daemon.log" 2>&1 &
    pid=$!
    until [ -S "$dir/c.sock" ] && "$ctl" --socket "$dir/c.sock" status > /dev/null 2>&1; do sleep 0.2; done
    for command in "${commands[@]}"; do
      times=()
      for i in $(seq 1 "$repeats"); do
        s=$(date +%s%N); "$ctl" --socket "$dir/c.sock" $command --json > /dev/null; e=$(date +%s%N)
        times+=($(( (e - s) / 1000000 )))
      done
      echo "round $round $(printf 'AB' | cut -c$((side + 1))) $command: ${times[*]} ms" >> "$out"
    done
    kill -TERM $pid; wait $pid
  done
done
