#!/bin/bash
# sweep-ab.sh RUNS CTL_A CTL_B DB OUT: every case of cases-sweep.txt (next to this script), whole
# `sharectl --db` processes of A and B alternated (campaign-rows-session40/ab.py): median ms of each.
here=$(dirname "$0")
mapfile -t cases < "$here/cases-sweep.txt"
python3 "$here/../../2026-12-05/campaign-rows-session40/ab.py" "$1" "$2" "$4" "$3" "$4" "${cases[@]}" > "$5" 2>&1
