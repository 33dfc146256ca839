#!/bin/bash
# usage: cold.sh ROUNDS BIN... : a cold `sharectl --db` answer ($ARGS) per binary dir, alternated; prints wall and CPU seconds
R=$1; shift
for r in $(seq $R); do for b in "$@"; do
  /usr/bin/time -f "$b %e s wall %U user %S sys %M KB" $b/sharectl --db ${DB:-/tmp/lead/2m-v8.db} $ARGS > /dev/null
done; done 2>&1
