#!/bin/bash
# make bench's workload through two daemons, alternated, each run's JSON in the current directory
# as MODE-NAMEi.json:
#   run.sh A_DIR B_DIR [A_NAME B_NAME]     (the directories holding each sharetrackd; names a, b)
# MODES (default "receive commit") and RUNS (default "1 2 3") choose the runs; BENCH is the
# sharetrack-bench to run (default .build/release/sharetrack-bench). This session's runs:
#   run.sh /tmp/s63/irel/release /tmp/s63/orel/release                              (93c9b33, becee29's change)
#   run.sh /tmp/s63/brel/release /tmp/s63/orel/release before after                 (before-side-by-side/: fa5a66d)
#   run.sh /tmp/s63/orel/release /tmp/s63/rel/release                               (token-cache-tried/)
#   MODES=receive RUNS="4 5 6 7" run.sh /tmp/s63/orel/release /tmp/s63/rel/release   (token-cache-tried/ again)
set -euo pipefail
dirs=("$1" "$2")
names=("${3:-a}" "${4:-b}")
bench=${BENCH:-.build/release/sharetrack-bench}
for mode in ${MODES:-receive commit}; do
  for i in ${RUNS:-1 2 3}; do
    for side in 0 1; do
      "$bench" --ack "$mode" --no-ceiling --daemon "${dirs[$side]}/sharetrackd" --json \
        > "$mode-${names[$side]}$i.json" 2> /dev/null
    done
  done
done
