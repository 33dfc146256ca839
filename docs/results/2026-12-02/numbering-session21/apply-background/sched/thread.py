# thread.py SCRIPT: the thread that answered (cpu-clock samples in Queries.answer), its samples, and
# every time it was switched out during the answer, with the user frames where it was
import collections, sys
blocks = open(sys.argv[1]).read().split('\n\n')
parsed = []
for b in blocks:
    lines = b.strip('\n').split('\n')
    if not lines or not lines[0].strip(): continue
    h = lines[0].split()
    parsed.append((h[0], float(h[1].rstrip(':')), h[2], [l.strip().split(None, 1)[-1] for l in lines[1:]]))
qt = collections.Counter(p[0] for p in parsed if p[2].startswith('cpu-clock') and any('QueriesC6answer' in f for f in p[3]))
tid = qt.most_common(1)[0][0]
ev = sorted(p for p in parsed if p[0] == tid)
ans = [p for p in ev if p[2].startswith('cpu-clock') and any('QueriesC6answer' in f for f in p[3])]
t0, t1 = ans[0][1], ans[-1][1]
print(f"thread {tid}: {len(ans)} answer samples over {(t1 - t0) * 1000:.1f} ms")
prev = None
for p in ev:
    if t0 - 0.0005 <= p[1] <= t1 + 0.0005 and p[2].startswith('sched'):
        user = [f for f in p[3] if not f.startswith(('__schedule', 'schedule', 'ffffffff'))]
        nxt = [q for q in ev if q[1] > p[1]]
        back = (nxt[0][1] - p[1]) * 1000 if nxt else 0
        print(f"{(p[1] - t0) * 1000:7.1f} ms  out ~{back:5.1f} ms  " + ' < '.join(x[:60] for x in user[:7]))
