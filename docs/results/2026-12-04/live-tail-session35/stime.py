import subprocess, time, statistics, sys, hashlib
# stime.py SHARECTL URL [N]: each case's median, min and max (ms) of N runs of the whole sharectl
# process against the shared store, and a digest of its JSON answer.
ctl, url = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 9
cases = [("top", "top --limit 20"), ("top-value", "top --limit 20 --by value"),
         ("top-venue", "top --limit 20 --venue venue-03"),
         ("top-campaign", "top --limit 20 --campaign campaign-3"),
         ("top-unique-campaign", "top --limit 20 --by unique_clicks --campaign campaign-2"),
         ("top-network-tier", "top --limit 20 --network youtube --tier nano")]
for name, args in cases:
    times, out = [], ""
    for _ in range(n):
        t = time.perf_counter()
        r = subprocess.run([ctl] + args.split() + ["--db", url, "--json"], capture_output=True, text=True)
        times.append((time.perf_counter() - t) * 1000)
        if r.returncode:
            print(name, "FAILED", r.stderr[:300]); break
        out = r.stdout
    print("%-20s median %6.1f ms  min %6.1f  max %6.1f  answer %s"
          % (name, statistics.median(times), min(times), max(times), hashlib.sha256(out.encode()).hexdigest()[:12]))
