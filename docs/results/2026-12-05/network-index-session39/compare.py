import subprocess, time, statistics, sys, hashlib, os
# compare.py RUNS CTL DB [CTL DB ...]: each query below run RUNS times per (sharectl, database)
# pair as a whole `sharectl --db DB` process, the pairs alternated run by run (a binary before a
# change on its database, and after it on the same database migrated): the median, lowest and
# highest time (ms), and whether every run of every pair gave the same JSON answer ("DIFFER" if not).
# ADVOCATE: the advocate of the `advocate` cases (default adv-054148, of the 2M database).
runs, pairs = int(sys.argv[1]), list(zip(sys.argv[2::2], sys.argv[3::2]))
advocate = os.environ.get("ADVOCATE", "adv-054148")
cases = [
    "tiers --campaign campaign-3 --network youtube",
    "tiers --venue venue-03 --network youtube",
    "tiers --venue venue-03 --campaign campaign-3 --network youtube",
    "venues --campaign campaign-3 --network youtube",
] + [f"top --limit 20 --campaign campaign-3 --network youtube --by {by}"
     for by in ["clicks", "unique_clicks", "shares", "reach", "engagement"]] + [
    "top --limit 20 --venue venue-03 --campaign campaign-3 --network youtube --by clicks",
    "top --limit 20 --venue venue-03 --campaign campaign-3 --network youtube --by shares",
    "top --limit 20 --venue venue-03 --network youtube --by engagement",
    "top --limit 20 --campaign campaign-2 --tier micro --by clicks",
    "top --limit 20 --venue venue-03 --tier nano --by clicks",
    "top --limit 20 --campaign campaign-3 --by clicks",
    "tiers --campaign campaign-3",
    "tiers --venue venue-03",
    "top --limit 20 --by clicks --since 24h",
    f"advocate {advocate} --campaign campaign-3 --network youtube",
    f"advocate {advocate}",
]

def answer(ctl, database, arguments):
    command = [ctl, *arguments.split(), "--db", database, "--json"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return (time.perf_counter() - start) * 1000, hashlib.sha256(done.stdout.encode()).hexdigest()[:12]

for arguments in cases:
    results = {pair: [] for pair in pairs}
    for _ in range(runs):
        for pair in pairs:
            results[pair].append(answer(*pair, arguments))
    digests = {d for pair in pairs for _, d in results[pair]}
    for (ctl, database), timed in results.items():
        times = [t for t, _ in timed]
        print(f"{arguments:72} {ctl.split('/')[-3]:8} median {statistics.median(times):6.1f} ms  "
              f"min {min(times):6.1f}  max {max(times):6.1f}  {'same' if len(digests) == 1 else 'DIFFER'}", flush=True)
