#!/bin/bash
# usage: pgr-bench.sh LABEL BINDIR NODES EVENTS OUTDIR
set -u
label=$1; bin=$2; nodes=$3; events=$4; out=$5
mkdir -p $out
P="psql -X -q -t -A -h /tmp/pgr-pg -p 55432 -U postgres"
db=$(echo ${label} | tr - _)_${nodes}_$(date +%H%M%S)
$P -c "CREATE DATABASE $db" postgres
$P -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" postgres
$P -c "SELECT pg_stat_statements_reset()" postgres > /dev/null
uptime > $out/$label-$nodes.load
pids=()
for i in $(seq 1 $nodes); do
  $bin/sharetrack-bench --events $events --seed $i --no-ceiling --json \
    --shared-store "postgresql://postgres@127.0.0.1:55432/$db" --visitor-key-file /tmp/pgr-bench.key \
    > $out/$label-$nodes-$i.json 2> $out/$label-$nodes-$i.err &
  pids+=($!)
done
for p in "${pids[@]}"; do wait $p; done
uptime >> $out/$label-$nodes.load
{
echo "database|$db"
$P -c "SELECT 'store events', sum(events), 'nodes', count(*) FROM nodes" $db
$P -c "SELECT 'shares', count(*) FROM shares" $db
$P -c "SELECT 'server ms', round(sum(total_exec_time)), 'apply ms', round(sum(total_exec_time) FILTER (WHERE query LIKE '%ship_shares%')), 'groups ms', round(coalesce(sum(total_exec_time) FILTER (WHERE query LIKE '%new_groups%'), 0)), 'shipments', sum(calls) FILTER (WHERE query LIKE '%ship_shares%') FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$db'" postgres
} >> $out/$label-$nodes.load
cat $out/$label-$nodes.load
for i in $(seq 1 $nodes); do python3 -c "
import json,sys; d=json.load(open('$out/$label-$nodes-$i.json'))
print('node $i', 'ingest', round(d['events_per_second']), {k:v for k,v in d.items() if 'shared' in k or 'ship' in k})"; done
