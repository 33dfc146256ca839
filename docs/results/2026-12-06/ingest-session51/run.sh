#!/bin/sh
# 3 receive-mode runs each of bin-base (125dd88, the session's start) and bin-new (aa8e420),
# release builds, alternated.
cd /tmp/s51 && mkdir -p bench
for i in 1 2 3; do
  for side in base new; do
    bin-$side/sharetrack-bench --ack receive --no-ceiling --json > bench/$side-receive-$i.json 2>/dev/null
  done
done
python3 - <<'P'
import json, statistics
for side in ('base','new'):
    runs=[json.load(open('/tmp/s51/bench/%s-receive-%d.json'%(side,i))) for i in (1,2,3)]
    eps=[r['events_per_second'] for r in runs]; cpu=[r['daemon_cpu_microseconds_per_event'] for r in runs]
    print(side, 'events/s median %.0f' % statistics.median(eps), [round(e) for e in eps], 'cpu/event median %.2f' % statistics.median(cpu), cpu)
P
