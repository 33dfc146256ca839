#!/bin/bash
# usage: run.sh BINDIR TAG [RATE] [EVENTS] [PERF]
# Runs sharetrackd from BINDIR on a copy of /tmp/qbench/2m.db, ingests at RATE events/s,
# prints per-thread CPU of the daemon over the run.
set -u
BIN=$1; TAG=$2; RATE=${3:-20000}; EVENTS=${4:-1200000}; PERF=${5:-}
D=/tmp/applybench/$TAG; rm -rf $D; mkdir -p $D
cp /tmp/qbench/2m.db $D/db
echo "{}" > $D/conf.json 2>/dev/null
touch $D/conf.yaml
$BIN/sharetrackd --config $D/conf.yaml --database $D/db --ingest-socket $D/in.sock --control-socket $D/ctl.sock --flush-interval 1 --log-level info 2> $D/daemon.log &
PID=$!
for i in $(seq 100); do [ -S $D/ctl.sock ] && break; sleep 0.2; done
sleep 1
snap() { for t in /proc/$PID/task/*; do echo "$(basename $t) $(cut -d' ' -f14,15 $t/stat)"; done; }
echo "load before: $(cat /proc/loadavg)"
# warm up 10 s worth is part of the run; snapshot after 15 s
$BIN/sharetrack-bench --socket $D/in.sock --control $D/ctl.sock --rate $RATE --events $EVENTS --days 1 --seed 7 --no-ceiling > $D/bench.txt 2>$D/bench.err &
BP=$!
sleep 15
snap > $D/cpu0; T0=$(date +%s.%N)
if [ "$PERF" = dwarf ]; then perf record -e cpu-clock -F 300 --call-graph dwarf,16384 -p $PID -o $D/perf.data -- sleep 20 2>/dev/null >/dev/null; elif [ "$PERF" = wal ]; then for i in 1 2 3 4 5; do sleep 4; cp $D/db-wal $D/wal.$i; done; elif [ -n "$PERF" ]; then perf record -e cpu-clock -g -p $PID -o $D/perf.data -- sleep 20 2>/dev/null >/dev/null; else sleep 20; fi
snap > $D/cpu1; T1=$(date +%s.%N)
echo "load after: $(cat /proc/loadavg)"
wait $BP
kill -TERM $PID; wait $PID
python3 - $D $T0 $T1 $RATE <<'PY'
import sys
d,t0,t1,rate=sys.argv[1],float(sys.argv[2]),float(sys.argv[3]),float(sys.argv[4])
def read(f):
    r={}
    for l in open(f):
        p=l.split()
        if len(p)==3: r[p[0]]=int(p[1])+int(p[2])
    return r
a,b=read(d+'/cpu0'),read(d+'/cpu1')
hz=100.0; el=t1-t0
rows=sorted(((b[t]-a.get(t,0))/hz,t) for t in b)
rows.reverse()
for s,t in rows[:6]: print(f"thread {t}: {s:.2f} s CPU over {el:.1f} s = {100*s/el:.0f}% of a core, {1e6*s/(el*rate):.1f} us/event")
tot=sum(s for s,t in rows); print(f"daemon: {tot:.2f} s = {100*tot/el:.0f}% of a core")
PY
grep -E "events/s|overloaded|behind" $D/bench.txt | head -5
