import subprocess, time, statistics, sys, hashlib
# tiers-time.py N SHARECTL@URL...: `tiers` over a shared store at a venue and in a campaign (and,
# for comparison, without a filter), each case run N times per binary and store as a whole
# sharectl process, alternated run by run: the median, lowest and highest time (ms) and the digest
# of the JSON answer, which every run of every pair must give alike.
runs, pairs = int(sys.argv[1]), [p.split("@", 1) for p in sys.argv[2:]]
cases = {"venue-03": "--venue venue-03", "venue-11": "--venue venue-11", "campaign-3": "--campaign campaign-3",
         "campaign-1": "--campaign campaign-1", "all": ""}

def answer(ctl, url, arguments):
    command = [ctl, "tiers", *arguments.split(), "--db", url, "--json"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return (time.perf_counter() - start) * 1000, hashlib.sha256(done.stdout.encode()).hexdigest()[:12]

for name, arguments in cases.items():
    results = {i: [] for i in range(len(pairs))}
    for _ in range(runs):
        for i, (ctl, url) in enumerate(pairs):
            results[i].append(answer(ctl, url, arguments))
    digests = {d for i in results for _, d in results[i]}
    for i, (ctl, url) in enumerate(pairs):
        times = [t for t, _ in results[i]]
        label = ctl.split('/')[-2] + "/" + url.split('?')[0].split('/')[-1]
        print(f"{name:12} {label:28} median {statistics.median(times):6.1f} ms  min {min(times):6.1f}  "
              f"max {max(times):6.1f}  answer {' '.join(sorted(digests))}")
