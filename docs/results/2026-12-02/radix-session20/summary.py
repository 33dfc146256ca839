# summary.py OUT: per side, the apply's ms per 100,000 rows over each run (sum of ms / sum of rows), and the median of the runs
import sys, glob, re, statistics, json
out = sys.argv[1]
for side in 'ab':
    per = []
    for path in sorted(glob.glob(f'{out}/{side}-*.applied')):
        ms = rows = 0
        for line in open(path):
            m = dict(re.findall(r'(\w+)=(\d+)', line))
            ms += int(m['ms']); rows += int(m['rows'])
        run = json.load(open(path.replace('.applied', '.json')))
        per.append((100000 * ms / rows, run['daemon_cpu_microseconds_per_event'], run['apply_lag_seconds']))
    print(side, 'ms per 100k rows:', [round(p[0]) for p in per], 'median', round(statistics.median(p[0] for p in per)),
          '| CPU µs/event:', [round(p[1], 2) for p in per], '| lag s:', [round(p[2], 2) for p in per])
