#!/bin/sh
# run.sh [DIR [BEFORE [AFTER]]]: 3 receive-mode runs each of DIR/bin-BEFORE and DIR/bin-AFTER
# (release builds), alternated, into DIR/bench; then the medians. Session 51 ran it as is:
# /tmp/s51, bin-base (125dd88, the session's start) and bin-new (aa8e420).
dir=${1:-/tmp/s51}; before=${2:-base}; after=${3:-new}
cd "$dir" && mkdir -p bench
for i in 1 2 3; do
  for side in "$before" "$after"; do
    "bin-$side/sharetrack-bench" --ack receive --no-ceiling --json > "bench/$side-receive-$i.json" 2>/dev/null
  done
done
python3 - "$dir" "$before" "$after" <<'P'
import json, statistics, sys
for side in sys.argv[2:]:
    runs=[json.load(open('%s/bench/%s-receive-%d.json'%(sys.argv[1],side,i))) for i in (1,2,3)]
    eps=[r['events_per_second'] for r in runs]; cpu=[r['daemon_cpu_microseconds_per_event'] for r in runs]
    print(side, 'events/s median %.0f' % statistics.median(eps), [round(e) for e in eps], 'cpu/event median %.2f' % statistics.median(cpu), cpu)
P
