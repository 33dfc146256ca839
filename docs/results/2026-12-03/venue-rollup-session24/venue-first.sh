#!/bin/bash
# usage: venue-first.sh ROUNDS OUT  (sides in $SIDES, default "B N": /tmp/s24/bin-<side>, on the
# database $DB_<side>)
# The first `top --by clicks --venue venue-03` after `top` was asked 3 times, then two more answers
# to it, the bench ingesting at 20,000 events/s (../../2026-12-02/queries-session15/perf-ask.sh),
# the sides alternated round by round. Each line: side, the three answers' times in ms.
HERE=$(cd "$(dirname "$0")" && pwd)
VENUE='{"command":"top","query":{"by":"clicks","limit":20,"filter":{"venue":"venue-03"}}}'
for round in $(seq 1 $1); do for side in ${SIDES:-B N}; do
  db=DB_$side
  times=$(DB=${!db} WARMUP=3 WARM_REQUEST='{"command":"top"}' WORK=/tmp/venue-first \
    bash $HERE/../../2026-12-02/queries-session15/perf-ask.sh /tmp/s24/bin-$side "$VENUE" 3 2>&1 >/dev/null | tail -1)
  echo "$side $round $times" | tee -a $2
done; done
