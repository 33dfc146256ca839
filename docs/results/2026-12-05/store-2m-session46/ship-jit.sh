#!/bin/sh
# ship-jit.sh RUNS: `sharetrack-bench --events 3000000 --shared-store` into a new database per run,
# the daemon's store connections with PostgreSQL's default jit and with PGOPTIONS='-c jit=off', alternated.
for run in $(seq 1 $1); do
  for side in jit nojit; do
    db=ship_${side}_$run
    psql -h /tmp/s45/pgsock -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    echo "== $side run $run"
    if [ $side = nojit ]; then export PGOPTIONS='-c jit=off'; else unset PGOPTIONS; fi
    /tmp/s46/rel/release/sharetrack-bench --events 3000000 --seed 3 --no-ceiling --shared-store "postgresql:///$db?host=/tmp/s45/pgsock&user=postgres" \
      --visitor-key-file /tmp/s45/visitor.key 2>&1 | grep -E "events/s \(whole|shipped per second|caught up, after|per event, until"
    unset PGOPTIONS
    psql -h /tmp/s45/pgsock -U postgres -d postgres -qc "DROP DATABASE $db"
  done
done
