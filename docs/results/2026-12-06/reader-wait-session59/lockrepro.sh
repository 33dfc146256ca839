#!/bin/sh
# lockrepro.sh SHARECTL DB: 40 rounds of 4 `sharectl top --db DB` started at once on a stopped
# daemon's database (an outside audit's script, session 59): how many answered "database is locked".
ctl=$1 db=$2 err=$(mktemp)
for i in $(seq 1 40); do
  for j in 1 2 3 4; do "$ctl" top --json --by clicks --db "$db" > /dev/null 2>> "$err" & done; wait
done
grep -c "locked" "$err"; rm -f "$err"
