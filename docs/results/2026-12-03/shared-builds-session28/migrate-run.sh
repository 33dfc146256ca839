#!/bin/bash
# Usage: migrate-run.sh BINDIR DB — a copy of the version-4 store `sharetrack` migrated by a daemon
# of BINDIR (no ingest), with `sharectl top` over the store timed every 5 s until its rollups are
# built (or, for a daemon that sums in the migration, once after it).
set -u
BIN=$1; DB=$2
PG="psql -q -h /tmp/s27/pg -U postgres"
URI="postgresql:///$DB?host=/tmp/s27/pg&user=postgres"
$PG -c "CREATE DATABASE $DB TEMPLATE sharetrack" && $PG $DB -c "DELETE FROM meta WHERE key = 'visitor_key'; CHECKPOINT"
W=/tmp/s28/run-$DB; rm -rf $W; mkdir -p $W
echo "== $DB ($BIN) $(date -u +%T)"
START=$(date +%s.%N)
$BIN/sharetrackd --database $W/st.db --ingest-socket $W/in.sock --control-socket $W/ctl.sock \
  --shared-store "host=/tmp/s27/pg user=postgres dbname=$DB" --node mig --log-level debug >$W/log 2>&1 &
PID=$!
stamp() { echo "$(printf '%6.1f' $(echo "$(date +%s.%N) - $START" | bc)) s: $*"; }
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
