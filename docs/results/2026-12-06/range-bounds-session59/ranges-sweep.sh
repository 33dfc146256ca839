#!/bin/bash
# ranges-sweep.sh RUNS CTL_A DB_A CTL_B DB_B OUT: `top` in four rankings (three additive, and
# engagement, which no rows bound) under seven filters over five ranges, A and B alternated in
# whole `sharectl --db` processes (session 40's ab.py): the median ms of each, and whether every
# answer was the same.
cases=()
for since in 24h 3d 7d 30d 60d; do
  for filter in "" "--venue venue-03" "--campaign campaign-3" "--network youtube" "--tier nano" \
                "--campaign campaign-2 --tier micro" "--venue venue-03 --network youtube"; do
    for by in clicks unique_clicks value engagement; do
      cases+=("top --limit 20 --by $by $filter --since $since")
    done
  done
done
python3 "$(dirname "$0")/../../2026-12-05/campaign-rows-session40/ab.py" "$1" "$2" "$3" "$4" "$5" "${cases[@]}" > "$6" 2>&1
