#!/usr/bin/env python3
"""Per query shape of the query bench, from a daemon built with timing lines on stderr (not
committed): `QTIME live ... parts P group G` per live load (the unapplied batches' groups advanced,
then projected and summed for the answer), `QTIME totals N MS` per `storedTotals` call (N advocates
looked up one statement each), `QTIME query wait W run R` per answer on the query queue.
Usage: breakdown.py DAEMON_LOG BENCH_OUTPUT (the bench's table names the shapes, in the order asked)."""
import sys, re, statistics, collections
log = open(sys.argv[1]).read().split('\n')
names, table = [], False
for line in open(sys.argv[2]):
    if line.startswith('query'): table = True; continue
    if table and ' ms' in line and not line.startswith('---'):
        name = re.split(r'\s{2,}', line.strip())[0]
        if name not in ('status', 'metrics'): names.append(name)
def fresh(): return {'parts': 0.0, 'group': 0.0, 'totals': 0.0, 'looked_up': 0}
answers, current = [], fresh()
for line in log:
    if line.startswith('QTIME live'):
        m = re.search(r'parts ([\d.]+) group ([\d.]+)', line)
        current['parts'] += float(m.group(1)); current['group'] += float(m.group(2))
    elif line.startswith('QTIME totals'):
        _, _, n, ms = line.split(); current['looked_up'] += int(n); current['totals'] += float(ms)
    elif line.startswith('QTIME query'):
        fields = line.split(); current['wait'] = float(fields[3]); current['run'] = float(fields[5])
        answers.append(current); current = fresh()
    elif line.startswith('QTIME keepup'):
        current = fresh()
per = collections.defaultdict(list)
for index, answer in enumerate(answers): per[names[index % len(names)]].append(answer)
print(f"{'query (ms, median of the runs; run max)':45} {'run':>6} {'max':>6} {'parts':>6} {'group':>6} {'totals':>7} {'looked up':>9}")
for name in names:
    runs = per[name]
    median = lambda key: statistics.median(r[key] for r in runs)
    print(f"{name:45} {median('run'):6.1f} {max(r['run'] for r in runs):6.1f} {median('parts'):6.1f} "
          f"{median('group'):6.1f} {median('totals'):7.1f} {median('looked_up'):9.0f}")
