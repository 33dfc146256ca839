#!/bin/bash
# top answers that sum the filter's share groups per advocate (no rollup row or bound decides):
# sharectl A and B alternated on one database, RUNS times; medians in ms and whether the answers
# were the same.
A=${A:?sharectl A} B=${B:?sharectl B} DB=${DB:?database} RUNS=${RUNS:-5}
cases=("--by engagement --campaign campaign-3 --network youtube" "--by engagement --campaign campaign-2 --tier micro"
       "--by engagement --campaign campaign-2 --tier nano" "--by engagement --venue venue-03 --tier nano"
       "--by engagement --venue venue-03 --campaign campaign-2" "--by clicks --venue venue-03 --campaign campaign-2"
       "--by reach --venue venue-03 --campaign campaign-2 --network youtube" "--by engagement --venue venue-03 --network youtube"
       "--by engagement --network youtube --tier micro" "--by engagement --tier nano")
ms() { local s=$(date +%s%N); "$@" > /tmp/fallback.out 2>&1; echo $(( ($(date +%s%N)-s)/1000000 )); }
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for c in "${cases[@]}"; do
  ta=""; tb=""
  for i in $(seq "$RUNS"); do
    ta="$ta $(ms $A --db $DB top --limit 20 $c)"; cp /tmp/fallback.out /tmp/fallback.a
    tb="$tb $(ms $B --db $DB top --limit 20 $c)"; cp /tmp/fallback.out /tmp/fallback.b
  done
  same=$(cmp -s /tmp/fallback.a /tmp/fallback.b && echo same || echo DIFFERENT)
  printf "%6s %6s  %s  top %s\n" "$(echo $ta | median)" "$(echo $tb | median)" "$same" "$c"
done
