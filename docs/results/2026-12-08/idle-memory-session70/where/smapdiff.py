import sys, re
def load(p):
    maps = {}; cur = None
    for l in open(p):
        if re.match(r'^[0-9a-f]+-[0-9a-f]+ ', l):
            parts = l.split(); cur = (parts[0], parts[5] if len(parts) > 5 else '[anon]'); maps[cur] = {}
        else:
            k, _, v = l.partition(':'); v = v.strip().split()
            if v and v[0].isdigit(): maps[cur][k] = int(v[0])
    return maps
a, b = load(sys.argv[1]), load(sys.argv[2])
rows = []
for k in set(a) | set(b):
    ra = a.get(k, {}).get('Rss', 0); rb = b.get(k, {}).get('Rss', 0)
    size = b.get(k, a.get(k, {})).get('Size', 0)
    if ra != rb: rows.append((rb - ra, k, ra, rb, size))
rows.sort(reverse=True)
tot = sum(r[0] for r in rows)
print("total growth kB", tot)
for d, k, ra, rb, size in rows[:25]: print("%7d kB  %7d -> %7d  size %7d  %s %s" % (d, ra, rb, size, k[0], k[1]))
