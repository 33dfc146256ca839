import subprocess, time, statistics, sys, hashlib
# stime.py SHARECTL URL [N]: `top` over a shared store, each case run N times as a whole sharectl
# process: the median, lowest and highest time (ms), and the digest of the JSON answer, which every
# run must give alike (else the digests are all listed).
ctl, url = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 9
cases = {"top": "", "top-value": "--by value", "top-venue": "--venue venue-03",
         "top-campaign": "--campaign campaign-3", "top-unique-campaign": "--by unique_clicks --campaign campaign-2",
         "top-network-tier": "--network youtube --tier nano"}

def answer(arguments):
    command = [ctl, "top", "--limit", "20", *arguments.split(), "--db", url, "--json"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return (time.perf_counter() - start) * 1000, hashlib.sha256(done.stdout.encode()).hexdigest()[:12]

for name, arguments in cases.items():
    times, digests = zip(*(answer(arguments) for _ in range(runs)))
    print(f"{name:20} median {statistics.median(times):6.1f} ms  min {min(times):6.1f}  max {max(times):6.1f}  "
          f"answer {' '.join(sorted(set(digests)))}")
