#!/bin/bash
# Usage: migrate-run.sh BINDIR DB — a copy of the version-4 store `sharetrack` migrated by a daemon
# of BINDIR (no ingest), with `sharectl top` over the store timed every 5 s until its rollups are
# built (or, for a daemon that sums in the migration, once after it).
set -u
source "$(dirname "$0")/start-daemon.sh"
until grep -q "migrated its schema" $W/log; do sleep 0.2; done
stamp "$(grep 'migrated its schema' $W/log)"
top() { local t0=$(date +%s%N); $BIN/sharectl top --limit 20 --db "$URI" >/dev/null 2>$W/top.err; echo "top $(( ($(date +%s%N) - t0) / 1000000 )) ms"; }
for i in $(seq 1 200); do
  stamp "$(top)"
  grep -q "rollups=" $W/log || break
  grep -q "shared store: rollups built s=" $W/log && break
  sleep 5
done
stamp "$(top)"
kill -TERM $PID; wait $PID
grep -E "shared store: (building|rollups built)" $W/log
grep -c "built a step further" $W/log | sed 's/^/steps: /'
grep "built a step further" $W/log | sed 's/.*ms=\([0-9]*\).*rows=\([0-9]*\).*/\1 \2/' | sort -n | awk '{a[NR]=$1} END {if (NR) print "step ms: min " a[1] ", median " a[int((NR+1)/2)] ", max " a[NR]}'
cp $W/log /tmp/s28/log-$DB.txt
$PG -c "DROP DATABASE $DB"
