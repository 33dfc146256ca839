# usage: big-summary.py DIR: per set and side, the median over runs of big-run.sh's figures
import glob, re, statistics, sys, collections
runs = collections.defaultdict(list)
for path in sorted(glob.glob(f"{sys.argv[1]}/*.txt")):
    name = path.split('/')[-1][:-4]
    group = name.rsplit('-', 1)[0]
    text = open(path).read()
    def figure(pattern):
        m = re.search(pattern, text)
        return float(m.group(1).replace(',', '')) if m else None
    runs[group].append(dict(
        cpu=figure(r'per event, until the tables caught up\s+([\d.,]+) µs'),
        caught=figure(r'tables caught up, after the last answer\s+([\d.,]+) s'),
        rate=figure(r'throughput, first byte to last answer\s+([\d,]+) events/s'),
        p99=figure(r'answer latency p99\s+([\d,]+) ms'),
        wal=figure(r'wal max bytes (\d+)')))
for group, rs in runs.items():
    def med(k):
        values = [r[k] for r in rs if r[k] is not None]
        return (statistics.median(values), values) if values else (None, [])
    cpu, cpus = med('cpu'); caught, _ = med('caught'); wal, _ = med('wal')
    print(f"{group:14s} runs {len(rs)}  CPU/event median {cpu:.2f} µs {cpus}  caught up {caught:.1f} s  log max {wal / 1e6 if wal else None:.0f} MB")
