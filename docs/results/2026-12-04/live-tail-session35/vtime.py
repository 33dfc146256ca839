# vtime.py SHARECTL DB...: each case through `sharectl --db` on each database, the median of 7 whole-process
# runs and the digest(s) of the JSON answer (ERR for a failed run).
import subprocess, time, statistics, sys, hashlib
ctl, dbs = sys.argv[1], sys.argv[2:]
cases = ["tiers --venue venue-14", "tiers --venue venue-03 --since 24h", "top --limit 20 --venue venue-14",
         "top --limit 20 --by clicks --venue venue-03 --since 24h", "venues", "top --limit 20 --venue venue-14 --campaign campaign-3",
         "tiers --venue venue-14 --campaign campaign-3", "advocate adv-000123"]
for args in cases:
    line = f"{args:60}"
    for db in dbs:
        times, digests = [], set()
        for _ in range(7):
            t = time.perf_counter()
            r = subprocess.run([ctl] + args.split() + ["--db", db, "--json"], capture_output=True, text=True)
            times.append((time.perf_counter() - t) * 1000); digests.add(hashlib.sha256(r.stdout.encode()).hexdigest()[:8] if r.returncode == 0 else "ERR")
        line += f"  {statistics.median(times):7.1f} ms {','.join(digests)}"
    print(line)
