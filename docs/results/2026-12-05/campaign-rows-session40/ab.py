# ab.py RUNS A DB_A B DB_B CASE...: each case run RUNS times with sharectl A on DB_A and B on DB_B
# alternated (whole `sharectl --db` processes; the databases differ by their schema version): the
# median ms of each, and whether all answers were the same.
import subprocess, time, statistics, sys, hashlib
runs, a, db_a, b, db_b = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
for c in sys.argv[6:]:
    times = {a: [], b: []}; digests = set()
    for _ in range(runs):
        for ctl, db in ((a, db_a), (b, db_b)):
            s = time.perf_counter()
            out = subprocess.run([ctl, *c.split(), "--db", db, "--json"], capture_output=True, text=True, check=True).stdout
            times[ctl].append((time.perf_counter() - s) * 1000); digests.add(hashlib.sha256(out.encode()).hexdigest())
    print(f"{c:70} {statistics.median(times[a]):7.1f} {statistics.median(times[b]):7.1f} {'same' if len(digests) == 1 else 'DIFFER'}", flush=True)
