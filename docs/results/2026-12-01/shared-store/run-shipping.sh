#!/bin/bash
# usage: run-shipping.sh LABEL BINDIR NODES EVENTS OUTDIR
# The cluster from PGDIR and PORT (session 6: /tmp/pgf-pg, 55433; session 5's
# 2026-11-30/shared-store/rollups ran this script without the fold's lines, which find no
# rollup_log there, at /tmp/pgr-pg, 55432, KEY /tmp/pgr-bench.key).
set -u
label=$1; bin=$2; nodes=$3; events=$4; out=$5
mkdir -p $out
pgdir=${PGDIR:-/tmp/pgf-pg} port=${PORT:-55433} key=${KEY:-/tmp/pgf-bench.key}
P="psql -X -q -t -A -h $pgdir -p $port -U postgres"
db=$(echo ${label} | tr - _)_${nodes}_$(date +%H%M%S)
$P -c "CREATE DATABASE $db" postgres
$P -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" postgres
$P -c "SELECT pg_stat_statements_reset()" postgres > /dev/null
uptime > $out/$label-$nodes.load
pids=()
for i in $(seq 1 $nodes); do
  $bin/sharetrack-bench --events $events --seed $i --no-ceiling --json \
    --shared-store "postgresql://postgres@127.0.0.1:$port/$db" --visitor-key-file $key \
    > $out/$label-$nodes-$i.json 2> $out/$label-$nodes-$i.err &
  pids+=($!)
done
for p in "${pids[@]}"; do wait $p; done
uptime >> $out/$label-$nodes.load
{
echo "database|$db"
$P -c "SELECT 'store events', sum(events), 'nodes', count(*) FROM nodes" $db
$P -c "SELECT 'shares', count(*) FROM shares" $db
$P -c "SELECT 'log rows left', count(*), 'with a share', count(s.token) FROM rollup_log l LEFT JOIN shares s USING (token)" $db 2>/dev/null
$P -c "SELECT 'server ms', round(sum(total_exec_time)), 'apply ms', round(sum(total_exec_time) FILTER (WHERE query LIKE '%ship_shares%')), 'groups ms', round(coalesce(sum(total_exec_time) FILTER (WHERE query LIKE '%new_groups%'), 0)), 'fold ms', round(coalesce(sum(total_exec_time) FILTER (WHERE query LIKE '%moved%'), 0)), 'shipments', sum(calls) FILTER (WHERE query LIKE '%ship_shares%'), 'folds', coalesce(sum(calls) FILTER (WHERE query LIKE '%moved%'), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$db'" postgres
} >> $out/$label-$nodes.load
# BEFORE_FOLD, if set, runs with the database's name while those rows are still in the log.
[ -n "${BEFORE_FOLD:-}" ] && $BEFORE_FOLD $db
# The log rows the nodes had not folded when their benches stopped them: folded here by the same
# statement (taken from pg_stat_statements, its constants put back), timed.
fold=$($P -c "SELECT query FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$db' AND query LIKE '%moved%' LIMIT 1" postgres | sed -e 's/LIMIT \$[0-9]\+/LIMIT 50000/' -e 's/SELECT \$[0-9]\+ FROM/SELECT 1 FROM/' -e "s/\$[0-9]\+/''/g")
if [ -n "$fold" ]; then
  t0=$(date +%s.%N)
  while [ "$($P -c "SELECT count(s.token) FROM rollup_log l JOIN shares s USING (token)" $db)" != 0 ]; do
    printf 'BEGIN;\nSET LOCAL work_mem = %s;\n%s;\nCOMMIT;\n' "'64MB'" "$fold" | $P $db > /dev/null
  done
  echo "folding what was left|$(echo "$(date +%s.%N) - $t0" | bc) s" >> $out/$label-$nodes.load
fi
cat $out/$label-$nodes.load
for i in $(seq 1 $nodes); do python3 -c "
import json,sys; d=json.load(open('$out/$label-$nodes-$i.json'))
print('node $i', 'ingest', round(d['events_per_second']), {k:v for k,v in d.items() if 'shared' in k or 'ship' in k})"; done
