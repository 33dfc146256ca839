#!/bin/bash
# ship-ab.sh RUNS: `sharetrack-bench --events 3000000 --seed 3 --shared-store` into a new database
# per run, the bench and daemon of A (c91786a) and B (this change) alternated.
P="postgresql:///postgres?host=/tmp/s58/pg&user=postgres"
for run in $(seq 1 $1); do
  for side in A B; do
    db=ship_${side,,}_$run
    psql "$P" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    echo "== $side run $run"
    /tmp/s58/$side/sharetrack-bench --events 3000000 --seed 3 --no-ceiling --shared-store "postgresql:///$db?host=/tmp/s58/pg&user=postgres" \
      --visitor-key-file /tmp/s58/vkey 2>&1 | grep -E "events/s \(whole|shipped per second|caught up, after|per event, until|throughput"
    psql "$P" -qc "DROP DATABASE $db"
  done
done
