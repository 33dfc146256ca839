#!/bin/bash
# ranges-ab.sh RUNS CTL_A DB_A CTL_B DB_B OUT: answers over 3, 7 and 30 days (with and without a
# filter) and an advocate's over 1, 7 and 30 days, A and B alternated in whole `sharectl --db`
# processes (session 40's ab.py).
cases=()
for since in 3d 7d 30d; do
  cases+=("top --limit 20 --by clicks --since $since" "tiers --since $since" "top --limit 20 --by engagement --campaign campaign-3 --since $since"
          "top --limit 20 --by clicks --venue venue-03 --tier nano --since $since" "venues --network youtube --since $since")
done
for since in 24h 7d 30d; do cases+=("advocate adv-097602 --since $since"); done
python3 "$(dirname "$0")/../../2026-12-05/campaign-rows-session40/ab.py" "$1" "$2" "$3" "$4" "$5" "${cases[@]}" > "$6" 2>&1
