#!/bin/bash
# run.sh LABEL BINDIR RUN: `sharetrack-bench --shared-store` (2,000,000 events) into a fresh store
# database, then a daemon of BINDIR that only folds what the bench's left in the rollup log:
# the fold statements' calls and time (pg_stat_statements) and the log rows they moved.
set -e
label=$1; bin=$2; run=$3; db=fold_${label}_$run
q() { psql -h /tmp/s32/pg -U postgres -At -F ' ' "$@"; }
q -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" postgres
q -q -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" $db
url="postgresql:///$db?host=/tmp/s32/pg&user=postgres"
$bin/sharetrack-bench --daemon $bin/sharetrackd --no-ceiling --json --shared-store "$url" \
    --visitor-key-file /tmp/s36/fold/visitor.key > $label-$run.json 2> $label-$run.err
q -q -c "SELECT pg_stat_statements_reset()" $db > /dev/null
before=$(q -c "SELECT count(*) FROM rollup_log" $db)
work=$(mktemp -d /tmp/s36/fold/node.XXXX)
cat > $work/conf.yaml <<CONF
ingest_socket: $work/ingest.sock
control_socket: $work/control.sock
database: $work/sharetrack.db
visitor_key_file: /tmp/s36/fold/visitor.key
node: folder-$label-$run
shared_store: $url
CONF
start=$(date +%s.%N)
$bin/sharetrackd --config $work/conf.yaml > $work/daemon.log 2>&1 &
pid=$!
while [ "$(q -c "SELECT count(*) FROM rollup_log l WHERE EXISTS (SELECT 1 FROM shares s WHERE s.token = l.token)" $db)" != 0 ]; do sleep 0.5; done
end=$(date +%s.%N)
kill $pid; wait $pid || true
after=$(q -c "SELECT count(*) FROM rollup_log" $db)
q -c "SELECT '$label-$run', 'folds', calls, 'ms', round(total_exec_time::numeric), 'rows', $before - $after, 'ms/1000 rows', round((total_exec_time / ($before - $after) * 1000)::numeric, 1), 'wall s', round(($end - $start)::numeric, 1) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$db' AND query LIKE 'WITH moved AS%'" $db | tee -a folds.txt
q -q -c "DROP DATABASE $db" postgres
rm -rf $work
