#!/bin/bash
# sweep-ab.sh RUNS CTL_A DB_A CTL_B DB_B OUT: every case of session 46's cases-sweep.txt (108
# shapes over all time, the same 108 over the last 24 hours), whole `sharectl --db` processes of
# A on DB_A and B on DB_B alternated (session 40's ab.py): the median ms of each, and whether
# every answer was the same.
here=$(dirname "$0")
mapfile -t cases < "$here/../../2026-12-05/store-2m-session46/cases-sweep.txt"
python3 "$here/../../2026-12-05/campaign-rows-session40/ab.py" "$1" "$2" "$3" "$4" "$5" "${cases[@]}" > "$6" 2>&1
