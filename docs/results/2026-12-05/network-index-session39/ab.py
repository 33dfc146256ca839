# ab.py RUNS DB A B CASE...: each case run RUNS times with sharectl A and B alternated (whole
# `sharectl --db DB` processes): the median ms of each, and whether all answers were the same.
import subprocess, time, statistics, sys, hashlib
runs, db, a, b = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
cases = sys.argv[5:]
for c in cases:
    r = {a: [], b: []}; dig=set()
    for _ in range(runs):
        for ctl in (a, b):
            s = time.perf_counter(); out = subprocess.run([ctl, *c.split(), "--db", db, "--json"], capture_output=True, text=True, check=True).stdout
            r[ctl].append((time.perf_counter()-s)*1000); dig.add(hashlib.sha256(out.encode()).hexdigest())
    print(f"{c:70} {statistics.median(r[a]):7.1f} {statistics.median(r[b]):7.1f} {'same' if len(dig)==1 else 'DIFFER'}")
