import sys, statistics
rows=[l.rstrip('\n') for l in open(sys.argv[1]) if l.strip()]
def parse(l):
    parts=l.split(); return ' '.join(parts[:-3]), float(parts[-3]), float(parts[-2]), parts[-1]
rs=[parse(l) for l in rows]
for label, sel in (("all time", lambda c: 'since' not in c), ("24h", lambda c: 'since' in c)):
    sub=[r for r in rs if sel(r[0])]
    a=[r[1] for r in sub]; b=[r[2] for r in sub]
    print(label, len(sub), "A median %.0f max %.0f | B median %.0f max %.0f | B/A median %.2f | A>100: %d B>100: %d" % (statistics.median(a), max(a), statistics.median(b), max(b), statistics.median([y/x for x,y in zip(a,b)]), sum(x>100 for x in a), sum(y>100 for y in b)))
print("differ:", sum(r[3]!='same' for r in rs))
