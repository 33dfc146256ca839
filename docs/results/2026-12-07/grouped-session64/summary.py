#!/usr/bin/env python3
"""summary.py [FILES]: each query's live median and p99 (ms) per query-bench run (A-*.txt, B-*.txt
by default), then the median over each side's runs (the runs whose names start alike) of the live
medians."""
import glob, re, statistics, sys

def parse(path):
    rows = {}
    for line in open(path):
        if not re.match(r'^(top|tiers|venues|share|advocate|status|metrics)\b', line):
            continue
        name = re.split(r'\s{2,}', line.strip())[0]
        times = [(float(v.replace(',', '')), u) for v, u in re.findall(r'([\d.,]+) (ms|s)\b', line)]
        ms = [v * 1000 if u == 's' else v for v, u in times]
        rows[name] = (ms[-2], ms[-1])  # live median, live p99
    return rows

files = sys.argv[1:] or sorted(glob.glob('A-*.txt')) + sorted(glob.glob('B-*.txt'))
runs = {f: parse(f) for f in files}
names = list(runs[files[0]])
sides = sorted({f.split('-')[0] for f in files})
print('%-46s %s   median %s' % ('live median / p99, ms', '  '.join('%13s' % f[:-4] for f in files), ' → '.join(sides)))
for name in names:
    cells = '  '.join('%6.1f /%6.1f' % runs[f][name] for f in files)
    medians = [statistics.median(runs[f][name][0] for f in files if f.split('-')[0] == side) for side in sides]
    print('%-46s %s   %s' % (name, cells, ' → '.join('%5.1f' % m for m in medians)))
