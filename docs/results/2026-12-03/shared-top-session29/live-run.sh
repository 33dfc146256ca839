# live-run.sh DB NEW [RATE]: a daemon of NEW (bin-D, then bin-E) ships to DB (a copy of the store)
# while sharetrack-bench sends RATE (20,000) events/s to it; meanwhile top-run.sh times the
# questions with the build before (bin-B) and NEW, 5 runs each, taking turns.
DB=$1; NEW=$2; RATE=${3:-20000}; W=/tmp/s29/live-$DB; rm -rf $W; mkdir -p $W
/tmp/s29/$NEW/sharetrackd --database $W/st.db --ingest-socket $W/in.sock --control-socket $W/ctl.sock \
  --visitor-key-file /tmp/sharetrack-bench-visitor.key --shared-store "host=/tmp/s29/pg user=postgres dbname=$DB" \
  --node live >$W/log 2>&1 &
PID=$!; sleep 2
/tmp/s29/$NEW/sharetrack-bench --socket $W/in.sock --control $W/ctl.sock --rate $RATE --events $((RATE * 150)) \
  --seed 9 --days 90 --no-ceiling >$W/bench.txt 2>&1 &
BENCH=$!; sleep 10
for bin in bin-B $NEW bin-B $NEW; do
    echo "== $DB $bin under $RATE events/s, log rows: $(psql -At -h /tmp/s29/pg -U postgres $DB -c 'SELECT count(*) FROM rollup_log')"
    DB=$DB bash $(dirname $0)/top-run.sh /tmp/s29/$bin 5
done
kill $BENCH; wait $BENCH; kill $PID; wait $PID
grep -c "compacted" $W/log
