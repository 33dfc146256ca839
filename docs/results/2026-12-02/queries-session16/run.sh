#!/bin/bash
# The session's query bench, alternated: before (main d2b263f's binaries) and after, 3 runs each,
# at 20,000 events/s on the 2M-share database. usage: run.sh BEFORE_BINDIR AFTER_BINDIR OUTDIR
HERE=$(cd "$(dirname "$0")" && pwd)
RUN=$HERE/../../2026-12-01/queries/query-run.sh
for round in 1 2 3; do
    DB=${DB:-/tmp/lead/2m-v8.db} RUNS=5 bash $RUN $1 $3/before-$round.txt 20000
    DB=${DB:-/tmp/lead/2m-v8.db} RUNS=5 bash $RUN $2 $3/after-$round.txt 20000
done
