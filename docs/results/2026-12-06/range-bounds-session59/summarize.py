# summarize.py SWEEP...: per range, the additive rankings and engagement apart, the median and
# span of A's and B's medians, and how many cases B took over 10% longer than A.
import re, statistics, sys
for f in sys.argv[1:]:
    rows = []
    for line in open(f):
        m = re.match(r'(top .*?)\s+([\d.]+)\s+([\d.]+)\s+(same|DIFFER)', line)
        if m: rows.append((m.group(1), float(m.group(2)), float(m.group(3)), m.group(4)))
    print(f, len(rows), 'cases, answers that differ:', sum(r[3] != 'same' for r in rows))
    for since in ['24h', '3d', '7d', '30d', '60d']:
        for kind in ['additive', 'engagement']:
            sel = [r for r in rows if r[0].endswith('--since ' + since) and (('engagement' in r[0]) == (kind == 'engagement'))]
            a, b = [r[1] for r in sel], [r[2] for r in sel]
            print(f'  {since:4} {kind:10} n={len(sel):2} A median {statistics.median(a):7.1f} [{min(a):.0f}-{max(a):.0f}]'
                  f'  B median {statistics.median(b):7.1f} [{min(b):.0f}-{max(b):.0f}]  B>A+10%: {sum(r[2] > r[1] * 1.1 for r in sel)}')
