import subprocess, time, statistics, sys, hashlib
# ttime.py URL N SHARECTL[@URL]...: `top --limit 20` over a shared store with a network or a tier
# alone (and, for comparison, both), each case run N times per binary (over its own store where
# given, else URL) as a whole sharectl process, the binaries alternated run by run: the median,
# lowest and highest time (ms) and the digest of the JSON answer, which every run must give alike.
url, runs = sys.argv[1], int(sys.argv[2])
ctls = [(arg.split("@", 1) + [url])[:2] for arg in sys.argv[3:]]
cases = {"tier-nano": "--tier nano", "tier-micro-value": "--tier micro --by value",
         "network-youtube": "--network youtube", "network-tiktok-clicks": "--network tiktok --by clicks",
         "network-tier": "--network youtube --tier nano"}

def answer(ctl, arguments):
    command = [ctl[0], "top", "--limit", "20", *arguments.split(), "--db", ctl[1], "--json"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return (time.perf_counter() - start) * 1000, hashlib.sha256(done.stdout.encode()).hexdigest()[:12]

for name, arguments in cases.items():
    results = {i: [] for i in range(len(ctls))}
    for _ in range(runs):
        for i, ctl in enumerate(ctls):
            results[i].append(answer(ctl, arguments))
    digests = {d for i in results for _, d in results[i]}
    for i, ctl in enumerate(ctls):
        times = [t for t, _ in results[i]]
        label = ctl[0].split('/')[-2] + "/" + ctl[1].split('?')[0].split('/')[-1]
        print(f"{name:22} {label:24} median {statistics.median(times):6.1f} ms  min {min(times):6.1f}  "
              f"max {max(times):6.1f}  answer {' '.join(sorted(digests))}")
