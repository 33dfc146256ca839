import subprocess, time, statistics, sys, hashlib
# qtime.py SHARECTL DB [N]: each case's median, min and max (ms) of N runs of the whole sharectl
# process, and a digest of its JSON answer (the same digest before and after: the same answer).
ctl, db = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 9
cases = [("top-venue-campaign", "top --limit 20 --venue venue-14 --campaign campaign-3"),
         ("top-value-venue-campaign", "top --limit 20 --by value --venue venue-07 --campaign campaign-2"),
         ("tiers-venue-campaign", "tiers --venue venue-14 --campaign campaign-3"),
         ("tiers-venue", "tiers --venue venue-14"), ("tiers-campaign", "tiers --campaign campaign-3"),
         ("top-venue", "top --limit 20 --venue venue-14"), ("top-campaign", "top --limit 20 --campaign campaign-3"),
         ("venues-campaign", "venues --campaign campaign-3")]
for name, args in cases:
    times, out = [], ""
    for _ in range(n):
        t = time.perf_counter()
        r = subprocess.run([ctl] + args.split() + ["--db", db, "--json"], capture_output=True, text=True)
        times.append((time.perf_counter() - t) * 1000)
        if r.returncode:
            print(name, "FAILED", r.stderr[:300]); break
        out = r.stdout
    print("%-25s median %6.1f ms  min %6.1f  max %6.1f  answer %s"
          % (name, statistics.median(times), min(times), max(times), hashlib.sha256(out.encode()).hexdigest()[:12]))
