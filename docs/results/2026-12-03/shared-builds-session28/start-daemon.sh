# Sourced by migrate-run.sh and load-run.sh with BINDIR DB: a copy DB of the version-4 store
# `sharetrack` (its visitor key forgotten, so that the daemon's is taken), and a daemon of BINDIR
# (debug log in $W/log) that ships to it, started at $START; `stamp` prints a line with the
# seconds since.
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
