#!/usr/bin/env python3
"""One table row per run: shipped/s per node, caught up after, statement seconds, log rows left."""
import glob, json, re
for load in sorted(glob.glob('*-r*-*.load'), key=lambda p: (int(p.split('-')[2].split('.')[0]), p.split('-')[1], p)):
    label, rnd, nodes = re.match(r'(\w+)-r(\d)-(\d)\.load', load).groups()
    text = open(load).read()
    fields = {}
    for line in text.splitlines():
        parts = line.split('|')
        for k, v in zip(parts[0::2], parts[1::2]):
            fields[k] = v
    loads = re.findall(r'load average: ([\d.]+)', text)
    runs = [json.load(open(f'{label}-r{rnd}-{nodes}-{i}.json')) for i in range(1, int(nodes) + 1)]
    shipped = ' / '.join(f"{round(r['shipped_events_per_second']):,}" for r in runs)
    lag = ' / '.join(f"{r['ship_lag_seconds']:.1f}" for r in runs)
    ms = lambda k: f"{int(fields.get(k, '0') or 0) / 1000:.1f}"
    left = fields.get('log rows left', '-')
    folding = fields.get('folding what was left', '-')
    print(f"| {nodes} | {rnd} | {label} | {shipped} | {lag} s | {ms('apply ms')} | {ms('groups ms')} | {ms('fold ms')} | {ms('server ms')} | {left} | {folding} | {loads[0]}-{loads[-1]} |")
