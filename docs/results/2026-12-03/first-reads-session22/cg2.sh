#!/bin/bash
# usage: cg2.sh LABEL... : instructions of cold `sharectl --db` answers per binary (callgrind), one at a time; output checked equal
cd /tmp/s22/cg
for q in ${QUERIES:-"top --by clicks --venue venue-03" "tiers --since 24h" "tiers" "top --by clicks" "top --by clicks --since 24h" "tiers --venue venue-03"}; do
  for b in "$@"; do
    valgrind --tool=callgrind --callgrind-out-file=/dev/null ./sharectl-$b --db ${DB:-/tmp/lead/2m-v8.db} $q > out-$b.txt 2> err-$b.txt
    echo "$b | $q | $(grep -o 'Collected : [0-9]*' err-$b.txt | grep -o '[0-9]*$') | $(md5sum < out-$b.txt | cut -c1-8)"
  done
done
