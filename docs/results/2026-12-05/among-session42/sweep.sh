#!/bin/bash
# Times every query shape once offline at 2M (whole sharectl processes); prints ms and the command.
S=${S:?the sharectl to time}
DB=${DB:?the database}
filters=("" "--venue venue-03" "--campaign campaign-3" "--network youtube" "--tier micro" "--venue venue-03 --network youtube" "--venue venue-03 --tier nano" "--campaign campaign-3 --network youtube" "--campaign campaign-2 --tier micro" "--venue venue-03 --campaign campaign-3" "--venue venue-03 --campaign campaign-3 --network youtube" "--network youtube --tier micro")
t() { local s=$(date +%s%N); $S --db $DB "$@" >/dev/null 2>&1 || echo "FAIL $*"; echo "$(( ($(date +%s%N)-s)/1000000 )) $*"; }
for range in "" "--since 24h"; do
  for f in "${filters[@]}"; do
    for by in clicks unique_clicks shares reach engagement conversions value; do t top --limit 20 --by $by $f $range; done
    t tiers $f $range
    t venues $f $range
  done
done
