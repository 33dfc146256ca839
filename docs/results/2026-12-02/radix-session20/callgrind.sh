#!/bin/bash
# usage: callgrind.sh OUT BIN...: the instructions of Store.apply (valgrind --tool=callgrind, collecting
# only inside it) while the query bench builds a database of $SHARES shares (default 20,000), per binary.
OUT=$1; shift; mkdir -p $OUT
for bin in "$@"; do
  name=$(basename $bin); W=$(mktemp -d)
  valgrind --tool=callgrind --callgrind-out-file=$OUT/$name.%p.out \
    --toggle-collect='$s15ShareTrackStore0C0C5applyySaySiGSay0aB4Core5BatchVGKF' \
    $bin/sharetrack-bench --queries --query-shares ${SHARES:-20000} --query-database $W/db --query-runs 1 --ingest-seconds 5 > $OUT/$name.txt 2>&1 &
  P=$!
  until grep -q "built in" $OUT/$name.txt; do sleep 1; done
  callgrind_control -d $P > /dev/null; sleep 2; kill $P; wait $P 2>/dev/null; pkill -f "$W" ; rm -rf $W
  echo "$name $(grep -h '^summary:\|^totals:' $OUT/$name.*.out* | awk '{print $2}' | sort -n | tail -1) instructions in Store.apply; $(grep 'built in' $OUT/$name.txt)"
done
