#!/usr/bin/env python3
"""tails.py: per pair of query-bench runs (A-N.txt, B-N.txt) in each directory named, the mean, the
median and the highest of the top, tiers and venues answers' live p99s, the answers over 100 ms,
and the median of their live medians (ms), A / B."""
import glob, re, statistics, sys

def runstats(path):
    p99, medians = [], []
    for line in open(path):
        if not re.match(r'^(top|tiers|venues)\b', line):
            continue
        times = [(float(v.replace(',', '')), u) for v, u in re.findall(r'([\d.,]+) (ms|s)\b', line)]
        ms = [v * 1000 if u == 's' else v for v, u in times]
        medians.append(ms[-2])
        p99.append(ms[-1])
    return (statistics.mean(p99), statistics.median(p99), max(p99), sum(p > 100 for p in p99),
            statistics.median(medians))

print(f"{'run':<24} {'mean p99':>13} {'median p99':>13} {'max p99':>11} {'over 100':>9} {'median':>13}")
for directory in sys.argv[1:]:
    for a, b in zip(sorted(glob.glob(f"{directory}/A-*.txt")), sorted(glob.glob(f"{directory}/B-*.txt"))):
        x, y = runstats(a), runstats(b)
        print(f"{a:<24} {x[0]:5.1f} / {y[0]:5.1f} {x[1]:5.1f} / {y[1]:5.1f} {x[2]:4.0f} / {y[2]:4.0f} "
              f"{x[3]:3d} / {y[3]:3d} {x[4]:5.1f} / {y[4]:5.1f}")
