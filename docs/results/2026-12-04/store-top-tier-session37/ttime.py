import subprocess, time, statistics, sys, hashlib
# ttime.py URL N SHARECTL...: `top --limit 20` over a shared store with a network or a tier alone
# (and, for comparison, both), each case run N times per binary as a whole sharectl process, the
# binaries alternated run by run: the median, lowest and highest time (ms) and the digest of the
# JSON answer, which every run of every binary must give alike.
url, runs, ctls = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
cases = {"tier-nano": "--tier nano", "tier-micro-value": "--tier micro --by value",
         "network-youtube": "--network youtube", "network-tiktok-clicks": "--network tiktok --by clicks",
         "network-tier": "--network youtube --tier nano"}

def answer(ctl, arguments):
    command = [ctl, "top", "--limit", "20", *arguments.split(), "--db", url, "--json"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return (time.perf_counter() - start) * 1000, hashlib.sha256(done.stdout.encode()).hexdigest()[:12]

for name, arguments in cases.items():
    results = {ctl: [] for ctl in ctls}
    for _ in range(runs):
        for ctl in ctls:
            results[ctl].append(answer(ctl, arguments))
    digests = {d for ctl in ctls for _, d in results[ctl]}
    for ctl in ctls:
        times = [t for t, _ in results[ctl]]
        print(f"{name:22} {ctl.split('/')[-1]:15} median {statistics.median(times):6.1f} ms  min {min(times):6.1f}  "
              f"max {max(times):6.1f}  answer {' '.join(sorted(digests))}")
