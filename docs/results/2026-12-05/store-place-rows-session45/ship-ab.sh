#!/bin/sh
# ship-ab.sh RUNS: `sharetrack-bench --events 3000000 --shared-store` into a new database per run,
# the before's binaries (rel-base) and the after's (bin13, with rel's bench) alternated.
for run in $(seq 1 $1); do
  for side in base new; do
    db=ship_${side}_$run
    psql -h /tmp/s45/pgsock -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    if [ $side = base ]; then bench=/tmp/s45/rel-base/release/sharetrack-bench; else bench=/tmp/s45/rel/release/sharetrack-bench; fi
    echo "== $side run $run"
    $bench --events 3000000 --seed 3 --no-ceiling --shared-store "postgresql:///$db?host=/tmp/s45/pgsock&user=postgres" \
      --visitor-key-file /tmp/s45/visitor.key 2>&1 | grep -E "events/s \(whole|shipped per second|caught up, after|per event, until"
    psql -h /tmp/s45/pgsock -U postgres -d postgres -qc "DROP DATABASE $db"
  done
done
