#!/bin/bash
# sharectl A and B alternated on one database (whole `sharectl --db` processes), RUNS times; prints
# each side's median ms, whether the answers were the same, and the command. The commands: one per
# line of the file COMMANDS if given, else `top` at a place with a network or a tier (the filters
# below), every additive ranking (or those in BYS).
A=${A:?sharectl A} B=${B:?sharectl B} DB=${DB:?database} RUNS=${RUNS:-5}
if [ -n "$COMMANDS" ]; then
  mapfile -t commands < "$COMMANDS"
else
  BYS=${BYS:-clicks unique_clicks shares reach conversions value}
  filters=("--venue venue-03 --network youtube" "--venue venue-03 --tier nano" "--venue venue-07 --network instagram --tier micro"
           "--campaign campaign-3 --network youtube" "--campaign campaign-2 --tier micro" "--campaign campaign-2 --tier nano"
           "--campaign campaign-3 --network youtube --tier mid" "--campaign campaign-1 --network tiktok --tier nano")
  commands=()
  for f in "${filters[@]}"; do for by in $BYS; do commands+=("top --limit 20 --by $by $f"); done; done
fi
ms() { local s=$(date +%s%N); "$@" > /tmp/ab.out 2>&1; echo $(( ($(date +%s%N)-s)/1000000 )); }
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for c in "${commands[@]}"; do
  ta=""; tb=""
  for i in $(seq "$RUNS"); do
    ta="$ta $(ms $A --db $DB $c)"; cp /tmp/ab.out /tmp/ab.a
    tb="$tb $(ms $B --db $DB $c)"; cp /tmp/ab.out /tmp/ab.b
  done
  same=$(cmp -s /tmp/ab.a /tmp/ab.b && echo same || echo DIFFERENT)
  printf "%6s %6s  %s  %s\n" "$(echo $ta | median)" "$(echo $tb | median)" "$same" "$c"
done
