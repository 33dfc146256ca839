#!/bin/bash
# usage: perf-ab.sh BIN_A BIN_B OUT [RUNS]: make bench's default run with perf record -a -g (cpu-clock) over it, A and B
# alternated; prints the samples in the daemon's apply (Flusher.applyJournaled), its sorting parts, and ingest.
A=$1; B=$2; OUT=$3; RUNS=${4:-2}; mkdir -p $OUT
for r in $(seq $RUNS); do for side in a b; do
  bin=$A; [ $side = b ] && bin=$B
  (perf record -e cpu-clock -g -a -o $OUT/$side-$r.perf -- sleep 22 > /dev/null 2>&1 &)
  $bin/sharetrack-bench > $OUT/$side-$r.bench 2>&1; sleep 14
  perf script -i $OUT/$side-$r.perf -F comm,ip,sym 2>/dev/null > $OUT/$side-$r.stacks; rm $OUT/$side-$r.perf
  python3 - $OUT/$side-$r.stacks <<'PY'
import sys
stacks = open(sys.argv[1]).read().split('\n\n')
apply = [s for s in stacks if 'applyJournaled' in s]
part = lambda k: sum(k in s for s in apply)
print(sys.argv[1].rsplit('/', 1)[1], 'apply', len(apply), 'sumPerKey', part('sumPerKey'), 'keyOrder', part('keyOrder'),
      'ingest', sum('Pipeline' in s or 'IngestConnection' in s for s in stacks))
PY
  gzip -f $OUT/$side-$r.stacks
done; done
