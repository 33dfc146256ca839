#!/bin/sh
# ab.sh MODE N: make bench's default workload in MODE (commit|receive), N pairs alternated:
# A = A_DAEMON, B = B_DAEMON, one bench binary (BENCH); outputs MODE-A-i.json/txt, MODE-B-i.txt
mode=$1; n=$2
for i in $(seq 1 "$n"); do
    for side in A B; do
        eval d=\$${side}_DAEMON
        "$BENCH" --ack "$mode" --daemon "$d" > "$mode-$side-$i.txt" 2>&1
    done
done
