#!/bin/sh
# run.sh A_DAEMON B_DAEMON RUNS: the query bench (2M shares, ingest at 20,000 events/s) on one
# database, with the two daemons alternated, RUNS pairs; each run's table in A-N.txt and B-N.txt.
# DB: the database (built on the first run if missing; default /tmp/query-bench/sharetrack.db);
# BENCH: the sharetrack-bench to run (default .build/release/sharetrack-bench).
a=$1; b=$2; runs=${3:-2}; db=${DB:-/tmp/query-bench/sharetrack.db}; bench=${BENCH:-.build/release/sharetrack-bench}
for run in $(seq "$runs"); do
    for side in A B; do
        daemon=$a; [ "$side" = B ] && daemon=$b
        "$bench" --queries --query-database "$db" --rate 20000 --daemon "$daemon" > "$side-$run.txt" 2>/dev/null
    done
done
