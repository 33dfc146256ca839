#!/usr/bin/env bash
# Times `sharectl export --db` of the 2M database, before and after, alternated; checks the bytes match.
# usage: export-run.sh BEFORE_SHARECTL AFTER_SHARECTL DB FORMAT RUNS
set -euo pipefail
before=$1 after=$2 db=$3 format=$4 runs=$5
for i in $(seq "$runs"); do
    for side in before after; do
        bin=$before; [ "$side" = after ] && bin=$after
        load=$(cut -d' ' -f1 /proc/loadavg)
        /usr/bin/time -f "$side run$i $format %e s wall %U user %S sys %M KiB maxrss load=$load" \
            "$bin" export --db "$db" --format "$format" > "$side.$format"
    done
    cmp "before.$format" "after.$format" && echo identical
done
