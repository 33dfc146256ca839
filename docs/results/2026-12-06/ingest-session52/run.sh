#!/bin/sh
# 3 receive-mode runs each of bin-base (b662a71, the session's start) and bin-final (38a8f31),
# release builds, alternated; then the medians.
cd /tmp/s52 && mkdir -p bench
for i in 1 2 3; do
  for side in base final; do
    bin-$side/sharetrack-bench --ack receive --no-ceiling --json > bench/$side-receive-$i.json 2>/dev/null
  done
done
python3 - <<'P'
import json, statistics
for side in ('base','final'):
    runs=[json.load(open('/tmp/s52/bench/%s-receive-%d.json'%(side,i))) for i in (1,2,3)]
    eps=[r['events_per_second'] for r in runs]; cpu=[r['daemon_cpu_microseconds_per_event'] for r in runs]
    print(side, 'events/s median %.0f' % statistics.median(eps), [round(e) for e in eps], 'cpu/event median %.2f' % statistics.median(cpu), cpu)
P
