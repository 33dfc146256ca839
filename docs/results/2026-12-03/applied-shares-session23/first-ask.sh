#!/bin/bash
# usage: first-ask.sh BINDIR WARM_REQUEST REQUEST [OUT.perf]
# The first answer to REQUEST after WARM_REQUEST was asked 3 times (another question, so that the
# live batches' groups are kept as in the query bench), the bench ingesting at 20,000 events/s:
# ../../2026-12-02/queries-session15/perf-ask.sh with one timed run, under
# `perf record --call-graph dwarf` if OUT.perf is given (SQLite has no frame pointers here).
HERE=$(cd "$(dirname "$0")" && pwd)
WARM_REQUEST=$2 WARMUP=3 PERFG="--call-graph dwarf,16384 -F 2000" WORK=${WORK:-/tmp/first-ask} \
  exec bash $HERE/../../2026-12-02/queries-session15/perf-ask.sh "$1" "$3" 1 $4
