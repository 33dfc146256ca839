import sys, re, statistics, glob
def parse(path):
    rows={}
    for line in open(path):
        parts=re.split(r'\s{2,}', line.rstrip())
        if len(parts)>=5 and parts[0] and ('ms' in line) and not line.startswith('query'):
            name=parts[0]
            vals=[p for p in parts[1:] if p.endswith(' ms') or p.endswith('KiB') or p.endswith('MiB') or p.endswith(' B')]
            ms=[p for p in vals if p.endswith(' ms')]
            def v(x): return float(x.replace(' ms','').replace(',',''))
            if len(ms)==2: off,live,p99='0 ms',ms[0],ms[1]
            else: off,live,p99=ms[-3],ms[-2],ms[-1]
            rows[name]=(v(off),v(live),v(p99))
    return rows
a=[parse(p) for p in sorted(glob.glob(sys.argv[1]))]
b=[parse(p) for p in sorted(glob.glob(sys.argv[2]))]
print(f"{'query':40s} {'A offline':>10s} {'B offline':>10s} {'A live med':>14s} {'B live med':>14s} {'A p99':>14s} {'B p99':>14s}")
for name in a[0]:
    f=lambda runs,i: "/".join(f"{r[name][i]:.0f}" for r in runs if name in r)
    print(f"{name:40s} {f(a,0):>10s} {f(b,0):>10s} {f(a,1):>14s} {f(b,1):>14s} {f(a,2):>14s} {f(b,2):>14s}")
