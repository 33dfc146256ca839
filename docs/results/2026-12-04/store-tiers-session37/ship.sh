#!/bin/bash
# ship.sh LABEL BINDIR RUN: `sharetrack-bench --shared-store` (its default 2,000,000 events) into a
# fresh store database with BINDIR's daemon: events shipped per second (the JSON's
# `shipped_events_per_second`), then the database dropped.
set -e
label=$1; bin=$2; run=$3; db=ship_${label}_$run
q() { psql -h /tmp/s32/pg -U postgres -At "$@"; }
q -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" postgres
$bin/sharetrack-bench --daemon $bin/sharetrackd --no-ceiling --json --shared-store "postgresql:///$db?host=/tmp/s32/pg&user=postgres" \
    --visitor-key-file /tmp/s32/visitor.key > $label-$run.json 2> $label-$run.err
python3 -c "import json; d = json.load(open('$label-$run.json')); print('$label-$run', 'shipped events/s', round(d['shipped_events_per_second']), 'ship lag s', round(d['ship_lag_seconds'], 1))" | tee -a ship.txt
q -q -c "DROP DATABASE $db" postgres
