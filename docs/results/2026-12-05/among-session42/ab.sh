#!/bin/bash
# top at a place with a network or a tier, every additive ranking (or those in BYS): sharectl A and
# B alternated on one database (whole `sharectl --db` processes), RUNS times; prints each side's
# median ms and whether the answers were the same.
A=${A:?sharectl A} B=${B:?sharectl B} DB=${DB:?database} RUNS=${RUNS:-5}
BYS=${BYS:-clicks unique_clicks shares reach conversions value}
filters=("--venue venue-03 --network youtube" "--venue venue-03 --tier nano" "--venue venue-07 --network instagram --tier micro"
         "--campaign campaign-3 --network youtube" "--campaign campaign-2 --tier micro" "--campaign campaign-2 --tier nano"
         "--campaign campaign-3 --network youtube --tier mid" "--campaign campaign-1 --network tiktok --tier nano")
ms() { local s=$(date +%s%N); "$@" > /tmp/among.out 2>&1; echo $(( ($(date +%s%N)-s)/1000000 )); }
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for f in "${filters[@]}"; do
  for by in $BYS; do
    ta=""; tb=""
    for i in $(seq "$RUNS"); do
      ta="$ta $(ms $A --db $DB top --limit 20 --by $by $f)"; cp /tmp/among.out /tmp/among.a
      tb="$tb $(ms $B --db $DB top --limit 20 --by $by $f)"; cp /tmp/among.out /tmp/among.b
    done
    same=$(cmp -s /tmp/among.a /tmp/among.b && echo same || echo DIFFERENT)
    printf "%6s %6s  %s  top --by %s %s\n" "$(echo $ta | median)" "$(echo $tb | median)" "$same" "$by" "$f"
  done
done
